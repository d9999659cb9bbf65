"""Shared, read-only loaders: pretrained checkpoints once per server, lessons once per file."""

from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:
    from rnn_models.checkpoints import Checkpoint

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"


@st.cache_resource(show_spinner="Loading the pretrained model…")
def pretrained(path: str) -> "Checkpoint":
    """A pretrained checkpoint, loaded once and shared by every session (never trained further)."""
    from rnn_models.checkpoints import load  # torch is imported only by pages that need it

    ckpt = load(ASSETS / path if not Path(path).is_absolute() else path)
    for p in ckpt.model.parameters():
        p.requires_grad_(False)
    return ckpt


@st.cache_data
def lesson(name: str) -> str:
    """The teaching prose for a page, from assets/lessons/<name>.md ('' if absent)."""
    f = ASSETS / "lessons" / f"{name}.md"
    return f.read_text(encoding="utf-8") if f.is_file() else ""
