"""The explorer's hidden-state section: pick a model and a text, then units, unit search, gates, PCA and the math.

Controls are drawn through the page's ui.share.Setup, so every setting travels in the URL.
"""


import numpy as np
import streamlit as st

from rnn_models.errors import UserInputError
from ui import projector
from ui.cache import ROOT, lesson
from ui.explore import charts as xc
from ui.uploads import show_error

ASSETS = ROOT / "assets"
PREFERRED = ("text_shakespeare_lstm", "text_shakespeare_gru", "text_shakespeare_rnn")  # listed first, in order
TEXT_PAGE_MODEL, UNTRAINED = "user", "untrained"
DEFAULT_SOURCE = "play"  # the text a first visit reads (ui/explore/warm.py computes its results early)
DEFAULT_PASSAGE = {"play": 41, "code": 1}  # 1-based passage number per source
DEFAULT_PCA_DIMS = 2
SAMPLE_TEXT = ('KING. Come hither, friend: what says the letter?\n'
               'MESSENGER. "My lord (he writes) the ships are in the bay,\n'
               'And all the men that sailed with them are well."\n'
               'KING. Then let the bells be rung [Exeunt all].\n')
TEXT_SOURCES = {"play": "Hamlet (held out from training)", "code": "Python source", "own": "Your own text"}
BEST = -1  # ex_unit: the best match of the unit search
PCA_COLOURS = ("position", "position in line", "character kind", "search property")
GATES = ("", "input", "forget", "cell_candidate", "output", "reset", "update", "candidate")  # "": the first


def chart(fig, **kwargs) -> None:
    """st.plotly_chart (house-themed figures are already laid out for projector mode by ui.projector)."""
    st.plotly_chart(projector.figure(fig) if not fig.layout.font.size else fig, **kwargs)


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
        index = setup.control(st.slider, key, "Passage", max_value=n, container=col)  # narrowed to this corpus
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
    from rnn_models.explore.units import PROPERTIES

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
        return _ranked(trace, hidden, prop, pattern)
    except UserInputError as exc:
        show_error(exc, what="That property")
        return None, []


def _ranked(trace, hidden: np.ndarray, prop: str, pattern: str):
    """The property's values over the text and the units tracking it best (UserInputError: a bad regex)."""
    from rnn_models.explore.units import property_values, rank_units

    values = property_values(trace.text, prop, pattern)
    return values, rank_units(hidden, values, top=10)


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
    from ui.explore.state_tabs import gates_tab, math_tab, pca_tab

    # only the open tab runs and is sent to the browser (Streamlit's lazy tabs); the search the other tabs
    # use (property, best units) is computed from the controls' kept values whichever tab is open
    t_units, t_gates, t_pca, t_math = st.tabs(["Units & search", "Gates", "Trajectory (PCA)", "Show the math"],
                                              key="ex_tab", on_change="rerun")
    if t_units.open:
        with t_units:
            values, ranking = unit_search(setup, trace, hidden)
    else:  # another tab is open: the same search from the controls' kept values, without drawing them
        prop = st.session_state["ex_prop"]
        pattern = st.session_state.get("ex_regex", "") if prop == "regex" else ""
        try:
            values, ranking = _ranked(trace, hidden, prop, pattern)
        except UserInputError:
            values, ranking = None, []
    best = ranking[0][0] if ranking else 0
    if st.session_state["ex_unit"] >= hidden.shape[1]:  # a link's unit this model does not have
        st.session_state["ex_unit"] = BEST
    shown = [u for u, _ in ranking] or list(range(min(40, hidden.shape[1])))
    more = [u for u in np.argsort(-hidden.var(axis=0)) if u not in shown][: 40 - len(shown)]
    rows = shown + [int(u) for u in more]
    unit = best if st.session_state["ex_unit"] == BEST else int(st.session_state["ex_unit"])
    if t_units.open:
        with t_units:
            unit = _units_tab(setup, trace, hidden, values, ranking, rows, best)
    if t_gates.open:
        with t_gates:
            gates_tab(setup, trace, layer, rows)
    if t_pca.open:
        with t_pca:
            pca_tab(setup, trace, hidden, values)
    if t_math.open:
        with t_math:
            math_tab(model, vocab, trace, layer, unit)


def _units_tab(setup, trace, hidden: np.ndarray, values, ranking, rows: list[int], best: int) -> int:
    """The search results, the text coloured by a unit, and the units × characters heat map; returns the unit."""
    if ranking:
        st.dataframe([{"unit": u, "correlation r": round(r, 3)} for u, r in ranking], hide_index=True,
                     height=240)
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
    fig = xc.activation_heatmap(hidden[:, rows], trace.text, title="Hidden units × characters "
                                "(search matches first, then the most active units)", zmin=lo, zmax=hi)
    fig.update_yaxes(tickmode="array", tickvals=list(range(len(rows))), ticktext=[str(u) for u in rows],
                     autorange="reversed", type="category")
    chart(fig, key="ex_heatmap")
    return unit
