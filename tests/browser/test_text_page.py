"""End to end in Chromium: open the text page, generate, watch the text appear, look at the views."""

from tests.browser.helpers import exception_texts, screenshot, wait_idle


def test_generate_text_appears(app_url, browser_page):
    page = browser_page
    page.goto(app_url + "/text_generation")
    wait_idle(page)
    page.get_by_role("heading", name="Text generation").wait_for()
    prime = page.get_by_label("Prime text (the model continues it)")
    prime.fill("ROMEO:\n")
    prime.press("Control+Enter")
    wait_idle(page)
    page.get_by_role("button", name="Generate").click()
    page.locator('[data-testid="stCaptionContainer"]', has_text="Memorisation meter").first.wait_for(
        timeout=60_000)
    wait_idle(page)
    sample = page.locator('[data-testid="stHtml"]').first.inner_text()
    assert sample.startswith("ROMEO:") and len(sample) > 200
    assert exception_texts(page) == []
    screenshot(page, "text_generate")

    page.get_by_role("tab", name="Next character").click()
    page.wait_for_selector(".js-plotly-plot .main-svg")
    page.get_by_role("tab", name="Surprisal").click()
    page.get_by_text("Bits per character on this text").wait_for()
    assert exception_texts(page) == []
    screenshot(page, "text_surprisal")
