"""RNN explorer: hidden states, gates, gradients through time, the long-range race, bidirectional."""

from pathlib import Path

import numpy as np
import streamlit as st

from rnn_models.errors import UserInputError
from ui import explore_charts as xc
from ui.cache import lesson
from ui.state import EXPLORER, init
from ui.uploads import show_error

ASSETS = Path(__file__).resolve().parent.parent / "assets"
PREFERRED = ("text_shakespeare_lstm", "text_shakespeare_gru", "text_shakespeare_rnn")  # listed first, in order
USER, UNTRAINED = "user", "untrained"
SECTIONS = ["Hidden states", "Gradients through time", "Long-range race", "Bidirectional"]
SAMPLE_TEXT = ('KING. Come hither, friend: what says the letter?\n'
               'MESSENGER. "My lord (he writes) the ships are in the bay,\n'
               'And all the men that sailed with them are well."\n'
               'KING. Then let the bells be rung [Exeunt all].\n')
RACE_JOB, BLANK_JOB = "Long-range race", "Fill in the blank"
TEXT_SOURCES = {"play": "Hamlet (held out from training)", "code": "Python source", "own": "Your own text"}


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


# ------------------------------------------------------------------ hidden states

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
        choices[USER] = "Your model from the Text page"
    choices[UNTRAINED] = "Untrained LSTM (random weights)"
    return choices


def text_model_controls():
    """Pick a model and type text; returns (label, model, vocab, text) or None."""
    from ui.cache import pretrained

    choices = model_choices()
    if not any(k not in (USER, UNTRAINED) for k in choices):
        st.info("No pretrained text model is installed yet (assets/models/text_shakespeare_*.json). "
                "Train one on the Text page and it will appear here, or look at an untrained LSTM "
                "to see the mechanics (its units mean nothing yet).")
    c1, c2 = st.columns([1, 2])
    key = c1.selectbox("Model", list(choices), format_func=choices.get, key="ex_model")
    try:
        if key == UNTRAINED:
            model, vocab = untrained_model()
        else:
            ckpt = st.session_state["text_user_model"] if key == USER else pretrained(f"models/{key}.json")
            model, vocab = ckpt.model, ckpt.meta.get("vocab")
            if not (isinstance(vocab, list) and all(isinstance(v, str) and len(v) == 1 for v in vocab)):
                raise UserInputError("this checkpoint has no character vocabulary (meta 'vocab')")
    except Exception as exc:  # a broken checkpoint is reported, never a traceback
        show_error(exc, what="That model")
        return None
    cfg = model.config
    c1.caption(f"{cfg.cell.upper()}, {cfg.num_layers} layer(s) × {cfg.hidden_size} units"
               + (", bidirectional" if cfg.bidirectional else "") + f", {len(vocab)} characters")
    text = text_controls(c2)
    return key, model, vocab, text


@st.cache_data(max_entries=256, show_spinner="Reading the passage…")
def cached_passage(source: str, index: int) -> str:
    from rnn_models.explore.samples import passage

    return passage(source, index)


def text_controls(col) -> str:
    """A passage of a held-out play, of Python source, or the student's own text."""
    from rnn_models.explore.samples import passage_count

    source = col.radio("Text", list(TEXT_SOURCES), format_func=TEXT_SOURCES.get, horizontal=True,
                       key="ex_text_source")
    if source == "own":
        return col.text_area("Text for the model to read (up to 2,000 characters)", SAMPLE_TEXT, height=150,
                             max_chars=2000, key="ex_text")
    try:
        n = passage_count(source)
        index = col.slider("Passage", 1, n, min(41, n) if source == "play" else 1, key=f"ex_passage_{source}")
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

    return trace_text(model, vocab, text) if key == USER else cached_trace(key, text)


