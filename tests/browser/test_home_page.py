from tests.browser.helpers import exception_texts, screenshot, wait_idle


def test_home_page_renders(app_url, browser_page):
    page = browser_page
    page.goto(app_url)
    wait_idle(page)
    page.get_by_role("heading", name="RNN Studio").wait_for()
    page.get_by_text("What is a recurrent network?").wait_for()
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)  # the diagram drew
    assert exception_texts(page) == []
    path = screenshot(page, "home")
    assert path.stat().st_size > 10_000
