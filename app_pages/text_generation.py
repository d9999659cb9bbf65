"""Text generation: sample a character-level RNN, read its probabilities, train your own."""

import streamlit as st

from rnn_models.checkpoints import Checkpoint, CheckpointError
from rnn_models.errors import UserInputError
from rnn_models.text import CHECKPOINTS
from rnn_models.text.checkpoint import check_text_checkpoint
from ui import heading, lessons
from ui.cache import lesson
from ui.share import Param, Setup, import_panel, keep_values, read_experiment, report_import, show_import_message
from ui.state import TEXT, init
from ui.text.export import PAGE
from ui.text.generate import (
    experiment_download,
    generation_controls,
    remember,
    run_generation,
    scroll_to,
    show_history,
    show_samples,
    side_by_side,
)
from ui.text.inspect import DEFAULT_CONTEXT, DEFAULT_TEMPERATURE, next_char_tab, surprisal_tab
from ui.text.models import USER, get_model, has_model, model_options, warm_up_training
from ui.text.quality import quality_tab
from ui.text.train_tab import train_tab
from ui.uploads import show_error

TABS = ("Generate", "Next character", "Surprisal", "Train your own", "How good is it?")  # key "text_tab"
PROSE_CODE_PRIMES = ("ROMEO:\n", "def ")  # default primes of the Shakespeare and Python models
# the shareable controls: widget keys, also the URL's query parameters
PARAMS = [
    Param("text_model", "Shakespeare LSTM", choices=(*CHECKPOINTS, USER)),
    Param("text_prime", "ROMEO:\n"),
    Param("text_method", "sample", choices=("sample", "greedy", "beam")),
    Param("text_length", 400, lo=10, hi=2000, step=10),
    Param("text_temp", 0.8, lo=0.0, hi=2.0, step=0.05),
    Param("text_topk", 0, lo=0, hi=1000),
    Param("text_topp", 1.0, lo=0.05, hi=1.0, step=0.05),
    Param("text_beam", 4, lo=1, hi=16),
    Param("text_seed", 0, lo=0, hi=2**31 - 1),
    Param("text_samples_n", 1, lo=1, hi=4),
    Param("text_next_temp", DEFAULT_TEMPERATURE, lo=0.05, hi=2.0, step=0.05),
    Param("text_next_k", 12, lo=5, hi=30),
    Param("text_next_context", DEFAULT_CONTEXT),
]


# ---------------------------------------------------------------- generate


def generate_tab(setup: Setup, name: str, ckpt: Checkpoint) -> None:
    cfg = generation_controls(setup, ckpt)
    present = bool(st.session_state.get("present"))  # projector mode: big fonts, so fewer per row
    b1, b2, b3 = st.columns([1, 2] if present else [1, 3, 2], vertical_alignment="center") + (
        [st.container()] if present else [])
    go_clicked = b1.button("Generate", type="primary", key="text_generate")
    with b3:
        setup.share_button()
    compare = b2.toggle("Side by side: RNN vs GRU vs LSTM (pretrained, same prime and seed)",
                        key="text_side", disabled=not has_model("Shakespeare GRU"))
    latest = st.container(key="text_latest")
    if go_clicked:
        scroll_to("text_latest")
        try:
            st.session_state["text_samples"] = run_generation(name, ckpt, cfg, latest)
            st.session_state["text_run_setup"] = {k: v for k, v in setup.query().items() if k in setup.params}
            remember(st.session_state["text_samples"])
        except (UserInputError, CheckpointError) as e:
            show_error(e, what="These settings")
    with latest:
        show_samples(name, ckpt)
    res = st.session_state["text_samples"]
    show_history(len(res["texts"]) if res and res["model"] == name else 0)
    if compare and go_clicked:
        side_by_side(cfg)
    res = st.session_state["text_samples"]
    if res and res["model"] == name:
        experiment_download(res, ckpt)
    import_panel("text", import_experiment)


# ---------------------------------------------------------------- experiment files


def import_experiment() -> None:
    """Uploader callback (runs before the page is drawn): restore the controls and any model."""
    def check(exp) -> None:
        if exp.checkpoint is not None:
            check_text_checkpoint(exp.checkpoint)

    done = read_experiment("text", PAGE, PARAMS, check)
    if done is None:
        return
    exp, ignored = done
    if exp.checkpoint is not None:
        st.session_state["text_user_model"] = exp.checkpoint
        st.session_state["text_user_train"] = None
    first = (exp.metrics.get("samples") or [{}])[0]
    detail = ""
    if isinstance(first, dict) and isinstance(first.get("bpc"), float):
        detail = (f"Its first sample scored {first['bpc']:.3f} bits per character; press **Generate** to "
                  "write it again (same seed, same text).")
    report_import("text", ignored, f" and its model is loaded as “{USER}”" if exp.checkpoint is not None else "",
                  detail)



# ---------------------------------------------------------------- page


def _model_changed() -> None:
    """A student switching between the Shakespeare and Python models gets a fitting default prime."""
    prime = st.session_state.get("text_prime")
    if prime not in PROSE_CODE_PRIMES:
        return  # the student's own prime stays
    try:
        data = (get_model(st.session_state["text_model"]).meta.get("data") or {}).get("corpus")
    except (CheckpointError, UserInputError):
        return
    st.session_state["text_prime"] = PROSE_CODE_PRIMES[1] if data == "python" else PROSE_CODE_PRIMES[0]


def main() -> None:
    init(TEXT)
    keep_values(PARAMS)  # every control keeps its value, drawn or not, so the URL never loses settings
    warm_up_training()
    setup = Setup(PAGE, PARAMS)
    heading.title("Text generation")
    setup.restore()
    lessons.panel()
    show_import_message("text")
    text = lesson("text_generation")
    intro, _, more = text.partition("\n## ")
    st.markdown(intro)
    if more:
        with st.expander("How it works"):
            st.markdown("## " + more)
    options = model_options()
    if not options:
        st.error("No text model found in assets/models. Train one: `python -m rnn_models train text "
                 "--corpus shakespeare --out assets/models`.")
        return
    if st.session_state["text_model"] not in options:
        if st.session_state["text_model"] == USER:
            st.warning("This link uses a model its author trained; it is not in your session, so the "
                       f"{options[0]} is used. Train your own in “Train your own”, or import the experiment file.")
        st.session_state["text_model"] = options[0]
    name = setup.control(st.selectbox, "text_model", "Model", options, on_change=_model_changed)
    try:
        ckpt = get_model(name)
    except (CheckpointError, UserInputError) as e:
        show_error(e, what="That model")
        return
    # Next character (a chart), Surprisal (3,000 coloured characters) and How good is it? (charts and tables)
    # run and are sent to the browser only while open (Streamlit's lazy tabs; their controls keep their values
    # through keep_values), so a first visit draws the Generate tab at once. Train your own is always drawn:
    # an uploaded file cannot be kept for it any other way
    tabs = st.tabs(list(TABS), key="text_tab", on_change="rerun")
    with tabs[0]:
        generate_tab(setup, name, ckpt)
    if tabs[1].open:
        with tabs[1]:
            next_char_tab(setup, name, ckpt)
    if tabs[2].open:
        with tabs[2]:
            surprisal_tab(name, ckpt)
    with tabs[3]:
        train_tab()
    if tabs[4].open:
        with tabs[4]:
            quality_tab(name, ckpt)
    setup.sync()


main()
