"""The translation page's shared, read-only resources: pretrained translators, test set, dictionary, report."""

import json

import streamlit as st

from rnn_models.translate.translator import MODELS_DIR, PRETRAINED

QUALITY = MODELS_DIR / "translate_quality.json"  # written by benchmarks/translate_benchmark.py
NAMES = {"attention": "With attention", "no_attention": "Without attention (one context vector)"}


@st.cache_resource(show_spinner="Loading the translation model and its dictionary…")
def pretrained(name: str):
    """A pretrained Translator, shared by every session (never trained further); the attention model consults the
    Ding lexicon when its checkpoint chose a gate (the first build of the lexicon cache takes ~10-40 s)."""
    from rnn_models.translate.translator import load_translator

    return load_translator(None, name)


def consults_lexicon(name: str) -> bool:
    """Whether this pretrained model looks words up in the dictionary (read from its JSON: loads nothing)."""
    meta = checkpoint_meta(name)
    return name == "attention" and bool(meta.get("lexicon", {}).get("gate"))


@st.cache_data
def checkpoint_meta(name: str) -> dict:
    path = PRETRAINED[name]
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def available() -> list[str]:
    return [n for n, p in PRETRAINED.items() if p.is_file() and p.with_suffix(".safetensors").is_file()]


@st.cache_resource(show_spinner="Reading the held-out sentences…")
def test_sentences() -> list[tuple[str, str]]:
    """The fixed held-out (German, English) pairs, or [] without the Debian package."""
    from rnn_models.errors import UserInputError
    from rnn_models.translate.data import load_pairs

    try:
        return [(p.de, p.en) for p in load_pairs()["test"]]
    except UserInputError:
        return []


@st.cache_resource(show_spinner="Building the word-by-word dictionary…")
def dictionary():
    from rnn_models.translate.dictionary import load_dictionary

    return load_dictionary()


@st.cache_data
def quality() -> dict | None:
    """The held-out report (BLEU, chrF, by length), or None if the benchmark has not been run."""
    if not QUALITY.is_file():
        return None
    return json.loads(QUALITY.read_text(encoding="utf-8"))
