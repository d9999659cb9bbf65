"""Projector mode: wider layout, larger fonts, high contrast, charts readable from the back."""

import streamlit as st

KEY = "present"  # st.session_state and query-parameter name

_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 21px !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
[data-testid="stWidgetLabel"] p { font-size: 1.2rem !important; color: #000 !important; }
h1 { font-size: 3rem !important; } h2 { font-size: 2.3rem !important; } h3 { font-size: 1.8rem !important; }
.js-plotly-plot .main-svg text { font-size: 17px !important; fill: #000 !important; }
.js-plotly-plot .scatterlayer .trace path.js-line { stroke-width: 3.5px !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; padding-left: 2rem; padding-right: 2rem; }
[data-testid="stMetricValue"] div { font-size: 2.6rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.05rem !important; white-space: normal !important; }
[data-testid="stMetricLabel"] div { overflow: visible !important; }
section[data-testid="stSidebar"] { min-width: 26rem !important; }
</style>
"""


def toggle() -> bool:
    """A sidebar switch (also set by `present=1` in the URL); injects the projector styles when on."""
    if KEY not in st.session_state:
        st.session_state[KEY] = st.query_params.get(KEY, "0") in ("1", "true")
    on = st.sidebar.toggle("Projector mode", key=KEY, help="Larger fonts and bolder charts for a classroom")
    if on:
        st.html(_CSS)
        st.query_params[KEY] = "1"
    elif KEY in st.query_params:
        del st.query_params[KEY]
    return on
