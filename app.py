"""RNN Studio: page config, navigation over app_pages/, and the home page."""

import os
import sys
import threading
import time
from pathlib import Path

import streamlit as st

from ui import lessons
from ui import projector as presentation
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
]


@st.cache_resource
def _configure_process() -> None:
    """Once per server: bound torch's threads so one job cannot starve the other sessions.

    Set through the environment before torch is first imported, so the home page loads
    without paying for importing torch.
    """
    threads = os.environ.get("RNN_STUDIO_THREADS") or str(max(1, (os.cpu_count() or 2) // 2))
    os.environ.setdefault("OMP_NUM_THREADS", threads)
    import logging

    log = logging.getLogger("rnn_studio")  # job lines (ui/jobs/pool.py) go to the server's log
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    # torch imports numpy; plotly looks numpy up in sys.modules without importing it, so while the
    # warm-up thread is half-way through importing it, a chart drawn now would see a half-made module
    import numpy  # noqa: F401

    threading.Thread(target=_warm_up, daemon=True, name="warm-up-torch").start()
    threading.Thread(target=_collect_garbage, daemon=True, name="gc-every-30s").start()


def _collect_garbage(every_s: float = 30.0) -> None:
    """A full garbage collection every 30 s for the whole server, instead of Streamlit's one after
    every script run (postScriptGC, off in config.toml): the same memory bound at a tiny share of
    the cost when 30 students click at once."""
    import gc

    while True:
        time.sleep(every_s)
        gc.collect()


def _warm_up(delay_s: float = 2.0) -> None:
    """In the background, after the first page has painted: import torch and build a model once,
    so the first student to open a model page does not wait seconds for torch's one-off costs."""
    time.sleep(delay_s)
    try:
        from rnn_models.checkpoints import warm_up
        from rnn_models.device import limit_threads

        limit_threads()
        warm_up()
        from ui.jobs import process as job_process

        if job_process.enabled():
            job_process.start_server()  # the job processes' fork server, with torch imported once
        import gc

        gc.collect()
        gc.freeze()  # the libraries' objects, loaded for good, are no longer walked by every collection
    except Exception:  # only an optimisation: the pages do the same work when they need it
        import logging

        logging.getLogger("rnn_studio").exception("warm-up failed")


def _bound_this_thread() -> None:
    """torch's thread count is per OS thread and every script run has its own thread."""
    if "torch" in sys.modules:
        from rnn_models.device import limit_threads

        limit_threads()


@st.cache_resource
def _diagram():
    """The sequence-mapping figure, drawn once per server (it is the same for everyone)."""
    return sequence_mappings()


def available_pages() -> list[tuple[str, str, str, str]]:
    return [p for p in PAGES if (ROOT / p[0]).is_file()]


def home() -> None:
    st.title("RNN Studio")
    st.markdown(lesson("home") or "A studio for recurrent neural networks.")
    st.plotly_chart(_diagram(), config={"staticPlot": True}, key="mappings")
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


def main() -> None:
    st.set_page_config(page_title="RNN Studio", page_icon=":material/cyclone:", layout="wide")
    _configure_process()
    _bound_this_thread()
    presentation.toggle()
    nav = [st.Page(home, title="Home", icon=":material/home:", default=True, url_path="home")]
    nav += [st.Page(path, title=title, icon=icon) for path, title, icon, _ in available_pages()]
    st.navigation(nav).run()


main()
