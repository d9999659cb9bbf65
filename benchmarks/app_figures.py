"""App figures: cold start, each page's first visit on a fresh server, page switches, model loads, memory.

Drives a real `streamlit run app.py` in headless Chromium (Debian's /usr/bin/chromium).
"""

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.harness import CHROMIUM, CHROMIUM_ARGS, ROOT, StreamlitServer, rss_mb, tree_pss_mb
from rnn_models.bench.report import Figure

PAGES = ("text_generation", "music_continuation", "stock_forecasting", "rnn_explorer", "sequence_classification",
         "translation")
IDLE_JS = ("() => document.querySelector('[data-testid=\"stMain\"]') && "
           "!document.querySelector('[data-testid=\"stStatusWidget\"]')")


def _wait_idle(page, settle_ms: int = 250) -> None:
    page.wait_for_function(IDLE_JS, timeout=120_000)
    page.wait_for_timeout(settle_ms)
    page.wait_for_function(IDLE_JS, timeout=120_000)


def _cold_start(script: Path, selector: str, pw) -> float:
    t0 = time.perf_counter()
    with StreamlitServer(script, log_path=Path(tempfile.gettempdir()) / "bench-cold.log") as srv:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(srv.url)
        page.wait_for_selector(selector, timeout=120_000)
        dt = time.perf_counter() - t0
        browser.close()
    return dt


def model_load_figures() -> list[Figure]:
    """Seconds to load each pretrained checkpoint from disk (what st.cache_resource pays once)."""
    from rnn_models.checkpoints import load

    figs = []
    for js in sorted((ROOT / "assets" / "models").glob("*.json")):
        if not js.with_suffix(".safetensors").is_file():  # e.g. text_quality.json: a table, not a model
            continue
        t0 = time.perf_counter()
        load(js)
        figs.append(Figure(f"load {js.stem}", (time.perf_counter() - t0) * 1e3, "ms", target="< 1000 ms",
                           met=(time.perf_counter() - t0) < 1.0))
    return figs


def _click(page, name: str) -> None:
    page.locator(f'[data-testid="stSidebarNav"] a[href$="/{name}"]').click()


def _first_visit(name: str, log_dir: Path, pw) -> tuple[float, float, float]:
    """A fresh server; a student opens the home page, then `name` for the first time: seconds until its
    title is painted, seconds until it is idle, and seconds to switch back home (the baseline)."""
    with StreamlitServer(ROOT / "app.py", log_path=log_dir / f"first-{name}.log") as srv:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(srv.url)
        _wait_idle(page)
        link = page.locator(f'[data-testid="stSidebarNav"] a[href$="/{name}"]').inner_text()
        title = link.strip().splitlines()[-1].strip()  # after the icon's name (a font ligature)
        t0 = time.perf_counter()
        _click(page, name)
        page.locator("[data-testid='stMain'] h1", has_text=title).first.wait_for(timeout=120_000)
        paint = time.perf_counter() - t0
        _wait_idle(page)
        idle = time.perf_counter() - t0
        t0 = time.perf_counter()
        page.locator('[data-testid="stSidebarNav"] a').first.click()
        _wait_idle(page)
        home = time.perf_counter() - t0
        browser.close()
    return paint, idle, home


def first_visit_figures(pw, log_dir: Path, log: Callable[[str], None]) -> list[Figure]:
    """Each page's first visit on its own fresh server (so no page profits from another's imports)."""
    figs = []
    for name in _present():
        log(f"first visit of {name} on a fresh server")
        paint, idle, home = _first_visit(name, log_dir, pw)
        figs.append(Figure(f"{name} (first paint)", paint, "s", "switch to home", home, "< 1 s", paint < 1.0,
                           note="title and a progress message drawn"))
        figs.append(Figure(f"{name} (first visit)", idle, "s", "switch to home", home, "< 3 s", idle < 3.0))
    return figs


def _present() -> list[str]:
    return [p for p in PAGES if (ROOT / "app_pages" / f"{p}.py").is_file()]


def _walk(page, names: list[str]) -> tuple[dict, list]:
    """Each page then home, timed: ({page: seconds}, [seconds of each switch home])."""
    times, home = {}, []
    for name in names:
        t0 = time.perf_counter()
        _click(page, name)
        page.wait_for_url(f"**/{name}*")
        _wait_idle(page)
        times[name] = time.perf_counter() - t0
        t0 = time.perf_counter()
        page.locator('[data-testid="stSidebarNav"] a').first.click()
        _wait_idle(page)
        home.append(time.perf_counter() - t0)
    return times, home


def walk_figures(pw, log_dir: Path, log: Callable[[str], None], sessions: int = 3) -> list[Figure]:
    """One server: a session walks every page twice (switch times, memory after every page), then
    `sessions` more sessions walk every page and stay open (memory each further session adds)."""
    names = _present()
    with StreamlitServer(ROOT / "app.py", log_path=log_dir / "server.log") as srv:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(srv.url)
        _wait_idle(page)
        home_mb = rss_mb(srv.proc.pid, descendants=False)
        log("every page once, then again")
        _walk(page, names)
        all_mb = rss_mb(srv.proc.pid, descendants=False)
        all_pss = tree_pss_mb(srv.proc.pid)
        again, home = _walk(page, names)
        log(f"{sessions} further sessions")
        for _ in range(sessions):
            other = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            other.goto(srv.url)
            _wait_idle(other)
            _walk(other, names)
        more_mb = rss_mb(srv.proc.pid, descendants=False)
        browser.close()
    home_s = statistics.median(home)
    figs = [Figure(f"switch to {n} (again)", again[n], "s", "switch to home", home_s, "< 2 s", again[n] < 2.0)
            for n in names]
    figs.append(Figure("server memory after every page", all_mb, "MB", "after the home page only", home_mb,
                       "< 700 MB", all_mb < 700, note="RSS of the server process, one session"))
    figs.append(Figure("server memory after every page, with job processes (PSS)", all_pss, "MB",
                       "server RSS after every page", all_mb))
    figs.append(Figure("added memory per further session", (more_mb - all_mb) / sessions, "MB",
                       "server memory after every page", all_mb,
                       note=f"{sessions} more sessions walking every page, kept open"))
    return figs


def bench_figures(quick: bool, log: Callable[[str], None]) -> list[Figure]:
    if not Path(CHROMIUM).exists():
        return [Figure("app figures", 0, "", note=f"skipped: {CHROMIUM} is not installed")]
    from playwright.sync_api import sync_playwright

    figs = model_load_figures()
    repeat = 1 if quick else 3
    with tempfile.TemporaryDirectory() as d, sync_playwright() as pw:
        hello = Path(d) / "hello.py"
        hello.write_text("import streamlit as st\nst.title('hello')\n")
        log("cold start")
        base = statistics.median(_cold_start(hello, "h1", pw) for _ in range(repeat))
        cold = statistics.median(_cold_start(ROOT / "app.py", ".rnn-mappings svg rect.box", pw)
                                 for _ in range(repeat))
        figs.append(Figure("cold start to home page drawn", cold, "s", "one-line Streamlit app", base, "< 10 s",
                           cold < 10))
        figs += first_visit_figures(pw, Path(d), log)
        log("page switches and memory")
        figs += walk_figures(pw, Path(d), log)
    return figs
