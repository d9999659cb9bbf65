"""Traces, saturation, unit search, PCA and the filled-in equations on a tiny character model."""

import numpy as np
import pytest
import torch

from rnn_models.errors import UserInputError
from rnn_models.explore.math_view import step_math
from rnn_models.explore.projection import pca
from rnn_models.explore.traces import saturation, saturation_summary, trace_text
from rnn_models.explore.units import (
    inside_brackets,
    inside_quotes,
    position_in_line,
    property_values,
    rank_units,
    regex_mask,
)
from rnn_models.text.vocab import encode

from .conftest import TEXT, VOCAB, tiny_model


def test_trace_reproduces_torch_nn(cell):
    model = tiny_model(cell, layers=2)
    tr = trace_text(model, VOCAB, TEXT)
    ids = encode(TEXT, VOCAB).unsqueeze(0)
    with torch.no_grad():
        logits, state = model(ids)  # torch.nn's own kernels
    np.testing.assert_allclose(tr.next_probs, torch.softmax(logits[0], -1).numpy(), atol=1e-5)
    np.testing.assert_allclose(tr.hidden[1][-1], state.h[1, 0].numpy(), atol=1e-5)
    assert len(tr.hidden) == 2 and tr.hidden[0].shape == (len(TEXT), 8)
    expected = {"rnn": set(), "lstm": {"input", "forget", "cell_candidate", "output"},
                "gru": {"reset", "update", "candidate"}}[cell]
    assert set(tr.gates[0]) == expected
    if cell == "lstm":  # the gates put back together give torch.nn's hidden and cell states
        g = tr.gates[1]
        c = tr.memory[1]
        np.testing.assert_allclose(c[-1], state.c[1, 0].numpy(), atol=1e-5)
        np.testing.assert_allclose(c[1:], g["forget"][1:] * c[:-1] + g["input"][1:] * g["cell_candidate"][1:],
                                   atol=1e-5)
        np.testing.assert_allclose(tr.hidden[1], g["output"] * np.tanh(c), atol=1e-5)


def test_bidirectional_trace_has_both_directions():
    tr = trace_text(tiny_model("gru", bidirectional=True), VOCAB, TEXT)
    assert tr.hidden[0].shape == (len(TEXT), 16)


def test_unknown_characters_are_replaced_and_reported():
    tr = trace_text(tiny_model("lstm"), VOCAB, "the “end” ☃")
    assert len(tr.text) == len("the “end” ☃")
    assert tr.text.startswith('the "end" ')
    assert "☃" in tr.replaced


def test_trace_refuses_empty_and_huge_text():
    with pytest.raises(UserInputError, match="at least 2 characters"):
        trace_text(tiny_model("rnn"), VOCAB, "")
    with pytest.raises(UserInputError, match="up to 2000"):
        trace_text(tiny_model("rnn"), VOCAB, "a" * 2001)


def test_saturation_fractions():
    tr = trace_text(tiny_model("lstm"), VOCAB, TEXT)
    tr.gates[0]["forget"][:] = 0.95
    tr.gates[0]["input"][:] = 0.01
    sat = saturation(tr)[0]
    assert np.all(sat["forget"]["right"] == 1) and np.all(sat["forget"]["left"] == 0)
    assert np.all(sat["input"]["left"] == 1)
    rows = saturation_summary(tr)
    assert {r["gate"] for r in rows} == {"input", "forget", "cell_candidate", "output"}
    assert all(0 <= r["left_saturated"] + r["right_saturated"] <= 1 for r in rows)


def test_properties():
    t = 'a "bc" (d[e]) f\nGh'
    assert inside_quotes(t).tolist()[:7] == [0, 0, 1, 1, 1, 0, 0]
    assert inside_brackets(t)[7:13].tolist() == [1, 1, 1, 1, 1, 0]
    assert position_in_line(t)[-3:].tolist() == [0, 1, 2]
    assert property_values(t, "capital letter").sum() == 1
    assert property_values(t, "vowel").sum() == 2
    assert regex_mask(t, r"b\w").tolist()[2:6] == [0, 1, 1, 0]


def test_bad_properties_have_clear_messages():
    with pytest.raises(UserInputError, match="not a valid regular expression"):
        regex_mask("abc", "(")
    with pytest.raises(UserInputError, match="nested repetition"):
        regex_mask("aaaa", "(a+)+b")
    with pytest.raises(UserInputError, match="unknown property 'colour'"):
        property_values("abc", "colour")
    with pytest.raises(UserInputError, match="same value at every character"):
        rank_units(np.random.rand(3, 4), inside_quotes("abc"))


def test_rank_units_finds_the_planted_unit():
    rng = np.random.default_rng(0)
    values = inside_quotes('x "quoted text" y "more" z' * 3)
    hidden = rng.normal(size=(len(values), 16))
    hidden[:, 11] = values * 2 - 1 + 0.1 * rng.normal(size=len(values))
    hidden[:, 5] = 0.0  # a dead unit must not break the ranking
    top = rank_units(hidden, values, top=3)
    assert top[0][0] == 11 and top[0][1] > 0.9
    assert len(top) == 3


def test_pca_explains_a_line():
    t = np.linspace(0, 1, 50)
    states = np.stack([t, 2 * t, -t, np.zeros(50)], axis=1)
    proj = pca(states, 3)
    assert proj.coords.shape == (50, 3)
    assert proj.explained[0] == pytest.approx(1.0)
    np.testing.assert_allclose(np.abs(proj.coords[:, 0]), np.abs((t - t.mean()) * np.sqrt(6)), atol=1e-9)


@pytest.mark.parametrize("layer", [0, 1])
def test_step_math_reproduces_the_trace(cell, layer):
    model = tiny_model(cell, layers=2)
    tr = trace_text(model, VOCAB, TEXT)
    for t in (0, 5):
        m = step_math(model, VOCAB, tr, t, unit=3, layer=layer)
        assert m.values["h"] == pytest.approx(float(tr.hidden[layer][t, 3]), abs=1e-5)
        assert m.char == TEXT[t]
        assert len(m.numeric) == len(m.symbolic)
        for gate, arr in tr.gates[layer].items():
            assert m.values[gate] == pytest.approx(float(arr[t, 3]), abs=1e-5)
    with pytest.raises(UserInputError, match="unit must be between 0 and 7"):
        step_math(model, VOCAB, tr, 0, unit=8)
