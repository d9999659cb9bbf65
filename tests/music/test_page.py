"""AppTest of the music page: built-in primer, typed notes, bad notes; the result survives bad input."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not (ROOT / "assets/models/music_lstm.json").exists(),
                                reason="pretrained melody model missing")


def _app():
    at = AppTest.from_file(str(ROOT / "app_pages/music_continuation.py"), default_timeout=120)
    return at.run()


def test_builtin_primer_continues_with_piano_roll_and_audio():
    at = _app()
    assert not at.exception
    assert at.title[0].value == "Music continuation"
    at.slider(key="music_bars").set_value(2)
    at.button(key="music_go").click().run()
    assert not at.exception
    res = at.session_state["music_result"]
    assert res is not None and len(res.variations) == 2
    assert len(res.variations[0].events) == res.primer_steps + 2 * res.primer.steps_per_bar
    assert len(at.tabs) == 2 and at.get("audio")  # one tab and one player per variation
    # same settings, same seed -> same notes
    first = [v.events.tolist() for v in res.variations]
    at.button(key="music_go").click().run()
    assert [v.events.tolist() for v in at.session_state["music_result"].variations] == first


def test_typed_notes_and_bad_notes_keep_previous_result():
    at = _app()
    at.segmented_control(key="music_source").set_value("text").run()
    at.text_input(key="music_text").input("C4 E4 G4 C5/2").run()
    at.button(key="music_go").click().run()
    assert not at.exception
    res = at.session_state["music_result"]
    assert res.primer.notes()[:4] == [(60, 0, 4), (64, 4, 8), (67, 8, 12), (72, 12, 20)]
    at.text_input(key="music_text").input("C4 X9").run()
    assert not at.exception
    assert any("Cannot read the note 'X9'" in e.value for e in at.error)
    assert at.session_state["music_result"] is res  # nothing already on the page is lost


def test_builtin_recording_shows_spectrogram_and_continues_in_key():
    at = _app()
    at.segmented_control(key="music_source").set_value("audio").run()
    assert not at.exception
    assert at.get("plotly_chart")  # the spectrogram with the detected notes
    at.selectbox(key="music_key").set_value("auto")
    at.slider(key="music_var").set_value(1)
    at.button(key="music_go").click().run()
    assert not at.exception
    res = at.session_state["music_result"]
    assert res.primer.meta["source"] == "audio" and res.key is not None
    pcs = res.key.pitch_classes()
    added = [p for p, s, e, pr, prim in res.variations[0].notes if not prim]
    assert all(p % 12 in pcs for p in added)


def test_keyboard_types_notes():
    at = _app()
    at.segmented_control(key="music_source").set_value("text").run()
    at.text_input(key="music_text").input("").run()
    at.radio(key="music_kb_dur").set_value("/8").run()
    at.button(key="music_kb_E").click().run()
    at.button(key="music_kb_G").click().run()
    at.button(key="music_kb_rest").click().run()
    assert at.text_input(key="music_text").value == "E4/8 G4/8 r/8"
    at.button(key="music_kb_back").click().run()
    assert at.text_input(key="music_text").value == "E4/8 G4/8"
    assert not at.exception and not at.warning
