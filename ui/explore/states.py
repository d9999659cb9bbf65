"""The explorer's hidden-state section: pick a model and a text, then units, unit search, gates, PCA and the math.

Controls are drawn through the page's ui.share.Setup, so every setting travels in the URL.
"""

from pathlib import Path

import numpy as np
import streamlit as st

from rnn_models.errors import UserInputError
from ui.cache import lesson
from ui.explore import charts as xc
from ui.uploads import show_error

ASSETS = Path(__file__).resolve().parent.parent / "assets"
PREFERRED = ("text_shakespeare_lstm", "text_shakespeare_gru", "text_shakespeare_rnn")  # listed first, in order
TEXT_PAGE_MODEL, UNTRAINED = "user", "untrained"
SAMPLE_TEXT = ('KING. Come hither, friend: what says the letter?\n'
               'MESSENGER. "My lord (he writes) the ships are in the bay,\n'
               'And all the men that sailed with them are well."\n'
               'KING. Then let the bells be rung [Exeunt all].\n')
TEXT_SOURCES = {"play": "Hamlet (held out from training)", "code": "Python source", "own": "Your own text"}
BEST = -1  # ex_unit: the best match of the unit search
PCA_COLOURS = ("position", "position in line", "character kind", "search property")
GATES = ("", "input", "forget", "cell_candidate", "output", "reset", "update", "candidate")  # "": the first


def chart(fig, **kwargs) -> None:
    """st.plotly_chart, laid out for the large font the projector styles force when projector mode is on."""
    if st.session_state.get("present"):
        fig.update_layout(font=dict(size=17), legend=dict(font=dict(size=17)))
    st.plotly_chart(fig, **kwargs)


def lesson_part(title: str | None) -> str:
    """The lesson's introduction (title None) or its '## title' section."""
    text = lesson("rnn_explorer")
    parts = text.split("\n## ")
    if title is None:
        return parts[0]
    for p in parts[1:]:
        head, _, body = p.partition("\n")
        if head.strip() == title:
            return body.strip()
    return ""


@st.cache_resource(show_spinner="Building a small untrained model…")
def untrained_model():
    """A small LSTM with random weights over printable ASCII, for seeing the mechanics without a checkpoint."""
    import torch

    from rnn_models.network import ModelConfig, SequenceModel

    vocab = ["\n"] + [chr(c) for c in range(32, 127)]
    torch.manual_seed(0)
    model = SequenceModel(ModelConfig(cell="lstm", input_size=len(vocab), embed_size=16, hidden_size=64,
                                      output_size=len(vocab))).eval()
    return model, vocab


def pretrained_text_models() -> dict[str, str]:
    """Checkpoint stem -> label for every assets/models/text_*.json with its weights beside it."""
    import json

    found = {}
    stems = sorted((p.stem for p in (ASSETS / "models").glob("text_*.json")
                    if p.with_suffix(".safetensors").is_file()),
                   key=lambda s: (PREFERRED.index(s) if s in PREFERRED else len(PREFERRED), s))
    for stem in stems:
        try:
            meta = json.loads((ASSETS / "models" / f"{stem}.json").read_text(encoding="utf-8"))
            cell = meta["config"]["cell"]
            corpus = (meta.get("data") or {}).get("corpus") or stem.split("_")[1]
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            continue  # not a readable text checkpoint: leave it out
        found[stem] = f"Pretrained {xc.CELL_LABEL.get(cell, cell)} ({str(corpus).capitalize()})"
    return found


def model_choices() -> dict[str, str]:
    """What can be looked at: pretrained text models present, the student's own, an untrained one."""
    choices = pretrained_text_models()
    if st.session_state.get("text_user_model") is not None:
        choices[TEXT_PAGE_MODEL] = "Your model from the Text page"
    choices[UNTRAINED] = "Untrained LSTM (random weights)"
    return choices


