"""App figures: cold start, page-switch latency, pretrained-model load time, server memory.

Drives a real `streamlit run app.py` in headless Chromium (Debian's /usr/bin/chromium).
"""

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.harness import CHROMIUM, CHROMIUM_ARGS, ROOT, StreamlitServer, rss_mb
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
        cold = statistics.median(_cold_start(ROOT / "app.py", ".js-plotly-plot .main-svg", pw)
                                 for _ in range(repeat))
        figs.append(Figure("cold start to home page drawn", cold, "s", "one-line Streamlit app", base, "< 10 s",
                           cold < 10))
        log("page switches and memory")
        with StreamlitServer(ROOT / "app.py", log_path=Path(d) / "server.log") as srv:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(srv.url)
            _wait_idle(page)
            home_mb = rss_mb(srv.proc.pid)
            first, again, home = {}, {}, []
            present = [p for p in PAGES if (ROOT / "app_pages" / f"{p}.py").is_file()]
            for rnd in (first, again):
                for name in present:
                    t0 = time.perf_counter()
                    page.locator(f'[data-testid="stSidebarNav"] a[href$="/{name}"]').click()
                    page.wait_for_url(f"**/{name}*")
                    _wait_idle(page)
                    rnd[name] = time.perf_counter() - t0
                    t0 = time.perf_counter()
                    page.locator('[data-testid="stSidebarNav"] a').first.click()
                    _wait_idle(page)
                    home.append(time.perf_counter() - t0)
            all_mb = rss_mb(srv.proc.pid)
            browser.close()
        home_s = statistics.median(home)
        for name in present:
            figs.append(Figure(f"switch to {name} (first visit)", first[name], "s", "switch to home", home_s))
            figs.append(Figure(f"switch to {name} (again)", again[name], "s", "switch to home", home_s,
                               "< 2 s", again[name] < 2.0))
        figs.append(Figure("server memory after every page once", all_mb, "MB", "after the home page only",
                           home_mb))
    return figs