def unit_search(trace, hidden: np.ndarray):
    """Property picker and ranking; returns (values or None, ranking list)."""
    from rnn_models.explore.units import PROPERTIES, property_values, rank_units

    c1, c2 = st.columns([1, 1])
    prop = c1.selectbox("Find units that track…", PROPERTIES, index=PROPERTIES.index("position in line"),
                        key="ex_prop", help="inside quotes: from an opening double quote (\") to the closing one "
                        "(a triple quote counts too); inside brackets: while a ( [ or { is open; position in line: "
                        "characters since the last newline. Use a regex for anything else, e.g. '[^']*' for "
                        "single-quoted strings.")
    pattern = ""
    if prop == "regex":
        pattern = c2.text_input("Regular expression (characters inside a match count)", r"\b[A-Z]+\b",
                                key="ex_regex", max_chars=100)
    try:
        values = property_values(trace.text, prop, pattern)
        ranking = rank_units(hidden, values, top=10)
    except UserInputError as exc:
        show_error(exc, what="That property")
        return None, []
    return values, ranking


def hidden_states_section() -> None:
    st.markdown(lesson_part("Hidden states"))
    picked = text_model_controls()
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
    layer = 0
    if trace.layers > 1:
        layer = st.radio("Layer", list(range(trace.layers)), format_func=lambda i: f"layer {i + 1}",
                         horizontal=True, key="ex_layer")
    hidden = trace.hidden[layer]
    t_units, t_gates, t_pca, t_math = st.tabs(["Units & search", "Gates", "Trajectory (PCA)", "Show the math"])
    with t_units:
        values, ranking = unit_search(trace, hidden)
        if ranking:
            st.dataframe([{"unit": u, "correlation r": round(r, 3)} for u, r in ranking], hide_index=True,
                         height=240)
        units = list(range(hidden.shape[1]))
        default = ranking[0][0] if ranking else 0
        unit = st.selectbox("Colour the text by unit", units, index=default, key=f"ex_unit_{default}",
                            help="Defaults to the best match of the search above.")
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
        st.plotly_chart(fig, key="ex_heatmap")
    with t_gates:
        gates_tab(trace, layer, rows)
    with t_pca:
        pca_tab(trace, hidden, values)
    with t_math:
        math_tab(model, vocab, trace, layer, unit)


def gates_tab(trace, layer: int, rows: list[int]) -> None:
    from rnn_models.explore.traces import saturation, saturation_summary

    st.markdown(lesson_part("Gates"))
    if not trace.gates[layer]:
        st.info("A vanilla RNN has no gates: its whole update is h_t = tanh(W_ih x_t + W_hh h_{t-1} + b). "
                "Pick an LSTM or GRU model to see gates.")
        return
    gates = list(trace.gates[layer])
    gate = st.radio("Gate", gates, horizontal=True, key=f"ex_gate_{trace.cell}")
    vals = trace.gates[layer][gate]
    tanh_gate = gate in ("cell_candidate", "candidate")
    rows = [u for u in rows if u < vals.shape[1]]
    fig = xc.activation_heatmap(vals[:, rows], trace.text, title=f"{gate} gate × characters",
                                zmin=-1.0 if tanh_gate else 0.0, zmax=1.0,
                                colorscale="RdBu_r" if tanh_gate else "Viridis")
    fig.update_yaxes(tickmode="array", tickvals=list(range(len(rows))), ticktext=[str(u) for u in rows],
                     type="category", autorange="reversed")
    st.plotly_chart(fig, key="ex_gate_heatmap")
    c1, c2 = st.columns([3, 2])
    c1.plotly_chart(xc.saturation_scatter(saturation(trace)[layer], title=f"Gate saturation, layer {layer + 1}"),
                    key="ex_sat")
    table = [r for r in saturation_summary(trace) if r["layer"] == layer + 1]
    c2.markdown("**Share of (unit, step) pairs**")
    c2.dataframe([{"gate": r["gate"], "left < 0.1": f"{r['left_saturated']:.1%}",
                   "right > 0.9": f"{r['right_saturated']:.1%}", "in between": f"{r['unsaturated']:.1%}"}
                  for r in table], hide_index=True)
    c2.caption("Candidate gates use tanh (−1..1); for them 'left' means below −0.8 and 'right' above 0.8.")


