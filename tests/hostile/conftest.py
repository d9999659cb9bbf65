"""The hostile corpus is written once per test session (scripts/make_hostile_corpus.py) into a temp dir.

The CLI runs start as soon as the module starts, so they overlap the in-process AppTest page tests.
Each case runs in a forked child of a CLI fork server (tests/hostile/cli_forkserver.py) that paid
for `import torch` once; the start-up a real `python -m rnn_models` pays is measured separately, on a
real process, and added to every case's CPU time.
"""

import importlib.util
import os
import shutil
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.hostile.harness import ROOT, ForkServer, cli_args, load_manifest, run_cli

_state: dict = {}


def corpus_dir() -> Path:
    if "dir" not in _state:
        d = Path(tempfile.mkdtemp(prefix="rnn-hostile-"))
        script = ROOT / "scripts" / "make_hostile_corpus.py"
        spec = importlib.util.spec_from_file_location("make_hostile_corpus", script)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        mod.main(["--out", str(d)])
        _state["dir"] = d
    return _state["dir"]


def pytest_generate_tests(metafunc):
    if "case" not in metafunc.fixturenames:
        return
    accept = "accept" in metafunc.function.__name__  # files that must forecast, not be refused
    cases = [c for c in load_manifest(corpus_dir()) if (c.get("expect") == "forecast") == accept]
    if "_cli" in metafunc.function.__name__:
        cases = [c for c in cases if c["cli"]]
    metafunc.parametrize("case", cases, ids=[c["name"] for c in cases])


def pytest_sessionfinish(session, exitstatus):
    d = _state.pop("dir", None)
    pool = _state.pop("pool", None)
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)
    for server in _state.pop("servers", []):
        server.close()
    for t in _state.pop("tmps", []):
        shutil.rmtree(t, ignore_errors=True)
    if d is not None:
        shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="session")
def corpus() -> Path:
    return corpus_dir()


@pytest.fixture(scope="session")
def cli_futures(corpus) -> dict[str, Future]:
    """name -> Future[CliResult]; two fork servers answer the cases in parallel."""
    if "futures" not in _state:
        workers = max(1, min(2, os.cpu_count() or 2))
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hostile-cli")
        servers: list[ForkServer] = []
        _state["pool"], _state["tmps"], _state["servers"], futures = pool, [], servers, {}
        free: list[ForkServer] = []
        import threading

        lock = threading.Lock()

        def run(args):
            with lock:
                server = free.pop() if free else None
            if server is None:
                server = ForkServer()
                servers.append(server)
            try:
                return server.run(args)
            finally:
                with lock:
                    free.append(server)

        for case in load_manifest(corpus):
            if case["cli"]:
                tmp = Path(tempfile.mkdtemp(prefix="rnn-hostile-out-"))
                _state["tmps"].append(tmp)
                futures[case["name"]] = pool.submit(run, cli_args(case, corpus, tmp))
        _state["futures"] = futures
    return _state["futures"]


@pytest.fixture(scope="session")
def startup_cpu_s() -> float:
    """CPU seconds a real `python -m rnn_models` spends before it reads any file."""
    if "startup" not in _state:
        r = run_cli(["inspect", "--model", str(Path(tempfile.gettempdir()) / "no-such-model.json")])
        assert r.rc == 2, r.stderr
        _state["startup"] = r.cpu_s
    return _state["startup"]


@pytest.fixture(scope="module", autouse=True)
def _start_cli_early(request, cli_futures):
    """Kick the CLI runs off before the first page test of the module."""
    yield