def text_model_controls(setup):
    """Pick a model and type text; returns (label, model, vocab, text) or None."""
    from ui.cache import pretrained

    choices = model_choices()
    if st.session_state.get("ex_model") not in choices:  # a link to a model this server or session lacks
        st.session_state["ex_model"] = next(iter(choices))
    if not any(k not in (TEXT_PAGE_MODEL, UNTRAINED) for k in choices):
        st.info("No pretrained text model is installed yet (assets/models/text_shakespeare_*.json). "
                "Train one on the Text page and it will appear here, or look at an untrained LSTM "
                "to see the mechanics (its units mean nothing yet).")
    c1, c2 = st.columns([1, 2])
    key = setup.control(st.selectbox, "ex_model", "Model", list(choices), format_func=choices.get, container=c1)
    try:
        if key == UNTRAINED:
            model, vocab = untrained_model()
        else:
            ckpt = st.session_state["text_user_model"] if key == TEXT_PAGE_MODEL else pretrained(f"models/{key}.json")
            model, vocab = ckpt.model, ckpt.meta.get("vocab")
            if not (isinstance(vocab, list) and all(isinstance(v, str) and len(v) == 1 for v in vocab)):
                raise UserInputError("this checkpoint has no character vocabulary (meta 'vocab')")
    except Exception as exc:  # a broken checkpoint is reported, never a traceback
        show_error(exc, what="That model")
        return None
    cfg = model.config
    c1.caption(f"{cfg.cell.upper()}, {cfg.num_layers} layer(s) × {cfg.hidden_size} units"
               + (", bidirectional" if cfg.bidirectional else "") + f", {len(vocab)} characters")
    text = text_controls(setup, c2)
    return key, model, vocab, text


@st.cache_data(max_entries=256, show_spinner="Reading the passage…")
def cached_passage(source: str, index: int) -> str:
    from rnn_models.explore.samples import passage

    return passage(source, index)


def text_controls(setup, col) -> str:
    """A passage of a held-out play, of Python source, or the student's own text."""
    from rnn_models.explore.samples import passage_count

    source = setup.control(st.radio, "ex_text_source", "Text", list(TEXT_SOURCES), format_func=TEXT_SOURCES.get,
                           horizontal=True, container=col)
    if source == "own":
        return setup.control(st.text_area, "ex_text", "Text for the model to read (up to 2,000 characters)",
                             height=150, max_chars=2000, container=col)
    try:
        n = passage_count(source)
        key = f"ex_passage_{source}"
        st.session_state[key] = min(max(1, int(st.session_state[key])), n)  # a link's passage beyond this corpus
        index = setup.control(st.slider, key, "Passage", 1, n, container=col)
        text = cached_passage(source, int(index) - 1)
    except (UserInputError, OSError) as exc:
        show_error(exc, what="That text source")
        return SAMPLE_TEXT
    col.code(text[:2000], language=None, height=150)
    return text[:2000]


@st.cache_data(max_entries=16, show_spinner="Reading the text…")
def cached_trace(model_key: str, text: str):
    """Traces of the shared pretrained/untrained models, cached for everyone."""
    from rnn_models.explore.traces import trace_text
    from ui.cache import pretrained

    if model_key == UNTRAINED:
        model, vocab = untrained_model()
    else:
        ckpt = pretrained(f"models/{model_key}.json")
        model, vocab = ckpt.model, ckpt.meta["vocab"]
    return trace_text(model, vocab, text)


def get_trace(key, model, vocab, text):
    from rnn_models.explore.traces import trace_text

    return trace_text(model, vocab, text) if key == TEXT_PAGE_MODEL else cached_trace(key, text)


def unit_search(setup, trace, hidden: np.ndarray):
    """Property picker and ranking; returns (values or None, ranking list)."""
    from rnn_models.explore.units import PROPERTIES, property_values, rank_units

    c1, c2 = st.columns([1, 1])
    prop = setup.control(st.selectbox, "ex_prop", "Find units that track…", PROPERTIES, container=c1,
                         help="inside quotes: from an opening double quote (\") to the closing one "
                        "(a triple quote counts too); inside brackets: while a ( [ or { is open; position in line: "
                        "characters since the last newline. Use a regex for anything else, e.g. '[^']*' for "
                        "single-quoted strings.")
    pattern = ""
    if prop == "regex":
        pattern = setup.control(st.text_input, "ex_regex", "Regular expression (characters inside a match count)",
                                max_chars=100, container=c2)
    try:
        values = property_values(trace.text, prop, pattern)
        ranking = rank_units(hidden, values, top=10)
    except UserInputError as exc:
        show_error(exc, what="That property")
        return None, []
    return values, ranking


