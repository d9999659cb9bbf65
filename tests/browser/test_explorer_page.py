"""The RNN explorer in a real browser: every section renders and the two trainings run to the end."""

from playwright.sync_api import expect

from tests.browser.helpers import exception_texts, screenshot, wait_idle


def open_section(page, name: str) -> None:
    page.locator('[data-testid="stButtonGroup"]').get_by_text(name, exact=True).click()
    wait_idle(page)


def slider_to_min(page, label: str) -> None:
    box = page.locator('[data-testid="stSlider"]').filter(has_text=label).first
    box.get_by_role("slider").first.focus()
    page.keyboard.press("Home")
    wait_idle(page)


def test_explorer_sections(app_url, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1400, "height": 2400})
    page.goto(app_url)  # a fresh server serves deep links with app.py only once the home page was opened
    wait_idle(page)
    page.goto(app_url + "/rnn_explorer")
    wait_idle(page)
    page.get_by_role("heading", name="RNN explorer").wait_for()

    # hidden states: the text coloured by a unit, the ranking, the heatmap
    page.get_by_text("Colour the text by unit").wait_for()
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    expect(page.get_by_text("The property itself")).to_be_visible(timeout=30_000)
    screenshot(page, "explorer_hidden_states")
    for tab, shot in (("Gates", "explorer_gates"), ("Trajectory (PCA)", "explorer_pca"),
                      ("Show the math", "explorer_math")):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(1500)
        wait_idle(page)
        screenshot(page, shot)
    assert page.locator(".katex").count() >= 2  # the equations rendered
    assert exception_texts(page) == []

    # gradients through time, Jacobians, clipping
    open_section(page, "Gradients through time")
    page.get_by_text("The running product of Jacobians").wait_for()
    page.get_by_role("button", name="Train a vanilla RNN with and without clipping").click()
    page.get_by_text("no clipping", exact=False).last.wait_for(timeout=120_000)
    wait_idle(page, 120_000)
    screenshot(page, "explorer_gradients")
    assert exception_texts(page) == []

    # the race, shortened to 10 s
    open_section(page, "Long-range race")
    slider_to_min(page, "Seconds of training")
    page.get_by_role("button", name="Start the race").click()
    page.get_by_text("Held-out loss during the race").first.wait_for(timeout=60_000)
    screenshot(page, "explorer_race_live")
    page.get_by_text("Result: adding problem, T = 100").wait_for(timeout=120_000)
    wait_idle(page)
    expect(page.get_by_text("RNN held-out MSE")).to_be_visible(timeout=30_000)
    screenshot(page, "explorer_race_result")
    assert exception_texts(page) == []

    # bidirectional fill-in-the-blank, 5 s
    open_section(page, "Bidirectional")
    slider_to_min(page, "Seconds of training")
    page.get_by_role("button", name="Train forward-only and bidirectional GRUs").click()
    page.get_by_text("bidirectional: accuracy on held-out blanks").wait_for(timeout=120_000)
    wait_idle(page)
    page.get_by_text("Which inputs the answer depends on").first.wait_for()
    screenshot(page, "explorer_bidirectional")
    assert exception_texts(page) == []

    # the same on real text: Shakespeare windows with the middle character hidden
    page.get_by_text("Shakespeare (real text)", exact=True).click()
    wait_idle(page)
    page.get_by_role("button", name="Train forward-only and bidirectional GRUs").click()
    page.get_by_text("windows of the training plays").wait_for(timeout=180_000)
    wait_idle(page)
    screenshot(page, "explorer_bidirectional_text")
    assert exception_texts(page) == []


def test_explorer_bad_regex_is_a_clear_message(app_url, browser_page):
    page = browser_page
    page.goto(app_url)
    wait_idle(page)
    page.goto(app_url + "/rnn_explorer")
    wait_idle(page)
    page.get_by_text("Colour the text by unit").wait_for()
    wait_idle(page)
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Find units that track").locator("input").click()
    page.keyboard.type("regex")
    page.keyboard.press("Enter")
    wait_idle(page)
    box = page.get_by_label("Regular expression (characters inside a match count)")
    box.fill("([a-z")
    box.press("Enter")
    wait_idle(page)
    page.get_by_text("not a valid regular expression").wait_for()
    assert exception_texts(page) == []
    screenshot(page, "explorer_bad_regex")


GRADIENT_LINK = ("/rnn_explorer?ex_section=gradients&ex_g_len=50&ex_g_scale=1.5&ex_g_default=0&ex_g_nl=tanh"
                 "&ex_g_chrono=1&ex_g_budget=1000&ex_g_seed=4&ex_g_jcell=lstm")


def gradient_numbers(page) -> list[str]:
    page.get_by_text("The running product of Jacobians").wait_for(timeout=120_000)
    page.locator('[data-testid="stMetricValue"]').nth(2).wait_for(timeout=120_000)
    wait_idle(page)
    return page.locator('[data-testid="stMetricValue"]').all_inner_texts()


def test_a_shared_gradient_link_shows_the_same_numbers(app_url, browser_page):
    page = browser_page
    page.goto(app_url)  # a fresh server serves deep links properly once the home page was opened
    wait_idle(page)
    # the teacher's set-up (the URL is the set-up: the same settings as typing them in) ...
    page.goto(app_url + GRADIENT_LINK)
    teacher = gradient_numbers(page)
    assert len(teacher) == 3 and all("e" in v for v in teacher)
    page.get_by_role("button", name="Copy link to this set-up").click()
    link = page.locator('[data-testid="stCode"]').filter(has_text="ex_g_seed=4").first.inner_text().strip()
    assert "ex_g_len=50" in link and "ex_g_chrono=1" in link and "ex_g_jcell=lstm" in link
    screenshot(page, "explorer_share_link")

    # ... a student opens the copied link in a new browser context (a new session)
    student = page.context.browser.new_context(viewport={"width": 1400, "height": 1800})
    try:
        spage = student.new_page()
        spage.goto(link)
        assert gradient_numbers(spage) == teacher
        box = spage.locator('[data-testid="stSlider"]').filter(has_text="Sequence length T").first
        assert box.locator('[data-testid="stSliderThumbValue"]').first.inner_text().strip() == "50"
        screenshot(spage, "explorer_shared_link_student")
        # a locked link: the seed cannot be changed, a bad value is ignored with a notice
        # (the bad value is the clipping demo's, which runs only on a click: the gradient numbers come from the cache
        # instead of a fresh computation at the default budget)
        spage.goto(link + "&lock=ex_g_seed,ex_g_len&ex_c_lr=7")
        wait_idle(spage)
        spage.get_by_text("Link settings: ignored ex_c_lr=7").wait_for()
        assert spage.get_by_label("Seed", exact=True).is_disabled()
        assert exception_texts(spage) == []
        screenshot(spage, "explorer_locked_link")
    finally:
        student.close()
