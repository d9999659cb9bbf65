"""Transparent cells against torch.nn: same weights -> same outputs and gradients."""

import pytest
import torch

from rnn_models.network import ModelConfig, SequenceModel

CASES = [(cell, layers, bi) for cell in ("rnn", "lstm", "gru") for layers in (1, 2) for bi in (False, True)]


def _pair(cell, layers, bi, input_kind="embedding"):
    cfg = ModelConfig(cell=cell, input_size=11, input_kind=input_kind, embed_size=5, hidden_size=8,
                      num_layers=layers, bidirectional=bi, output_size=11)
    torch.manual_seed(0)
    ref = SequenceModel(cfg)
    mine = SequenceModel(ModelConfig(**{**cfg.to_dict(), "transparent": True}))
    mine.load_state_dict(ref.state_dict())  # same parameter names and shapes as torch.nn
    return ref, mine


@pytest.mark.parametrize("cell,layers,bi", CASES)
def test_outputs_states_and_gradients_match_torch_nn(cell, layers, bi):
    ref, mine = _pair(cell, layers, bi)
    x = torch.randint(0, 11, (3, 7))
    state = ref.init_state(3)
    state.h.normal_()
    if state.c is not None:
        state.c.normal_()
    out_r, st_r = ref(x, state)
    out_m, st_m = mine(x, state)
    torch.testing.assert_close(out_m, out_r, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(st_m.h, st_r.h, atol=1e-5, rtol=1e-5)
    if cell == "lstm":
        torch.testing.assert_close(st_m.c, st_r.c, atol=1e-5, rtol=1e-5)
    target = torch.randn_like(out_r)
    ((out_r - target) ** 2).mean().backward()
    ((out_m - target) ** 2).mean().backward()
    for (name, p_r), p_m in zip(ref.named_parameters(), mine.parameters(), strict=True):
        torch.testing.assert_close(p_m.grad, p_r.grad, atol=1e-5, rtol=1e-4, msg=name)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_forward_traced_matches_forward_and_exposes_gates(cell):
    ref, _ = _pair(cell, 2, False, input_kind="linear")
    x = torch.randn(2, 5, 11)
    out, st = ref(x)
    out_t, st_t, trace = ref.forward_traced(x)
    torch.testing.assert_close(out_t, out, atol=1e-5, rtol=1e-5)
    assert len(trace.hidden) == 2 and trace.hidden[1].shape == (2, 5, 8)
    expected = {"rnn": set(), "lstm": {"input", "forget", "cell_candidate", "output"},
                "gru": {"reset", "update", "candidate"}}[cell]
    assert set(trace.gates[0]) == expected
    for name, g in trace.gates[0].items():
        assert g.shape == (2, 5, 8)
        if name != "cell_candidate" and name != "candidate":
            assert float(g.detach().min()) >= 0.0 and float(g.detach().max()) <= 1.0  # sigmoid gates
    # the last step of the top layer is the carried state
    torch.testing.assert_close(trace.hidden[-1][:, -1], st.h[-1], atol=1e-5, rtol=1e-5)
    assert (trace.cell is not None) == (cell == "lstm")


def test_hidden_steps_are_graph_nodes_for_per_step_gradients():
    ref, _ = _pair("rnn", 1, False)
    out, _, trace = ref.forward_traced(torch.randint(0, 11, (1, 6)))
    steps = trace.hidden_steps[0][0]
    for h in steps:
        h.retain_grad()
    out[:, -1].sum().backward()
    norms = [float(h.grad.norm()) for h in steps]
    assert len(norms) == 6 and all(n > 0 for n in norms)
    # dL/dh_T from the head alone equals the head's weights summed over outputs
    torch.testing.assert_close(steps[-1].grad[0], ref.head.weight.sum(0), atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize("cell,layers,bi", CASES)
def test_fast_trace_equals_the_step_by_step_trace(cell, layers, bi):
    ref, _ = _pair(cell, layers, bi)
    x = torch.randint(0, 11, (2, 6))
    state = ref.init_state(2)
    state.h.normal_()
    if state.c is not None:
        state.c.normal_()
    out_s, st_s, slow = ref.forward_traced(x, state)
    out_f, st_f, fast = ref.forward_traced(x, state, per_step=False)
    torch.testing.assert_close(out_f, out_s, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(st_f.h, st_s.h, atol=1e-5, rtol=1e-5)
    for layer in range(layers):
        torch.testing.assert_close(fast.hidden[layer], slow.hidden[layer], atol=1e-5, rtol=1e-5)
        assert set(fast.gates[layer]) == set(slow.gates[layer])
        for k in slow.gates[layer]:
            torch.testing.assert_close(fast.gates[layer][k], slow.gates[layer][k], atol=1e-5, rtol=1e-5)
        if cell == "lstm":
            torch.testing.assert_close(fast.cell[layer], slow.cell[layer], atol=1e-5, rtol=1e-5)
    assert fast.hidden_steps == []
