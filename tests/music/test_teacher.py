"""Teacher mode on the music page: set-ups in the URL, locked controls, bad links, the lesson,
experiment files exported and imported."""

import io
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.lessons import LESSONS, parse, step_target

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "app_pages/music_continuation.py")
pytestmark = pytest.mark.skipif(not (ROOT / "assets/models/music_lstm.json").exists(),
                                reason="pretrained melody model missing")

# the shareable controls drawn for a typed-notes primer, with the widget type AppTest finds them under
CONTROLS = {"music_source": "segmented_control", "music_text": "text_input", "music_text_bpm": "number_input",
            "music_model": "radio", "music_bars": "slider", "music_temp": "slider", "music_seed": "number_input",
            "music_var": "slider", "music_key": "selectbox", "music_keep": "checkbox"}


def open_page(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at.run()


def controls(at: AppTest) -> dict:
    return {key: getattr(at, kind)(key=key).value for key, kind in CONTROLS.items()}


def notices(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption if c.value.startswith("Link settings"))


def continue_(at: AppTest):
    at.button(key="music_go").click().run()
    assert not at.exception and not at.error
    return at.session_state["music_result"]


def notes(res) -> list:
    return [[(p, round(s, 6), round(e, 6)) for p, s, e, _pr, prim in v.notes if not prim] for v in res.variations]


def test_url_round_trip_gives_the_same_controls_and_the_same_notes():
    at = open_page()
    at.segmented_control(key="music_source").set_value("text").run()
    at.text_input(key="music_text").input("E4 D4 C4 D4 E4 E4 E4/2")
    at.number_input(key="music_text_bpm").set_value(120)
    at.slider(key="music_bars").set_value(2)
    at.slider(key="music_temp").set_value(1.3)
    at.number_input(key="music_seed").set_value(11)
    at.slider(key="music_var").set_value(1)
    at.selectbox(key="music_key").set_value("C major")
    at.checkbox(key="music_keep").uncheck().run()
    url = dict(at.query_params)
    assert url["music_text"] == "E4 D4 C4 D4 E4 E4 E4/2" and url["music_temp"] == "1.3"
    assert {url[k] for k in ("music_source", "music_seed", "music_key", "music_keep")} == {"text", "11", "C major",
                                                                                           "0"}
    first = continue_(at)
    caption = [c.value for c in at.caption if c.value.startswith("Continuation notes")]
    fresh = open_page(url)  # a student opening the teacher's link in a new session
    assert not fresh.exception and not notices(fresh)
    assert controls(fresh) == controls(at)
    second = continue_(fresh)
    assert notes(second) == notes(first) and notes(first)[0]
    assert [c.value for c in fresh.caption if c.value.startswith("Continuation notes")] == caption
    # the built-in melody and its primer length travel too
    b = open_page({"music_source": "builtin", "music_builtin_bars": "3", "music_bars": "1", "music_var": "1"})
    pick = b.selectbox(key="music_builtin").value
    other = [o for o in b.selectbox(key="music_builtin").options if o][1]
    b.selectbox(key="music_builtin").select(other).run()
    url = dict(b.query_params)
    assert url["music_builtin"] != str(pick) and url["music_builtin_bars"] == "3"
    r1 = continue_(b)
    b2 = open_page(url)
    assert b2.selectbox(key="music_builtin").value == b.selectbox(key="music_builtin").value
    assert notes(continue_(b2)) == notes(r1)


def test_locked_controls_are_disabled_and_hidden_ones_keep_the_links_value():
    at = open_page({"music_source": "text", "music_temp": "0.5", "music_seed": "3",
                    "lock": "music_temp,music_source", "hide": "music_seed,music_key"})
    assert not at.exception
    assert at.slider(key="music_temp").disabled and at.segmented_control(key="music_source").disabled
    assert at.slider(key="music_temp").value == 0.5
    assert not at.slider(key="music_bars").disabled and not at.text_input(key="music_text").disabled
    assert "music_seed" not in [w.key for w in at.number_input] and len(at.selectbox) == 0
    at.slider(key="music_bars").set_value(3).run()  # another control changes: the hidden ones stay
    assert at.session_state["music_seed"] == 3 and at.query_params["music_seed"] == "3"
    assert at.query_params["lock"] == "music_temp,music_source"


def test_bad_links_are_ignored_with_a_notice():
    at = open_page({"music_seed": "abc", "bogus": "1", "music_temp": "9", "music_source": "radio",
                    "music_key": "H major", "music_var": "0", "music_builtin": "123456"})
    assert not at.exception and not at.error
    text = notices(at)
    for bit in ("music_seed=abc", "unknown setting “bogus”", "music_temp=9", "music_source=radio",
                "music_key=H major", "music_var=0", "music_builtin=123456"):
        assert bit in text
    assert at.segmented_control(key="music_source").value == "builtin"
    assert (at.slider(key="music_temp").value, at.number_input(key="music_seed").value) == (1.0, 0)
    assert at.selectbox(key="music_key").value == "none"
    # a model only its author has: the pretrained one is used, with a notice
    mine = open_page({"music_model": "mine"})
    assert not mine.exception and "trained by its author" in mine.warning[0].value
    assert mine.radio(key="music_model").value == "pretrained"


def test_a_link_to_an_uploaded_file_asks_for_it():
    at = open_page({"music_source": "midi", "music_seed": "5", "music_midi_bars": "4"})
    assert not at.exception and "cannot travel inside a link" in at.warning[0].value
    assert at.number_input(key="music_seed").value == 5
    au = open_page({"music_source": "audio", "music_audio_kind": "upload"})
    assert "uploaded recording" in au.warning[0].value
    own = open_page()  # the student's own choice of "Upload MIDI" is not a link: no such notice
    own.segmented_control(key="music_source").set_value("midi").run()
    assert not own.warning and own.info


def test_the_humming_lesson_walks_through():
    lesson = parse("humming_to_music", (LESSONS / "lesson_humming_to_music.md").read_text(encoding="utf-8"))
    assert len(lesson.steps) == 4 and all(s.page == "music_continuation" for s in lesson.steps)
    temps = []
    for i, step in enumerate(lesson.steps):
        page, query = step_target(lesson, i)
        assert page == "app_pages/music_continuation.py"
        at = open_page(query)
        assert not at.exception and not at.error, step.title
        assert not notices(at), f"step {i + 1}: {notices(at)}"
        assert f"Step {i + 1} of 4" in " ".join(m.value for m in at.sidebar.markdown)
        url = dict(at.query_params)
        assert all(url[k] == v for k, v in step.setup.items()), step.title
        assert at.get("plotly_chart")  # the spectrogram of the built-in recording
        temps.append((url["music_temp"], url["music_key"]))
        if i == len(lesson.steps) - 1:  # the key step: every added note is in the primer's key
            res = continue_(at)
            pcs = res.key.pitch_classes()
            assert all(p % 12 in pcs for v in res.variations for p, *_, prim in v.notes if not prim)
    assert temps == [("0.3", "none"), ("0.3", "none"), ("1.6", "none"), ("1.6", "auto")]


def test_export_then_import_restores_the_setup_and_the_model():
    from rnn_models.checkpoints import Checkpoint
    from rnn_models.music.model import melody_config
    from rnn_models.network import SequenceModel
    from ui.experiment import read
    from ui.music.charts import experiment_zip

    at = open_page({"music_source": "text", "music_text": "C4 E4 G4 E4", "music_bars": "1", "music_var": "2",
                    "music_temp": "0.7", "music_seed": "9"})
    res = continue_(at)
    setup = at.session_state["music_run_setup"]
    assert setup == {k: v for k, v in at.query_params.items()}
    own = SequenceModel(melody_config(hidden=8, layers=1, embed=4, dropout=0.0))
    data = experiment_zip(res, setup, Checkpoint(own, {"task": "melody"}))
    names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    assert {"setup.json", "metrics.json", "figures/piano_roll_1.html", "figures/piano_roll_2.html",
            "model.safetensors", "model.json"} <= names
    exp = read(data, page="music_continuation")
    m = exp.metrics["variations"][0]
    assert m["nll_per_event"] > 0 and len(m["notes"]) == len(notes(res)[0])

    fresh = open_page()  # a new session imports the file
    fresh.file_uploader(key="music_import").set_value(("exp.zip", data, "application/zip")).run()
    assert not fresh.exception and not fresh.error
    assert "Experiment imported" in fresh.success[0].value and "My model" in fresh.success[0].value
    assert controls(fresh) == controls(at)
    assert fresh.session_state["music_user_model"].model.config == own.config
    assert notes(continue_(fresh)) == notes(res)

    bad = open_page()
    bad.file_uploader(key="music_import").set_value(("x.zip", b"not a zip at all", "application/zip")).run()
    assert "not an RNN Studio experiment" in bad.error[0].value and not bad.exception
