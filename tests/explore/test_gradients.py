"""Gradient flow: per-step norms match autograd on an independent unroll; W_hh scaling; Jacobians."""

import numpy as np
import pytest
import torch
from torch import nn

from rnn_models.errors import UserInputError
from rnn_models.explore.gradients import (
    clipping_demo,
    compare_cells,
    gradient_flow,
    gradient_model,
    hidden_for_budget,
    jacobian_products,
    pascanu_condition,
    scale_recurrent,
    spectral_radius,
)
from rnn_models.explore.tasks import adding_batch
from rnn_models.network import count_parameters

TORCH_CELLS = {"rnn": nn.RNNCell, "lstm": nn.LSTMCell, "gru": nn.GRUCell}


def reference_grads(model, x, y):
    """‖∂L/∂h_t‖ from a torch.nn cell unrolled by hand on the same weights, h_t taken directly."""
    cfg = model.config
    kwargs = {"nonlinearity": cfg.nonlinearity} if cfg.cell == "rnn" else {}
    cell = TORCH_CELLS[cfg.cell](cfg.input_size, cfg.hidden_size, **kwargs)
    p = dict(model.rnn.named_parameters())
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(cell, name).copy_(p[f"{name}_l0"])
    h = torch.zeros(x.shape[0], cfg.hidden_size)
    c = torch.zeros_like(h)
    hs = []
    for t in range(x.shape[1]):
        if cfg.cell == "lstm":
            h, c = cell(x[:, t], (h, c))
        else:
            h = cell(x[:, t], h)
        hs.append(h)
    out = model.head(hs[-1])
    loss = nn.functional.mse_loss(out, y)
    grads = torch.autograd.grad(loss, hs)
    return torch.stack(grads, 1).norm(dim=-1).mean(0).numpy(), float(loss.detach())


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_grad_norms_equal_autograd_on_each_h_t(cell):
    model = gradient_model(cell, hidden_size=8, scale=1.3, seed=1)
    x, y = adding_batch(3, 12, torch.Generator().manual_seed(0))
    flow = gradient_flow(model, x, y)
    ref, ref_loss = reference_grads(model, x, y)
    assert flow.grad_norms.shape == (12,)
    assert flow.grad_units.shape == (12, 8)
    assert flow.loss == pytest.approx(ref_loss, rel=1e-5)
    np.testing.assert_allclose(flow.grad_norms, ref, rtol=1e-4, atol=1e-10)


def test_relu_rnn_grad_norms_match_too():
    model = gradient_model("rnn", hidden_size=8, scale=0.9, nonlinearity="relu", seed=2)
    x, y = adding_batch(2, 10, torch.Generator().manual_seed(3))
    np.testing.assert_allclose(gradient_flow(model, x, y).grad_norms, reference_grads(model, x, y)[0], rtol=1e-4)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("radius", [0.5, 1.0, 2.5])
def test_spectral_radius_is_scaled_to_what_was_asked(cell, radius):
    model = gradient_model(cell, hidden_size=8, seed=0)
    reached = scale_recurrent(model, radius)
    assert all(v == pytest.approx(radius, rel=1e-5) for v in reached.values())
    w = dict(model.rnn.named_parameters())["weight_hh_l0"].detach()
    for block in w.chunk({"rnn": 1, "lstm": 4, "gru": 3}[cell], dim=0):
        assert spectral_radius(block) == pytest.approx(radius, rel=1e-5)


def test_bad_scale_is_refused():
    with pytest.raises(UserInputError, match="between 0 and 100"):
        scale_recurrent(gradient_model("rnn", hidden_size=4), -1.0)


def test_small_radius_vanishes_large_radius_explodes_for_tanh_rnn():
    small = compare_cells(40, scale=0.5, budget=400, cells=("rnn",))["rnn"]
    large = compare_cells(40, scale=2.0, budget=400, cells=("rnn",))["rnn"]
    assert small.grad_norms[0] < 1e-6 * small.grad_norms[-1]
    assert large.grad_norms[0] > large.grad_norms[-1]
    assert pascanu_condition(small.singular_value)["must_vanish"] == (small.singular_value < 1)


def test_same_parameter_budget_and_same_seed_same_result():
    for cell in ("rnn", "lstm", "gru"):
        h = hidden_for_budget(cell, 3000, 2, 1)
        n = count_parameters(gradient_model(cell, hidden_size=h))
        assert abs(n - 3000) / 3000 < 0.1
    a = compare_cells(10, scale=1.0, budget=300, seed=4)
    b = compare_cells(10, scale=1.0, budget=300, seed=4)
    for cell in a:
        np.testing.assert_array_equal(a[cell].grad_norms, b[cell].grad_norms)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_jacobian_product_matches_autograd_sensitivity(cell):
    model = gradient_model(cell, hidden_size=5, scale=1.1, seed=0)
    x, _ = adding_batch(1, 6, torch.Generator().manual_seed(0))
    jp = jacobian_products(model, x)
    assert jp.norms.shape == (5,) and jp.product.shape == (6,)
    assert jp.product[-1] == 1.0
    assert np.all(jp.product <= jp.bound * (1 + 1e-6))  # ‖AB‖ ≤ ‖A‖‖B‖
    if cell == "rnn":  # closed form: J_t = diag(1 - h_t²) W_hh
        _, _, trace = model.forward_traced(x)
        h = trace.hidden[0][0].detach()
        w = model.rnn.weight_hh_l0.detach()
        j1 = torch.diag(1 - h[1] ** 2) @ w
        assert jp.norms[0] == pytest.approx(float(torch.linalg.matrix_norm(j1, ord=2)), rel=1e-4)


def test_clipping_keeps_sgd_finite_where_unclipped_explodes():
    runs = clipping_demo(length=30, scale=1.5, hidden_size=8, steps=40, lr=0.5, seed=0)
    unclipped, clipped = runs["no clipping"], runs["clipped at 1"]
    assert len(clipped) == 40
    assert all(m["loss"] is not None for m in clipped)
    worst = [m["loss"] for m in unclipped]
    assert any(v is None or v > 100 for v in worst)


def test_chrono_init_keeps_the_lstm_gradient_alive():
    plain = compare_cells(60, scale=1.0, budget=600, cells=("lstm",))["lstm"]
    chrono = compare_cells(60, scale=1.0, budget=600, cells=("lstm",), chrono=True)["lstm"]
    plain_ratio = plain.grad_norms[0] / plain.grad_norms[-1]
    chrono_ratio = chrono.grad_norms[0] / chrono.grad_norms[-1]
    assert chrono_ratio > 1e4 * plain_ratio
