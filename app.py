"""RNN Studio: navigation over app_pages/ and the home page (the server policy lives in ui/server.py)."""

from pathlib import Path

import streamlit as st

from ui import heading, lessons, projector, server
from ui.cache import lesson
from ui.diagrams import sequence_mappings

ROOT = Path(__file__).resolve().parent
# (file, title, icon, one-line description); a page is listed only once its file exists
PAGES = [
    ("app_pages/text_generation.py", "Text generation", ":material/edit_note:",
     "Sample Shakespeare or Python from a character-level RNN, see its probabilities, train your own."),
    ("app_pages/music_continuation.py", "Music continuation", ":material/music_note:",
     "Continue a melody from a MIDI file, a recording or your microphone, and listen to it."),
    ("app_pages/stock_forecasting.py", "Time-series forecasting", ":material/show_chart:",
     "Forecast a stock or any CSV series, honestly compared with naive baselines."),
    ("app_pages/rnn_explorer.py", "RNN explorer", ":material/neurology:",
     "Look inside: hidden states, gates, and gradients that vanish or explode."),
    ("app_pages/sequence_classification.py", "Sequence classification", ":material/category:",
     "Read a name, a review or a voice step by step and watch the network's belief change."),
    ("app_pages/translation.py", "Translation", ":material/translate:",
     "Translate German sentences with an encoder–decoder and see where attention looks."),
]


@st.cache_resource(show_spinner=False)
def _diagram() -> str:
    """The sequence-mapping figure (SVG), drawn once per server (it is the same for everyone)."""
    return sequence_mappings()


def available_pages() -> list[tuple[str, str, str, str]]:
    return [p for p in PAGES if (ROOT / p[0]).is_file()]


def home() -> None:
    st.title("RNN Studio")
    st.markdown(lesson("home") or "A studio for recurrent neural networks.")
    st.markdown(f'<div class="rnn-mappings">{_diagram()}</div>', unsafe_allow_html=True)
    st.caption("Blue: inputs x. Orange: hidden states h, passed from each step to the next "
               "(the recurrence). Green: outputs y. In the bidirectional network a second chain h' "
               "reads the sequence backwards, so every output sees both sides.")
    pages = available_pages()
    if pages:
        st.subheader("Try it")
        cols = st.columns(min(len(pages), 2))
        for i, (path, title, icon, blurb) in enumerate(pages):
            with cols[i % len(cols)].container(border=True):
                st.markdown(f"**{title}**")
                st.write(blurb)
                st.page_link(path, label=f"Open {title.lower()}", icon=icon)
    lessons.picker()


def first_paint(page, warm: server.WarmUp) -> None:
    """A page's title at once (ui/heading.py), and while the server's warm-up is still importing torch (a
    plain `streamlit run`, or a student faster than the launcher's warm-up), a progress message."""
    if page.title == "Home":
        return
    heading.early(page.title)
    if not warm.done.is_set():
        with st.spinner("Loading the models: only the first page opened after the server starts waits for this…"):
            warm.wait()


def main() -> None:
    st.set_page_config(page_title="RNN Studio", page_icon=":material/cyclone:", layout="wide",
                       initial_sidebar_state=projector.sidebar_state())
    warm = server.configure()
    server.bound_this_thread()
    projector.toggle()
    nav = [st.Page(home, title="Home", icon=":material/home:", default=True, url_path="home")]
    nav += [st.Page(path, title=title, icon=icon) for path, title, icon, _ in available_pages()]
    page = st.navigation(nav)
    server.RUNS.begin()  # the warm-up's later steps wait while pages run (ui/server.py)
    try:
        first_paint(page, warm)
        page.run()
    finally:
        heading.done()
        server.RUNS.end()


if __name__ == "__main__":  # a streamlit run; not multiprocessing re-running this file in a job process
    main()