def pca_tab(trace, hidden: np.ndarray, values) -> None:
    from rnn_models.explore.projection import pca
    from rnn_models.explore.units import position_in_line

    st.markdown(lesson_part("Trajectory"))
    c1, c2 = st.columns(2)
    dims = c1.radio("Dimensions", [2, 3], format_func=lambda d: f"{d}D", horizontal=True, key="ex_pca_dims")
    colour_by = c2.radio("Colour by", ["position", "position in line", "character kind", "search property"],
                         horizontal=True, key="ex_pca_colour")
    proj = pca(hidden, dims)
    kinds = {"letter": 0, "space": 1, "punctuation": 2, "newline": 3, "digit": 4}

    def kind(ch):
        return "newline" if ch == "\n" else "space" if ch == " " else "letter" if ch.isalpha() else \
            "digit" if ch.isdigit() else "punctuation"

    colour = {"position": np.arange(len(trace.text)), "position in line": position_in_line(trace.text),
              "character kind": np.array([kinds[kind(c)] for c in trace.text]),
              "search property": values if values is not None else np.zeros(len(trace.text))}[colour_by]
    hover = [f"t={i + 1} {xc.shown_char(c)!r} ({kind(c)})" for i, c in enumerate(trace.text)]
    st.plotly_chart(xc.trajectory_chart(proj.coords, colour, hover, title="Hidden-state trajectory",
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


# ------------------------------------------------------------------ gradients

@st.cache_data(max_entries=64, show_spinner="Backpropagating through time…")
def cached_flows(length, scale, nonlinearity, budget, seed, chrono):
    from rnn_models.explore.gradients import compare_cells

    return compare_cells(length, scale=scale, nonlinearity=nonlinearity, budget=budget, seed=seed, chrono=chrono)


@st.cache_data(max_entries=32, show_spinner="Computing one Jacobian per step…")
def cached_jacobians(cell, length, scale, nonlinearity, budget, seed, chrono):
    import torch

    from rnn_models.explore.gradients import gradient_model, hidden_for_budget, jacobian_products
    from rnn_models.explore.tasks import adding_batch

    x, _ = adding_batch(16, length, torch.Generator().manual_seed(seed))
    model = gradient_model(cell, hidden_size=hidden_for_budget(cell, budget, 2, 1), scale=scale,
                           nonlinearity=nonlinearity, seed=seed, chrono=length if chrono else None)
    return jacobian_products(model, x)


@st.cache_data(max_entries=32, show_spinner="Training with and without clipping…")
def cached_clipping(length, scale, nonlinearity, lr, clip, steps, seed):
    from rnn_models.explore.gradients import clipping_demo

    return clipping_demo(length=length, scale=scale, nonlinearity=nonlinearity, lr=lr, clip=clip, steps=steps,
                         seed=seed)


def gradient_controls() -> dict:
    c1, c2, c3 = st.columns([2, 2, 1])
    length = c1.slider("Sequence length T", 10, 300, 60, 10, key="ex_g_len")
    default_init = c3.checkbox("torch's default init", False, key="ex_g_default",
                               help="Keep W_hh as torch initialises it instead of rescaling it.")
    scale = c2.select_slider("Recurrent scale (spectral radius of W_hh)",
                             [0.25, 0.5, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0, 3.0], 1.0, key="ex_g_scale",
                             disabled=default_init)
    c1, c2, c3, c4 = st.columns(4)
    nonlinearity = c1.radio("RNN nonlinearity", ["tanh", "relu"], horizontal=True, key="ex_g_nl")
    chrono = c2.checkbox("Chrono init (LSTM)", False, key="ex_g_chrono",
                         help="Forget-gate bias log(U(1, T−1)): the LSTM starts out remembering for ~T steps.")
    budget = c3.select_slider("Parameter budget (each cell)", [500, 1000, 3000, 10000], 3000, key="ex_g_budget")
    seed = c4.number_input("Seed", 0, 9999, 0, key="ex_g_seed")
    return dict(length=int(length), scale=None if default_init else float(scale), nonlinearity=nonlinearity,
                budget=int(budget), seed=int(seed), chrono=chrono)


def gradients_section() -> None:
    from rnn_models.explore.gradients import pascanu_condition

    st.markdown(lesson_part("Gradients through time"))
    g = gradient_controls()
    flows = cached_flows(g["length"], g["scale"], g["nonlinearity"], g["budget"], g["seed"], g["chrono"])
    st.plotly_chart(xc.grad_norm_lines(flows, title=f"‖∂L/∂h_t‖ for a loss at step T = {g['length']} "
                                       "(same adding-problem batch for all three)"), key="ex_g_lines")
    cols = st.columns(3)
    for col, (cell, f) in zip(cols, flows.items()):
        cond = pascanu_condition(f.singular_value, g["nonlinearity"] if cell == "rnn" else "tanh")
        ratio = f.grad_norms[0] / f.grad_norms[-1] if f.grad_norms[-1] > 0 else float("nan")
        col.metric(f"{xc.CELL_LABEL[cell]}: ‖∂L/∂h_1‖ ÷ ‖∂L/∂h_T‖", f"{ratio:.1e}")
        col.markdown(f"largest singular value λ₁ of W_hh{' (largest gate block)' if cell != 'rnn' else ''}: "
                     f"**{f.singular_value:.2f}**; spectral radius {f.spectral_radius:.2f}")
        if cell == "rnn":
            verdict = ("λ₁ < 1/γ = 1: gradients **must vanish**" if cond["must_vanish"] else
                       "λ₁ ≥ 1/γ = 1: vanishing is not guaranteed; they may explode")
            col.markdown(f"Pascanu et al.: {verdict}.")
    st.plotly_chart(xc.grad_heatmaps(flows), key="ex_g_heat")

    st.subheader("The running product of Jacobians")
    cell = st.radio("Cell", list(flows), format_func=xc.CELL_LABEL.get, horizontal=True, key="ex_g_jcell")
    jp = cached_jacobians(cell, min(g["length"], 150), g["scale"], g["nonlinearity"], g["budget"], g["seed"],
                          g["chrono"])
    st.plotly_chart(xc.jacobian_chart(jp, cell), key="ex_g_jac")
    st.caption("J_t = ∂s_t/∂s_{t−1} for the first sequence, s = h (and c for the LSTM). The dashed line multiplies "
               "the norms, an upper bound; the solid line is the norm of the actual product, what really reaches "
               "step t. " + ("(Shown for the first 150 steps.)" if g["length"] > 150 else ""))

    st.subheader("Exploding gradients and clipping")
    st.markdown(lesson_part("Clipping"))
    c1, c2, c3, c4 = st.columns(4)
    scale = c1.select_slider("Recurrent scale", [1.0, 1.25, 1.5, 2.0, 3.0], 1.5, key="ex_c_scale")
    lr = c2.select_slider("SGD learning rate", [0.01, 0.02, 0.05, 0.1, 0.2], 0.05, key="ex_c_lr")
    clip = c3.select_slider("Clip gradient norm at", [0.25, 0.5, 1.0, 2.0, 5.0], 1.0, key="ex_c_clip")
    steps = c4.select_slider("Steps", [50, 100, 150, 300], 150, key="ex_c_steps")
    if st.button("Train a vanilla RNN with and without clipping", key="ex_c_go"):
        st.session_state["ex_clip"] = dict(scale=scale, lr=lr, clip=clip, steps=steps)
    args = st.session_state["ex_clip"]
    if args:
        runs = cached_clipping(40, args["scale"], "tanh", args["lr"], args["clip"], args["steps"], 0)
        st.plotly_chart(xc.clipping_chart(runs), key="ex_c_chart")
        for label, hist in runs.items():
            bad = next((m["step"] for m in hist if m["loss"] is None), None)
            last = hist[-1]["loss"] if hist else None
            st.markdown(f"- **{label}**: " + (f"the loss became infinite / not a number at step {bad}."
                                               if bad else f"final loss {last:.3f}."))
        st.caption(f"Adding problem, T = 40, tanh RNN, W_hh scaled to {args['scale']}, plain SGD lr {args['lr']}, "
                   "same batches for both runs. Gaps mean the value overflowed.")


# ------------------------------------------------------------------ race

def race_section() -> None:
    from rnn_models.explore.race import RaceConfig
    from rnn_models.explore.tasks import task_spec
    from ui import jobs

    st.markdown(lesson_part("Long-range race"))
    c1, c2, c3, c4, c5 = st.columns(5)
    task = c1.radio("Task", ["adding", "copy"], format_func={"adding": "adding problem", "copy": "copy memory"}.get,
                    key="ex_r_task")
    length = c2.slider("Sequence length T", 10, 300, 100, 10, key="ex_r_len")
    seconds = c3.slider("Seconds of training", 10, 120, 60, 5, key="ex_r_secs")
    chrono = c4.checkbox("Chrono init (LSTM)", True, key="ex_r_chrono",
                         help="Forget-gate bias log(U(1, T−1)), input bias its negative (Tallec & Ollivier 2018).")
    seed = c5.number_input("Seed", 0, 9999, 0, key="ex_r_seed")
    spec = task_spec(task, int(length))
    config = RaceConfig(task=task, length=int(length), seconds=float(seconds), chrono=chrono, seed=int(seed))
    st.caption(f"Baseline: {spec.baseline_label} = {spec.baseline:.4f}. Hidden 32 per cell, batch 32, "
               "Adam lr 0.01, gradient clipping at 1.")
    if st.button("Start the race", type="primary", key="ex_r_go"):
        jobs.start(RACE_JOB, lambda ctx: run_race_job(ctx, config), time_budget_s=config.seconds)
    done = jobs.live_panel(RACE_JOB, lambda m: xc.race_chart(m, config.cells, spec.baseline, "memoryless",
                                                            y_title="MSE" if task == "adding" else "nats/step"))
    if done is not None and done.result is not None and st.session_state["ex_race_job"] != done.id:
        st.session_state["ex_race"] = done.result
        st.session_state["ex_race_job"] = done.id
    show_race(st.session_state["ex_race"], live_shown=live_showing(RACE_JOB, "ex_race_job"))


def run_race_job(ctx, config):
    from rnn_models.device import limit_threads
    from rnn_models.explore.race import run_race

    limit_threads()  # a worker thread may start with torch's default (all cores): oversubscribed, 10x slower

    def on_step(m):
        ctx.on_step({k: v for k, v in m.items() if k == "step" or k == "elapsed_s" or k.startswith("val_")}
                    if "val_rnn" in m else {"step": m["step"], "elapsed_s": m["elapsed_s"]})
        ctx.progress(min(1.0, m["elapsed_s"] / config.seconds), f"step {m['step']}, {m['elapsed_s']:.0f} s")

    result = run_race(config, on_step=on_step, should_stop=ctx.should_stop)
    result.models = {}  # the page needs the curves and numbers, not the weights
    return {"config": config, "result": result}


def live_showing(name: str, id_key: str) -> bool:
    """True when the live panel above already draws the curves of the saved result."""
    from ui import jobs

    job = jobs.current()
    return job is not None and job.name == name and job.id == st.session_state[id_key]


def show_race(saved, live_shown: bool = False) -> None:
    from rnn_models.explore.race import verdict

    if not saved:
        return
    config, result = saved["config"], saved["result"]
    unit = "MSE" if config.task == "adding" else "nats/step"
    st.subheader(f"Result: {config.task} problem, T = {config.length}")
    if result.stopped == "stopped":
        st.warning(f"The race was stopped after {result.elapsed_s:.0f} s.")
    if not live_shown:
        st.plotly_chart(xc.race_chart(result.history, config.cells, result.baseline, "memoryless", y_title=unit),
                        key="ex_r_final")
    v = verdict(result)
    cols = st.columns(len(result.final))
    for col, (cell, loss) in zip(cols, result.final.items()):
        col.metric(f"{xc.CELL_LABEL[cell]} held-out {unit}", f"{loss:.4f}",
                   f"{loss / result.baseline:.0%} of baseline", delta_color="off", delta_arrow="off")
        col.caption(v[cell])
    st.caption(f"{result.steps:,} steps each in {result.elapsed_s:.0f} s; baseline {result.baseline:.4f} {unit} "
               f"({result.baseline_label}); held-out batch of {config.eval_size} sequences; "
               f"LSTM {'with' if config.chrono else 'without'} chrono initialisation.")


# ------------------------------------------------------------------ bidirectional

def bidirectional_section() -> None:
    from rnn_models.explore.bidirectional import BlankConfig
    from ui import jobs

    st.markdown(lesson_part("Bidirectional"))
    c0, c1, c2, c3 = st.columns([2, 2, 2, 1])
    task = c0.radio("Task", ["palindrome", "text"], key="ex_b_task",
                    format_func={"palindrome": "palindromes (synthetic)",
                                 "text": "Shakespeare (real text)"}.get)
    if task == "palindrome":
        length = c1.select_slider("Palindrome length", [7, 9, 11, 13, 15, 21], 11, key="ex_b_len")
    else:
        length = c1.select_slider("Window (blank in the middle)", [11, 21, 31, 41], 21, key="ex_b_tlen")
    seconds = c2.slider("Seconds of training", 5, 60, 20, 5, key="ex_b_secs")
    seed = c3.number_input("Seed", 0, 9999, 0, key="ex_b_seed")
    config = BlankConfig(task=task, length=int(length), seconds=float(seconds), seed=int(seed),
                         hidden_size=32 if task == "palindrome" else 64)
    if st.button("Train forward-only and bidirectional GRUs", type="primary", key="ex_b_go"):
        jobs.start(BLANK_JOB, lambda ctx: run_blank_job(ctx, config), time_budget_s=config.seconds)
    done = jobs.live_panel(BLANK_JOB, lambda m: xc.blank_accuracy_chart(m, None))
    if done is not None and done.result is not None and st.session_state["ex_blank_job"] != done.id:
        st.session_state["ex_blank"] = done.result
        st.session_state["ex_blank_job"] = done.id
    saved = st.session_state["ex_blank"]
    if saved:
        show_blank(saved, live_shown=live_showing(BLANK_JOB, "ex_blank_job"))


def run_blank_job(ctx, config):
    from rnn_models.device import limit_threads
    from rnn_models.explore.bidirectional import example, train_fill_blank

    limit_threads()

    def on_step(m):
        ctx.on_step(m)
        ctx.progress(min(1.0, m["elapsed_s"] / config.seconds), f"step {m['step']}")

    result = train_fill_blank(config, on_step=on_step, should_stop=ctx.should_stop)
    examples = [example(result, config, seed=s) for s in (7, 8, 9)]
    result.models = {}
    return {"config": config, "result": result, "examples": examples}


def show_blank(saved, live_shown: bool = False) -> None:
    config, result = saved["config"], saved["result"]
    if not live_shown:
            st.plotly_chart(xc.blank_accuracy_chart(result.history, result.chance, result.chance_label),
                        key="ex_b_final")
    cols = st.columns(2)
    for col, (label, acc) in zip(cols, result.final_accuracy.items()):
        col.metric(f"{label}: accuracy on held-out blanks", f"{acc:.0%}",
                   f"{result.chance_label}: {result.chance:.0%}", delta_color="off", delta_arrow="off")
    pick = st.radio("Example", [0, 1, 2], format_func=lambda i: f"sequence {i + 1}", horizontal=True,
                    key="ex_b_example")
    ex = saved["examples"][pick]
    shown = " ".join(ex["sequence"]) if config.task == "palindrome" else \
        "".join(xc.shown_char(c) for c in ex["sequence"])
    st.markdown(f"`{shown}` — the blank hides `{xc.shown_char(ex['answer'])}`; "
                + "; ".join(f"{k} guesses `{xc.shown_char(v['guess'])}` ({v['confidence']:.0%} sure)"
                            for k, v in ex["models"].items()))
    st.plotly_chart(xc.sensitivity_chart(ex, twin=config.task == "palindrome"), key="ex_b_sens")
    what = f"{config.symbols} letters" if config.task == "palindrome" else \
        "windows of the training plays, scored on windows of the held-out validation plays"
    st.caption(f"{result.steps:,} steps each, length {config.length}, {what}. The forward-only model's influence "
               "bars stop at the blank: it cannot see what comes after.")


def main() -> None:
    from rnn_models.device import limit_threads

    limit_threads()  # per script thread: torch's thread count does not carry over from other threads
    init(EXPLORER)
    st.title("RNN explorer")
    st.markdown(lesson_part(None))
    section = st.segmented_control("Section", SECTIONS, default=SECTIONS[0], key="ex_section") or SECTIONS[0]
    try:
        {"Hidden states": hidden_states_section, "Gradients through time": gradients_section,
         "Long-range race": race_section, "Bidirectional": bidirectional_section}[section]()
    except UserInputError as exc:
        show_error(exc, what="That setting")


main()
