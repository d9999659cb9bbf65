"""Training jobs for pages: one per session, a bounded pool for the whole server.

A job is driven by a worker thread that only touches its Job object; the page polls it from a
fragment that redraws the progress bar, the live chart and the Stop button. The server's pool
runs each job function in a child process (ui/jobs/process.py) so training never holds the
interpreter lock every session's page shares; such functions must be picklable (module-level
functions, or functools.partial of one). JobPool(processes=False) runs them in the thread.
"""

import logging
import os
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui.jobs import process as job_process

JOB_KEY = "job"  # st.session_state key holding this session's Job
ACTIVE = ("queued", "running")
LOG = logging.getLogger("rnn_studio.jobs")
JOB_NICENESS = job_process.JOB_NICENESS


def background_priority(niceness: int = JOB_NICENESS) -> bool:
    """Lower the calling thread's scheduling priority (Linux schedules threads, so only this one)."""
    return job_process.lower_priority(niceness, threading.get_native_id())


@dataclass
class Job:
    name: str
    session_id: str | None
    time_budget_s: float | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    status: str = "queued"  # queued | running | done | stopped | failed
    metrics: list[dict] = field(default_factory=list)
    progress: float = 0.0  # 0..1
    progress_text: str = ""
    result: Any = None
    error: str | None = None
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    stop_event: threading.Event = field(default_factory=threading.Event)
    result_taken: bool = False  # the page has consumed the result (one full rerun after the end)
    stop_asked: float | None = None  # when Stop was pressed

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    def stop(self) -> None:
        if not self.stop_event.is_set():
            self.stop_asked = time.time()
        self.stop_event.set()

    def eta_s(self) -> float | None:
        if self.started is None or self.progress <= 0.01:
            return None
        elapsed = time.time() - self.started
        return max(0.0, elapsed / self.progress - elapsed)


class JobContext:
    """What a job function sees: report metrics and progress, ask whether to stop."""

    def __init__(self, job: Job, session_alive: Callable[[], bool]):
        self._job, self._alive = job, session_alive

    def on_step(self, metrics: dict) -> None:
        job = self._job
        job.metrics.append(dict(metrics))
        frac = 0.0
        if metrics.get("steps"):
            frac = metrics.get("step", 0) / metrics["steps"]
        if job.time_budget_s and job.started:
            frac = max(frac, (time.time() - job.started) / job.time_budget_s)
        if frac:
            job.progress = min(1.0, frac)

    def progress(self, frac: float, text: str = "") -> None:
        self._job.progress = min(1.0, max(0.0, float(frac)))
        self._job.progress_text = text

    def should_stop(self) -> bool:
        return self._job.stop_event.is_set() or not self._alive()


class JobPool:
    """At most `workers` jobs run at once across all sessions; the rest wait in FIFO order."""

    def __init__(self, workers: int, processes: bool = False):
        self.workers = max(1, workers)
        self.processes = processes
        self._cond = threading.Condition()
        self._queue: deque[Job] = deque()
        self._running: set[str] = set()

    def queue_position(self, job: Job) -> int:
        """1-based place in the queue; 0 once it runs."""
        with self._cond:
            for i, j in enumerate(self._queue):
                if j.id == job.id:
                    return i + 1
            return 0

    def running_count(self) -> int:
        with self._cond:
            return len(self._running)

    def submit(self, job: Job, fn: Callable[[JobContext], Any], session_alive: Callable[[], bool]):
        with self._cond:
            self._queue.append(job)
        threading.Thread(target=self._run, args=(job, fn, session_alive), daemon=True,
                         name=f"job-{job.id}").start()

    def _run(self, job: Job, fn, session_alive) -> None:
        ctx = JobContext(job, session_alive)
        with self._cond:
            while not (self._queue[0] is job and len(self._running) < self.workers):
                if ctx.should_stop():  # stopped (or tab closed) while waiting
                    self._queue.remove(job)
                    job.status, job.finished = "stopped", time.time()
                    _log_end(job)
                    self._cond.notify_all()
                    return
                self._cond.wait(0.5)
            self._queue.popleft()
            self._running.add(job.id)
            self._cond.notify_all()
        job.status, job.started = "running", time.time()
        status = "failed"
        try:
            if self.processes:
                job.result, stopped = job_process.run_in_child(fn, ctx, JOB_NICENESS)
                status = "stopped" if stopped or ctx.should_stop() else "done"
            else:
                from rnn_models.device import limit_threads

                limit_threads()  # torch's thread count is per OS thread: bound this worker's too
                background_priority()
                job.result = fn(ctx)
                status = "stopped" if ctx.should_stop() else "done"
        except Exception as e:  # reported on the page; the server and other sessions go on
            job.error = job_process.error_text(e)
        finally:
            with self._cond:  # free the slot first: a job that reads as ended no longer holds one
                self._running.discard(job.id)
                self._cond.notify_all()
            job.finished = time.time()
            job.status = status
            _log_end(job)


