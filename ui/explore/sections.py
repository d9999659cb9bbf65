"""The explorer's training sections: gradients through time, the long-range race, bidirectional.

Controls are drawn through the page's ui.share.Setup, so every setting travels in the URL.
"""

from functools import partial

import streamlit as st

from ui.explore import charts as xc
from ui.explore.jobs import run_blank_job, run_race_job
from ui.explore.states import chart, lesson_part

SECTIONS = {"states": "Hidden states", "gradients": "Gradients through time", "race": "Long-range race",
            "bidirectional": "Bidirectional"}  # URL value -> label
RACE_JOB, BLANK_JOB = "Long-range race", "Fill in the blank"
G_SCALES = (0.25, 0.5, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0, 3.0)  # recurrent scales of the gradient view
G_BUDGETS = (500, 1000, 3000, 10000)
C_SCALES, C_LRS, C_CLIPS, C_STEPS = (1.0, 1.25, 1.5, 2.0, 3.0), (0.01, 0.02, 0.05, 0.1, 0.2), \
    (0.25, 0.5, 1.0, 2.0, 5.0), (50, 100, 150, 300)  # the clipping demo's choices
B_LENS, B_TLENS = (7, 9, 11, 13, 15, 21), (11, 21, 31, 41)  # palindrome lengths, text windows


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


def gradient_settings() -> dict:
    """The gradient view's settings as gradient_controls returns them, read from the session."""
    s = st.session_state
    return dict(length=int(s["ex_g_len"]), scale=None if s["ex_g_default"] else float(s["ex_g_scale"]),
                nonlinearity=s["ex_g_nl"], budget=int(s["ex_g_budget"]), seed=int(s["ex_g_seed"]),
                chrono=bool(s["ex_g_chrono"]))


def gradient_controls(setup) -> dict:
    c1, c2, c3 = st.columns([2, 2, 1])
    length = setup.control(st.slider, "ex_g_len", "Sequence length T", container=c1)
    default_init = setup.control(st.checkbox, "ex_g_default", "torch's default init", container=c3,
                                 help="Keep W_hh as torch initialises it instead of rescaling it.")
    scale_kw = {"disabled": True} if default_init else {}
    scale = setup.control(st.select_slider, "ex_g_scale", "Recurrent scale (spectral radius of W_hh)",
                          list(G_SCALES), container=c2, **scale_kw)
    c1, c2, c3, c4 = st.columns(4)
    nonlinearity = setup.control(st.radio, "ex_g_nl", "RNN nonlinearity", ["tanh", "relu"], horizontal=True,
                                 container=c1)
    chrono = setup.control(st.checkbox, "ex_g_chrono", "Chrono init (LSTM)", container=c2,
                           help="Forget-gate bias log(U(1, T−1)): the LSTM starts out remembering for ~T steps.")
    budget = setup.control(st.select_slider, "ex_g_budget", "Parameter budget (each cell)", list(G_BUDGETS),
                           container=c3)
    seed = setup.control(st.number_input, "ex_g_seed", "Seed", container=c4)
    return dict(length=int(length), scale=None if default_init else float(scale), nonlinearity=nonlinearity,
                budget=int(budget), seed=int(seed), chrono=chrono)


