"""The music page in a real browser: upload a MIDI file, continue it, see the piano roll and player."""

from pathlib import Path

from tests.browser.helpers import exception_texts, screenshot, wait_idle

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
    assert page.get_by_role("button", name="Download MIDI").first.is_visible()
    assert exception_texts(page) == []
    page.locator('[data-testid="stAudio"]').first.scroll_into_view_if_needed()  # roll + player in view
    page.wait_for_timeout(500)
    path = screenshot(page, "music_continuation")
    assert path.stat().st_size > 20_000
