"""The documented list of st.session_state keys, and their initialisation.

Every key a page keeps lives here with a comment; pages call init(PAGE_KEYS) at the top.
"""

import streamlit as st

# Shared by all pages
SHARED = {
    "job": None,  # ui.jobs.Job: this session's training job (at most one at a time)
}

# Text generation page
TEXT = {
    "text_user_model": None,  # rnn_models.checkpoints.Checkpoint the student trained or uploaded
}


def init(defaults: dict) -> None:
    """Set each key that is not there yet (never overwrites what the student has)."""
    for key, value in defaults.items():
        if key not in st.session_state:
            st.session_state[key] = value() if callable(value) else value
