"""The server's warm-up policy (ui/server.py) and its launcher (ui/serve.py)."""

import gc
import os
import threading
import time

from benchmarks.harness import ROOT, StreamlitServer
from ui import server
from ui.jobs import process as job_process


def test_the_warm_up_imports_torch_first_and_fills_caches_only_once_the_runtime_serves(monkeypatch):
    """The launcher starts the warm-up before Streamlit's runtime exists: torch and a model come at once
    (done), the features' default results (Streamlit caches) wait for the runtime."""
    calls = []
    monkeypatch.setattr(server, "_warm_features", lambda: calls.append("features"))
    monkeypatch.setattr(job_process, "enabled", lambda: False)
    monkeypatch.setattr(gc, "freeze", lambda: None)
    warm = server.WarmUp()
    warm.go.set()
    thread = threading.Thread(target=server._warm_up, args=(warm,), daemon=True)
    thread.start()
    assert warm.done.wait(120)
    time.sleep(0.2)
    assert calls == [] and thread.is_alive()
    warm.runtime.set()
    thread.join(60)
    assert calls == ["features"] and not thread.is_alive()


def test_the_harness_starts_rnn_studio_through_the_launcher_and_other_apps_with_streamlit_run(tmp_path):
    assert StreamlitServer("app.py").command()[1:3] == ["-m", "ui.serve"]
    assert StreamlitServer(ROOT / "app.py").command()[1:3] == ["-m", "ui.serve"]
    hello = tmp_path / "hello.py"
    assert StreamlitServer(hello).command()[1:5] == ["-m", "streamlit", "run", str(hello)]
    assert "ui.serve" in (ROOT / "scripts" / "app.sh").read_text()


def test_a_pretrained_model_is_one_copy_whether_named_by_absolute_or_assets_relative_path():
    from ui.cache import ASSETS, pretrained

    rel = "models/text_shakespeare_rnn.json"
    assert pretrained(rel) is pretrained(ASSETS / rel) is pretrained(str(ASSETS / rel))


def test_the_launcher_caps_glibcs_arenas_here():
    from ui.serve import fewer_malloc_arenas

    assert fewer_malloc_arenas() is True  # this machine's C library is glibc: mallopt accepted the cap


def test_the_warm_ups_later_steps_wait_for_a_quiet_moment():
    """While a page runs, and for the grace time after (the browser draws it), the warm-up waits."""
    runs = server.Activity()
    assert runs.wait_quiet(grace_s=0.0, limit_s=1.0)
    runs.begin()
    assert not runs.quiet(0.0)
    t0 = time.monotonic()
    assert runs.wait_quiet(grace_s=0.0, limit_s=0.3) is False  # still running: gives up at the limit
    assert 0.25 < time.monotonic() - t0 < 2.0
    threading.Timer(0.2, runs.end).start()
    t0 = time.monotonic()
    assert runs.wait_quiet(grace_s=0.3, limit_s=10.0) is True
    assert time.monotonic() - t0 >= 0.45  # the run ended after 0.2 s, then 0.3 s of grace


def test_the_fork_server_and_its_jobs_run_below_the_pages_priority():
    from multiprocessing import forkserver

    from ui.jobs.pool import JOB_NICENESS

    job_process.start_server()
    pid = forkserver._forkserver._forkserver_pid
    assert pid and os.getpriority(os.PRIO_PROCESS, pid) >= JOB_NICENESS


def test_freed_memory_goes_back_to_the_system_here():
    """glibc's malloc_trim returns the free pages a page run left behind (the tidy thread calls it); in a
    fresh interpreter, so no other test's heap is in the way."""
    import subprocess
    import sys

    code = """
import ctypes, os
from ui.server import release_freed_memory
libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype = ctypes.c_void_p
blocks = [libc.malloc(64 * 1024 - 64) for _ in range(2000)]  # ~128 MB below the mmap threshold
keep = libc.malloc(64)  # the heap's top stays in use, so only a trim gives the freed pages back
for b in blocks:
    ctypes.memset(b, 1, 64 * 1024 - 64)
for b in blocks:
    libc.free(ctypes.c_void_p(b))
rss = lambda: int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
before = rss()
print(release_freed_memory(), round(before - rss()))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    trimmed, freed_mb = out.stdout.split()
    assert trimmed == "True" and int(freed_mb) > 60, out.stderr
