"""The sequence classification page in a real browser: a name's belief letter by letter, the shipped model
measured against the baselines, a voice clip with its spectrogram, your own classes trained from a CSV."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import exception_texts, screenshot, wait_idle

LONG = 180_000  # a job fits the baselines on 5,000 names: a minute or more on a busy 2-core machine


def open_page(page, app_url, query=""):
    page.set_viewport_size({"width": 1400, "height": 3000})
    page.goto(app_url + "/sequence_classification" + query)
    wait_idle(page, LONG)


def test_name_belief_and_baselines(app_url, browser_page):
    page = browser_page
    open_page(page, app_url)
    box = page.get_by_role("textbox", name="Text to classify")
    box.fill("Virtanen")
    box.press("Enter")
    wait_idle(page, LONG)
    expect(page.get_by_text("What the network believes after each step")).to_be_visible(timeout=LONG)
    expect(page.get_by_text("green: the character raised the belief in")).to_be_visible()
    page.get_by_text("About the data: where it comes from").click()
    expect(page.get_by_text("surnames appear under two or more languages and are dropped")).to_be_visible()
    # the measured comparison of the cells and directions, beside the baselines, is there without a click
    expect(page.get_by_text("Which network? RNN vs GRU vs LSTM, forward vs bidirectional")).to_be_visible()


def test_measure_shipped_model_against_baselines(app_url, browser_page):
    page = browser_page
    open_page(page, app_url)
    page.get_by_role("button", name="Measure the shipped model against the baselines").click()
    page.get_by_text("held-out examples").first.wait_for(timeout=120_000)
    wait_idle(page, LONG)
    verdict = re.compile("strongest baseline wins|beats or matches the strongest baseline")
    expect(page.get_by_text(verdict).first).to_be_visible(timeout=LONG)
    expect(page.get_by_label("Confusion matrix of")).to_be_visible()
    assert exception_texts(page) == []
    assert screenshot(page, "classify_names").stat().st_size > 20_000


def test_voice_clip_spectrogram(app_url, browser_page):
    page = browser_page
    open_page(page, app_url, "?cl_task=voices")
    expect(page.get_by_text("What it hears: log-mel spectrogram")).to_be_visible(timeout=LONG)
    expect(page.get_by_text("What the network believes after each step")).to_be_visible()
    assert exception_texts(page) == []
    screenshot(page, "classify_voices")


def test_own_classes_from_csv(app_url, browser_page, tmp_path):
    page = browser_page
    open_page(page, app_url, "?cl_task=own&cl_steps=20&cl_hidden=16")
    upload = page.locator('[data-testid="stFileUploader"]').filter(has_text="CSV with text,label rows").locator(
        '[data-testid="stFileUploaderDropzoneInput"]')
    bad = tmp_path / "one_class.csv"
    bad.write_text("text,label\nhello,a\nhi,a\nhey,a\n")
    upload.set_input_files(str(bad))
    expect(page.get_by_text("only one class").first).to_be_visible(timeout=LONG)
    rows = [f"{w} day,happy" for w in ("lovely", "great", "sunny", "fine", "warm", "good")]
    rows += [f"{w} day,sad" for w in ("awful", "grey", "cold", "bad", "dull", "wet")]
    good = tmp_path / "mood.csv"
    good.write_text("text,label\n" + "\n".join(rows) + "\n")
    upload.set_input_files(str(good))
    wait_idle(page, LONG)
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text("Your trained model vs baselines").first.wait_for(timeout=LONG)
    wait_idle(page, LONG)
    expect(page.get_by_role("button", name="Model weights (.safetensors)")).to_be_visible()
    box = page.get_by_role("textbox", name="Text to classify")
    box.fill("a lovely warm day")
    box.press("Enter")
    wait_idle(page, LONG)
    expect(page.get_by_text("What the network believes after each step")).to_be_visible(timeout=LONG)
    assert exception_texts(page) == []
    screenshot(page, "classify_own_csv")
