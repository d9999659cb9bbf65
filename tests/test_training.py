import torch

from rnn_models.network import ModelConfig, SequenceModel
from rnn_models.training import TrainConfig, fit

PATTERN = torch.tensor([0, 1, 2, 3] * 8)


def _batches(split, gen):
    """A repeating pattern: the next token is always predictable."""
    starts = torch.randint(0, 4, (8,), generator=gen)
    x = torch.stack([PATTERN[s:s + 12] for s in starts])
    y = torch.stack([PATTERN[s + 1:s + 13] for s in starts])
    return x, y


def _model(seed=0):
    torch.manual_seed(seed)
    return SequenceModel(ModelConfig(cell="gru", input_size=4, embed_size=4, hidden_size=8, output_size=4))


def test_fit_lowers_the_loss_and_reports_every_step():
    seen = []
    res = fit(_model(), _batches, config=TrainConfig(steps=60, lr=0.05, eval_every=20), on_step=seen.append)
    assert len(seen) == 60 and res.stopped == "done"
    assert seen[-1]["loss"] < 0.3 * seen[0]["loss"]
    assert {"step", "loss", "grad_norm", "elapsed_s"} <= set(seen[0])
    assert [m["step"] for m in seen if "val_loss" in m] == [20, 40, 60]
    assert res.final_val_loss < 0.5


def test_fit_stops_when_asked():
    res = fit(_model(), _batches, config=TrainConfig(steps=1000), should_stop=lambda: True)
    assert res.stopped == "stopped" and res.history == []
    calls = []
    res = fit(_model(), _batches, config=TrainConfig(steps=1000, eval_every=0),
              should_stop=lambda: len(calls) >= 3, on_step=calls.append)
    assert res.stopped == "stopped" and len(res.history) == 3


def test_time_budget_ends_training():
    res = fit(_model(), _batches, config=TrainConfig(steps=10**6, time_budget_s=0.3, eval_every=0))
    assert res.stopped == "time_budget" and 0.3 <= res.elapsed_s < 5
    assert res.final_val_loss is not None  # validated once at the end


def test_same_seed_same_result_and_clipping_reports_preclip_norm():
    a = fit(_model(3), _batches, config=TrainConfig(steps=10, seed=7, clip=1e-3))
    b = fit(_model(3), _batches, config=TrainConfig(steps=10, seed=7, clip=1e-3))
    assert [m["loss"] for m in a.history] == [m["loss"] for m in b.history]
    assert a.history[0]["grad_norm"] > 1e-3  # reported before clipping
