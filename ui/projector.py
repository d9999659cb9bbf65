"""Projector mode, written once: sidebar collapsed, larger fonts, big metric values, nothing cut off,
taller charts with fonts plotly lays out for (so legends and margins fit). Works at 1280x720 and up."""

import streamlit as st

KEY = "present"  # st.session_state and query-parameter name
FONT = 17  # chart font size in projector mode (px)
TALLER = 1.35  # chart height factor in projector mode
MIN_HEIGHT = 460  # no projected chart is shorter (px)

_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 19px !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
[data-testid="stWidgetLabel"] p { font-size: 1.12rem !important; color: #000 !important; }
h1 { font-size: 2.6rem !important; } h2 { font-size: 2.1rem !important; } h3 { font-size: 1.7rem !important; }
.js-plotly-plot .scatterlayer .trace path.js-line { stroke-width: 3.5px !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 3rem 1.5rem 2rem 1.5rem !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  font-size: 2.8rem !important; line-height: 1.15 !important; font-weight: 600 !important; }
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] p { font-size: 1.0rem !important; }
[data-testid="stMetricLabel"] p, [data-testid="stMetricLabel"] div { white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; }
button p, button div, [data-testid="stBaseButton-segmented_control"] p,
[data-testid="stBaseButton-segmented_controlActive"] p { white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; }
button { height: auto !important; min-height: 2.6rem; }
[data-testid="stButtonGroup"] { flex-wrap: wrap !important; }
[data-testid="stTab"] p { font-size: 1.1rem !important; }
</style>
"""


def on() -> bool:
    """Whether projector mode is on for this student (the toggle, or `present=1` in the URL)."""
    if KEY in st.session_state:
        return bool(st.session_state[KEY])
    return st.query_params.get(KEY, "0") in ("1", "true")


def sidebar_state() -> str:
    """For st.set_page_config: the sidebar starts collapsed in projector mode (the toggle stays one click away)."""
    return "collapsed" if on() else "auto"


def toggle() -> bool:
    """A sidebar switch (also set by `present=1` in the URL); injects the projector styles when on."""
    if KEY not in st.session_state:
        st.session_state[KEY] = on()
    on_now = st.sidebar.toggle("Projector mode", key=KEY,
                               help="Larger fonts, big numbers and taller charts for a classroom; the "
                                    "sidebar starts collapsed (open it with the arrow at the top left)")
    if on_now:
        st.html(_CSS)
        st.query_params[KEY] = "1"
    elif KEY in st.query_params:
        del st.query_params[KEY]
    return on_now


def height(base: int) -> int:
    """A chart's height: taller in projector mode."""
    return max(MIN_HEIGHT, int(base * TALLER)) if st.session_state.get(KEY) else base


def figure(fig):
    """Lay a finished figure out for projector mode: the large font (so plotly sizes legends and margins
    for it) and a taller plot; unchanged otherwise."""
    if st.session_state.get(KEY):
        h = fig.layout.height or 450
        fig.update_layout(font=dict(size=FONT), legend=dict(font=dict(size=FONT)), height=height(h))
    return fig
