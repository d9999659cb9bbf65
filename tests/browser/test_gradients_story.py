"""The explorer's gradient picture tells its section's story by default (issue 19, item 7)."""

from playwright.sync_api import expect

from tests.browser.helpers import exception_texts, screenshot, wait_idle


def ratios(page) -> dict[str, float]:
    """Cell -> ‖∂L/∂h_1‖ ÷ ‖∂L/∂h_T‖ as the metrics show it."""
    out = {}
    for m in page.locator('[data-testid="stMetric"]').all():
        label = m.locator('[data-testid="stMetricLabel"]').inner_text()
        if "÷" in label:
            out[label.split(":")[0].strip()] = float(m.locator('[data-testid="stMetricValue"]').inner_text())
    return out


def test_gradients_default_shows_the_lstm_keeping_gradient(app_url, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1400, "height": 2000})
    page.goto(app_url + "/rnn_explorer?ex_section=gradients")
    wait_idle(page, 180_000)
    page.get_by_text("Chrono init is on").first.wait_for(timeout=120_000)
    # the caption comes before the three cells' metrics: wait for all of them and for the run's end
    page.wait_for_function("() => document.querySelectorAll('[data-testid=\"stMetric\"]').length >= 3",
                           timeout=120_000)
    wait_idle(page, 180_000)
    box = page.get_by_role("checkbox", name="Chrono init (LSTM)")
    assert box.is_checked()
    on = ratios(page)
    assert on["LSTM"] > on["RNN"], on  # the LSTM keeps more of its gradient than the vanilla RNN
    screenshot(page, "gradients_default")
    page.locator("label").filter(has_text="Chrono init (LSTM)").first.click()  # the untrained case, one click away
    wait_idle(page, 180_000)
    expect(page.get_by_text("Chrono init is off").first).to_be_visible(timeout=120_000)
    wait_idle(page, 180_000)
    page.wait_for_function("() => document.querySelectorAll('[data-testid=\"stMetric\"]').length >= 3")
    off = ratios(page)
    assert off["LSTM"] < on["LSTM"], (on, off)
    assert exception_texts(page) == []
