"""The text page's "Next character" and "Surprisal" tabs: the model's probabilities for a text of your own."""

import streamlit as st

from rnn_models.checkpoints import Checkpoint
from ui.share import Setup
from ui.text import compute as text_compute
from ui.text.charts import candidates_chart, learning_figure
from ui.text.models import default_passage
from ui.text.render import SHOW, surprisal_html

MAX_SCORED = 3000  # characters coloured in the surprisal view
DEFAULT_CONTEXT = "ROMEO:\nBut soft, what light through yonder window br"  # the Next character tab's
DEFAULT_TEMPERATURE = 1.0  # the Next character tab's temperature


def _append_char(ch: str) -> None:
    st.session_state["text_next_context"] += ch


def next_char_tab(setup: Setup, name: str, ckpt: Checkpoint) -> None:
    from rnn_models.sampling import SamplingSettings
    from rnn_models.text.analysis import top_candidates
    from rnn_models.text.generate import GenerationSettings, generate
    from rnn_models.text.vocab import map_unknown

    vocab = ckpt.meta["vocab"]
    c1, c2 = st.columns([3, 2])
    context = setup.control(st.text_area, "text_next_context", "Context", height=120, max_chars=5000,
                            container=c1)
    temperature = setup.control(st.slider, "text_next_temp", "Temperature", container=c2)
    top_k = setup.control(st.slider, "text_next_k", "Show top", container=c2)
    probs = text_compute.next_probs(name, ckpt, context, temperature)
    top = top_candidates(probs, vocab, top_k)
    st.plotly_chart(candidates_chart(top, temperature), key="text_next_chart")
    st.markdown("**Pick the next character yourself** (the model then carries on from your choice):")
    cols = st.columns(8)
    for i, (ch, p) in enumerate(top[:8]):
        cols[i].button(f"{SHOW.get(ch, ch)}  {p:.0%}", key=f"text_pick_{i}", on_click=_append_char,
                       args=(ch,), use_container_width=True)
    if st.button("Let the model continue from here (200 characters)", key="text_next_go"):
        s = GenerationSettings(length=200, sampling=SamplingSettings(temperature=temperature), seed=0)
        ctx = map_unknown(context, vocab)
        st.code(ctx + generate(ckpt.model, vocab, ctx, s), language=None, wrap_lines=True)


def surprisal_tab(name: str, ckpt: Checkpoint) -> None:
    data = (ckpt.meta.get("data") or {}).get("corpus")
    key = f"text_surprisal_{name}"
    if key not in st.session_state:
        st.session_state[key] = default_passage(data) if data else ""
    text = st.text_area("Text to score (any text; held-out test text by default)", key=key, height=150,
                        max_chars=20000)
    if not text.strip():
        st.info("Type or paste some text to see how surprised the model is by each character.")
        return
    if len(text) > MAX_SCORED:
        st.caption(f"Colouring the first {MAX_SCORED:,} characters.")
        text = text[:MAX_SCORED]
    dynamic = st.toggle(
        "Keep learning while reading (dynamic evaluation)", key=f"text_surprisal_dynamic_{name}",
        help="The model scores each stretch of 128 characters first, then takes one small training step on it "
             "before reading on. Names and words the text repeats get cheaper as it goes; no character is "
             "scored after the model has learned from it. The model you generate with is not changed.")
    frozen = text_compute.surprisal(name, ckpt, text)
    s = frozen
    if dynamic:
        with st.spinner("The model is reading the text and learning from it, 128 characters at a time…"):
            s = text_compute.surprisal(name, ckpt, text, dynamic=True)
    st.metric("Bits per character on this text", f"{s.bpc:.3f}",
              delta=f"{s.bpc - frozen.bpc:+.3f} vs the model as trained" if dynamic else None, delta_color="inverse",
              help="The mean of -log2 p(character | everything before it). Lower: less surprised.")
    st.html(surprisal_html(s.text, s.bits))
    st.caption("White: expected (0 bits). Deep red: a surprise (8+ bits). Hover a character for its value.")
    if dynamic and len(s.bits) >= 200:
        st.plotly_chart(learning_figure(frozen.bits, s.bits), key="text_surprisal_learning")
