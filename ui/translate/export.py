"""Experiment export and import for the translation page (the shared ui.experiment zip format)."""

import streamlit as st

from ui.share import read_experiment, report_import

PAGE = "translation"


def experiment_parts(setup_query: dict[str, str], run: dict | None, user) -> tuple:
    """The zip's contents from plain values read in the script run (the set-up, the last translation `run`,
    the student's translator `user` or None): (set-up, metrics, figures, checkpoint)."""
    from rnn_models.checkpoints import Checkpoint
    from ui.translate.charts import attention_heatmap

    metrics, figures = {}, {}
    if run is not None:
        metrics = {"source": run["text"], "reference": run["reference"], "model": run["model"],
                   "beam": run["beam"], **run["result"].to_dict()}
        if run["result"].attention is not None:
            figures["attention"] = attention_heatmap(run["result"])
    ckpt = Checkpoint(user.model, user.meta) if user is not None else None
    return setup_query, metrics, figures, ckpt


def experiment_bytes(parts: tuple) -> bytes:
    """The zip of experiment_parts' tuple. Streamlit calls a download's data callable on another thread, without
    the session: everything this needs is in `parts`, never read from st.session_state here."""
    from ui.experiment import build

    return build(PAGE, *parts)


def download_button(container, setup_query: dict[str, str]) -> None:
    """The "Download this experiment (.zip)" button; the session's values are read now, in the script run."""
    parts = experiment_parts(setup_query, st.session_state.get("tr_result"), st.session_state.get("tr_user"))
    container.download_button("Download this experiment (.zip)", lambda: experiment_bytes(parts),
                              "translation_experiment.zip", "application/zip", key="tr_dl_experiment",
                              icon=":material/folder_zip:", on_click="ignore")


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
