import pytest
import torch
from torch import nn

from rnn_models import fused
from rnn_models.fused import FastGRU, FastRNN
from rnn_models.network import ModelConfig, SequenceModel

CASES = [(FastGRU, nn.GRU, {}), (FastRNN, nn.RNN, {}), (FastRNN, nn.RNN, {"nonlinearity": "relu"})]


@pytest.mark.parametrize("mine_cls,ref_cls,kw", CASES)
@pytest.mark.parametrize("layers,bidirectional", [(1, False), (2, True)])
def test_fused_equals_torch_nn_in_outputs_and_gradients(mine_cls, ref_cls, kw, layers, bidirectional):
    torch.manual_seed(0)
    ref = ref_cls(5, 8, num_layers=layers, bidirectional=bidirectional, batch_first=True, **kw).double()
    mine = mine_cls(5, 8, num_layers=layers, bidirectional=bidirectional, batch_first=True, **kw).double()
    mine.load_state_dict(ref.state_dict())
    x = torch.randn(3, 7, 5, dtype=torch.double)
    h0 = torch.randn(layers * (2 if bidirectional else 1), 3, 8, dtype=torch.double)
    out_w = torch.randn(3, 7, 8 * (2 if bidirectional else 1), dtype=torch.double)
    grads = []
    for m in (ref, mine):
        xi, hi = x.clone().requires_grad_(), h0.clone().requires_grad_()
        out, h_n = m(xi, hi)
        ((out * out_w).sum() + (h_n ** 2).sum()).backward()
        grads.append([out, h_n, xi.grad, hi.grad] + [p.grad for p in m.parameters()])
    for a, b in zip(*grads, strict=True):
        assert torch.allclose(a, b, atol=1e-10), (a - b).abs().max()


def test_the_fused_path_is_the_one_that_trains(monkeypatch):
    """A CPU training forward of a SequenceModel's GRU/RNN goes through the fused recurrence; no_grad does not."""
    calls = []
    real = fused._layers
    monkeypatch.setattr(fused, "_layers", lambda *a: calls.append(1) or real(*a))
    for cell in ("gru", "rnn"):
        model = SequenceModel(ModelConfig(cell=cell, input_size=6, embed_size=4, hidden_size=8, output_size=6))
        assert isinstance(model.rnn, (FastGRU, FastRNN))
        model(torch.randint(0, 6, (2, 5)))[0].sum().backward()
        with torch.no_grad():
            model(torch.randint(0, 6, (2, 5)))
    assert len(calls) == 2


def test_gradcheck_of_the_recurrence():
    torch.manual_seed(1)
    for cell, rows in (("gru", 3), ("rnn", 1)):
        xp = torch.randn(4, 2, rows * 3, dtype=torch.double, requires_grad=True)
        h0 = torch.randn(2, 3, dtype=torch.double, requires_grad=True)
        w = torch.randn(rows * 3, 3, dtype=torch.double, requires_grad=True)
        b = torch.randn(rows * 3, dtype=torch.double, requires_grad=True)
        assert torch.autograd.gradcheck(lambda *a, c=cell: fused._Recurrence.apply(c, False, *a), (xp, h0, w, b))
