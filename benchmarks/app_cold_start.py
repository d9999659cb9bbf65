"""Cold start of RNN Studio to the home page rendered in headless Chromium.

Baseline measured in the same run: a one-line Streamlit app started the same way, so the
ratio shows what RNN Studio adds on top of Streamlit itself.
Run: .venv/bin/python benchmarks/app_cold_start.py [--repeat 3]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, StreamlitServer  # noqa: E402

TARGET_S = 10.0


def cold_start(script: Path, ready_selector: str, pw) -> float:
    """Seconds from launching `streamlit run` to the selector being visible in a fresh browser."""
    t0 = time.perf_counter()
    with StreamlitServer(script, log_path=Path(tempfile.gettempdir()) / "cold_start.log") as srv:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(srv.url)
        page.wait_for_selector(ready_selector, timeout=60_000)
        elapsed = time.perf_counter() - t0
        browser.close()
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as d, sync_playwright() as pw:
        base = Path(d) / "hello.py"
        base.write_text("import streamlit as st\nst.title('hello')\n")
        b = [cold_start(base, "h1", pw) for _ in range(args.repeat)]
        a = [cold_start(ROOT / "app.py", ".js-plotly-plot .main-svg", pw) for _ in range(args.repeat)]
    bm, am = statistics.median(b), statistics.median(a)
    print(f"{'what':<38}{'median s':>10}{'ratio':>8}")
    print(f"{'baseline: one-line Streamlit app':<38}{bm:>10.2f}{1.0:>8.2f}")
    print(f"{'RNN Studio home (diagram drawn)':<38}{am:>10.2f}{am / bm:>8.2f}")
    print(f"target < {TARGET_S:.0f} s: {'met' if am < TARGET_S else 'NOT met'} ({am / TARGET_S:.2f} of target)")


if __name__ == "__main__":
    main()
