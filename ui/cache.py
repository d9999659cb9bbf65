"""Shared, read-only loaders: pretrained checkpoints once per server, lessons once per file."""

import os
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:
    from rnn_models.checkpoints import Checkpoint

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"


def pretrained(path: str | Path) -> "Checkpoint":
    """A pretrained checkpoint, loaded once and shared by every session and page (never trained further).

    `path` is absolute or relative to assets/; both name the same cached copy (the text page and the
    explorer ask for the same model in the two forms: one copy in memory, not two)."""
    return _pretrained(os.path.normpath(ASSETS / path))  # an absolute path stays itself; no file system call


@st.cache_resource(show_spinner="Loading the pretrained model…")
def _pretrained(path: str) -> "Checkpoint":
    from rnn_models.checkpoints import load  # torch is imported only by pages that need it

    ckpt = load(path)
    for p in ckpt.model.parameters():
        p.requires_grad_(False)
    return ckpt


@st.cache_data
def lesson(name: str) -> str:
    """The teaching prose for a page, from assets/lessons/<name>.md ('' if absent)."""
    f = ASSETS / "lessons" / f"{name}.md"
    return f.read_text(encoding="utf-8") if f.is_file() else ""
