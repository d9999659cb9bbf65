"""The real-server harness: start and stop `streamlit run` (a subprocess), headless Chromium's flags, and
the process measurements (memory, CPU) that benchmarks and browser tests share."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StreamlitServer:
    """`streamlit run SCRIPT` on a free loopback port, stopped by its PID."""

    def __init__(self, script: str | Path = "app.py", cwd: Path = ROOT, log_path: Path | None = None,
                 env: dict | None = None):
        self.script, self.cwd = str(script), cwd
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_path) if log_path else Path(tempfile.gettempdir()) / f"streamlit-{self.port}.log"
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen | None = None

    def command(self) -> list[str]:
        """RNN Studio starts through its launcher, as scripts/app.sh does; any other script by streamlit run."""
        start = ([sys.executable, "-m", "ui.serve"] if (self.cwd / self.script).resolve() == ROOT / "app.py"
                 else [sys.executable, "-m", "streamlit", "run", self.script])
        return [*start, "--server.port", str(self.port), "--server.address", "127.0.0.1",
                "--server.headless", "true", "--browser.gatherUsageStats", "false"]

    def start(self, timeout_s: float = 60.0) -> "StreamlitServer":
        self.log = open(self.log_path, "w")
        cmd = self.command()
        self.proc = subprocess.Popen(cmd, cwd=self.cwd, stdout=self.log, stderr=subprocess.STDOUT,
                                     env=self.env, start_new_session=True)
        deadline = time.time() + timeout_s
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited early; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"streamlit did not answer /_stcore/health within {timeout_s:.0f} s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        if getattr(self, "log", None):
            self.log.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def process_tree(pid: int) -> list[int]:
    """pid and all its descendants (children of any of its threads, theirs, ...), from Linux /proc."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, in seconds (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def tree_pss_mb(pid: int) -> float:
    """Proportional memory (PSS: a shared page split between the processes sharing it) of a
    process and all its descendants, in MB: what they use together, with nothing counted twice."""
    total = 0
    for p in process_tree(pid):
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            continue
    return total / 1024


def rss_mb(pid: int, descendants: bool = True) -> float:
    """Resident memory of a process and (by default) all its descendants, e.g. training job
    processes, in MB. Pages a forked child shares with its parent are counted in both: an upper bound."""
    total = 0
    for p in process_tree(pid) if descendants else [pid]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024
