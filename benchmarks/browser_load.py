"""Real-browser load: N headless Chromium sessions walking RNN Studio's pages, beside a trivial two-page app.

    .venv/bin/python benchmarks/browser_load.py [--sessions 6] [--seconds 120] [--json]

Starts its own servers (benchmarks/harness.py): first a trivial two-page Streamlit app written by this
script, then `streamlit run app.py`. Against each, after one warm walk, N browser sessions (one Chromium,
a context each) click through the sidebar's pages in turn until the time is up. A page switch is timed
from the click until the page's title is drawn and Streamlit's running indicator is gone. Prints p50/p95
of the switches for both apps, the ratio (target: RNN Studio's p95 within 2x the trivial app's), errors,
the server's peak memory, and the load average (the machine may be shared: compare the ratio, not seconds).
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.app_figures import IDLE_JS  # noqa: E402
from benchmarks.harness import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    StreamlitServer,
    cpu_seconds,
    process_tree,
    rss_mb,
)

TARGET_RATIO = 2.0
TRIVIAL = {  # file -> source: a two-page app with a title, a sentence and a slider on each page
    "trivial.py": "import streamlit as st\n\nst.navigation([st.Page('one.py', title='One'), "
                  "st.Page('two.py', title='Two')]).run()\n",
    "one.py": "import streamlit as st\n\nst.title('One')\nst.write('The first page.')\nst.slider('x', 0, 10, 3)\n",
    "two.py": "import streamlit as st\n\nst.title('Two')\nst.write('The second page.')\nst.slider('y', 0, 10, 7)\n",
}


class PeakRss(threading.Thread):
    """The server process's resident memory, sampled twice a second; keeps the peak."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self._halt = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self._halt.wait(0.5):
            self.peak = max(self.peak, rss_mb(self.pid, descendants=False))

    def stop(self) -> float:
        self._halt.set()
        self.join(2)
        return self.peak


async def _switch(page, index: int, title: str) -> float:
    """Click the sidebar's index-th link; seconds until the page's title is drawn and the page is idle."""
    t0 = time.perf_counter()
    await page.locator('[data-testid="stSidebarNav"] a').nth(index).click()
    await page.locator("[data-testid='stMain'] h1", has_text=title).first.wait_for(timeout=120_000)
    await page.wait_for_function(IDLE_JS, timeout=120_000)
    dt = time.perf_counter() - t0
    await page.wait_for_timeout(250)  # settled (not timed): a rerun still starting would show now
    await page.wait_for_function(IDLE_JS, timeout=120_000)
    return dt


LONG_TASKS_JS = ("() => { window.__busy = 0; new PerformanceObserver(l => { for (const e of l.getEntries()) "
                 "window.__busy += e.duration; }).observe({type: 'longtask'}); }")


