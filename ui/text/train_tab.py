"""The text page's "Train your own" tab: training text, settings, jobs, comparison and the student's model."""

import streamlit as st

from rnn_models.checkpoints import CheckpointError, to_bytes
from rnn_models.errors import UserInputError
from rnn_models.text.checkpoint import check_text_checkpoint
from ui.charts import multi_loss_chart
from ui.jobs import pool as jobs
from ui.text.charts import compare_chart, train_chart
from ui.text.generate import MAX_TEXT_UPLOAD
from ui.text.jobs import compare_job, train_job
from ui.text.models import USER
from ui.uploads import checkpoint_pair, read_upload, show_error

MAX_CKPT_UPLOAD = 20 * 1024 * 1024
TRAIN_JOB, COMPARE_JOB = "Training a text model", "Comparing RNN, GRU and LSTM"


def training_text() -> str | None:
    """The text a student trains on: uploaded .txt or pasted; None with the reason shown."""
    from rnn_models.text.textio import decode_text_bytes

    src = st.segmented_control("Training text", ["Upload a file", "Paste text"], default="Upload a file",
                               key="text_train_source") or "Upload a file"
    if src == "Paste text":
        text = st.text_area("Paste at least a few thousand characters", key="text_train_paste", height=150,
                            max_chars=MAX_TEXT_UPLOAD)
        return text if text.strip() else None
    up = st.file_uploader("A plain-text file (.txt, .md, .py, …), UTF-8 or latin-1, up to 5 MB",
                          key="text_train_file")
    if up is None:
        return None
    try:
        return decode_text_bytes(read_upload(up, max_bytes=MAX_TEXT_UPLOAD, what="text file"), up.name)
    except (UserInputError, CheckpointError) as e:
        show_error(e, what="That file")
        return None


def train_controls():
    from rnn_models.text.train import TextTrainSpec

    c = st.columns(4)
    cell = c[0].selectbox("Cell", ["lstm", "gru", "rnn"], key="text_tr_cell")
    layers = c[1].selectbox("Layers", [1, 2, 3], key="text_tr_layers")
    hidden = c[2].select_slider("Hidden size", [16, 32, 64, 128, 256, 512], 128, key="text_tr_hidden")
    seq_len = c[3].select_slider("Sequence length", [16, 32, 64, 100, 128, 200], 64, key="text_tr_seq")
    c = st.columns(4)
    lr = c[0].select_slider("Learning rate", [3e-4, 1e-3, 2e-3, 3e-3, 1e-2], 3e-3, key="text_tr_lr")
    budget = c[1].segmented_control("Budget", ["steps", "seconds"], default="seconds",
                                    key="text_tr_budget") or "seconds"
    amount = c[2].number_input("Steps" if budget == "steps" else "Seconds", 1, 100_000 if budget == "steps"
                               else 600, 300 if budget == "steps" else 60, key=f"text_tr_{budget}")
    seed = c[3].number_input("Seed", 0, 2**31 - 1, 0, key="text_tr_seed")
    steps = int(amount) if budget == "steps" else 1_000_000
    return TextTrainSpec(cell=cell, hidden_size=hidden, num_layers=layers, embed_size=32, seq_len=seq_len,
                         batch_size=32, lr=lr, steps=steps, seed=int(seed),
                         time_budget_s=float(amount) if budget == "seconds" else None,
                         eval_every=25, eval_batches=4)


def load_uploaded_checkpoint(files) -> None:
    from rnn_models import checkpoints

    ckpt = checkpoints.from_bytes(*checkpoint_pair(files, max_weights=MAX_CKPT_UPLOAD))
    check_text_checkpoint(ckpt)
    st.session_state["text_user_model"] = ckpt
    st.session_state["text_user_train"] = None


def train_tab() -> None:
    text = training_text()
    if text is not None:
        st.caption(f"{len(text):,} characters, {len(set(text))} distinct. The last 10% is held out "
                   "for validation.")
    spec = train_controls()
    b1, b2 = st.columns(2)
    if b1.button("Train", type="primary", key="text_train_go", disabled=text is None):
        try:
            from rnn_models.text.vocab import build_vocab

            build_vocab(text)  # refuse one-character texts before queueing anything
            if len(text) < 200:
                raise UserInputError(f"the text is too short to train on: {len(text)} characters (need 200+)")
            jobs.start(TRAIN_JOB, train_job(text, spec, "your_text.txt"), time_budget_s=spec.time_budget_s)
        except UserInputError as e:
            show_error(e, what="That text")
    if b2.button("Compare cells: RNN, GRU and LSTM with the same budget", key="text_compare_go",
                 disabled=text is None):
        try:
            from rnn_models.text.vocab import build_vocab

            build_vocab(text)
            if len(text) < 200:
                raise UserInputError(f"the text is too short to train on: {len(text)} characters (need 200+)")
            jobs.start(COMPARE_JOB, compare_job(text, spec), time_budget_s=spec.time_budget_s)
        except UserInputError as e:
            show_error(e, what="That text")
    done = jobs.live_panel(TRAIN_JOB, train_chart)
    if done is not None and done.result and st.session_state["text_job_id"] != done.id:
        st.session_state["text_job_id"] = done.id
        st.session_state["text_user_model"] = done.result["checkpoint"]
        st.session_state["text_user_train"] = done.result["train_text"]
        st.rerun()
    cmp_done = jobs.live_panel(COMPARE_JOB, compare_chart)
    if cmp_done is not None and cmp_done.result and st.session_state["text_job_id"] != cmp_done.id:
        st.session_state["text_job_id"] = cmp_done.id
        st.session_state["text_compare"] = cmp_done.result
    if st.session_state["text_compare"]:
        res = st.session_state["text_compare"]
        if cmp_done is None:  # the live panel is not showing the curves: draw them from the result
            st.plotly_chart(multi_loss_chart({c.upper(): r["history"] for c, r in res.items()}, "val_bpc",
                                             title="Validation bits per character (last comparison)",
                                             y_title="bits per character"), key="text_compare_chart")
        st.dataframe([{"cell": c.upper(), "hidden": r["hidden"], "parameters": r["parameters"],
                       "final validation bpc": r["val_bpc"]} for c, r in res.items()], hide_index=True)
    user_model_panel()


def user_model_panel() -> None:
    ckpt = st.session_state["text_user_model"]
    st.subheader("Your model")
    if ckpt is not None:
        m = ckpt.meta.get("metrics", {})
        cfg = ckpt.model.config
        st.success(f"Ready: a {cfg.num_layers}-layer {cfg.cell.upper()} with {cfg.hidden_size} units, "
                   f"{len(ckpt.meta['vocab'])} characters"
                   + (f", validation {m['val_bpc']:.3f} bpc" if isinstance(m.get("val_bpc"), float) else "")
                   + f". Pick “{USER}” at the top of the page to sample from it; the RNN explorer page can "
                   "use it too.")
        w, j = to_bytes(ckpt.model, ckpt.meta)
        d1, d2 = st.columns(2)
        d1.download_button("Download weights (.safetensors)", w, "my_text_model.safetensors",
                           key="text_dl_w")
        d2.download_button("Download config + vocabulary (.json)", j, "my_text_model.json",
                           mime="application/json", key="text_dl_j")
    files = st.file_uploader("Load a model saved earlier: both the .safetensors and the .json",
                             accept_multiple_files=True, key="text_ckpt_upload")
    if files and st.button("Load this model", key="text_ckpt_go"):
        try:
            load_uploaded_checkpoint(files)
            st.rerun()
        except (UserInputError, CheckpointError, ValueError) as e:
            show_error(e, what="That checkpoint")
