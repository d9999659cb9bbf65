"""End to end in Chromium: open the text page, generate, watch the text appear, look at the views."""

from playwright.sync_api import expect

from tests.browser.helpers import exception_texts, open_link, screenshot, wait_idle


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
    page.get_by_text("Keep learning while reading").click()  # dynamic evaluation of the same text
    page.get_by_text("vs the model as trained").wait_for(timeout=60_000)
    page.locator(".st-key-text_surprisal_learning .js-plotly-plot").wait_for(timeout=30_000)
    assert exception_texts(page) == []
    screenshot(page, "text_surprisal_learning")


SHARED = {"text_model": "Shakespeare LSTM", "text_prime": "JULIET:\nO Romeo", "text_method": "sample",
          "text_length": "160", "text_temp": "0.9", "text_topk": "30", "text_topp": "0.95", "text_seed": "17",
          "text_samples_n": "1", "lock": "text_temp"}


def expected_text() -> str:
    """What these settings produce outside the app, straight from the library."""
    from rnn_models.checkpoints import load
    from rnn_models.sampling import SamplingSettings
    from rnn_models.text import CHECKPOINTS
    from rnn_models.text.generate import GenerationSettings, stream

    ck = load(CHECKPOINTS["Shakespeare LSTM"])
    s = GenerationSettings(length=160, sampling=SamplingSettings(0.9, top_k=30, top_p=0.95, greedy=False), seed=17)
    return "".join(stream(ck.model, ck.meta["vocab"], SHARED["text_prime"], s))


def test_shared_link_gives_the_same_text(app_url, browser_page):
    from urllib.parse import urlencode

    page = browser_page
    page.goto(app_url)  # a fresh server serves deep links without the app shell until home ran once
    wait_idle(page)
    def ready():
        expect(page.get_by_label("Prime text (the model continues it)")).to_have_value(SHARED["text_prime"],
                                                                                      timeout=60_000)
        expect(page.get_by_role("spinbutton", name="Seed", exact=True).first).to_have_value("17", timeout=60_000)

    open_link(page, app_url + "/text_generation?" + urlencode(SHARED), ready)
    assert page.get_by_role("slider", name="Temperature").first.is_disabled()  # locked by the link
    page.get_by_role("button", name="Generate").click()
    page.locator('[data-testid="stCaptionContainer"]', has_text="Memorisation meter").first.wait_for(
        timeout=60_000)
    wait_idle(page)
    sample = page.locator('[data-testid="stHtml"]').first.inner_text()
    assert sample == SHARED["text_prime"] + expected_text()
    assert "text_seed=17" in page.url and "lock=text_temp" in page.url
    assert exception_texts(page) == []
    screenshot(page, "text_shared_link")


def test_bad_text_link_shows_a_notice_not_an_error(app_url, browser_page):
    page = browser_page
    page.goto(app_url)
    wait_idle(page)
    page.goto(app_url + "/text_generation?text_temp=7&text_seed=x&nonsense=1&text_model=Your+model")
    wait_idle(page)
    page.get_by_text("Link settings:").first.wait_for()
    page.get_by_text("its author trained").first.wait_for()
    assert exception_texts(page) == []
    screenshot(page, "text_bad_link")
