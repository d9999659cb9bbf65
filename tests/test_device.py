"""Placement logic, checked where no GPU exists: the meta device stands in for a GPU (a tensor left on
the CPU next to a meta tensor raises), and torch.cuda is faked where only the choice of device is tested."""

import pytest
import torch

from rnn_models import checkpoints, device
from rnn_models.network import ModelConfig, SequenceModel, State
from rnn_models.stepper import Stepper
from rnn_models.text.train import TextTrainSpec, build_model, make_get_batch, make_loss


def test_default_device_is_this_process_gpu_when_cuda_exists(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setenv("LOCAL_RANK", "1")
    assert device.default_device() == torch.device("cuda", 1)
    assert device.resolve_device("auto") == torch.device("cuda", 1)
    assert device.resolve_device("cpu") == torch.device("cpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert device.default_device() == torch.device("cpu")


def test_torchrun_uses_nccl_and_one_gpu_per_process(monkeypatch):
    import torch.distributed as dist

    calls = {}
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "set_device", lambda i: calls.setdefault("gpu", i))
    monkeypatch.setattr(dist, "is_initialized", lambda: False)
    monkeypatch.setattr(dist, "init_process_group", lambda backend: calls.setdefault("backend", backend))
    monkeypatch.setenv("WORLD_SIZE", "4")
    monkeypatch.setenv("LOCAL_RANK", "3")
    assert device.init_distributed()
    assert calls == {"gpu": 3, "backend": "nccl"}


def test_a_checkpoint_loads_onto_the_device_asked(tmp_path):
    model = SequenceModel(ModelConfig(cell="gru", input_size=5, embed_size=4, hidden_size=8, output_size=5))
    checkpoints.save(model, tmp_path / "m", {"vocab": list("abcde")})
    assert all(p.device.type == "cpu" for p in checkpoints.load(tmp_path / "m.json").model.parameters())
    on_meta = checkpoints.load(tmp_path / "m.json", device="meta").model
    assert all(p.device.type == "meta" for p in on_meta.parameters())


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_a_generation_step_stays_on_the_model_device(cell):
    model = SequenceModel(ModelConfig(cell=cell, input_size=6, embed_size=4, hidden_size=8, num_layers=2,
                                      output_size=6)).to("meta").eval()
    state = model.init_state(3)
    with torch.no_grad():
        logits, state = Stepper(model).step(torch.zeros(3, dtype=torch.long, device="meta"), state)
    assert isinstance(state, State)
    assert {logits.device.type, state.h.device.type} == {"meta"}
    assert logits.shape == (3, 6)


def test_text_batches_are_cut_on_the_model_device_and_the_loss_stays_there():
    spec = TextTrainSpec(cell="lstm", hidden_size=8, embed_size=4, seq_len=6, batch_size=2, device="meta")
    model = build_model(spec, 5)
    assert {p.device.type for p in model.parameters()} == {"meta"}
    ids = torch.zeros(50, dtype=torch.long, device="meta")
    x, y = make_get_batch(ids, ids, 6, 2)("train", torch.Generator().manual_seed(0))
    assert (x.device.type, y.device.type, x.shape) == ("meta", "meta", (2, 6))
    model.train()
    loss = make_loss(False, weight_drop=0.2, embed_dropout=0.1)(model, x, y)
    assert loss.device.type == "meta"


def test_shapes_only_skips_initialisers_on_meta_and_nowhere_else():
    from rnn_models.device import shapes_only

    real = torch.nn.init.normal_
    with shapes_only():
        meta = torch.nn.Embedding(10, 4)
        cpu = torch.nn.Embedding(10, 4, device="cpu")  # e.g. another thread building a real model meanwhile
        assert torch.nn.init.normal_ is not real
    assert meta.weight.is_meta and tuple(meta.weight.shape) == (10, 4)
    assert cpu.weight.std() > 0.5  # N(0, 1) initialised, not left empty or zero
    assert torch.nn.init.normal_ is real


def test_a_training_process_reuses_freed_memory():
    """keep_freed_memory(): after two training steps, a step maps none of its tensors' pages afresh (with
    glibc's defaults this step faults ~870 pages every time, measured in a fresh process; GRU hidden 256,
    batch 64: 11,000-22,000). The best of four later steps, as other threads may allocate meanwhile."""
    import resource

    assert device.keep_freed_memory(256 << 20) is True  # this machine's C library is glibc
    torch.manual_seed(0)
    model = SequenceModel(ModelConfig(cell="gru", input_size=20, embed_size=16, hidden_size=64, output_size=20))
    x = torch.randint(0, 20, (32, 50))
    faults = []
    for _ in range(6):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        model(x)[0].sum().backward()
        faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    assert min(faults[2:]) < 100, faults
