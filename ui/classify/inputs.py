"""What the student classifies: a typed text, or a clip (an example, an upload or the microphone)."""

import numpy as np
import streamlit as st

from ui.uploads import read_upload, show_error

MAX_AUDIO_BYTES = 20 * 1024 * 1024
DEFAULT_TEXT = {"names": "Kowalski", "reviews": "The plot was thin, but the acting was wonderful!"}
EXAMPLES_PER_CHARACTER = 6


@st.cache_data(show_spinner=False)
def example_clips() -> list[tuple[str, str, str]]:
    """(label for the menu, path, character): a few held-out Dutch clips and a few Czech training clips."""
    from rnn_models.classify.voice_data import TEST_LANG, TRAIN_LANG, fillets_clips

    out = []
    for lang, word in ((TEST_LANG, "Dutch, held out"), (TRAIN_LANG, "Czech, seen in training")):
        clips = fillets_clips(lang)
        for character in ("small fish", "big fish"):
            mine = [p for p, c in clips if c == character]
            for p in mine[:: max(1, len(mine) // EXAMPLES_PER_CHARACTER)][:EXAMPLES_PER_CHARACTER]:
                out.append((f"{character} · {word} · {p.parent.parent.name}/{p.name}", str(p), character))
    return out


def text_item(task: str, max_chars: int) -> str | None:
    """A text box; returns the text, or None (with a message) when there is nothing usable."""
    text = st.text_input("Text to classify", value=DEFAULT_TEXT.get(task, ""), max_chars=max_chars,
                         key=f"cl_text_{task}", help="The network reads it one character at a time.")
    if not text.strip():
        st.info("Type something to classify.")
        return None
    return text


def audio_item(task: str) -> tuple[np.ndarray, bytes, float] | None:
    """A clip from the examples, an upload or the microphone -> (log-mel frames, audio bytes, seconds)."""
    from rnn_models.classify.features import clip_features

    sources = (["Example clip"] if task == "voices" else []) + ["Upload a clip", "Record with the microphone"]
    source = st.radio("Clip", sources, horizontal=True, key=f"cl_clip_source_{task}")
    data, name = None, "clip.wav"
    if source == "Example clip":
        options = example_clips()
        if not options:
            from rnn_models.classify.voice_data import INSTALL_HINT

            st.warning(INSTALL_HINT + " Meanwhile, upload or record a clip.")
            return None
        pick = st.selectbox("Example", range(len(options)), format_func=lambda i: options[i][0], key="cl_example")
        with open(options[pick][1], "rb") as f:
            data, name = f.read(), options[pick][1]
    elif source == "Upload a clip":
        up = st.file_uploader("WAV, FLAC, OGG or MP3 (0.3 to 60 s, at most 20 MB)", key=f"cl_clip_up_{task}")
        if up is not None:
            data, name = _read(up), up.name
    else:
        rec = st.audio_input("Record a clip (speak for 1 to 5 seconds)", key=f"cl_mic_{task}")
        if rec is not None:
            data, name = _read(rec), "microphone.wav"
    if not data:
        return None
    try:
        feats, seconds = clip_features(data, name)
    except Exception as exc:  # noqa: BLE001 - every failure becomes a message, the page keeps running
        show_error(exc, what="That clip")
        return None
    return feats, data, seconds


def _read(uploaded) -> bytes | None:
    try:
        return read_upload(uploaded, max_bytes=MAX_AUDIO_BYTES, what="audio file")
    except Exception as exc:  # noqa: BLE001
        show_error(exc, what="That clip")
        return None


def upload_classifier() -> None:
    """A classifier saved from this page (.safetensors + .json), checked by content, into cl_uploaded."""
    from rnn_models.classify.train import load_classifier_bytes
    from ui.uploads import checkpoint_pair

    with st.expander("Use a classifier you saved earlier (.safetensors + .json)", icon=":material/upload:"):
        files = st.file_uploader("Both files together", accept_multiple_files=True, key="cl_ckpt_upload")
        if st.button("Load this classifier", key="cl_ckpt_go", disabled=not files):
            try:
                weights, meta = checkpoint_pair(files, max_weights=MAX_AUDIO_BYTES)
                st.session_state["cl_uploaded"] = load_classifier_bytes(weights, meta)
                st.success("Loaded: choose “uploaded” as the model under Try it.")
            except Exception as exc:  # noqa: BLE001 - a clear message, the page keeps running
                show_error(exc, what="That classifier")
