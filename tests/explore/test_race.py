"""Tasks and the long-range race."""

import math

import pytest
import torch

from rnn_models.errors import UserInputError
from rnn_models.explore.race import RaceConfig, chrono_init, race_models, run_race
from rnn_models.explore.tasks import adding_batch, copy_batch, palindrome_batch, task_spec


def test_adding_batch_marks_one_number_in_each_half():
    x, y = adding_batch(64, 20, torch.Generator().manual_seed(0))
    assert x.shape == (64, 20, 2) and y.shape == (64, 1)
    marks = x[..., 1]
    assert torch.all(marks.sum(1) == 2)
    assert torch.all(marks[:, :10].sum(1) == 1)
    torch.testing.assert_close(y[:, 0], (x[..., 0] * marks).sum(1))


def test_adding_baseline_is_a_sixth():
    _, y = adding_batch(20000, 10, torch.Generator().manual_seed(0))
    assert float(((y - 1) ** 2).mean()) == pytest.approx(1 / 6, rel=0.03)
    assert task_spec("adding", 100).baseline == pytest.approx(1 / 6)


def test_copy_batch_layout_and_baseline():
    x, y = copy_batch(4, 15, torch.Generator().manual_seed(0))
    assert x.shape == y.shape == (4, 35)
    torch.testing.assert_close(y[:, -10:], x[:, :10])
    assert torch.all(x[:, 24] == 9) and torch.all(y[:, :-10] == 0)
    assert task_spec("copy", 15).baseline == pytest.approx(10 * math.log(8) / 35)


def test_palindrome_blank_is_in_the_first_half_and_has_a_twin():
    x, y, pos = palindrome_batch(16, 9, 5, torch.Generator().manual_seed(0))
    assert torch.all(pos < 4)
    rows = torch.arange(16)
    assert torch.all(x[rows, pos] == 0)
    assert torch.all(x[rows, 8 - pos] == y)


def test_bad_task_and_length_messages():
    with pytest.raises(UserInputError, match="unknown task 'sum'; choose one of: adding, copy"):
        task_spec("sum", 10)
    with pytest.raises(UserInputError, match="sequence length must be a whole number from 2 to 1000, got 1"):
        task_spec("adding", 1)


def test_chrono_init_sets_forget_bias_in_range():
    _, models = race_models(RaceConfig(length=50, hidden_size=8, cells=("lstm",)))
    b = models["lstm"].rnn.bias_ih_l0.detach()
    forget, inp = b[8:16], b[:8]
    assert torch.all(forget >= 0) and torch.all(forget <= math.log(49) + 1e-6)
    torch.testing.assert_close(inp, -forget)
    assert torch.all(models["lstm"].rnn.bias_hh_l0.detach()[:16] == 0)
    chrono_init(models["lstm"], 50, torch.Generator())  # idempotent shape-wise


def test_short_race_lstm_beats_rnn_on_adding_t50():
    torch.set_num_threads(1)
    cfg = RaceConfig(task="adding", length=50, seconds=60, max_steps=360, cells=("rnn", "lstm"), seed=0,
                     eval_every=60)
    seen = []
    result = run_race(cfg, on_step=seen.append)
    assert result.steps == 360 and len(seen) == 360
    assert set(result.final) == {"rnn", "lstm"}
    assert result.final["lstm"] < result.final["rnn"]
    assert result.final["lstm"] < 0.5 * result.baseline
    assert "val_lstm" in seen[-1]


def test_race_stops_when_asked_and_same_seed_same_losses():
    cfg = RaceConfig(task="copy", length=5, seconds=30, max_steps=3, hidden_size=8)
    a, b = run_race(cfg), run_race(cfg)
    assert a.final == b.final
    stopped = run_race(cfg, should_stop=lambda: True)
    assert stopped.stopped == "stopped" and stopped.steps == 0
