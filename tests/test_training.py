import pytest
import torch
import torch.utils._pytree as pytree
from torch.utils._python_dispatch import TorchDispatchMode

from rnn_models.network import ModelConfig, SequenceModel
from rnn_models.training import TrainConfig, fit, fit_many

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


def _dropout_model(cell, seed=0):
    torch.manual_seed(seed)
    return SequenceModel(ModelConfig(cell=cell, input_size=4, embed_size=4, hidden_size=8, output_size=4,
                                     dropout=0.3))


def test_lockstep_training_leaves_each_model_as_training_it_alone_would():
    cfg = TrainConfig(steps=8, lr=0.02, eval_every=4, seed=5)
    seen = []
    together = {"gru": _dropout_model("gru"), "lstm": _dropout_model("lstm", 1)}
    results = fit_many(together, _batches, config=cfg, on_step=seen.append)
    assert [sorted(m) for m in seen] == [["gru", "lstm"]] * 8  # on_step: metrics keyed per model
    for name, seed in (("gru", 0), ("lstm", 1)):
        alone = _dropout_model(name, seed)
        solo = fit(alone, _batches, config=cfg)
        assert [m["loss"] for m in results[name].history] == [m["loss"] for m in solo.history]
        assert results[name].final_val_loss == solo.final_val_loss
        for a, b in zip(together[name].parameters(), alone.parameters()):
            assert torch.equal(a, b)


def test_lockstep_configs_may_differ_in_optimiser_and_clip_but_not_in_steps():
    models = {"sgd": _model(), "adam": _model()}
    configs = {"sgd": TrainConfig(steps=3, optimizer="sgd", lr=0.1, clip=None), "adam": TrainConfig(steps=3)}
    res = fit_many(models, _batches, config=configs, validate=False)
    assert res["sgd"].history[0]["loss"] == res["adam"].history[0]["loss"]  # same start, same batch
    assert res["sgd"].history[-1]["loss"] != res["adam"].history[-1]["loss"]
    with pytest.raises(ValueError, match="must share steps"):
        fit_many(models, _batches, config={"sgd": TrainConfig(steps=3), "adam": TrainConfig(steps=4)})
    with pytest.raises(ValueError, match="unknown optimizer 'rmsprop'; choose one of: adam, sgd"):
        TrainConfig(optimizer="rmsprop")


def test_a_step_touches_only_tensors_on_the_models_device():
    """get_batch gives CPU tensors; fit moves them to the model's device. The meta device stands in for
    a GPU: every tensor any operation of a whole step reads or writes must be there, until fit reads
    the loss back as a number (which a meta tensor cannot give)."""
    model = _model().to("meta")
    devices, drawing = {}, [False]

    def cpu_batches(split, gen):
        drawing[0] = True  # get_batch itself works on the CPU
        try:
            return _batches(split, gen)
        finally:
            drawing[0] = False

    class Record(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            if not drawing[0] and func is not torch.ops.aten._to_copy.default:  # the move itself reads the CPU
                for t in pytree.tree_leaves((args, kwargs or {})):
                    if isinstance(t, torch.Tensor) and t.dim() > 0:  # optimisers keep a CPU step count (0-d)
                        devices.setdefault(t.device.type, set()).add(str(func))
            return func(*args, **(kwargs or {}))

    with Record(), pytest.raises((RuntimeError, NotImplementedError), match="meta"):
        fit(model, cpu_batches, config=TrainConfig(steps=1), validate=False)
    assert set(devices) == {"meta"}, devices
    assert len(devices["meta"]) > 20  # forward, backward, clipping and the optimiser step were all seen
    assert all(p.grad is not None and p.grad.device.type == "meta" for p in model.parameters())