def hidden_states_section(setup) -> None:
    st.markdown(lesson_part("Hidden states"))
    picked = text_model_controls(setup)
    if picked is None:
        return
    key, model, vocab, text = picked
    try:
        trace = get_trace(key, model, vocab, text)
    except UserInputError as exc:
        show_error(exc, what="That text")
        return
    if trace.replaced:
        st.caption("The model has never seen " + ", ".join(repr(c) for c in trace.replaced[:12])
                   + ": each is replaced by a look-alike or a space before reading.")
    if st.session_state["ex_layer"] >= trace.layers:  # a link's layer this model does not have
        st.session_state["ex_layer"] = 0
    layer = 0
    if trace.layers > 1:
        layer = setup.control(st.radio, "ex_layer", "Layer", list(range(trace.layers)),
                              format_func=lambda i: f"layer {i + 1}", horizontal=True)
    hidden = trace.hidden[layer]
    t_units, t_gates, t_pca, t_math = st.tabs(["Units & search", "Gates", "Trajectory (PCA)", "Show the math"])
    with t_units:
        values, ranking = unit_search(setup, trace, hidden)
        if ranking:
            st.dataframe([{"unit": u, "correlation r": round(r, 3)} for u, r in ranking], hide_index=True,
                         height=240)
        best = ranking[0][0] if ranking else 0
        if st.session_state["ex_unit"] >= hidden.shape[1]:  # a link's unit this model does not have
            st.session_state["ex_unit"] = BEST
        picked = setup.control(st.selectbox, "ex_unit", "Colour the text by unit", [BEST, *range(hidden.shape[1])],
                               format_func=lambda u: f"best match of the search (unit {best})" if u == BEST else str(u),
                               help="Defaults to the best match of the search above.")
        unit = best if picked == BEST else int(picked)
        st.markdown(f"**Unit {unit}** (red positive, blue negative; hover a character for the value)")
        lo, hi = (-1.0, 1.0) if hidden.min() >= -1 and hidden.max() <= 1 else (hidden.min(), hidden.max())
        st.html(xc.colored_text_html(trace.text, hidden[:, unit], vmin=lo, vmax=hi))
        if values is not None:
            st.markdown("**The property itself** (red where it holds)")
            top = max(1.0, float(values.max()))
            st.html(xc.colored_text_html(trace.text, values, vmin=-top, vmax=top))
        shown = [u for u, _ in ranking] or list(range(min(40, hidden.shape[1])))
        more = [u for u in np.argsort(-hidden.var(axis=0)) if u not in shown][: 40 - len(shown)]
        rows = shown + [int(u) for u in more]
        fig = xc.activation_heatmap(hidden[:, rows], trace.text, title="Hidden units × characters "
                                    "(search matches first, then the most active units)", zmin=lo, zmax=hi)
        fig.update_yaxes(tickmode="array", tickvals=list(range(len(rows))), ticktext=[str(u) for u in rows],
                         autorange="reversed", type="category")
        chart(fig, key="ex_heatmap")
    with t_gates:
        gates_tab(setup, trace, layer, rows)
    with t_pca:
        pca_tab(setup, trace, hidden, values)
    with t_math:
        math_tab(model, vocab, trace, layer, unit)


def gates_tab(setup, trace, layer: int, rows: list[int]) -> None:
    from rnn_models.explore.traces import saturation, saturation_summary

    st.markdown(lesson_part("Gates"))
    if not trace.gates[layer]:
        st.info("A vanilla RNN has no gates: its whole update is h_t = tanh(W_ih x_t + W_hh h_{t-1} + b). "
                "Pick an LSTM or GRU model to see gates.")
        return
    gates = list(trace.gates[layer])
    if st.session_state["ex_gate"] not in gates:  # "" (the first gate) or a gate of another cell
        st.session_state["ex_gate"] = gates[0]
    gate = setup.control(st.radio, "ex_gate", "Gate", gates, horizontal=True)
    vals = trace.gates[layer][gate]
    tanh_gate = gate in ("cell_candidate", "candidate")
    rows = [u for u in rows if u < vals.shape[1]]
    fig = xc.activation_heatmap(vals[:, rows], trace.text, title=f"{gate} gate × characters",
                                zmin=-1.0 if tanh_gate else 0.0, zmax=1.0,
                                colorscale="RdBu_r" if tanh_gate else "Viridis")
    fig.update_yaxes(tickmode="array", tickvals=list(range(len(rows))), ticktext=[str(u) for u in rows],
                     type="category", autorange="reversed")
    chart(fig, key="ex_gate_heatmap")
    c1, c2 = st.columns([3, 2])
    c1.plotly_chart(xc.saturation_scatter(saturation(trace)[layer], title=f"Gate saturation, layer {layer + 1}"),
                    key="ex_sat")
    table = [r for r in saturation_summary(trace) if r["layer"] == layer + 1]
    c2.markdown("**Share of (unit, step) pairs**")
    c2.dataframe([{"gate": r["gate"], "left < 0.1": f"{r['left_saturated']:.1%}",
                   "right > 0.9": f"{r['right_saturated']:.1%}", "in between": f"{r['unsaturated']:.1%}"}
                  for r in table], hide_index=True)
    c2.caption("Candidate gates use tanh (−1..1); for them 'left' means below −0.8 and 'right' above 0.8.")


