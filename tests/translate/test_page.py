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


def test_the_experiment_download_holds_the_session_settings_and_the_last_translation(monkeypatch):
    """Streamlit calls a download's data callable later, on another thread without the session: called here, in
    the test's thread, the zip must still hold this session's settings and result (not the defaults)."""
    import io
    import json
    import zipfile

    from streamlit.elements.widgets.button import ButtonMixin

    made, original = {}, ButtonMixin.download_button

    def record(self, label, data, *args, **kwargs):
        made[kwargs.get("key")] = data
        return original(self, label, data, *args, **kwargs)

    monkeypatch.setattr(ButtonMixin, "download_button", record)
    at = AppTest.from_file(PAGE, default_timeout=180).run()
    at.text_area(key="tr_text").set_value("Ich habe keine Zeit.").run()
    at.slider(key="tr_beam").set_value(3).run()
    at.button(key="tr_go").click().run()
    assert not at.exception
    data = made["tr_dl_experiment"]
    z = zipfile.ZipFile(io.BytesIO(data() if callable(data) else data))
    setup = json.loads(z.read("setup.json"))["setup"]
    assert setup["tr_text"] == "Ich habe keine Zeit." and setup["tr_beam"] == "3"
    metrics = json.loads(z.read("metrics.json"))
    assert metrics["source"] == "Ich habe keine Zeit." and metrics["beam"] == 3
    assert metrics["translation"] == at.session_state["tr_result"]["result"].translation
    assert "figures/attention.html" in z.namelist()


def test_a_pasted_page_gets_a_clear_message_keeps_the_last_result_and_stays_out_of_the_link():
    at = AppTest.from_file(PAGE, default_timeout=180).run()
    at.button(key="tr_go").click().run()
    shown = at.session_state["tr_result"]["result"].translation
    at.text_area(key="tr_text").set_value(" ".join(["Hund", "Katze", "Haus", "Baum"] * 2500)).run()
    assert not at.exception
    assert any("the text has 10,000 words" in e.value.lower() and "limit is 60" in e.value and
               "one sentence at a time" in e.value for e in at.error)
    assert at.button(key="tr_go").disabled
    assert at.session_state["tr_text"].count("Hund") == 2500  # the paste arrived (no silent max_chars drop)
    assert at.session_state["tr_result"]["result"].translation == shown  # the last result is kept
    assert "tr_text" not in at.query_params and "tr_beam" in at.query_params  # the link does not carry it


def test_a_translation_cut_off_by_the_maximum_length_says_so():
    at = AppTest.from_file(PAGE, default_timeout=180).run()
    at.slider(key="tr_maxlen").set_value(5).run()
    at.button(key="tr_go").click().run()
    tokens = at.session_state["tr_result"]["result"].target_tokens
    assert len(tokens) == 5 and tokens[-1] != "</s>"  # the default sentence needs more than 5 words
    assert any("stopped at the maximum length (5 words)" in w.value and "raise" in w.value for w in at.warning)
    at.slider(key="tr_maxlen").set_value(40).run()
    at.button(key="tr_go").click().run()
    assert not any("stopped at the maximum length" in w.value for w in at.warning)


def test_a_model_trained_without_validation_pairs_says_so_not_none(toy_translators):
    from dataclasses import replace

    from rnn_models.translate.translator import load_translator

    tr = load_translator(toy_translators["attention"], lexicon=False)
    tr = replace(tr, meta={**tr.meta, "metrics": {**tr.meta["metrics"], "val_loss": None, "steps": 7}})
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.session_state["tr_user"], at.session_state["tr_user_history"] = tr, []
    at.run()
    ready = [s.value for s in at.success if "Your model is ready" in s.value]
    assert ready and "7 steps, no validation pairs" in ready[0] and "None" not in ready[0]
