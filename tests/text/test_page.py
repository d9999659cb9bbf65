"""AppTest of the text generation page: generate, the analysis tabs, train, stop, download, upload."""

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import rnn_models.text as text_pkg

PAGE = str(Path(__file__).resolve().parents[2] / "app_pages" / "text_generation.py")
TRAIN_TEXT = ("First line of my own text, with some words.\nAnd a second, quite different line!\n" * 30)


@pytest.fixture
def toy_models(monkeypatch, toy_checkpoint):
    """The page offers only the toy model, so the test does not depend on the big checkpoints."""
    monkeypatch.setattr(text_pkg, "CHECKPOINTS", {"Shakespeare LSTM": toy_checkpoint})


def wait_for(at: AppTest, cond, timeout: float = 60.0) -> AppTest:
    end = time.time() + timeout
    while time.time() < end:
        at.run()
        if cond(at):
            return at
        time.sleep(0.5)
    raise AssertionError("timed out; errors: " + " | ".join(e.value for e in at.error))


def test_default_model_generates_and_scores():
    at = AppTest.from_file(PAGE, default_timeout=90).run()
    assert not at.exception and not at.error
    assert at.selectbox(key="text_model").value == "Shakespeare LSTM"
    at.slider(key="text_length").set_value(60)
    at.number_input(key="text_seed").set_value(5)
    at.button(key="text_generate").click().run()
    assert not at.exception
    first = at.session_state["text_samples"]["texts"][0]
    assert len(first) == 60
    at.button(key="text_generate").click().run()
    assert at.session_state["text_samples"]["texts"][0] == first  # same seed, same text
    assert any("Memorisation meter" in c.value for c in at.caption)
    assert not at.metric, "the Surprisal tab runs only while open"
    at.session_state["text_tab"] = "Surprisal"
    at.run()
    assert float(at.metric[0].value) > 0  # surprisal tab: bits per character of the default text
    at.text_area(key="text_surprisal_Shakespeare LSTM").set_value("HORATIO:\nWhat, ho!\n\n" * 40).run()
    frozen = float(at.metric[0].value)
    at.toggle(key="text_surprisal_dynamic_Shakespeare LSTM").set_value(True).run()
    assert not at.exception
    learning = float(at.metric[0].value)
    assert learning < frozen and at.metric[0].delta.startswith("-")  # a text that repeats gets cheaper
    at.session_state["text_tab"] = "Next character"
    at.run()
    context = at.session_state["text_next_context"]
    at.button(key="text_pick_0").click().run()  # picking a next character extends the context
    assert len(at.session_state["text_next_context"]) == len(context) + 1
    assert not at.exception


def test_train_stop_download_and_reupload(toy_models):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.segmented_control(key="text_train_source").set_value("Paste text").run()
    at.text_area(key="text_train_paste").set_value(TRAIN_TEXT).run()
    at.select_slider(key="text_tr_hidden").set_value(16)
    at.select_slider(key="text_tr_seq").set_value(16)
    at.segmented_control(key="text_tr_budget").set_value("steps").run()
    at.number_input(key="text_tr_steps").set_value(4)
    at.button(key="text_train_go").click().run()
    wait_for(at, lambda a: a.session_state["text_user_model"] is not None)
    assert not at.exception
    ckpt = at.session_state["text_user_model"]
    assert ckpt.meta["metrics"]["steps_done"] == 4 and "--steps 4" in ckpt.meta["command"]
    assert "Your model" in at.selectbox(key="text_model").options
    at.selectbox(key="text_model").set_value("Your model")
    at.slider(key="text_length").set_value(20)
    at.button(key="text_generate").click().run()
    assert len(at.session_state["text_samples"]["texts"][0]) == 20
    # the student's model (weights, config), the experiment, and the "How good is it?" tab's raw JSON
    at.session_state["text_tab"] = "How good is it?"
    at.run()
    assert {b.key for b in at.get("download_button")} == {"text_dl_w", "text_dl_j", "text_dl_experiment",
                                                          "text_quality_json", "text_model_json"}

    # a long run is stopped by the Stop button
    at.number_input(key="text_tr_steps").set_value(100_000)
    at.button(key="text_train_go").click().run()
    wait_for(at, lambda a: any(b.label == "Stop" for b in a.button) and a.session_state["job"].metrics, 30)
    next(b for b in at.button if b.label == "Stop").click().run()
    wait_for(at, lambda a: a.session_state["job"].status == "stopped", 15)
    assert at.session_state["job"].metrics[-1]["step"] < 100_000


def test_bad_uploads_are_explained(toy_models):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.segmented_control(key="text_train_source").set_value("Paste text").run()
    at.text_area(key="text_train_paste").set_value("a" * 500).run()
    at.button(key="text_train_go").click().run()
    assert "at least 2 distinct characters" in at.error[0].value
    at.text_area(key="text_train_paste").set_value("ab").run()
    at.button(key="text_train_go").click().run()
    assert "too short" in at.error[0].value
    assert not at.exception


def test_uploaded_text_and_checkpoints_good_and_bad(toy_models, toy_checkpoint):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    up = at.get("file_uploader")
    assert up  # the page has uploaders
    at.file_uploader(key="text_train_file").set_value(("mine.txt", "Ça va? Très bien.\n".encode("latin-1") * 20,
                                                       "text/plain")).run()
    assert not at.error and any("distinct" in c.value for c in at.caption)
    at.file_uploader(key="text_train_file").set_value(("x.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "text/plain")).run()
    assert "looks like a PNG image" in at.error[0].value
    # a checkpoint: the wrong pair, then a good one
    w = toy_checkpoint.with_suffix(".safetensors").read_bytes()
    j = toy_checkpoint.read_bytes()
    at.file_uploader(key="text_ckpt_upload").set_value([("m.safetensors", b"\x80\x04junk", "application/octet-stream"),
                                                        ("m.json", j, "application/json")]).run()
    at.button(key="text_ckpt_go").click().run()
    errors = " ".join(e.value for e in at.error)
    assert "That checkpoint could not be used: this is a pickle" in errors
    assert at.session_state["text_user_model"] is None
    at.file_uploader(key="text_ckpt_upload").set_value([("m.safetensors", w, "application/octet-stream"),
                                                        ("m.json", j, "application/json")]).run()
    at.button(key="text_ckpt_go").click().run()
    assert not at.exception and at.session_state["text_user_model"] is not None


def test_compare_cells_same_budget(toy_models):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.segmented_control(key="text_train_source").set_value("Paste text").run()
    at.text_area(key="text_train_paste").set_value(TRAIN_TEXT).run()
    at.select_slider(key="text_tr_hidden").set_value(16)
    at.select_slider(key="text_tr_seq").set_value(16)
    at.segmented_control(key="text_tr_budget").set_value("steps").run()
    at.number_input(key="text_tr_steps").set_value(3)
    at.button(key="text_compare_go").click().run()
    wait_for(at, lambda a: a.session_state["text_compare"] is not None)
    res = at.session_state["text_compare"]
    assert list(res) == ["rnn", "gru", "lstm"]
    sizes = [r["parameters"] for r in res.values()]
    assert max(sizes) / min(sizes) < 1.1  # the same parameter budget
    assert all(len(r["history"]) == 3 for r in res.values())
    assert not at.exception
