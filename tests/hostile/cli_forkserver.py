"""Run many CLI invocations without paying for `import torch` each time.

    python tests/hostile/cli_forkserver.py   (speaks JSON lines on stdin/stdout)

The server imports rnn_models.cli and builds its parser once (that imports torch and every
area's cli module: the same start-up every `python -m rnn_models` pays), then forks one child per
request. The child sets the memory and CPU caps, points stdout/stderr at the request's files and
calls rnn_models.cli.main(args), exactly as `python -m rnn_models ARGS` would after start-up.
The answer carries the child's exit code, CPU seconds and peak RSS (from wait4).
"""

import json
import os
import resource
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def serve() -> None:
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    from rnn_models import cli
    from tests.hostile.harness import CPU_CAP_S, MEMORY_CAP_BYTES, WALL_KILL_S

    cli.build_parser()  # every area's cli module, as a real start-up does
    out = sys.stdout
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        req = json.loads(line)
        t0 = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # child
            try:
                resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP_BYTES, MEMORY_CAP_BYTES))
                resource.setrlimit(resource.RLIMIT_CPU, (CPU_CAP_S, CPU_CAP_S + 1))
                for fd, path in ((1, req["stdout"]), (2, req["stderr"])):
                    f = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                    os.dup2(f, fd)
                    os.close(f)
                sys.stdout = os.fdopen(1, "w", buffering=1)
                sys.stderr = os.fdopen(2, "w", buffering=1)
                os.chdir(req.get("cwd") or ROOT)
                code = cli.main(req["args"])
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else 2
            except BaseException as e:  # what the interpreter would print, and exit 1
                import traceback

                traceback.print_exc()
                code = 1 if not isinstance(e, MemoryError) else 137
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(int(code or 0))
        killed = False
        deadline = time.monotonic() + WALL_KILL_S
        while True:
            wpid, status, usage = os.wait4(pid, os.WNOHANG)
            if wpid:
                break
            if time.monotonic() > deadline and not killed:
                os.kill(pid, signal.SIGKILL)
                killed = True
            time.sleep(0.02)
        out.write(json.dumps({"rc": os.waitstatus_to_exitcode(status), "wall_s": time.perf_counter() - t0,
                              "cpu_s": usage.ru_utime + usage.ru_stime, "max_rss_mb": usage.ru_maxrss / 1024,
                              "killed": killed}) + "\n")
        out.flush()


if __name__ == "__main__":
    serve()
