"""A page's title: drawn by app.py the moment the page is opened, before the page imports and computes
anything, so a first visit is never a blank page; drawn by the page itself when it runs alone (AppTest,
`streamlit run app_pages/<page>.py`)."""

import streamlit as st

KEY = "_title_drawn_by_app"  # session key: the title app.py drew at the top of this run, until the page ends


def early(title: str) -> None:
    """app.py, before running the page: its title at once."""
    st.title(title)
    st.session_state[KEY] = title


def done() -> None:
    """app.py, after running the page."""
    st.session_state.pop(KEY, None)


def title(text: str) -> None:
    """A page's title, unless app.py drew it already in this run."""
    if st.session_state.get(KEY) != text:
        st.title(text)
