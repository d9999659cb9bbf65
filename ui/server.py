"""Server-process policy: torch's threads, the server log, garbage collection and warm-up.

Applied once per server by configure() (cached), and per script run by bound_this_thread().
"""

import os
import sys
import threading
import time

import streamlit as st


class WarmUp:
    """The server's warm-up thread: `go` starts it early (a model page is waiting), `done` says it finished."""

    def __init__(self) -> None:
        self.go = threading.Event()  # set: start now instead of after the home page's delay
        self.done = threading.Event()  # set: torch imported and a model built (default results follow)
        self.runtime = threading.Event()  # set: Streamlit's runtime serves (its caches can be filled)

    def wait(self, timeout_s: float = 300.0) -> None:
        """Start the warm-up now if it has not started, and wait for it (the page shows a progress message)."""
        self.go.set()
        self.done.wait(timeout_s)


class Activity:
    """Script runs in progress, and when the last one ended: the warm-up's later steps wait for a quiet
    moment, so a student's first click does not share the two cores with them (the browser draws the page
    after its run ends, hence the grace time)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._last_end = 0.0
        self.ended = threading.Event()  # set whenever a run ends (the tidy thread clears it)

    def begin(self) -> None:
        with self._lock:
            self._running += 1

    def end(self) -> None:
        with self._lock:
            self._running -= 1
            self._last_end = time.monotonic()
        self.ended.set()

    def quiet(self, grace_s: float) -> bool:
        with self._lock:
            return self._running == 0 and time.monotonic() - self._last_end >= grace_s

    def wait_quiet(self, grace_s: float = 2.0, limit_s: float = 120.0, poll_s: float = 0.1) -> bool:
        """Block until no run is in progress and none ended in the last grace_s seconds (True), or until
        limit_s passed (False: a class that never pauses still gets the warm-up)."""
        deadline = time.monotonic() + limit_s
        while not self.quiet(grace_s):
            if time.monotonic() >= deadline:
                return False
            time.sleep(poll_s)
        return True


RUNS = Activity()  # every script run of this server (app.py's main)
FROZEN = threading.Event()  # set once the warm-up has frozen the objects loaded at start-up (gc.freeze)
_EARLY: WarmUp | None = None  # the warm-up start_early() began before the server listened (ui/serve.py)


def _bound_threads_env() -> None:
    """Bound torch's threads so one job cannot starve the other sessions; set through the environment
    before torch is first imported."""
    threads = os.environ.get("RNN_STUDIO_THREADS") or str(max(1, (os.cpu_count() or 2) // 2))
    os.environ.setdefault("OMP_NUM_THREADS", threads)


def start_early() -> WarmUp:
    """Called by the launcher (python -m ui.serve) before Streamlit starts: import torch and build a model
    while the server boots, so no page's first visit pays for it. The features' default results follow
    once the first session runs configure() (they use Streamlit's caches, which need the runtime)."""
    global _EARLY
    _bound_threads_env()
    # imported whole before any session draws a chart (plotly looks numpy and pandas up in sys.modules,
    # see configure), and no page's first visit pays for them (pandas alone is ~1 CPU-s)
    import numpy  # noqa: F401
    import pandas  # noqa: F401

    import ui.charts  # noqa: F401  (plotly, and its house template: ~0.6 s to build)
    _EARLY = WarmUp()
    _EARLY.go.set()
    return _start(_EARLY)


def _start(warm: WarmUp) -> WarmUp:
    threading.Thread(target=_warm_up, args=(warm,), daemon=True, name="warm-up-torch").start()
    return warm


@st.cache_resource(show_spinner=False)
def configure() -> WarmUp:
    """Once per server: the server log, garbage collection, and the warm-up (started now, or already
    started by the launcher: then only the features' default results were waiting for the runtime)."""
    _bound_threads_env()
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

    threading.Thread(target=_tidy, daemon=True, name="gc-and-trim").start()
    warm = _EARLY if _EARLY is not None else _start(WarmUp())
    warm.runtime.set()
    return warm


def _tidy(every_s: float = 30.0, grace_s: float = 0.3) -> None:
    """Garbage collection for the whole server, instead of Streamlit's after every script run (postScriptGC,
    off in config.toml): once the server is quiet after runs end, or every 30 s when 30 students keep it
    busy, so the cost is paid when nobody waits. Then the C allocator's freed memory goes back to the
    system (what a page's run built and dropped otherwise stays resident: ~20 MB after every page)."""
    import gc

    while True:
        woke = RUNS.ended.wait(every_s)
        RUNS.wait_quiet(grace_s, limit_s=every_s)
        RUNS.ended.clear()
        if not woke or FROZEN.is_set():  # before the warm-up froze the libraries' objects a collection walks
            gc.collect()  # them all (~0.3 s of the interpreter lock): then only every 30 s
        release_freed_memory()


def release_freed_memory() -> bool:
    """glibc's malloc_trim(0): return the free pages of every arena to the system (a few ms; ctypes releases
    the interpreter lock meanwhile). False where the C library is not glibc."""
    import ctypes

    try:
        return bool(ctypes.CDLL("libc.so.6").malloc_trim(0))
    except (OSError, AttributeError):
        return False


def _warm_up(warm: WarmUp, delay_s: float = 2.0) -> None:
    """In the background, after the first page has painted: import torch, build a model once and cache
    the pretrained models' default results (each feature's warm_up(), e.g. ui/text/warm.py), so the first
    student to open a model page does not wait seconds for torch's one-off costs."""
    warm.go.wait(delay_s)
    try:
        from rnn_models.checkpoints import warm_up
        from rnn_models.device import limit_threads

        limit_threads()
        warm_up()
        warm.done.set()  # the pages' imports are paid: pages go on (they compute what the rest has not yet)
        warm.runtime.wait()
        _warm_features()
        from ui.jobs import process as job_process

        if job_process.enabled():
            RUNS.wait_quiet()
            job_process.start_server()  # the job processes' fork server, with torch imported once
        import gc

        RUNS.wait_quiet()  # a full collection holds the interpreter lock for most of a second
        gc.collect()
        gc.freeze()  # the libraries' objects, loaded for good, are no longer walked by every collection
        FROZEN.set()
    except Exception:  # only an optimisation: the pages do the same work when they need it
        import logging

        logging.getLogger("rnn_studio").exception("warm-up failed")
    finally:
        warm.done.set()


def _warm_features() -> None:
    """Every ui/<feature>/warm.py's warm_up() (the default results a page's first visit shows): found by
    walking ui/, so no list names them. A warm_up() must not import pandas: plotly looks pandas up in
    sys.modules, so a chart drawn meanwhile would see a half-made module (as with numpy above)."""
    import importlib
    from pathlib import Path

    for f in sorted(Path(__file__).resolve().parent.glob("*/warm.py")):
        RUNS.wait_quiet(grace_s=1.0)
        importlib.import_module(f"ui.{f.parent.name}.warm").warm_up()


def bound_this_thread() -> None:
    """torch's thread count is per OS thread and every script run has its own thread."""
    if "torch" in sys.modules:
        from rnn_models.device import limit_threads

        limit_threads()
