"""The explore subcommands: JSON contract and one-line errors."""

import json

import pytest

from rnn_models.cli import main


def test_explore_gradients_json(capsys):
    assert main(["explore", "gradients", "--cell", "gru", "--length", "7", "--scale", "0.8",
                 "--budget", "300", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert len(info["grad_norms"]) == 7 and all(isinstance(v, float) for v in info["grad_norms"])
    assert info["spectral_radius"] == pytest.approx(0.8, rel=1e-5)


def test_explore_race_json(capsys):
    assert main(["explore", "race", "--task", "adding", "--length", "10", "--seconds", "0.5", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert set(info["final"]) == {"rnn", "lstm", "gru"}
    assert info["baseline"] == pytest.approx(1 / 6)


def test_explore_bad_length_is_one_line_exit_2(capsys):
    assert main(["explore", "gradients", "--length", "0"]) == 2
    err = capsys.readouterr().err
    assert err == "error: sequence length must be a whole number from 2 to 1000, got 0\n"


def test_explore_bad_cell_exit_2(capsys):
    with pytest.raises(SystemExit) as e:
        main(["explore", "gradients", "--cell", "transformer"])
    assert e.value.code == 2
