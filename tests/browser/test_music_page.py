"""The music page in a real browser: upload a MIDI file, continue it, see the piano roll and player."""

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.helpers import exception_texts, open_link, screenshot, wait_idle

EXAMPLES = Path(__file__).resolve().parents[2] / "assets" / "examples"


def test_music_page_midi_upload_piano_roll_and_audio(app_url, browser_page):
    page = browser_page
    page.goto(app_url + "/music_continuation")
    wait_idle(page)
    page.get_by_role("heading", name="Music continuation").wait_for()
    page.get_by_text("Upload MIDI", exact=True).click()
    wait_idle(page)
    # a bad file first: a clear message, no crash
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
        str(EXAMPLES / "music_not_midi.mid"))
    page.get_by_text("not a MIDI file").first.wait_for(timeout=60_000)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
        str(EXAMPLES / "music_chorale_with_chords.mid"))
    wait_idle(page)
    page.get_by_text("bars in the file").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Continue the melody").click()
    wait_idle(page)
    page.get_by_role("tab", name="Variation 1").wait_for(timeout=60_000)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    page.wait_for_selector('[data-testid="stAudio"]', timeout=60_000)  # the player
    assert page.locator(".js-plotly-plot").first.get_by_text("continuation").count() >= 1
    expect(page.get_by_role("button", name="Download MIDI").first).to_be_visible(timeout=30_000)
    assert exception_texts(page) == []
    page.locator('[data-testid="stAudio"]').first.scroll_into_view_if_needed()  # roll + player in view
    page.wait_for_timeout(500)
    path = screenshot(page, "music_continuation")
    assert path.stat().st_size > 20_000


SHARED = {"music_source": "text", "music_text": "G4 E4 E4/2 F4 D4 D4/2", "music_text_bpm": "110",
          "music_bars": "2", "music_temp": "1.2", "music_seed": "42", "music_var": "1", "music_key": "none",
          "lock": "music_temp"}


def expected_notes() -> str:
    """The continuation of the SHARED set-up computed here, outside the app, as the page lists it."""
    from rnn_models.checkpoints import load
    from rnn_models.music.notation import parse_notes
    from rnn_models.music.pipeline import ContinueSettings, continue_primer
    from rnn_models.sampling import SamplingSettings
    from ui.music.charts import _name

    model = load(Path(__file__).resolve().parents[2] / "assets/models/music_lstm.json").model
    res = continue_primer(model, parse_notes(SHARED["music_text"], 110.0),
                          ContinueSettings(2, SamplingSettings(temperature=1.2), 42, 1, "none", True))
    return " ".join(_name(int(p)) for p, _s, _e, _pr, prim in res.variations[0].notes if not prim)


def test_shared_link_gives_the_same_continuation(app_url, browser_page):
    from urllib.parse import urlencode

    page = browser_page
    page.goto(app_url)  # a fresh server serves deep links without the app shell until home ran once
    wait_idle(page)
    def ready():
        expect(page.get_by_role("spinbutton", name="Seed", exact=True).first).to_have_value("42", timeout=60_000)
        expect(page.get_by_role("textbox", name="Notes:")).to_have_value(SHARED["music_text"], timeout=60_000)

    open_link(page, app_url + "/music_continuation?" + urlencode(SHARED), ready)
    assert page.get_by_role("slider", name="Temperature").is_disabled()  # locked by the link
    page.get_by_role("button", name="Continue the melody").click()
    caption = page.get_by_text("Continuation notes:").first
    caption.wait_for(timeout=120_000)
    wait_idle(page)
    assert caption.inner_text().split(":", 1)[1].strip() == expected_notes()
    assert "music_seed=42" in page.url and "lock=music_temp" in page.url
    assert exception_texts(page) == []
    screenshot(page, "music_shared_link")


def test_bad_link_shows_a_notice_not_an_error(app_url, browser_page):
    page = browser_page
    page.goto(app_url)
    wait_idle(page)
    page.goto(app_url + "/music_continuation?music_temp=7&music_seed=x&nonsense=1&music_source=midi")
    wait_idle(page)
    page.get_by_text("Link settings:").first.wait_for()
    page.get_by_text("cannot travel inside a link").first.wait_for()
    assert exception_texts(page) == []
    screenshot(page, "music_bad_link")
