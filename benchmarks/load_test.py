"""Load test: N simulated students on one real server, every page, for a few minutes.

    .venv/bin/python benchmarks/load_test.py --sessions 30 --minutes 5

Starts `streamlit run app.py` on a free loopback port (benchmarks/harness.py), warms it with
one walk, measures the memory of idle sessions, then runs N students at once. Each student
opens a tab (a websocket session speaking Streamlit's own protocol, tests/load/st_client.py),
walks every page (tests/load/scenario.py), closes the tab, and starts again until the time is up.
Prints a summary table: p50/p95 of non-training interactions, errors, exception boxes, training
pool behaviour, memory per idle session, and server memory per wave (the run cut into equal
time windows: the last wave's peak should be at most 1.1 x the second's). The waves' check is on
the server process; the memory of the training job processes is reported beside it.
"""

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.harness import StreamlitServer, cpu_seconds, rss_mb, tree_pss_mb  # noqa: E402
from tests.load.scenario import Record, Student, default_settings  # noqa: E402
from tests.load.st_client import StreamlitClient  # noqa: E402

TARGET_P95_S = 2.0
TARGET_GROWTH = 1.1
WARMUP_LIMIT_S = 300.0  # the first walk loads every cached model and corpus
IDLE_LIMIT_S = 300.0