def gradients_section(setup) -> None:
    from rnn_models.explore.gradients import pascanu_condition

    st.markdown(lesson_part("Gradients through time"))
    g = gradient_controls(setup)
    flows = cached_flows(g["length"], g["scale"], g["nonlinearity"], g["budget"], g["seed"], g["chrono"])
    chart(xc.grad_norm_lines(flows, title=f"‖∂L/∂h_t‖ for a loss at step T = {g['length']} "
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
    chart(xc.grad_heatmaps(flows), key="ex_g_heat")

    st.subheader("The running product of Jacobians")
    cell = setup.control(st.radio, "ex_g_jcell", "Cell", list(flows), format_func=xc.CELL_LABEL.get, horizontal=True)
    jp = cached_jacobians(cell, min(g["length"], 150), g["scale"], g["nonlinearity"], g["budget"], g["seed"],
                          g["chrono"])
    chart(xc.jacobian_chart(jp, cell), key="ex_g_jac")
    st.caption("J_t = ∂s_t/∂s_{t−1} for the first sequence, s = h (and c for the LSTM). The dashed line multiplies "
               "the norms, an upper bound; the solid line is the norm of the actual product, what really reaches "
               "step t. " + ("(Shown for the first 150 steps.)" if g["length"] > 150 else ""))

    st.subheader("Exploding gradients and clipping")
    st.markdown(lesson_part("Clipping"))
    c1, c2, c3, c4 = st.columns(4)
    scale = setup.control(st.select_slider, "ex_c_scale", "Recurrent scale", list(C_SCALES), container=c1)
    lr = setup.control(st.select_slider, "ex_c_lr", "SGD learning rate", list(C_LRS), container=c2)
    clip = setup.control(st.select_slider, "ex_c_clip", "Clip gradient norm at", list(C_CLIPS), container=c3)
    steps = setup.control(st.select_slider, "ex_c_steps", "Steps", list(C_STEPS), container=c4)
    if st.button("Train a vanilla RNN with and without clipping", key="ex_c_go"):
        st.session_state["ex_clip"] = dict(scale=scale, lr=lr, clip=clip, steps=steps)
    args = st.session_state["ex_clip"]
    if args:
        runs = cached_clipping(40, args["scale"], "tanh", args["lr"], args["clip"], args["steps"], 0)
        chart(xc.clipping_chart(runs), key="ex_c_chart")
        for label, hist in runs.items():
            bad = next((m["step"] for m in hist if m["loss"] is None), None)
            last = hist[-1]["loss"] if hist else None
            st.markdown(f"- **{label}**: " + (f"the loss became infinite / not a number at step {bad}."
                                               if bad else f"final loss {last:.3f}."))
        st.caption(f"Adding problem, T = 40, tanh RNN, W_hh scaled to {args['scale']}, plain SGD lr {args['lr']}, "
                   "same batches for both runs. Gaps mean the value overflowed.")


# ------------------------------------------------------------------ race

def race_section(setup) -> None:
    from rnn_models.explore.race import RaceConfig
    from rnn_models.explore.tasks import task_spec
    from ui.jobs import pool as jobs

    st.markdown(lesson_part("Long-range race"))
    c1, c2, c3, c4, c5 = st.columns(5)
    task = setup.control(st.radio, "ex_r_task", "Task", ["adding", "copy"], container=c1,
                         format_func={"adding": "adding problem", "copy": "copy memory"}.get)
    length = setup.control(st.slider, "ex_r_len", "Sequence length T", container=c2)
    seconds = setup.control(st.slider, "ex_r_secs", "Seconds of training", container=c3)
    chrono = setup.control(st.checkbox, "ex_r_chrono", "Chrono init (LSTM)", container=c4,
                           help="Forget-gate bias log(U(1, T−1)), input bias its negative (Tallec & Ollivier 2018).")
    seed = setup.control(st.number_input, "ex_r_seed", "Seed", container=c5)
    spec = task_spec(task, int(length))
    config = RaceConfig(task=task, length=int(length), seconds=float(seconds), chrono=chrono, seed=int(seed))
    st.caption(f"Baseline: {spec.baseline_label} = {spec.baseline:.4f}. Hidden 32 per cell, batch 32, "
               "Adam lr 0.01, gradient clipping at 1. The same seed gives the same batches and starting weights; "
               "the race runs for a fixed time, so a busier computer gets through fewer steps.")
    if st.button("Start the race", type="primary", key="ex_r_go"):
        jobs.start(RACE_JOB, partial(run_race_job, config=config), time_budget_s=config.seconds)
    done = jobs.live_panel(RACE_JOB, lambda m: xc.race_chart(m, config.cells, spec.baseline, "memoryless",
                                                            y_title="MSE" if task == "adding" else "nats/step"))
    if done is not None and done.result is not None and st.session_state["ex_race_job"] != done.id:
        st.session_state["ex_race"] = done.result
        st.session_state["ex_race_job"] = done.id
    show_race(st.session_state["ex_race"], live_shown=live_showing(RACE_JOB, "ex_race_job"))


def live_showing(name: str, id_key: str) -> bool:
    """True when the live panel above already draws the curves of the saved result."""
    from ui.jobs import pool as jobs

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
        chart(xc.race_chart(result.history, config.cells, result.baseline, "memoryless", y_title=unit),
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

def bidirectional_section(setup) -> None:
    from rnn_models.explore.bidirectional import BlankConfig
    from ui.jobs import pool as jobs

    st.markdown(lesson_part("Bidirectional"))
    c0, c1, c2, c3 = st.columns([2, 2, 2, 1])
    task = setup.control(st.radio, "ex_b_task", "Task", ["palindrome", "text"], container=c0,
                         format_func={"palindrome": "palindromes (synthetic)", "text": "Shakespeare (real text)"}.get)
    if task == "palindrome":
        length = setup.control(st.select_slider, "ex_b_len", "Palindrome length", list(B_LENS), container=c1)
    else:
        length = setup.control(st.select_slider, "ex_b_tlen", "Window (blank in the middle)", list(B_TLENS),
                               container=c1)
    seconds = setup.control(st.slider, "ex_b_secs", "Seconds of training", container=c2)
    seed = setup.control(st.number_input, "ex_b_seed", "Seed", container=c3)
    config = BlankConfig(task=task, length=int(length), seconds=float(seconds), seed=int(seed),
                         hidden_size=32 if task == "palindrome" else 64)
    if st.button("Train forward-only and bidirectional GRUs", type="primary", key="ex_b_go"):
        jobs.start(BLANK_JOB, partial(run_blank_job, config=config), time_budget_s=config.seconds)
    done = jobs.live_panel(BLANK_JOB, lambda m: xc.blank_accuracy_chart(m, None))
    if done is not None and done.result is not None and st.session_state["ex_blank_job"] != done.id:
        st.session_state["ex_blank"] = done.result
        st.session_state["ex_blank_job"] = done.id
    saved = st.session_state["ex_blank"]
    if saved:
        show_blank(saved, live_shown=live_showing(BLANK_JOB, "ex_blank_job"))


def show_blank(saved, live_shown: bool = False) -> None:
    config, result = saved["config"], saved["result"]
    if not live_shown:
        chart(xc.blank_accuracy_chart(result.history, result.chance, result.chance_label),
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
    chart(xc.sensitivity_chart(ex, twin=config.task == "palindrome"), key="ex_b_sens")
    what = f"{config.symbols} letters" if config.task == "palindrome" else \
        "windows of the training plays, scored on windows of the held-out validation plays"
    st.caption(f"{result.steps:,} steps each, length {config.length}, {what}. The forward-only model's influence "
               "bars stop at the blank: it cannot see what comes after.")
