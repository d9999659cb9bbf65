"""The text page as a student sees it (issue 19, items 5, 6 and End lesson), in a real browser."""

from playwright.sync_api import expect

from tests.browser.helpers import exception_texts, screenshot, wait_idle

LINK = "/text_generation?text_length=60&text_samples_n=1&text_seed=3&text_temp=0.2"


def in_viewport(page, selector: str) -> bool:
    return page.evaluate(
        "(sel) => { const r = document.querySelector(sel).getBoundingClientRect();"
        " return r.top >= 0 && r.top < window.innerHeight; }", selector)


def test_generate_keeps_a_labelled_history_in_view(app_url, browser_page):
    page = browser_page  # 1400 x 1000, as in the issue
    page.goto(app_url)
    wait_idle(page, 180_000)
    page.goto(app_url + LINK)
    wait_idle(page, 180_000)
    page.get_by_role("button", name="Generate").click()
    wait_idle(page, 180_000)
    expect(page.get_by_text("Newest sample: temperature 0.2").first).to_be_visible(timeout=60_000)
    page.wait_for_timeout(1500)  # the smooth scroll
    assert in_viewport(page, ".st-key-text_latest"), "the sample is below the fold"
    seed = page.get_by_label("Seed", exact=True).first
    seed.fill("4")
    seed.press("Enter")
    wait_idle(page, 180_000)
    page.get_by_role("button", name="Generate").click()
    wait_idle(page, 180_000)
    expect(page.get_by_text("Newest sample: temperature 0.2 · top-k off · top-p off · seed 4").first).to_be_visible(
        timeout=60_000)
    expect(page.get_by_text("Earlier samples").first).to_be_visible()
    expect(page.get_by_text("temperature 0.2 · top-k off · top-p off · seed 3").first).to_be_visible()
    page.wait_for_timeout(1500)
    assert in_viewport(page, ".st-key-text_latest")
    assert exception_texts(page) == []
    screenshot(page, "text_history")
    page.get_by_role("button", name="Clear history").click()
    wait_idle(page, 180_000)
    # the click's rerun may not have started when wait_idle looks, so wait for the result itself
    expect(page.get_by_text("Earlier samples")).to_have_count(0, timeout=60_000)


def test_how_good_is_it_speaks_plainly(app_url, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1400, "height": 2600})
    page.goto(app_url + "/text_generation")
    wait_idle(page, 180_000)
    page.get_by_role("tab", name="How good is it?").click()
    wait_idle(page, 180_000)
    panel = page.get_by_role("tabpanel", name="How good is it?")
    panel.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    # the tab runs only once opened: wait for its last element, then for the run to end
    panel.get_by_role("button", name="Download the raw numbers (JSON)").wait_for(timeout=60_000)
    wait_idle(page, 180_000)
    text = panel.inner_text()
    assert "Shakespeare vanilla RNN" in text and "7-character n-gram" in text
    assert "text_shakespeare_rnn" not in text and "None" not in text
    assert "20 min" in text and "73 min" in text, "training budgets from the checkpoints"
    assert panel.locator('[data-testid="stJson"]').count() == 0
    with page.expect_download() as dl:
        panel.get_by_role("button", name="Download the raw numbers (JSON)").click()
    assert dl.value.suggested_filename == "text_quality.json"
    assert exception_texts(page) == []
    screenshot(page, "text_how_good")


def test_end_lesson_unlocks_the_controls(app_url, browser_page):
    page = browser_page
    from urllib.parse import urlencode

    from ui.lessons import all_lessons, step_target

    _, query = step_target(all_lessons.__wrapped__()["temperature"], 0)
    page.goto(app_url)
    wait_idle(page, 180_000)
    page.goto(app_url + "/text_generation?" + urlencode(query))
    wait_idle(page, 180_000)
    page.get_by_role("button", name="End lesson").wait_for(timeout=60_000)
    model = page.get_by_role("combobox", name="Model").first
    assert model.is_disabled(), "the lesson locks the model"
    page.get_by_role("button", name="End lesson").click()
    # the click's rerun may not have started when wait_idle looks, so wait for the result itself
    expect(page.get_by_role("button", name="End lesson")).to_have_count(0, timeout=60_000)
    wait_idle(page, 180_000)
    assert "lock=" not in page.url
    expect(model).to_be_enabled(timeout=30_000)
    assert exception_texts(page) == []
