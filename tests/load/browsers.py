"""A few real headless Chromium tabs beside the protocol clients: a cross-check that the pages render.

Each tab loads every page in turn until the deadline, recording the time until the page is idle
and any exception boxes. Runs in its own thread (Playwright's sync API).
"""

import threading
import time
from dataclasses import dataclass, field

from benchmarks.harness import CHROMIUM, CHROMIUM_ARGS
from tests.browser.helpers import exception_texts, wait_idle

PAGES = ("", "text_generation", "stock_forecasting", "music_continuation", "rnn_explorer")


@dataclass
class BrowserResult:
    loads: list[tuple[str, float]] = field(default_factory=list)  # (page, seconds until idle)
    exceptions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def browse(url: str, tabs: int, deadline: float, result: BrowserResult) -> None:
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            pages = [browser.new_context(viewport={"width": 1280, "height": 900}).new_page() for _ in range(tabs)]
            i = 0
            while time.monotonic() < deadline:
                for tab in pages:
                    name = PAGES[i % len(PAGES)]
                    t0 = time.perf_counter()
                    try:
                        tab.goto(f"{url}/{name}", timeout=120_000)
                        wait_idle(tab, timeout_ms=120_000)
                        result.loads.append((name or "home", time.perf_counter() - t0))
                        result.exceptions += exception_texts(tab)
                    except Exception as e:  # a timeout is a finding, not a crash of the load test
                        result.errors.append(f"{name or 'home'}: {type(e).__name__}: {str(e)[:120]}")
                    if time.monotonic() >= deadline:
                        break
                i += 1
            browser.close()
    except Exception as e:
        result.errors.append(f"browser: {type(e).__name__}: {e}")


def start(url: str, tabs: int, seconds: float) -> tuple[threading.Thread, BrowserResult]:
    result = BrowserResult()
    t = threading.Thread(target=browse, args=(url, tabs, time.monotonic() + seconds, result), daemon=True,
                         name="load-browsers")
    t.start()
    return t, result
