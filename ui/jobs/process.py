"""Training jobs in their own processes, so they never hold the server's interpreter lock.

Streamlit runs every session's script in one Python process. A training loop in a thread of
that process holds the interpreter lock between torch calls, and with tiny student models
that is most of the time: every other student's page waits. Here a job runs in a child
process forked from a small fork server (started once, with torch and the job modules
imported, before any thread pool exists), at a lower OS priority. The child sends progress,
metrics and finally its result over a pipe; the parent's job thread turns them into the same
Job updates a thread job makes. Stop (or a closed tab) sets an event the child polls; a child
that does not stop within STOP_GRACE_S is terminated.

Only this server's own job functions run in the child; what comes back over the pipe was built
by that code (it is never a file a user sent). It is still read back with an unpickler that
only rebuilds plain types and classes from numpy, pandas, torch and this project (JobUnpickler):
anything else in the stream is refused, not run.
"""

import multiprocessing as mp
import os
import pickle
import time
from collections.abc import Callable
from typing import Any

STOP_GRACE_S = 10.0  # after a stop request, a child that is still running is terminated
FLUSH_S = 0.1  # a job's step metrics are sent to the server at most this often
JOB_NICENESS = 10  # jobs (and the fork server they come from) yield the CPU to the page runs students wait for
_ctx = None


def enabled() -> bool:
    """Jobs run in child processes unless RNN_STUDIO_JOB_PROCESSES=0 (then in server threads)."""
    return os.environ.get("RNN_STUDIO_JOB_PROCESSES", "1") != "0"


def error_text(e: Exception) -> str:
    """What the page shows for a job that raised e."""
    return str(e) or type(e).__name__


def context():
    """The fork-server context (made once per process, its server started on first use)."""
    global _ctx
    if _ctx is None:
        ctx = mp.get_context("forkserver")
        from ui.jobs.registry import preload_modules

        ctx.set_forkserver_preload(preload_modules())
        _ctx = ctx
    return _ctx


def start_server() -> None:
    """Start the fork server now (it imports torch and the job modules: seconds), e.g. from a
    background thread when the app starts, so the first student's training starts at once."""
    from multiprocessing import forkserver

    context()
    forkserver.ensure_running()
    # its imports (torch: seconds of CPU) and every job forked from it run below the pages' priority
    pid = getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", None)
    if pid:
        lower_priority(JOB_NICENESS, pid)


def lower_priority(niceness: int, who: int = 0) -> bool:
    """Set a process's or, given a native thread id, a thread's niceness to at least `niceness` (0: this
    process). False where that is not allowed or not Linux: it then runs at normal priority."""
    try:
        os.setpriority(os.PRIO_PROCESS, who, max(os.getpriority(os.PRIO_PROCESS, who), niceness))
        return True
    except (OSError, AttributeError):
        return False


SAFE_BUILTINS = {"set", "frozenset", "list", "dict", "tuple", "slice", "complex", "range", "bytearray",
                 "bytes", "str", "int", "float", "bool", "object"}
SAFE_PACKAGES = ("numpy", "pandas", "pyarrow", "torch", "rnn_models", "ui", "collections", "datetime", "copyreg",
                 "_codecs", "dataclasses", "enum")
UNSAFE_NAMES = {"load", "loads", "eval", "exec", "system", "popen", "import_module", "__import__"}


class JobUnpickler(pickle.Unpickler):
    """Rebuilds what a job function returns (dicts, lists, numbers, tensors, arrays, frames and this
    project's dataclasses and models) and refuses every other global."""

    def find_class(self, module: str, name: str):
        top = module.split(".")[0]
        allowed = (name in SAFE_BUILTINS if module == "builtins"
                   else top in SAFE_PACKAGES and name.split(".")[-1] not in UNSAFE_NAMES)
        if not allowed:
            raise pickle.UnpicklingError(f"a job's result may not contain {module}.{name}")
        return super().find_class(module, name)


def read_message(data: bytes):
    """One message from a job's child process (see ChildContext.send)."""
    import io

    return JobUnpickler(io.BytesIO(data)).load()


