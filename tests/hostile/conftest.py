"""The hostile corpus is written once per test session (scripts/make_hostile_corpus.py) into a temp dir.

The CLI runs (one subprocess per case, about 2.5 CPU-seconds each, mostly importing torch) start in a
thread pool as soon as the module starts, so they overlap the in-process AppTest page tests.
"""

import importlib.util
import os
import shutil
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.hostile.harness import ROOT, cli_args, load_manifest, run_cli

_state: dict = {}


def corpus_dir() -> Path:
    if "dir" not in _state:
        d = Path(tempfile.mkdtemp(prefix="rnn-hostile-"))
        spec = importlib.util.spec_from_file_location("make_hostile_corpus", ROOT / "scripts" / "make_hostile_corpus.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        mod.main(["--out", str(d)])
        _state["dir"] = d
    return _state["dir"]


def pytest_generate_tests(metafunc):
    if "case" not in metafunc.fixturenames:
        return
    cases = load_manifest(corpus_dir())
    if metafunc.function.__name__.startswith("test_cli"):
        cases = [c for c in cases if c["cli"]]
    metafunc.parametrize("case", cases, ids=[c["name"] for c in cases])


def pytest_sessionfinish(session, exitstatus):
    d = _state.pop("dir", None)
    pool = _state.pop("pool", None)
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)
    for t in _state.pop("tmps", []):
        shutil.rmtree(t, ignore_errors=True)
    if d is not None:
        shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="session")
def corpus() -> Path:
    return corpus_dir()


@pytest.fixture(scope="session")
def cli_futures(corpus) -> dict[str, Future]:
    """name -> Future[CliResult]; started once, two (or cpu_count) subprocesses at a time."""
    if "futures" not in _state:
        pool = ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 2)), thread_name_prefix="hostile-cli")
        _state["pool"], _state["tmps"], futures = pool, [], {}
        for case in load_manifest(corpus):
            if case["cli"]:
                tmp = Path(tempfile.mkdtemp(prefix="rnn-hostile-out-"))
                _state["tmps"].append(tmp)
                futures[case["name"]] = pool.submit(run_cli, cli_args(case, corpus, tmp))
        _state["futures"] = futures
    return _state["futures"]


@pytest.fixture(scope="module", autouse=True)
def _start_cli_early(request, cli_futures):
    """Kick the CLI runs off before the first page test of the module."""
    yield
