"""The translation page in a real browser: translate with a heatmap, the held-out chart, train on an upload."""

import json
import re
import zipfile

from playwright.sync_api import expect

from tests.browser.helpers import exception_texts, screenshot, wait_idle

PAIRS = "\n".join(f"Das ist Satz {i}.\tThis is sentence {i}." for i in range(60))


def open_page(page, app_url):
    page.set_viewport_size({"width": 1400, "height": 2600})
    page.goto(app_url + "/translation")
    wait_idle(page, 240_000)


def test_translate_heatmap_alternatives_and_bad_input(app_url, browser_page):
    page = browser_page
    open_page(page, app_url)
    box = page.get_by_label("German sentence")
    box.fill("Ich habe keine Zeit 🙂.")
    box.press("Control+Enter")
    wait_idle(page)
    page.get_by_role("button", name="Translate", exact=True).click()
    wait_idle(page, 120_000)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    expect(page.get_by_text("Words the model has never seen")).to_be_visible()
    expect(page.get_by_text("the five likeliest next words")).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_contain_text("⟨unknown⟩")
    expect(page.locator(".js-plotly-plot").first).to_contain_text("⟨end⟩")  # </s> is not swallowed as HTML
    screenshot(page, "translate_heatmap")
    with page.expect_download(timeout=120_000) as download:  # the zip holds this session's sentence and result
        page.get_by_role("button", name="Download this experiment (.zip)").click()
    z = zipfile.ZipFile(download.value.path())
    assert json.loads(z.read("setup.json"))["setup"]["tr_text"] == "Ich habe keine Zeit 🙂."
    assert json.loads(z.read("metrics.json"))["source"] == "Ich habe keine Zeit 🙂."
    box.fill(" ".join(["Hund", "Katze", "Haus", "Baum"] * 2500))  # a pasted page: it arrives and is refused
    box.press("Control+Enter")
    wait_idle(page)
    expect(page.get_by_text("The text has 10,000 words").first).to_be_visible()
    expect(page.get_by_role("button", name="Translate", exact=True)).to_be_disabled()
    assert "tr_text" not in page.url
    box.fill("   ")
    box.press("Control+Enter")
    wait_idle(page)
    page.get_by_role("button", name="Translate", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("nothing to translate").first).to_be_visible()
    expect(page.get_by_text("the five likeliest next words")).to_be_visible()  # the last result is kept
    assert not exception_texts(page)


def test_why_attention_chart(app_url, browser_page):
    page = browser_page
    open_page(page, app_url)
    page.get_by_role("tab", name="Why attention").click()
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    expect(page.locator(".js-plotly-plot").first).to_contain_text("Without attention")
    expect(page.locator(".js-plotly-plot").first).to_contain_text("chrF (higher is better)")  # both scores by length
    expect(page.get_by_text(re.compile(r"paired bootstrap")).first).to_be_visible()  # how sure the growth is, said
    expect(page.get_by_text(re.compile(r"Target (met|not reached)")).first).to_be_visible()  # the verdict, said
    screenshot(page, "translate_why_attention")
    assert not exception_texts(page)


def test_train_on_an_upload_then_translate_with_it(app_url, browser_page, tmp_path):
    page = browser_page
    open_page(page, app_url)
    page.get_by_role("tab", name="Train your own").click()
    bad = tmp_path / "one_column.csv"
    bad.write_text("\n".join(f"nur eine Spalte {i}" for i in range(20)))
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="two-column CSV or TSV")
    uploader.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    expect(page.get_by_text("the file has one column").first).to_be_visible(timeout=60_000)
    good = tmp_path / "pairs.tsv"
    good.write_text(PAIRS, encoding="utf-8")
    uploader.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(good))
    expect(page.get_by_text("sentence pairs:").first).to_be_visible(timeout=60_000)
    seconds = page.get_by_label("Seconds")
    seconds.fill("8")
    seconds.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_text("Your model is ready").first).to_be_visible(timeout=300_000)
    screenshot(page, "translate_trained")
    page.get_by_role("tab", name="Translate").click()
    page.locator('[data-testid="stRadio"] label').filter(has_text="Your trained model").click()
    wait_idle(page)
    page.get_by_role("button", name="Translate", exact=True).click()
    wait_idle(page, 120_000)
    expect(page.get_by_text("Your trained model · beam 5")).to_be_visible(timeout=60_000)
    assert not exception_texts(page)