class ChildContext:
    """The JobContext API (on_step, progress, should_stop) inside the child process."""

    def __init__(self, conn, stop_event, flush_s: float = FLUSH_S):
        self._conn, self._stop, self._flush_s = conn, stop_event, flush_s
        self._steps: list[dict] = []
        self._last = 0.0

    def send(self, *msg) -> None:
        # plain pickle copies tensors by value; multiprocessing's own pickler would pass them as shared
        # memory that must be fetched from this process, which may have ended by the time it is read
        self._conn.send_bytes(pickle.dumps(msg, protocol=pickle.HIGHEST_PROTOCOL))

    def flush(self) -> None:
        if self._steps:
            self.send("steps", self._steps)
            self._steps = []
        self._last = time.monotonic()

    def on_step(self, metrics: dict) -> None:
        # a tiny model takes hundreds of steps a second: send them in batches, so the server
        # (which reads them under the lock the pages share) handles a few messages a second
        self._steps.append(dict(metrics))
        if time.monotonic() - self._last >= self._flush_s:
            self.flush()

    def progress(self, frac: float, text: str = "") -> None:
        self.flush()
        self.send("progress", float(frac), str(text))

    def should_stop(self) -> bool:
        return self._stop.is_set()


def child_main(fn: Callable, conn, stop_event, niceness: int) -> None:
    """The child's whole life: lower priority, bound threads, run fn, send its result or error."""
    lower_priority(niceness)  # forked from the fork server, which may already run at that niceness
    from rnn_models.device import keep_freed_memory, limit_threads

    limit_threads()
    keep_freed_memory()  # a job trains: reuse freed memory rather than map it afresh each step (not in the server)
    ctx = ChildContext(conn, stop_event)
    try:
        result = fn(ctx)
        ctx.flush()
        ctx.send("result", result, ctx.should_stop())
    except Exception as e:  # reported on the page; the parent and other sessions go on
        ctx.flush()
        ctx.send("error", error_text(e))
    finally:
        conn.close()


def run_in_child(fn: Callable, job_ctx, niceness: int, poll_s: float = 0.2) -> tuple[Any, bool]:
    """Run fn in a child process and relay what it says to `job_ctx` (a jobs.JobContext).

    Returns (result, stopped). Raises RuntimeError with the child's message if fn failed,
    or if the child died without saying why (killed, out of memory).
    """
    ctx = context()
    recv, send = ctx.Pipe(duplex=False)
    stop_event = ctx.Event()
    proc = ctx.Process(target=child_main, args=(fn, send, stop_event, niceness), daemon=True,
                       name="rnn-studio-job")
    proc.start()
    send.close()  # the parent keeps only the reading end: EOF once the child is gone
    stop_asked: float | None = None
    try:
        while True:
            if stop_asked is None and job_ctx.should_stop():
                stop_event.set()
                stop_asked = time.monotonic()
            if stop_asked is not None and time.monotonic() - stop_asked > STOP_GRACE_S:
                proc.terminate()
                return None, True
            if not recv.poll(poll_s):
                if not proc.is_alive() and not recv.poll(0):
                    break
                continue
            try:
                msg = read_message(recv.recv_bytes())  # written by child_main above, nothing else
            except EOFError:
                break
            kind = msg[0]
            if kind == "steps":
                for m in msg[1]:
                    job_ctx.on_step(m)
            elif kind == "progress":
                job_ctx.progress(msg[1], msg[2])
            elif kind == "result":
                return msg[1], bool(msg[2]) or stop_asked is not None
            elif kind == "error":
                raise RuntimeError(msg[1])
        proc.join(1.0)
        if stop_asked is not None:
            return None, True
        raise RuntimeError(f"the training process ended unexpectedly (exit code {proc.exitcode}); "
                           "try a smaller model or a shorter text")
    finally:
        recv.close()
        proc.join(2.0)
        if proc.is_alive():
            proc.kill()
            proc.join(1.0)
