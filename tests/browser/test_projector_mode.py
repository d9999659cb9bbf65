"""Projector mode on every page at 1280x720 and 1920x1080 (issue 19, item 4), and the home page's first draw.

Screenshots: tests/browser/screenshots/projector_<page>_<size>.png (look at them).
"""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import SCREENSHOTS, exception_texts, wait_idle

PAGES = ["", "text_generation", "music_continuation", "stock_forecasting", "rnn_explorer",
         "sequence_classification", "translation"]
SIZES = [(1280, 720), (1920, 1080)]

CUT_OFF = """() => {
  const cut = [];
  for (const el of document.querySelectorAll('button, [data-testid="stMetricValue"], [data-testid="stMetricLabel"]')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    for (const t of el.querySelectorAll('p, div, span')) {
      if (t.scrollWidth > t.clientWidth + 2 && t.textContent.trim()) cut.push(t.textContent.trim().slice(0, 40));
    }
  }
  return cut;
}"""


def sidebar_collapsed(page, width: int) -> None:
    box = page.locator('[data-testid="stSidebar"]').bounding_box()
    assert box is None or box["width"] < 60 or box["x"] + box["width"] <= 5, box
    main = page.locator('[data-testid="stMain"]').bounding_box()
    assert main["x"] < 0.05 * width and main["width"] > 0.9 * width, main


def settle(page) -> None:
    wait_idle(page, 300_000)
    page.wait_for_selector("h1", timeout=300_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=300_000)
    wait_idle(page, 300_000)
    page.wait_for_timeout(800)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_projector_mode_every_page(app_url, _browser, size):
    width, height = size
    context = _browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(120_000)
    try:
        if width == SIZES[0][0]:  # a teacher switches it on mid-session: the sidebar folds away at once
            page.goto(f"{app_url}/text_generation")
            settle(page)
            assert page.locator('[data-testid="stSidebar"]').bounding_box()["width"] > 200
            page.get_by_text("Projector mode").click()
            page.wait_for_function(  # the projector styles are in: body text is larger than the normal 16 px
                "() => parseFloat(getComputedStyle(document.querySelector('[data-testid=stMarkdownContainer] p'))"
                ".fontSize) > 19")
            page.wait_for_timeout(600)  # the sidebar's fold animation
            sidebar_collapsed(page, width)
            assert "present=1" in page.url
            page.screenshot(path=str(SCREENSHOTS / f"projector_switched_on_{width}x{height}.png"))
        for name in PAGES:
            page.goto(f"{app_url}/{name}?present=1")
            settle(page)
            sidebar_collapsed(page, width)  # the sidebar starts collapsed: the page has the whole width
            # nothing wider than the window, no button or metric text cut off
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width + 2, name
            assert page.evaluate(CUT_OFF) == [], name
            assert exception_texts(page) == []
            page.screenshot(path=str(SCREENSHOTS / f"projector_{name or 'home'}_{width}x{height}.png"))
        # a metric's value is larger than its label (explorer, gradients section)
        page.goto(f"{app_url}/rnn_explorer?present=1&ex_section=gradients")
        settle(page)
        value = page.locator('[data-testid="stMetricValue"]').first
        label = page.locator('[data-testid="stMetricLabel"]').first
        v = value.evaluate("e => parseFloat(getComputedStyle(e.querySelector('*') || e).fontSize)")
        lab = label.evaluate("e => parseFloat(getComputedStyle(e.querySelector('p') || e).fontSize)")
        assert v > 1.5 * lab, (v, lab)
        # charts are taller than in the normal layout (the house charts start at 380 px)
        chart_h = page.locator(".js-plotly-plot").first.bounding_box()["height"]
        assert chart_h >= 460, chart_h
        page.screenshot(path=str(SCREENSHOTS / f"projector_gradients_{width}x{height}.png"))
    finally:
        context.close()


def test_home_page_shows_no_running_notice(app_url, browser_page):
    page = browser_page
    page.goto(app_url)
    page.wait_for_selector('[data-testid="stApp"]')
    seen = []
    for _ in range(20):  # watch the first draw: Streamlit's spinner would name the cached function
        seen.append(page.locator("body").inner_text())
        page.wait_for_timeout(150)
    wait_idle(page)
    expect(page.get_by_role("heading", name="RNN Studio")).to_be_visible()
    assert not any("_diagram" in s for s in seen)
