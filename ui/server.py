"""Server-process policy: torch's threads, the server log, garbage collection and warm-up.

Applied once per server by configure() (cached), and per script run by bound_this_thread().
"""

import os
import sys
import threading
import time

import streamlit as st


@st.cache_resource(show_spinner=False)
def configure() -> None:
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


def bound_this_thread() -> None:
    """torch's thread count is per OS thread and every script run has its own thread."""
    if "torch" in sys.modules:
        from rnn_models.device import limit_threads

        limit_threads()
