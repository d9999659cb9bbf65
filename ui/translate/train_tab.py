"""The Train tab: upload two columns of sentence pairs, train an encoder-decoder in the job pool, watch it."""

from functools import partial

import streamlit as st

from rnn_models.errors import UserInputError
from ui.charts import loss_chart
from ui.jobs import pool as jobs
from ui.translate.jobs import translate_train_job
from ui.uploads import read_upload, show_error

MAX_PAIRS_UPLOAD = 5 * 1024 * 1024  # bytes of an uploaded pairs file
JOB_NAME = "Training a translator"


def uploaded_pairs():
    """The uploaded file's pairs split train/val/test, or None (with the reason shown)."""
    from rnn_models.translate.pairs import read_pairs

    up = st.file_uploader("A two-column CSV or TSV: source sentence, its translation (UTF-8, up to 5 MB)",
                          key="tr_pairs_file")
    if up is None:
        return None, None
    try:
        pairs = read_pairs(read_upload(up, max_bytes=MAX_PAIRS_UPLOAD, what="pairs file"), up.name)
    except UserInputError as exc:
        show_error(exc, what="That pairs file")
        return None, None
    n = sum(len(v) for v in pairs.values())
    st.success(f"{n} sentence pairs: {len(pairs['train'])} for training, {len(pairs['val'])} for validation, "
               f"{len(pairs['test'])} held out.")
    if not pairs["val"]:
        st.warning("This file gives **no validation pairs**, so training cannot report a validation loss (how well "
                   "the model does on sentences it did not train on). Upload more pairs (a few hundred or more) "
                   "to get one; training still works.", icon=":material/info:")
    return pairs, up.name


def train_controls():
    from rnn_models.training import TrainConfig
    from rnn_models.translate.model import Seq2SeqConfig
    from rnn_models.translate.train import DataConfig

    c = st.columns(5)
    attention = c[0].selectbox("Attention", ["additive", "dot", "none"], key="tr_tr_att")
    cell = c[1].selectbox("Cell", ["gru", "lstm", "rnn"], key="tr_tr_cell")
    hidden = c[2].select_slider("Hidden size", [16, 32, 64, 128], 64, key="tr_tr_hidden")
    seconds = c[3].number_input("Seconds", 5, 600, 60, key="tr_tr_seconds")
    seed = c[4].number_input("Seed", 0, 10_000, 0, key="tr_tr_seed")
    model = Seq2SeqConfig(cell=cell, attention=attention, embed_size=min(64, hidden), hidden_size=hidden,
                          attn_size=hidden, combine_size=hidden, dropout=0.1)
    train = TrainConfig(steps=100_000, batch_size=32, lr=3e-3, eval_every=25, eval_batches=2, seed=int(seed),
                        time_budget_s=float(seconds))
    return model, train, DataConfig(src_vocab=3000, tgt_vocab=3000, max_len=30)


def take_finished_job() -> None:
    """Keep a finished training run's model; called before any tab is drawn, so every tab sees it."""
    job = jobs.current()
    if job is None or job.name != JOB_NAME or job.status not in ("done", "stopped") or job.result is None:
        return
    if job.id != st.session_state["tr_job_id"]:
        st.session_state["tr_job_id"] = job.id
        st.session_state["tr_user"] = job.result["translator"]
        st.session_state["tr_user_history"] = job.result["history"]


def train_tab() -> None:
    st.markdown("Train an encoder–decoder on your own sentence pairs (any two languages). Each row is one "
                "sentence and its translation; a header row `source,target` is allowed. A few thousand pairs "
                "and a minute of training give a model that has learned something; expect word salad below that.")
    pairs, name = uploaded_pairs()
    model_cfg, train_cfg, data_cfg = train_controls()
    if st.button("Train", type="primary", key="tr_train_go", disabled=pairs is None):
        jobs.start(JOB_NAME, partial(translate_train_job, pairs=pairs, model_config=model_cfg,
                                     train_config=train_cfg, data_config=data_cfg, source=name),
                   time_budget_s=train_cfg.time_budget_s)
    job = jobs.live_panel(JOB_NAME, chart=lambda h: loss_chart(h[::max(1, len(h) // 150)],
                                                               title="Training loss"), interval_s=1.5)
    if st.session_state["tr_user"] is not None:
        m = st.session_state["tr_user"].meta["metrics"]
        val = "no validation pairs" if m.get("val_loss") is None else f"validation loss {m['val_loss']:.3f}"
        st.success(f"Your model is ready ({m['steps']} steps, {val}): pick **Your trained model** on the "
                   "Translate tab.")
        if st.session_state["tr_user_history"] and job is None:  # the live panel already shows this run's chart
            st.plotly_chart(loss_chart(st.session_state["tr_user_history"], title="Training loss"),
                            key="tr_user_loss")
