"""Experiment export and import for the translation page (the shared ui.experiment zip format)."""

import streamlit as st

from ui.share import read_experiment, report_import

PAGE = "translation"


def experiment_bytes(setup_query: dict[str, str]) -> bytes:
    """The zip: the set-up, the last translation (metrics.json), its heatmap, and the student's model."""
    from rnn_models.checkpoints import Checkpoint
    from ui.experiment import build
    from ui.translate.charts import attention_heatmap

    run = st.session_state.get("tr_result")
    metrics, figures = {}, {}
    if run is not None:
        metrics = {"source": run["text"], "reference": run["reference"], "model": run["model"],
                   "beam": run["beam"], **run["result"].to_dict()}
        if run["result"].attention is not None:
            figures["attention"] = attention_heatmap(run["result"])
    user = st.session_state.get("tr_user")
    ckpt = Checkpoint(user.model, user.meta) if user is not None else None
    return build(PAGE, setup_query, metrics, figures, ckpt)


def check_translator(exp) -> None:
    """An imported experiment's model must be a translator (refused with a clear message otherwise)."""
    from rnn_models.translate.translator import from_checkpoint

    if exp.checkpoint is not None:
        from_checkpoint(exp.checkpoint.model, exp.checkpoint.meta)


def import_experiment(params) -> None:
    """Uploader callback: restore the controls, and the student's model if the file carries one."""
    from rnn_models.translate.translator import from_checkpoint

    done = read_experiment("tr", PAGE, params, check=check_translator)
    if done is None:
        return
    exp, ignored = done
    sentence = ""
    if exp.checkpoint is not None:
        st.session_state["tr_user"] = from_checkpoint(exp.checkpoint.model, exp.checkpoint.meta)
        st.session_state["tr_model"] = "own"
        sentence = " and its model is loaded as **Your trained model**"
    detail = ""
    if exp.metrics.get("translation"):
        detail = f"Its translation was “{exp.metrics['translation']}”; press **Translate** to reproduce it."
    report_import("tr", ignored, sentence, detail)