class RssSampler(threading.Thread):
    """Samples the server process's RSS, and that of it with its job processes, twice a second."""

    def __init__(self, pid: int, every_s: float = 0.5):
        super().__init__(daemon=True)
        self.pid, self.every_s = pid, every_s
        self.samples: list[tuple[float, float]] = []  # (monotonic time, MB): the server process
        self.tree: list[tuple[float, float]] = []  # (monotonic time, MB): PSS with its training job processes
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            t = time.monotonic()
            self.samples.append((t, rss_mb(self.pid, descendants=False)))
            self.tree.append((t, tree_pss_mb(self.pid)))
            self._halt.wait(self.every_s)

    def stop(self) -> None:
        self._halt.set()
        self.join(2)

    def peak(self, t0: float, t1: float, tree: bool = False) -> float:
        vals = [mb for t, mb in (self.tree if tree else self.samples) if t0 <= t <= t1]
        return max(vals) if vals else 0.0


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    v = sorted(values)
    k = (len(v) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


async def settled_rss(pid: int, seconds: float = 6.0) -> float:
    """Median of RSS samples over a few quiet seconds (one sample is at the mercy of the allocator)."""
    samples = []
    for _ in range(int(seconds / 0.5)):
        await asyncio.sleep(0.5)
        samples.append(rss_mb(pid, descendants=False))
    return statistics.median(samples)


async def idle_memory(url: str, pid: int, n: int) -> tuple[float, float, float]:
    """RSS before and after n tabs that opened the app and sit idle on its home page; (before, after, per tab)."""
    before = await settled_rss(pid)
    clients = [StreamlitClient(url, timeout_s=120) for _ in range(n)]
    try:
        for c in clients:
            await c.connect()
            await c.open("")
        after = await settled_rss(pid)
    finally:
        for c in clients:
            await c.close()
    return before, after, (after - before) / max(1, n)


async def student_loop(i: int, url: str, deadline: float, hard_deadline: float, settings, out: list[Record],
                       walks: dict, ramp_s: float, seed: int, max_waves: int) -> None:
    rng = random.Random(seed * 1000 + i)
    await asyncio.sleep(rng.uniform(0, ramp_s))
    wave = 0
    while time.monotonic() < deadline and wave < max_waves:
        wave += 1
        t0 = time.monotonic()
        c = StreamlitClient(url, timeout_s=max(30.0, min(120.0, hard_deadline - t0)))
        try:
            await c.connect()
            st = Student(c, i, wave, settings, out, rng)
            await asyncio.wait_for(st.walk(), max(1.0, hard_deadline - time.monotonic()))
        except TimeoutError as e:
            if time.monotonic() >= hard_deadline - 0.5:  # the run's hard stop: counted apart, not an app error
                out.append(Record(i, wave, "-", "walk cut at the run's end", "cut", 0.0, True, ""))
            else:
                out.append(Record(i, wave, "-", "walk", "ui", 0.0, False, f"TimeoutError: {e}"))
        except Exception as e:  # connection refused, a websocket error, ...
            out.append(Record(i, wave, "-", "walk", "ui", 0.0, False, f"{type(e).__name__}: {e}"))
        finally:
            for msg in c.fatal:
                out.append(Record(i, wave, "-", "background (websocket / auto-rerun)", "ui", 0.0, False, msg))
            if c.background_exceptions:
                out.append(Record(i, wave, "-", "background (auto-rerun)", "ui", 0.0, True, "",
                                  list(c.background_exceptions)))
            await c.close()
        w = walks.setdefault(wave, [t0, time.monotonic(), 0])
        w[0], w[1], w[2] = min(w[0], t0), max(w[1], time.monotonic()), w[2] + 1


async def run_students(url: str, n: int, minutes: float, settings, ramp_s: float, seed: int,
                       max_waves: int) -> tuple[list[Record], dict, float]:
    out: list[Record] = []
    walks: dict = {}
    t0 = time.monotonic()
    deadline = t0 + minutes * 60
    hard = deadline + max(120.0, minutes * 30)  # the last walks may finish; nothing runs past this
    await asyncio.gather(*(student_loop(i, url, deadline, hard, settings, out, walks, ramp_s, seed, max_waves)
                           for i in range(n)))
    walks["t0"], walks["deadline"] = t0, deadline
    return out, walks, time.monotonic() - t0


def distinct(messages, limit: int = 15) -> list[str]:
    """The first `limit` different messages, each with how often it happened."""
    counts: dict[str, int] = {}
    for m in messages:
        counts[m] = counts.get(m, 0) + 1
    return [f"{m} (x{n})" for m, n in list(counts.items())[:limit]]


def count_tracebacks(log: Path) -> int:
    try:
        return log.read_text(errors="replace").count("Traceback (most recent call last)")
    except OSError:
        return 0


def summarise(args, records: list[Record], waves: dict, sampler: RssSampler, idle, warm_s: float,
              elapsed: float, tracebacks: int) -> dict:
    ui = [r for r in records if r.kind == "ui" and r.ok and r.seconds > 0]
    by_label: dict[str, list[Record]] = {}
    for r in records:
        by_label.setdefault(r.label, []).append(r)
    failures = [r for r in records if not r.ok]
    exceptions = [e for r in records for e in r.exceptions]
    shown = [(r.label, e) for r in records for e in r.errors_shown]
    t_run, deadline = waves.pop("t0"), waves.pop("deadline")
    br = waves.pop("browsers", None)
    server_cpu = waves.pop("server_cpu_s", float("nan"))
    n_waves = max(1, args.waves)
    width = (deadline - t_run) / n_waves
    wave_rows = []
    for k in range(n_waves):
        a, b = t_run + k * width, t_run + (k + 1) * width
        inside = [r for r in ui if a <= r.at < b]
        wave_rows.append({"wave": k + 1, "from_s": round(a - t_run), "to_s": round(b - t_run),
                          "interactions": len(inside), "p95_s": round(pct([r.seconds for r in inside], 0.95), 2),
                          "tabs_opened": sum(1 for r in records if r.label == "open home" and a <= r.at < b),
                          "peak_rss_mb": round(sampler.peak(a, b), 1),
                          "peak_with_jobs_mb": round(sampler.peak(a, b, tree=True), 1)})
    growth = (wave_rows[-1]["peak_rss_mb"] / wave_rows[1]["peak_rss_mb"]) if n_waves >= 3 and \
        wave_rows[1]["peak_rss_mb"] else None
    train = [r for r in records if r.kind == "training"]
    result_times = [r.seconds for r in train if r.label == "forecast: result"]
    freed = [r for r in train if r.label == "train: stopped and freed"]
    p95 = pct([r.seconds for r in ui], 0.95)
    summary = {
        "command": " ".join([".venv/bin/python", "benchmarks/load_test.py"] + sys.argv[1:]),
        "sessions": args.sessions, "minutes": args.minutes, "elapsed_s": round(elapsed, 1),
        "cpus": os.cpu_count(), "warmup_walk_s": round(warm_s, 1),
        "walks_completed": sum(c for _, _, c in waves.values()) - sum(1 for r in records if r.kind == "cut"),
        "ui_interactions": len(ui), "ui_p50_s": round(pct([r.seconds for r in ui], 0.5), 3),
        "ui_p95_s": round(p95, 3), "ui_max_s": round(max((r.seconds for r in ui), default=0), 3),
        "server_cpu_s": round(server_cpu, 1), "server_cpu_share": round(server_cpu / max(1e-9, elapsed), 3),
        "server_cpu_ms_per_interaction": round(1000 * server_cpu / max(1, len(ui)), 1),
        "failed_interactions": len(failures), "exception_boxes": len(exceptions),
        "walks_cut_at_end": sum(1 for r in records if r.kind == "cut"),
        "errors_shown": len(shown), "server_tracebacks": tracebacks,
        "forecasts_finished": len(result_times), "forecast_result_p50_s": round(pct(result_times, 0.5), 1),
        "forecast_stopped_slow": sum(1 for r in train if r.label.startswith("forecast: stop")),
        "trainings_started": sum(1 for r in train if r.label == "train: start" and r.ok),
        "trainings_stopped_and_freed": sum(1 for r in freed if r.ok),
        "stop_to_free_p95_s": round(pct([r.seconds for r in freed if r.ok], 0.95), 2),
        "rss_baseline_mb": round(idle[0], 1), "rss_idle_tabs_mb": round(idle[1], 1),
        "mb_per_idle_session": round(idle[2], 2), "idle_sessions_measured": args.idle_sessions,
        "rss_peak_mb": round(max(mb for _, mb in sampler.samples), 1),
        "pss_peak_with_jobs_mb": round(max(mb for _, mb in sampler.tree), 1),
        "rss_end_mb": round(sampler.samples[-1][1], 1),
        "waves": wave_rows, "last_over_second_wave": round(growth, 3) if growth else None,
        "steps": {label: {"n": len(rs), "p50_s": round(pct([r.seconds for r in rs if r.ok], 0.5), 3),
                          "p95_s": round(pct([r.seconds for r in rs if r.ok], 0.95), 3),
                          "failed": sum(1 for r in rs if not r.ok), "kind": rs[0].kind}
                  for label, rs in by_label.items()},
        "failure_examples": distinct(f"{r.label} [{r.page}]: {r.error}" for r in failures),
        "exception_examples": distinct(exceptions),
        "errors_shown_examples": distinct(f"{label}: {body[:160]}" for label, body in shown),
    }
    if br is not None:
        times = [t for _, t in br.loads]
        summary.update({"browser_tabs": args.browsers, "browser_page_loads": len(times),
                        "browser_load_p50_s": round(pct(times, 0.5), 2),
                        "browser_load_p95_s": round(pct(times, 0.95), 2),
                        "browser_exception_boxes": len(br.exceptions), "browser_errors": distinct(br.errors)})
    summary["pass"] = {
        "zero_errors": not failures and tracebacks == 0 and not shown and not (br and br.errors),
        "zero_exception_boxes": not exceptions and not (br and br.exceptions),
        f"ui_p95_under_{TARGET_P95_S:.0f}s": p95 < TARGET_P95_S,
        "memory_levels_off": growth is not None and growth <= TARGET_GROWTH,
    }
    return summary


def print_table(s: dict) -> None:
    line = "-" * 78
    print(line)
    print(f"RNN Studio load test: {s['sessions']} sessions for {s['minutes']:g} min on {s['cpus']} CPUs "
          f"({s['elapsed_s']:.0f} s, {s['walks_completed']} full walks)")
    print(f"command: {s['command']}")
    print(line)
    rows = [
        ("non-training interactions", f"{s['ui_interactions']}"),
        ("  p50 / p95 / max latency", f"{s['ui_p50_s']:.2f} s / {s['ui_p95_s']:.2f} s / {s['ui_max_s']:.2f} s"),
        ("server process CPU (share of one core)", f"{s['server_cpu_s']} s ({s['server_cpu_share']:.0%}), "
                                                   f"{s['server_cpu_ms_per_interaction']} ms per interaction"),
        ("failed interactions", f"{s['failed_interactions']}"),
        ("exception boxes", f"{s['exception_boxes']}"),
        ("st.error shown on good input", f"{s['errors_shown']}"),
        ("server log tracebacks", f"{s['server_tracebacks']}"),
        ("forecasts finished (p50 to result)", f"{s['forecasts_finished']} ({s['forecast_result_p50_s']} s)"),
        ("forecasts stopped (too slow)", f"{s['forecast_stopped_slow']}"),
        ("trainings started / stopped+freed", f"{s['trainings_started']} / {s['trainings_stopped_and_freed']}"
                                              f" (p95 stop->free {s['stop_to_free_p95_s']} s)"),
        ("server RSS, home page loaded once", f"{s['rss_baseline_mb']:.0f} MB"),
        ("memory per idle session (home page open)", f"{s['mb_per_idle_session']:.2f} MB "
                                                    f"({s['idle_sessions_measured']} tabs)"),
        ("server RSS peak / end", f"{s['rss_peak_mb']:.0f} MB / {s['rss_end_mb']:.0f} MB"),
        ("peak with training job processes (PSS)", f"{s['pss_peak_with_jobs_mb']:.0f} MB"),
        ("last wave / second wave (peak RSS)", f"{s['last_over_second_wave']}"),
        ("full walks finished", f"{s['walks_completed']}"),
        ("walks still going at the hard stop", f"{s['walks_cut_at_end']} (cut, not counted as failures)"),
    ]
    if "browser_tabs" in s:
        rows.append(("Chromium tabs: page loads (p50/p95)",
                     f"{s['browser_page_loads']} ({s['browser_load_p50_s']} s / {s['browser_load_p95_s']} s), "
                     f"{s['browser_exception_boxes']} exception boxes, {len(s['browser_errors'])} errors"))
    for k, v in rows:
        print(f"{k:<40} {v}")
    print(line)
    print(f"{'wave':>4} {'window s':>11} {'interactions':>12} {'p95 s':>7} {'tabs opened':>11} {'peak RSS MB':>12}"
          f" {'with jobs MB':>12}")
    for w in s["waves"]:
        print(f"{w['wave']:>4} {w['from_s']:>5}-{w['to_s']:<5} {w['interactions']:>12} {w['p95_s']:>7} "
              f"{w['tabs_opened']:>11} {w['peak_rss_mb']:>12} {w['peak_with_jobs_mb']:>12}")
    print(line)
    print(f"{'step':<36} {'kind':<8} {'n':>5} {'p50 s':>7} {'p95 s':>7} {'failed':>6}")
    for label, st in s["steps"].items():
        print(f"{label[:36]:<36} {st['kind']:<8} {st['n']:>5} {st['p50_s']:>7} {st['p95_s']:>7} {st['failed']:>6}")
    print(line)
    for title, key in (("failures", "failure_examples"), ("exception boxes", "exception_examples"),
                       ("errors shown", "errors_shown_examples"), ("browser errors", "browser_errors")):
        if s.get(key):
            print(f"{title} (first {len(s[key])}):")
            for e in s[key]:
                print(f"  - {e}")
    for k, ok in s["pass"].items():
        print(f"{'PASS' if ok else 'FAIL'}  {k}")
    print(line)


async def main_async(args, server: StreamlitServer, sampler: RssSampler):
    settings = default_settings()
    settings.think_s = args.think
    # 1. memory per idle tab, measured first, while nothing else is allocating or freeing
    try:
        c = StreamlitClient(server.url, timeout_s=120)
        await c.connect()
        await c.open("")  # imports what the home page needs, once
        await c.close()
        idle = await asyncio.wait_for(idle_memory(server.url, server.proc.pid, args.idle_sessions), IDLE_LIMIT_S)
    except Exception as e:
        print(f"idle-session measurement failed: {type(e).__name__}: {e}", file=sys.stderr)
        idle = (float("nan"), float("nan"), float("nan"))
    # 2. one walk to load every cached model and corpus (not measured)
    t0 = time.monotonic()
    warm: list[Record] = []
    c = StreamlitClient(server.url, timeout_s=120)
    try:
        await c.connect()
        await asyncio.wait_for(Student(c, -1, 0, settings, warm, random.Random(0)).walk(), WARMUP_LIMIT_S)
    except Exception as e:
        warm.append(Record(-1, 0, "-", "warm-up walk", "ui", 0.0, False, f"{type(e).__name__}: {e}"))
    finally:
        await c.close()
    warm_s = time.monotonic() - t0
    bad = [r for r in warm if not r.ok or r.exceptions]
    if bad:
        print("warm-up walk problems (the measured run goes on):", file=sys.stderr)
        for r in bad[:10]:
            print(f"  {r.label} [{r.page}]: {r.error or r.exceptions}", file=sys.stderr)
    # 3. the class (and, optionally, a few real Chromium tabs beside it)
    browser = None
    if args.browsers:
        from tests.load import browsers

        browser = browsers.start(server.url, args.browsers, args.minutes * 60)
    cpu0 = cpu_seconds(server.proc.pid)
    records, waves, elapsed = await run_students(server.url, args.sessions, args.minutes, settings,
                                                 args.ramp_s, args.seed, args.max_waves)
    waves["server_cpu_s"] = cpu_seconds(server.proc.pid) - cpu0
    if browser is not None:
        await asyncio.to_thread(browser[0].join, 180)
        waves["browsers"] = browser[1]
    return records, waves, elapsed, idle, warm_s


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=5, help="concurrent students (tabs)")
    ap.add_argument("--minutes", type=float, default=1.0, help="how long students keep starting new walks")
    ap.add_argument("--ramp-s", type=float, default=10.0, help="students arrive spread over this many seconds")
    ap.add_argument("--idle-sessions", type=int, default=30, help="idle tabs opened to measure memory per session")
    ap.add_argument("--max-waves", type=int, default=50, help="upper bound on walks per student")
    ap.add_argument("--waves", type=int, default=5, help="time windows the run is cut into for the memory check")
    ap.add_argument("--browsers", type=int, default=0, help="real headless Chromium tabs beside the clients")
    ap.add_argument("--think", type=lambda v: tuple(float(x) for x in v.split(",")), default=(0.3, 1.5),
                    metavar="MIN,MAX", help="a student's pause between interactions, in seconds")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", type=Path, default=None, help="also write the summary here")
    args = ap.parse_args(argv)
    if not (1 <= args.sessions <= 200 and 0 < args.minutes <= 60):
        ap.error("--sessions must be 1..200 and --minutes 0..60")
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"rnn_studio_load_{os.getpid()}.log"
    server = StreamlitServer(log_path=log).start(timeout_s=120)
    sampler = RssSampler(server.proc.pid)
    sampler.start()
    try:
        budget = WARMUP_LIMIT_S + IDLE_LIMIT_S + args.minutes * 60 + max(120.0, args.minutes * 30) + 60
        records, waves, elapsed, idle, warm_s = asyncio.run(asyncio.wait_for(main_async(args, server, sampler),
                                                                             budget))
    finally:
        sampler.stop()
        server.stop()
    summary = summarise(args, records, waves, sampler, idle, warm_s, elapsed, count_tracebacks(log))
    summary["server_log"] = str(log)
    print_table(summary)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1))
    return 0 if all(summary["pass"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
