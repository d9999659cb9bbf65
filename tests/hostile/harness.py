"""Run the CLI on a hostile file under a memory cap and measure it; drive a page's uploader in AppTest."""

import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEMORY_CAP_BYTES = 6 * 1024**3  # address space (RLIMIT_AS): a good forecast run peaks at ~4.8 GB of it
RSS_LIMIT_MB = 1500  # resident memory: a good run peaks at ~0.8 GB
CPU_CAP_S = 20  # the kernel kills a runaway with SIGXCPU past this
WALL_KILL_S = 60  # and we kill it past this
CLI_CPU_LIMIT_S = 1.5  # after start-up, the answer must come within this much CPU time (wall time on a shared
# 2-core machine measures the neighbours, CPU time measures us). Start-up (python + torch imports, 3.5-4.7 CPU-s
# depending on the host's speed that hour) is measured in the same run on a real process and bounded apart:
STARTUP_CPU_LIMIT_S = 8.0


@dataclass
class CliResult:
    rc: int
    stdout: str
    stderr: str
    wall_s: float
    cpu_s: float
    max_rss_mb: float
    killed: bool


def load_manifest(corpus: Path) -> list[dict]:
    return json.loads((corpus / "manifest.json").read_text())["cases"]


def _limits() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP_BYTES, MEMORY_CAP_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_CAP_S, CPU_CAP_S + 1))


def cli_args(case: dict, corpus: Path, tmp: Path) -> list[str]:
    file = str(corpus / case["cli_file"])
    return [a.replace("{file}", file).replace("{tmp}", str(tmp)) for a in case["cli"]]


def run_cli(args: list[str], cwd: Path = ROOT) -> CliResult:
    """`python -m rnn_models ARGS` under the memory and CPU caps; rusage from wait4."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "rnn_models", *args], cwd=cwd, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL, env=env, preexec_fn=_limits)
        killed = threading.Event()

        def kill():
            killed.set()
            try:
                os.kill(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(WALL_KILL_S, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        return CliResult(proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                         wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, killed.is_set())


class ForkServer:
    """A tests/hostile/cli_forkserver.py process: one CLI run at a time, each in a fresh fork."""

    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "hostile" / "cli_forkserver.py")],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
                                     env={**os.environ, "OMP_NUM_THREADS": "1"})
        ready = self.proc.stdout.readline()
        if not ready:
            raise RuntimeError("the CLI fork server did not start")
        self.lock = threading.Lock()

    def run(self, args: list[str]) -> CliResult:
        with self.lock, tempfile.TemporaryDirectory() as d:
            out, err = Path(d) / "out", Path(d) / "err"
            self.proc.stdin.write(json.dumps({"args": args, "stdout": str(out), "stderr": str(err)}) + "\n")
            self.proc.stdin.flush()
            r = json.loads(self.proc.stdout.readline())
            return CliResult(r["rc"], out.read_text(errors="replace") if out.exists() else "",
                             err.read_text(errors="replace") if err.exists() else "", r["wall_s"], r["cpu_s"],
                             r["max_rss_mb"], r["killed"])

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