def _log_end(job: Job) -> None:
    """One line per finished job in the server log: how long it queued and ran, how fast it stopped."""
    started = job.started or job.finished
    LOG.info("job %s (%s): %s after %.1f s queued and %.1f s running%s", job.id, job.name, job.status,
             started - job.created, job.finished - started,
             f", {job.finished - job.stop_asked:.2f} s after Stop" if job.stop_asked else "")


@st.cache_resource
def get_pool() -> JobPool:
    """The one pool of this server process (about one job per core), each job in its own process
    (RNN_STUDIO_JOB_PROCESSES=0 runs them as threads of the server instead)."""
    return JobPool(int(os.environ.get("RNN_STUDIO_JOBS", "0")) or (os.cpu_count() or 2),
                   processes=job_process.enabled())


def _session_alive_fn() -> Callable[[], bool]:
    ctx = get_script_run_ctx()
    sid = ctx.session_id if ctx else None
    if sid is None or not Runtime.exists():
        return lambda: True
    rt = Runtime.instance()
    return lambda: rt.is_active_session(sid)


def current() -> Job | None:
    return st.session_state.get(JOB_KEY)


def start(name: str, fn: Callable[[JobContext], Any], *, time_budget_s: float | None = None) -> Job | None:
    """Start this session's job; returns None (and says why) if one is already queued or running.
    fn must be a registered job (ui.jobs.registry.job) or a functools.partial of one."""
    from ui.jobs.registry import check

    check(fn)
    job = current()
    if job is not None and job.active:
        st.warning(f"“{job.name}” is still running: stop it or wait for it before starting another.")
        return None
    ctx = get_script_run_ctx()
    job = Job(name=name, session_id=ctx.session_id if ctx else None, time_budget_s=time_budget_s)
    st.session_state[JOB_KEY] = job
    get_pool().submit(job, fn, _session_alive_fn())
    return job


def _fmt_s(s: float | None) -> str:
    if s is None:
        return "estimating…"
    return f"{s:.0f} s" if s < 90 else f"{s / 60:.1f} min"


def live_panel(name: str, chart: Callable[[list[dict]], Any] | None = None,
               interval_s: float = 1.0) -> Job | None:
    """Show the job called `name` (if it is this session's job): progress, ETA, chart and Stop.

    Returns the Job on every run after it has finished (done or stopped), else None.
    """
    job = current()
    if job is None or job.name != name:
        return None

    @st.fragment(run_every=interval_s if job.active else None)
    def panel():
        j = current()
        if j is None or j.id != job.id:
            return
        pool = get_pool()
        if j.status == "queued":
            pos = pool.queue_position(j)
            st.info(f"Waiting for a free training slot: position {pos} in the queue "
                    f"({pool.running_count()} of {pool.workers} slots busy).")
        elif j.status == "running":
            label = j.progress_text or f"{j.progress:.0%} done"
            st.progress(j.progress, text=f"{j.name}: {label} · about {_fmt_s(j.eta_s())} left")
        if chart is not None and j.metrics:
            st.plotly_chart(chart(j.metrics), key=f"live-{j.id}")
        if j.active:
            if st.button("Stop", key=f"stop-{j.id}", type="primary"):
                j.stop()
                st.toast("Stopping…")
        elif not j.result_taken:
            j.result_taken = True
            st.rerun(scope="app")  # let the whole page pick up the result

    panel()
    if job.status == "failed":
        st.error(f"Training failed: {job.error}")
    elif job.status in ("done", "stopped") and job.result_taken:
        return job
    return None
