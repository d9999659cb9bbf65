"""The text page's models: pretrained lookup, the student's model, shared corpora, the quality table."""

import json

import streamlit as st

import rnn_models.text as text_pkg
from rnn_models.checkpoints import Checkpoint
from ui.cache import pretrained

USER = "Your model"


@st.cache_resource(show_spinner="Reading the corpus…")
def corpus(name: str):
    from rnn_models.text.corpus import load_corpus

    return load_corpus(name)


@st.cache_data(show_spinner=False)
def default_passage(name: str, chars: int = 700) -> str:
    """The Surprisal tab's default text: the corpus's held-out test text, its first 700 characters, read
    from the one play or file they come from (the whole corpus is read only when a student trains)."""
    from rnn_models.text.corpus import held_out_start

    return held_out_start(name, chars)


@st.cache_resource(show_spinner="Indexing the training text for the memorisation meter…")
def corpus_copy_index(name: str):
    from rnn_models.text.analysis import CopyIndex

    return CopyIndex(corpus(name).train)


@st.cache_resource
def warm_up_training() -> None:
    """Once per server, in the background: torch's optimisers import torch._dynamo on first use,
    which takes seconds; doing it now keeps the first student's training budget for training.
    Only when jobs run in server threads: job processes get it from the fork server (ui/jobs/registry.py),
    and the server keeps the ~150 MB it costs."""
    import threading

    from ui.jobs import process

    if process.enabled():
        return

    def warm():
        import torch

        torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))])

    threading.Thread(target=warm, daemon=True, name="warm-up-optimiser").start()


@st.cache_data
def quality_table() -> dict:
    f = text_pkg.MODELS_DIR / "text_quality.json"
    return json.loads(f.read_text()) if f.is_file() else {}


def model_options() -> list[str]:
    names = [n for n in text_pkg.CHECKPOINTS if has_model(n)]
    if st.session_state["text_user_model"] is not None:
        names.append(USER)
    return names


def has_model(name: str) -> bool:
    return name in text_pkg.CHECKPOINTS and text_pkg.CHECKPOINTS[name].is_file()


def get_model(name: str) -> Checkpoint:
    if name == USER:
        return st.session_state["text_user_model"]
    return pretrained(str(text_pkg.CHECKPOINTS[name]))


def copy_index(name: str, ckpt: Checkpoint):
    """The training text index of a model, when we have its training text."""
    if name == USER:
        train = st.session_state["text_user_train"]
        if not train:
            return None
        from rnn_models.text.analysis import CopyIndex

        key = hash(train)
        cached = st.session_state.get("text_user_index")
        if cached is None or cached[0] != key:
            cached = (key, CopyIndex(train))
            st.session_state["text_user_index"] = cached
        return cached[1]
    data = ckpt.meta.get("data") or {}
    return corpus_copy_index(data["corpus"]) if data.get("corpus") else None


def quality_row(name: str) -> dict | None:
    if name == USER or name not in text_pkg.CHECKPOINTS:
        return None
    for t in quality_table().values():
        for r in t.get("rows", []) if isinstance(t, dict) else []:
            if r.get("model") in (text_pkg.CHECKPOINTS[name].stem, name):
                return r
    return None

