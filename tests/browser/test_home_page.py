from tests.browser.helpers import exception_texts, screenshot, wait_idle


def test_home_page_renders(app_url, browser_page):
    page = browser_page
    page.goto(app_url)
    wait_idle(page)
    page.get_by_role("heading", name="RNN Studio").wait_for()
    page.get_by_text("What is a recurrent network?").wait_for()
    page.wait_for_selector(".rnn-mappings svg rect.box", timeout=30_000)  # the diagram drew
    assert page.locator(".rnn-mappings svg rect.box").count() == 46  # every box of the four panels (tests/app)
    assert page.locator(".rnn-mappings svg marker").count() == 3  # the arrowheads survived sanitising
    box = page.locator(".rnn-mappings svg").bounding_box()
    assert box["width"] > 800 and box["height"] > 200  # drawn across the page, not collapsed
    assert page.locator(".js-plotly-plot").count() == 0  # no plotly.js needed for a student's first page
    assert exception_texts(page) == []
    path = screenshot(page, "home")
    assert path.stat().st_size > 10_000
