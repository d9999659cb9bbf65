"""Results belong to the inputs that made them (issue 19, item 1; papercuts of item 8), in a real browser."""

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from tests.browser.helpers import exception_texts, screenshot, wait_idle

FAST = "fc_source=co2&fc_hidden=8&fc_steps=20&fc_arima=0&fc_seed=1"


def test_forecast_results_follow_the_data_and_settings(app_url, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1400, "height": 2400})
    page.goto(app_url)
    wait_idle(page, 180_000)
    page.goto(app_url + "/stock_forecasting?" + FAST)
    wait_idle(page, 180_000)
    page.get_by_role("button", name="Train and backtest").click()
    page.get_by_text("Results:").first.wait_for(timeout=300_000)
    wait_idle(page, 180_000)
    # the forecast chart is zoomed to the recent stretch with a range slider for the rest
    page.wait_for_selector(".st-key-fc_chart .rangeslider-bg", timeout=30_000)
    page.get_by_role("tab", name="Anomalies").click()
    expect(page.get_by_text("strict 99% band").first).to_be_visible()
    expect(page.get_by_text("is not an anomaly test").first).to_be_visible()
    # another seed: the result stays, marked as made with the previous settings, one click from a rerun
    seed = page.get_by_label("Seed", exact=True)
    seed.fill("2")
    seed.press("Enter")
    wait_idle(page, 180_000)
    expect(page.get_by_text("for the previous settings").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("(changed since: seed)").first).to_be_visible()
    expect(page.get_by_role("button", name="Rerun with the current settings")).to_be_visible()
    screenshot(page, "forecast_stale_settings")
    # other data: the result is cleared, and the upload offers example files to download
    page.get_by_text("Upload a CSV", exact=True).click()
    wait_idle(page, 180_000)
    expect(page.get_by_text("results made from the previous data were cleared").first).to_be_visible(timeout=30_000)
    assert page.get_by_text("Results:").count() == 0
    expect(page.get_by_role("button", name="forecast_co2_monthly.csv")).to_be_visible()
    with page.expect_download() as dl:
        page.get_by_role("button", name="forecast_co2_monthly.csv").click()
    assert dl.value.suggested_filename == "forecast_co2_monthly.csv"
    # back to the built-in series: controls and results match (no result until trained again)
    page.get_by_text("CO2 monthly (seasonal)", exact=True).click()
    wait_idle(page, 180_000)
    assert page.get_by_text("Results:").count() == 0
    assert exception_texts(page) == []


def test_music_result_cleared_when_the_primer_changes_and_audio_defaults_to_auto_key(app_url, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1400, "height": 2400})
    page.goto(app_url + "/music_continuation?music_bars=1&music_var=1")
    wait_idle(page, 180_000)
    page.get_by_role("button", name="Continue the melody").click()
    page.get_by_role("tab", name="Variation 1").wait_for(timeout=120_000)
    wait_idle(page, 180_000)
    expect(page.get_by_text("Detected key of the primer:").first).to_be_visible()
    page.get_by_text("Audio / microphone", exact=True).click()
    wait_idle(page, 180_000)
    page.get_by_text("notes heard in").first.wait_for(timeout=180_000)
    wait_idle(page, 180_000)
    # the chorale's continuation is gone: it belonged to the previous primer
    expect(page.get_by_text("results made from the previous primer were cleared").first).to_be_visible()
    assert page.get_by_role("tab", name="Variation 1").count() == 0
    # a recording: the key follows the primer, which is shown, and the stray edge notes were left out
    key_box = page.get_by_role("combobox", name="Key constraint")
    assert "auto" in key_box.input_value()
    expect(page.get_by_text("Detected key of the primer: C major").first).to_be_visible()
    expect(page.get_by_text("Left out 4 unsure note(s)").first).to_be_visible()
    # clicking the chosen segment again keeps it chosen; the link never says None
    page.get_by_text("Audio / microphone", exact=True).click()
    wait_idle(page, 180_000)
    query = parse_qs(urlparse(page.url).query)
    assert query.get("music_source") == ["audio"], page.url
    page.get_by_role("button", name="Continue the melody").click()
    page.get_by_role("tab", name="Variation 1").wait_for(timeout=120_000)
    wait_idle(page, 180_000)
    expect(page.get_by_text("key constraint C major").first).to_be_visible()
    # a changed setting marks the continuation as made with the previous settings
    seed = page.get_by_label("Seed", exact=True).first
    seed.fill("5")
    seed.press("Enter")
    wait_idle(page, 180_000)
    expect(page.get_by_text("for the previous settings").first).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Rerun with the current settings").click()
    wait_idle(page, 180_000)
    page.get_by_role("tab", name="Variation 1").wait_for(timeout=120_000)
    # the old tab is still there while the rerun runs: wait for the mark to go, not for the tab
    expect(page.get_by_text("for the previous settings")).to_have_count(0, timeout=120_000)
    assert exception_texts(page) == []
    screenshot(page, "music_audio_auto_key")