async def _student(browser, url: str, stops: list[tuple[int, str]], until: float, out: list, errors: list,
                   once: bool = False) -> None:
    """One student: opens the app (its first page), then clicks through `stops` until the time is up. The
    walk with once=True also records the browser's main-thread time per switch (its long tasks, > 50 ms)."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    try:
        await page.goto(url)
        await page.wait_for_function(IDLE_JS, timeout=120_000)
        if once:
            await page.evaluate(LONG_TASKS_JS)
        here, i = 0, 0
        while time.monotonic() < until or (once and i < len(stops)):
            index, title = stops[i % len(stops)]
            i += 1
            if index == here:
                continue
            try:
                if once:
                    await page.evaluate("() => { window.__busy = 0; }")
                dt = await _switch(page, index, title)
                busy = (await page.evaluate("() => window.__busy")) / 1e3 if once else None
                out.append((title, dt) if not once else (title, dt, busy))
                here = index
            except Exception as e:  # a timeout or a closed page: counted, and the walk goes on
                errors.append(f"{title}: {type(e).__name__}")
            if await page.locator("[data-testid='stException']").count():
                errors.append(f"{title}: exception box")
            if once and i >= len(stops):
                break
    finally:
        await context.close()


async def _stops(browser, url: str) -> list[tuple[int, str]]:
    """(index, title drawn) of every sidebar page, read from the app itself."""
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(url)
    await page.wait_for_function(IDLE_JS, timeout=120_000)
    links = page.locator('[data-testid="stSidebarNav"] a')
    await links.first.wait_for(timeout=60_000)
    # a link's text is its icon's name (a font ligature, e.g. "edit_note") and then its title
    stops = [(i, (await links.nth(i).inner_text()).strip().splitlines()[-1].strip())
             for i in range(await links.count())]
    stops[0] = (0, (await page.locator("[data-testid='stMain'] h1").first.inner_text()).strip())  # opened first:
    # its own title ("RNN Studio"), which may differ from its link's ("Home")
    await context.close()
    return stops


async def _load(script: Path, sessions: int, seconds: float, cwd: Path, log) -> dict:
    from playwright.async_api import async_playwright

    with StreamlitServer(script, cwd=cwd, log_path=Path(tempfile.gettempdir()) / f"browser-load-{script.stem}.log") \
            as srv:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            stops = await _stops(browser, srv.url)
            log(f"{script.name}: one warm walk over {len(stops)} pages")
            warm: list = []
            await _student(browser, srv.url, stops, 0, warm, [], once=True)
            log(f"{script.name}: {sessions} sessions for {seconds:.0f} s")
            peak = PeakRss(srv.proc.pid)
            peak.start()
            times: list[float] = []
            errors: list[str] = []
            until = time.monotonic() + seconds
            alone = {title: {"switch_s": dt, "browser_main_thread_s": busy} for title, dt, busy in warm}
            cpu0, t0 = _cpu_split(srv.proc.pid), time.monotonic()
            # the second reading at the deadline, while every student's browser context (and its renderer
            # process, whose CPU time is gone once it exits) is still open
            cpu1 = asyncio.ensure_future(_cpu_split_at(until, srv.proc.pid))
            await asyncio.gather(*(_student(browser, srv.url, stops[i % len(stops):] + stops[:i % len(stops)],
                                            until, times, errors) for i in range(sessions)))
            cpu1, wall = await cpu1, until - t0
            await browser.close()
            peak_mb = peak.stop()
    switches = [dt for _, dt in times]
    return {**_quantiles(switches), "errors": len(errors), "error_kinds": sorted(set(errors))[:10],
            "server_peak_mb": peak_mb, "pages": [s[1] for s in stops],
            "per_page": {t: _quantiles([dt for title, dt in times if title == t]) for _, t in stops},
            "one_session_alone": alone,  # the warm walk: each switch with nobody else on the server
            # the profile: where the two cores' time went while the sessions walked (CPU seconds / wall seconds)
            "cores_busy": {k: (cpu1[k] - cpu0[k]) / wall for k in cpu0}}


def _quantiles(xs: list[float]) -> dict:
    q = statistics.quantiles(xs, n=20) if len(xs) >= 2 else [float("nan")] * 19
    return {"switches": len(xs), "p50_s": statistics.median(xs) if xs else float("nan"), "p95_s": q[18]}


async def _cpu_split_at(when: float, server_pid: int) -> dict[str, float]:
    await asyncio.sleep(max(0.0, when - time.monotonic()))
    return _cpu_split(server_pid)


def _cpu_split(server_pid: int) -> dict[str, float]:
    """CPU seconds used so far by the server (with its job processes), by Chromium's processes, and by
    everything else on the machine (other users' work: the machine may be shared)."""
    server = sum(cpu_seconds(p) for p in process_tree(server_pid))
    chromium = 0.0
    for p in process_tree(os.getpid())[1:]:
        try:
            if b"chrom" in Path(f"/proc/{p}/cmdline").read_bytes():
                chromium += cpu_seconds(p)
        except OSError:
            continue
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    busy = (sum(int(x) for x in fields) - int(fields[3]) - int(fields[4])) / os.sysconf("SC_CLK_TCK")
    return {"server": server, "chromium": chromium, "other": busy - server - chromium}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=6, help="browser sessions at once")
    ap.add_argument("--seconds", type=float, default=120, help="how long the sessions walk, per app")
    ap.add_argument("--json", action="store_true", help="print the result as JSON on stdout")
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"skipped: {CHROMIUM} is not installed", file=sys.stderr)
        return 0
    t0 = time.perf_counter()

    def log(s: str) -> None:
        print(f"[{time.perf_counter() - t0:5.0f}s] {s}", file=sys.stderr, flush=True)

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as d:
        for name, src in TRIVIAL.items():
            (Path(d) / name).write_text(src)
        trivial = asyncio.run(_load(Path(d) / "trivial.py", args.sessions, args.seconds, Path(d), log))
    studio = asyncio.run(_load(ROOT / "app.py", args.sessions, args.seconds, ROOT, log))
    ratio = studio["p95_s"] / trivial["p95_s"]
    result = {"sessions": args.sessions, "seconds": args.seconds, "trivial_app": trivial, "rnn_studio": studio,
              "p95_ratio": ratio, "p50_ratio": studio["p50_s"] / trivial["p50_s"], "target_p95_ratio": TARGET_RATIO,
              "met": ratio <= TARGET_RATIO, "load_average_before": load_before, "load_average_after": os.getloadavg()}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{'':14s}{'switches':>9s}{'p50 s':>8s}{'p95 s':>8s}{'errors':>8s}{'peak MB':>9s}")
        for name, r in (("trivial app", trivial), ("RNN Studio", studio)):
            print(f"{name:14s}{r['switches']:9d}{r['p50_s']:8.2f}{r['p95_s']:8.2f}{r['errors']:8d}"
                  f"{r['server_peak_mb']:9.0f}")
        for name, r in (("trivial app", trivial), ("RNN Studio", studio)):
            busy = r["cores_busy"]
            print(f"{name}: cores busy with the server {busy['server']:.2f}, Chromium {busy['chromium']:.2f}, "
                  f"anything else {busy['other']:.2f} (of {os.cpu_count()})")
        for name, r in (("trivial app", trivial), ("RNN Studio", studio)):
            alone = r["one_session_alone"].items()
            print(f"{name}, one session alone (switch s / browser main thread s): " + ", ".join(
                f"{t} {a['switch_s']:.2f} / {a['browser_main_thread_s']:.2f}" for t, a in alone))
        print("RNN Studio per page (p50 / p95 s): " + ", ".join(
            f"{t} {q['p50_s']:.2f} / {q['p95_s']:.2f}" for t, q in studio["per_page"].items()))
        for name, r in (("trivial app", trivial), ("RNN Studio", studio)):
            if r["error_kinds"]:
                print(f"{name} errors: {'; '.join(r['error_kinds'])}")
        print(f"p95 ratio {ratio:.2f} (target <= {TARGET_RATIO}: {'met' if result['met'] else 'NOT met'}), "
              f"p50 ratio {result['p50_ratio']:.2f}; load average before {load_before[0]:.1f}, "
              f"after {result['load_average_after'][0]:.1f}; {args.sessions} sessions x {args.seconds:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
