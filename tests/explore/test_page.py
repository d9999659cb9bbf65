"""The explorer page in AppTest: each section renders, bad input gives a clear message."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rnn_models.checkpoints import Checkpoint

from .conftest import VOCAB, tiny_model

PAGE = str(Path(__file__).resolve().parents[2] / "app_pages" / "rnn_explorer.py")


def page(**state) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def test_hidden_states_with_an_untrained_model_and_unit_search():
    at = page()
    assert at.title[0].value == "RNN explorer"
    at.selectbox(key="ex_model").set_value("untrained").run()
    assert not at.exception and not at.error
    assert "HORATIO" in at.code[0].value or ":" in at.code[0].value  # a passage of the held-out play
    at.radio(key="ex_text_source").set_value("code").run()
    assert not at.exception and not at.error
    assert "def " in at.code[0].value or "class " in at.code[0].value
    assert at.dataframe, "the unit ranking table is shown"
    assert any("Unit" in m.value for m in at.markdown)
    at.selectbox(key="ex_prop").set_value("regex").run()
    at.text_input(key="ex_regex").set_value("(").run()
    assert any("not a valid regular expression" in e.value for e in at.error)
    at.text_input(key="ex_regex").set_value("(a+)+").run()
    assert any("nested repetition" in e.value for e in at.error)


def test_missing_pretrained_models_are_explained(monkeypatch):
    at = page()
    names = at.selectbox(key="ex_model").options
    pretrained = [n for n in names if n.startswith("Pretrained")]
    if not pretrained:
        assert any("No pretrained text model is installed yet" in i.value for i in at.info)


def test_students_own_model_and_the_math():
    ckpt = Checkpoint(tiny_model("gru", layers=2), {"vocab": VOCAB})
    at = page(text_user_model=ckpt)
    at.selectbox(key="ex_model").set_value("user").run()
    assert not at.exception
    at.radio(key="ex_text_source").set_value("own").run()
    at.text_area(key="ex_text").set_value('a "quoted" line\n(and more)').run()
    assert not at.exception and not at.error
    assert not any("update" in r.options for r in at.radio), "only the open tab runs (lazy tabs)"
    at.session_state["ex_tab"] = "Gates"
    at.run()
    assert any("update" in r.options for r in at.radio), "GRU gates are offered"
    at.session_state["ex_tab"] = "Show the math"
    at.run()
    assert len(at.latex) >= 8  # symbolic and numeric GRU equations
    at.text_area(key="ex_text").set_value("x").run()
    assert any("at least 2 characters" in e.value for e in at.error)


def test_a_checkpoint_without_vocab_is_refused_cleanly():
    at = page(text_user_model=Checkpoint(tiny_model("lstm"), {}))
    at.selectbox(key="ex_model").set_value("user").run()
    assert not at.exception
    assert any("no character vocabulary" in e.value for e in at.error)


@pytest.mark.parametrize("section", ["gradients", "race", "bidirectional"])
def test_other_sections_render(section):
    at = page()
    at.segmented_control(key="ex_section").set_value(section).run()
    assert not at.exception and not at.error
    if section == "gradients":
        assert len(at.metric) == 3
        at.slider(key="ex_g_len").set_value(20).run()
        at.button(key="ex_c_go").click().run()
        assert not at.exception
        assert any("no clipping" in m.value for m in at.markdown)
    if section == "race":
        assert at.button(key="ex_r_go").label == "Start the race"
