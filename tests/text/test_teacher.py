"""Teacher mode on the text page: set-ups in the URL, locked controls, bad links, the temperature
lesson, experiment files exported and imported."""

import io
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rnn_models import checkpoints
from rnn_models.text import CHECKPOINTS
from ui.lessons import LESSONS, parse, step_target

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "app_pages/text_generation.py")
pytestmark = pytest.mark.skipif(not CHECKPOINTS["Shakespeare LSTM"].is_file(),
                                reason="pretrained Shakespeare model missing")

CONTROLS = {"text_model": "selectbox", "text_prime": "text_area", "text_method": "segmented_control",
            "text_length": "slider", "text_temp": "slider", "text_topk": "number_input", "text_topp": "number_input",
            "text_beam": "number_input", "text_seed": "number_input", "text_samples_n": "number_input",
            "text_next_temp": "slider", "text_next_k": "slider", "text_next_context": "text_area"}


NEXT = "Next character"  # the tab whose controls (text_next_*) are drawn only while it is open


def open_page(params: dict[str, str] | None = None, tab: str | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    if tab:
        at.session_state["text_tab"] = tab
    return at.run()


def controls(at: AppTest) -> dict:
    return {key: getattr(at, kind)(key=key).value for key, kind in CONTROLS.items()}


def notices(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption if c.value.startswith("Link settings"))


def generate(at: AppTest) -> list[str]:
    at.button(key="text_generate").click().run()
    assert not at.exception and not at.error
    return at.session_state["text_samples"]["texts"]


def test_url_round_trip_gives_the_same_controls_and_the_same_text():
    at = open_page(tab=NEXT)
    at.text_area(key="text_prime").input("JULIET:\nO ")
    at.slider(key="text_length").set_value(40)
    at.slider(key="text_temp").set_value(1.35)
    at.number_input(key="text_topk").set_value(20)
    at.number_input(key="text_topp").set_value(0.9)
    at.number_input(key="text_seed").set_value(42)
    at.number_input(key="text_samples_n").set_value(2)
    at.slider(key="text_next_temp").set_value(1.6).run()
    url = dict(at.query_params)
    assert (url["text_prime"], url["text_temp"], url["text_seed"], url["text_next_temp"]) == (
        "JULIET:\nO ", "1.35", "42", "1.6")
    first = generate(at)
    assert len(first) == 2 and first[0] != first[1]
    fresh = open_page(url, tab=NEXT)  # a student opening the teacher's link in a new session
    assert not fresh.exception and not notices(fresh)
    assert controls(fresh) == controls(at)
    assert generate(fresh) == first
    # greedy and beam search travel too
    g = open_page({"text_method": "beam", "text_beam": "3", "text_length": "20", "text_prime": "KING:"})
    assert g.segmented_control(key="text_method").value == "beam" and g.number_input(key="text_beam").value == 3
    assert g.slider(key="text_temp").disabled and not g.number_input(key="text_beam").disabled
    beam = generate(g)
    assert generate(open_page(dict(g.query_params))) == beam


def test_locked_controls_are_disabled_and_hidden_ones_keep_the_links_value():
    at = open_page({"text_temp": "0.4", "text_seed": "9", "lock": "text_temp,text_model,text_next_temp",
                    "hide": "text_seed"}, tab=NEXT)
    assert not at.exception
    assert at.slider(key="text_temp").disabled and at.selectbox(key="text_model").disabled
    assert at.slider(key="text_next_temp").disabled and at.slider(key="text_temp").value == 0.4
    assert not at.slider(key="text_length").disabled and not at.text_area(key="text_prime").disabled
    assert "text_seed" not in [w.key for w in at.number_input]
    at.slider(key="text_length").set_value(30).run()  # another control changes: the hidden one stays
    assert at.session_state["text_seed"] == 9 and at.query_params["text_seed"] == "9"
    assert at.query_params["lock"] == "text_temp,text_model,text_next_temp"
    at.segmented_control(key="text_method").set_value("greedy").run()  # locked stays locked
    assert at.slider(key="text_temp").disabled and not at.exception


def test_bad_links_are_ignored_with_a_notice():
    at = open_page({"text_seed": "abc", "bogus": "1", "text_temp": "9", "text_method": "shout",
                    "text_model": "GPT-9", "text_length": "5", "text_samples_n": "1.5", "text_topk": "-1"})
    assert not at.exception and not at.error
    text = notices(at)
    for bit in ("text_seed=abc", "unknown setting “bogus”", "text_temp=9", "text_method=shout",
                "text_model=GPT-9", "text_length=5", "text_samples_n=1.5", "text_topk=-1"):
        assert bit in text
    assert (at.slider(key="text_temp").value, at.number_input(key="text_seed").value) == (0.8, 0)
    assert at.segmented_control(key="text_method").value == "sample"
    assert at.selectbox(key="text_model").value == "Shakespeare LSTM"
    # a model only its author has: a pretrained one is used, with a notice
    mine = open_page({"text_model": "Your model"})
    assert not mine.exception and "its author trained" in mine.warning[0].value
    # top-k beyond this model's vocabulary is cut to the vocabulary
    big = open_page({"text_topk": "999"})
    assert not big.exception and big.number_input(key="text_topk").value == big.number_input(key="text_topk").max


def test_the_temperature_lesson_walks_through():
    lesson = parse("temperature", (LESSONS / "lesson_temperature.md").read_text(encoding="utf-8"))
    assert len(lesson.steps) == 4 and all(s.page == "text_generation" for s in lesson.steps)
    seen, tops = [], []
    for i, step in enumerate(lesson.steps):
        page, query = step_target(lesson, i)
        assert page == "app_pages/text_generation.py"
        at = open_page(query, tab=NEXT if i == 3 else None)  # step 4 asks the student to open that tab
        assert not at.exception and not at.error, step.title
        assert not notices(at), f"step {i + 1}: {notices(at)}"
        assert f"Step {i + 1} of 4" in " ".join(m.value for m in at.sidebar.markdown)
        url = dict(at.query_params)
        assert all(url[k] == v for k, v in step.setup.items()), step.title
        assert at.selectbox(key="text_model").disabled and at.segmented_control(key="text_method").disabled
        seen.append(url["text_temp"])
        if i < 3:
            at.slider(key="text_length").set_value(120)
            seen.append(len(generate(at)[0]))
        else:  # the next-character view: the top bar shrinks as its temperature rises
            for t in (0.3, 1.0, 1.8):
                at.slider(key="text_next_temp").set_value(t).run()
                tops.append(at.get("plotly_chart")[0].proto.spec)
    assert seen == ["0.2", 120, "1", 120, "1.8", 120, "1"]
    import json

    heights = [max(json.loads(s)["data"][0]["y"]) for s in tops]
    assert heights[0] > heights[1] > heights[2]


def test_export_then_import_restores_the_setup_and_the_model(toy_checkpoint):
    from ui.experiment import read

    own = checkpoints.load(toy_checkpoint)
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["text_user_model"] = own
    at.session_state["text_tab"] = NEXT
    at.run()
    at.selectbox(key="text_model").set_value("Your model")
    at.text_area(key="text_prime").input("the ")
    at.slider(key="text_length").set_value(30)
    at.number_input(key="text_seed").set_value(4).run()
    texts = generate(at)
    from ui.text.export import experiment_zip

    setup = at.session_state["text_run_setup"]
    assert setup == dict(at.query_params)
    data = experiment_zip(at.session_state["text_samples"], setup, own, own)
    names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    assert {"setup.json", "metrics.json", "figures/surprisal_sample_1.html",
            "figures/next_character_after_prime.html", "model.safetensors", "model.json"} <= names
    exp = read(data, page="text_generation")
    assert exp.metrics["samples"][0]["text"] == texts[0] and exp.metrics["samples"][0]["bpc"] > 0

    fresh = open_page(tab=NEXT)  # a new session imports the file
    fresh.file_uploader(key="text_import").set_value(("exp.zip", data, "application/zip")).run()
    assert not fresh.exception and not fresh.error
    assert "Experiment imported" in fresh.success[0].value and "Your model" in fresh.success[0].value
    assert controls(fresh) == controls(at)
    assert fresh.session_state["text_user_model"].model.config == own.model.config
    assert generate(fresh) == texts

    bad = open_page()
    bad.file_uploader(key="text_import").set_value(("x.zip", b"not a zip at all", "application/zip")).run()
    assert "not an RNN Studio experiment" in bad.error[0].value and not bad.exception


@pytest.mark.skipif(not CHECKPOINTS["Python code LSTM"].is_file(), reason="pretrained Python model missing")
def test_switching_to_the_python_model_gives_a_code_prime_unless_the_student_typed_one():
    at = open_page()
    at.selectbox(key="text_model").set_value("Python code LSTM").run()
    assert at.text_area(key="text_prime").value == "def " and at.query_params["text_prime"] == "def "
    at.selectbox(key="text_model").set_value("Shakespeare LSTM").run()
    assert at.text_area(key="text_prime").value == "ROMEO:\n"
    at.text_area(key="text_prime").input("Hello").run()
    at.selectbox(key="text_model").set_value("Python code LSTM").run()
    assert at.text_area(key="text_prime").value == "Hello" and not at.exception