@st.cache_data(max_entries=64, show_spinner=False)
def _pca(hidden: np.ndarray, dims: int):
    """PCA of a trajectory, once per server for the same states (an SVD costs about a second)."""
    from rnn_models.explore.projection import pca

    return pca(hidden, dims)


def pca_tab(setup, trace, hidden: np.ndarray, values) -> None:
    from rnn_models.explore.units import position_in_line

    st.markdown(lesson_part("Trajectory"))
    c1, c2 = st.columns(2)
    dims = setup.control(st.radio, "ex_pca_dims", "Dimensions", [2, 3], format_func=lambda d: f"{d}D",
                         horizontal=True, container=c1)
    colour_by = setup.control(st.radio, "ex_pca_colour", "Colour by", list(PCA_COLOURS), horizontal=True,
                              container=c2)
    proj = _pca(hidden, dims)
    kinds = {"letter": 0, "space": 1, "punctuation": 2, "newline": 3, "digit": 4}

    def kind(ch):
        return "newline" if ch == "\n" else "space" if ch == " " else "letter" if ch.isalpha() else \
            "digit" if ch.isdigit() else "punctuation"

    colour = {"position": np.arange(len(trace.text)), "position in line": position_in_line(trace.text),
              "character kind": np.array([kinds[kind(c)] for c in trace.text]),
              "search property": values if values is not None else np.zeros(len(trace.text))}[colour_by]
    hover = [f"t={i + 1} {xc.shown_char(c)!r} ({kind(c)})" for i, c in enumerate(trace.text)]
    chart(xc.trajectory_chart(proj.coords, colour, hover, title="Hidden-state trajectory",
                                        colour_title=colour_by, explained=proj.explained), key="ex_pca")
    if colour_by == "character kind":
        st.caption("Colour codes: " + ", ".join(f"{v} = {k}" for k, v in kinds.items()))


def math_tab(model, vocab, trace, layer: int, unit: int) -> None:
    from rnn_models.explore.math_view import step_math

    st.markdown(lesson_part("Show the math"))
    T = len(trace.text)
    c1, c2 = st.columns([3, 1])
    t = c1.slider("Time step t", 1, T, min(T, 12), key="ex_math_t")
    unit = c2.number_input("Unit", 0, model.config.hidden_size - 1, min(unit, model.config.hidden_size - 1),
                           key="ex_math_unit")
    m = step_math(model, vocab, trace, t - 1, int(unit), layer)
    ctx = trace.text[max(0, t - 21):t - 1]
    st.markdown(f"Reading character **{xc.shown_char(m.char)!r}** at step {t} "
                f"(after `{ctx.replace(chr(10), '⏎')[-20:]}`), layer {layer + 1}, unit {unit}.")
    a, b = st.columns([2, 3])
    a.markdown("**For the whole vector**")
    b.markdown(f"**For unit {unit}: input part + recurrent part**")
    for sym, num in zip(m.symbolic, m.numeric):
        a.latex(sym)
        b.latex(num)
    probs = trace.next_probs[t - 1]
    top = np.argsort(-probs)[:5]
    st.caption("The model's guess for the next character: "
               + ", ".join(f"{xc.shown_char(vocab[i])!r} {probs[i]:.0%}" for i in top))
