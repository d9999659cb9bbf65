import json
import subprocess
import sys
from pathlib import Path

import torch

from rnn_models.checkpoints import save
from rnn_models.cli import main
from rnn_models.network import ModelConfig, SequenceModel

ROOT = Path(__file__).resolve().parents[1]


def test_help_lists_subcommands():
    out = subprocess.run([sys.executable, "-m", "rnn_models", "--help"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0 and "inspect" in out.stdout


def test_bad_arguments_exit_2_with_one_line(capsys):
    try:
        main(["inspect"])
    except SystemExit as e:
        assert e.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "required" in err


def test_bad_file_exit_2_one_line_no_traceback(tmp_path, capsys):
    (tmp_path / "x.json").write_text("{}")
    (tmp_path / "x.safetensors").write_bytes(b"\x80\x04junk")
    assert main(["inspect", "--model", str(tmp_path / "x.json")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err


def test_inspect_json(tmp_path, capsys):
    torch.manual_seed(0)
    m = SequenceModel(ModelConfig(cell="gru", input_size=3, hidden_size=4, output_size=3))
    save(m, tmp_path / "m", {"metrics": {"bpc": 2.0}, "command": "cmd"})
    assert main(["inspect", "--model", str(tmp_path / "m.json"), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["config"]["cell"] == "gru" and info["metrics"] == {"bpc": 2.0}
    assert info["parameters"] == sum(p.numel() for p in m.parameters())
