"""AppTest of the Translate tab: a result shown under other inputs says it was made with the previous ones."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parents[2] / "app_pages" / "translation.py")


def test_a_translation_is_marked_when_the_sentence_or_a_setting_changes_and_kept():
    at = AppTest.from_file(PAGE, default_timeout=180).run()
    at.button(key="tr_go").click().run()
    assert not at.exception and at.session_state["tr_result"] is not None
    assert not any("previous settings" in w.value for w in at.warning)
    at.slider(key="tr_beam").set_value(3).run()
    assert any("for the previous settings" in w.value and "beam width" in w.value for w in at.warning)
    at.button(key="tr_rerun").click().run()
    assert not at.exception and at.session_state["tr_result"]["beam"] == 3
    assert not any("previous settings" in w.value for w in at.warning)
    at.text_area(key="tr_text").set_value("Ich habe keine Zeit.").run()
    assert at.session_state["tr_result"] is not None  # kept, and marked
    assert any("for the previous settings" in w.value and "sentence" in w.value for w in at.warning)
