"""Your own classes, Teachable-Machine style: a CSV of text,label rows, or clips per class."""

import streamlit as st

from ui.uploads import read_upload, show_error

MAX_CLIPS = 200  # clips kept in one session
MAX_CSV_BYTES = 5_000_000


def own_text_data(seed: int):
    """An uploaded `text,label` CSV -> Examples, or None with a message."""
    from rnn_models.classify.text_data import read_text_csv

    up = st.file_uploader("CSV with text,label rows (a header row is optional; at most 20,000 rows)",
                          key="cl_csv")
    if up is None:
        st.caption("Example rows: `What a lovely day,happy` · `I missed the bus again,annoyed`. At least "
                   "two classes with two or more rows each.")
        return None
    try:
        return read_text_csv(read_upload(up, max_bytes=MAX_CSV_BYTES, what="CSV"), seed)
    except Exception as exc:  # noqa: BLE001 - a clear message, the page keeps running
        show_error(exc, what="That CSV")
        return None


def _add_clips(label: str, files) -> None:
    from rnn_models.classify.features import clip_features
    from ui.classify.inputs import MAX_AUDIO_BYTES

    clips = st.session_state["cl_own_clips"]
    for f in files:
        if sum(len(v) for v in clips.values()) >= MAX_CLIPS:
            st.warning(f"At most {MAX_CLIPS} clips per session; the rest were not added.")
            return
        try:
            feats, _ = clip_features(read_upload(f, max_bytes=MAX_AUDIO_BYTES, what="audio file"),
                                     getattr(f, "name", "clip.wav"))
        except Exception as exc:  # noqa: BLE001
            show_error(exc, what=f"Clip {getattr(f, 'name', '')}".strip())
            continue
        clips.setdefault(label, []).append(feats)


def own_audio_data(seed: int):
    """Clips recorded or uploaded per class -> Examples (once there are two classes of two clips)."""
    from rnn_models.classify.dataset import Examples, check_labels, stratified_split

    clips = st.session_state["cl_own_clips"]
    c1, c2 = st.columns([1, 2])
    label = c1.text_input("Class name", value="clap", max_chars=40, key="cl_own_label").strip()
    with c2:
        rec = st.audio_input("Record one clip for this class", key="cl_own_mic")
        ups = st.file_uploader("…or upload clips (WAV/FLAC/OGG/MP3)", accept_multiple_files=True,
                               key="cl_own_up")
    if st.button("Add to class", key="cl_own_add", disabled=not label):
        _add_clips(label, ([rec] if rec is not None else []) + list(ups or []))
    if clips:
        st.write(" · ".join(f"**{k}**: {len(v)} clip(s)" for k, v in clips.items()))
        if st.button("Remove all clips", key="cl_own_clear"):
            st.session_state["cl_own_clips"] = {}
            st.rerun()
    items = [f for v in clips.values() for f in v]
    labels = [k for k, v in clips.items() for _ in v]
    if not items:
        st.caption("Record or upload a few clips for each class (e.g. 'clap' and 'whistle'), then train.")
        return None
    try:
        ids, classes = check_labels(labels, "Your clips")
    except Exception as exc:  # noqa: BLE001
        st.info(str(exc))
        return None
    train, test = stratified_split(ids, 0.25, seed)
    return Examples(items, ids, classes, "audio", train, test, [f"{len(items)} clips you recorded or uploaded."])
