"""Teacher mode on the explorer page: set-ups in the URL, locked controls, bad links, the lesson,
experiment files exported and imported."""

import io
import json
import zipfile

from streamlit.testing.v1 import AppTest

from rnn_models.explore.race import RaceConfig, run_race
from tests.explore.test_page import PAGE
from ui.lessons import LESSONS, parse, step_target

GRADIENT_CONTROLS = {"ex_g_len": "slider", "ex_g_scale": "select_slider", "ex_g_default": "checkbox",
                     "ex_g_nl": "radio", "ex_g_chrono": "checkbox", "ex_g_budget": "select_slider",
                     "ex_g_seed": "number_input", "ex_g_jcell": "radio", "ex_c_scale": "select_slider",
                     "ex_c_lr": "select_slider", "ex_c_clip": "select_slider", "ex_c_steps": "select_slider"}
STATE_CONTROLS = {"ex_model": "selectbox", "ex_text_source": "radio", "ex_text": "text_area", "ex_prop": "selectbox",
                  "ex_regex": "text_input", "ex_unit": "selectbox"}
PCA_CONTROLS = {"ex_pca_dims": "radio", "ex_pca_colour": "radio"}  # drawn only while their tab is open (lazy tabs)
RACE_CONTROLS = {"ex_r_task": "radio", "ex_r_len": "slider", "ex_r_secs": "slider", "ex_r_chrono": "checkbox",
                 "ex_r_seed": "number_input"}


def open_page(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def controls(at: AppTest, which: dict[str, str]) -> dict:
    return {key: getattr(at, kind)(key=key).value for key, kind in which.items()}


def notices(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption if c.value.startswith("Link settings"))


def gradient_numbers(at: AppTest) -> list[str]:
    return [m.value for m in at.metric] + [m.value for m in at.markdown if "singular value" in m.value]


def test_gradient_link_round_trip_gives_the_same_controls_and_numbers():
    at = open_page()
    at.segmented_control(key="ex_section").set_value("gradients").run()
    at.slider(key="ex_g_len").set_value(20)
    at.select_slider(key="ex_g_scale").set_value(1.5)
    at.radio(key="ex_g_nl").set_value("relu")
    at.checkbox(key="ex_g_chrono").set_value(True)
    at.select_slider(key="ex_g_budget").set_value(500)
    at.number_input(key="ex_g_seed").set_value(3)
    at.radio(key="ex_g_jcell").set_value("gru")
    at.select_slider(key="ex_c_lr").set_value(0.1).run()
    assert not at.exception and not at.error
    url = dict(at.query_params)
    assert url == {"ex_section": "gradients", "ex_g_len": "20", "ex_g_scale": "1.5", "ex_g_default": "0",
                   "ex_g_nl": "relu", "ex_g_chrono": "1", "ex_g_budget": "500", "ex_g_seed": "3", "ex_g_jcell": "gru",
                   "ex_c_scale": "1.5", "ex_c_lr": "0.1", "ex_c_clip": "1", "ex_c_steps": "150"}
    fresh = open_page(url)  # a student opening the teacher's link in a new session
    assert not notices(fresh) and not fresh.error
    assert fresh.segmented_control(key="ex_section").value == "gradients"
    assert controls(fresh, GRADIENT_CONTROLS) == controls(at, GRADIENT_CONTROLS)
    assert gradient_numbers(fresh) == gradient_numbers(at) and len(fresh.metric) == 3
    other = open_page({**url, "ex_g_seed": "4"})  # the numbers do depend on the link
    assert gradient_numbers(other) != gradient_numbers(at)


def test_hidden_state_link_round_trip():
    at = open_page()
    at.selectbox(key="ex_model").set_value("untrained").run()
    at.radio(key="ex_text_source").set_value("own").run()
    at.text_area(key="ex_text").set_value('say "hi" (twice)\nand stop').run()
    at.selectbox(key="ex_prop").set_value("regex").run()
    at.text_input(key="ex_regex").set_value("[a-z]+").run()
    at.selectbox(key="ex_unit").set_value(5).run()
    shown = controls(at, STATE_CONTROLS)
    table = [d.value.to_dict() for d in at.dataframe][:1]
    at.session_state["ex_tab"] = "Trajectory (PCA)"
    at.run()
    at.radio(key="ex_pca_dims").set_value(3).run()
    assert not at.exception and not at.error
    url = dict(at.query_params)
    assert url["ex_text"] == 'say "hi" (twice)\nand stop' and url["ex_unit"] == "5" and url["ex_regex"] == "[a-z]+"
    assert url["ex_pca_dims"] == "3"  # a control of the other tab keeps its value in the link
    assert "ex_g_len" not in url and "ex_passage_play" not in url  # only the section shown travels
    fresh = open_page(url)
    assert not notices(fresh) and not fresh.error
    assert controls(fresh, STATE_CONTROLS) == shown
    assert [m.value for m in fresh.markdown if m.value.startswith("**Unit 5**")]
    assert [d.value.to_dict() for d in fresh.dataframe][:1] == table
    fresh.session_state["ex_tab"] = "Trajectory (PCA)"
    fresh.run()
    assert controls(fresh, PCA_CONTROLS) == controls(at, PCA_CONTROLS)


def test_race_and_bidirectional_settings_travel():
    at = open_page({"ex_section": "race", "ex_r_task": "copy", "ex_r_len": "30", "ex_r_secs": "15",
                    "ex_r_chrono": "0", "ex_r_seed": "7"})
    assert not notices(at)
    assert controls(at, RACE_CONTROLS) == {"ex_r_task": "copy", "ex_r_len": 30, "ex_r_secs": 15, "ex_r_chrono": False,
                                           "ex_r_seed": 7}
    at.segmented_control(key="ex_section").set_value("bidirectional").run()
    at.radio(key="ex_b_task").set_value("text").run()
    at.select_slider(key="ex_b_tlen").set_value(31)
    at.number_input(key="ex_b_seed").set_value(2).run()
    url = dict(at.query_params)
    assert url == {"ex_section": "bidirectional", "ex_b_task": "text", "ex_b_tlen": "31", "ex_b_secs": "20",
                   "ex_b_seed": "2"}
    at.segmented_control(key="ex_section").set_value("race").run()  # switching back keeps the race set-up
    assert controls(at, RACE_CONTROLS)["ex_r_seed"] == 7 and at.query_params["ex_r_task"] == "copy"
    fresh = open_page(url)
    assert fresh.select_slider(key="ex_b_tlen").value == 31 and fresh.number_input(key="ex_b_seed").value == 2


def test_locked_controls_are_disabled_and_hidden_ones_keep_the_links_value():
    at = open_page({"ex_section": "gradients", "ex_g_len": "30", "ex_g_nl": "relu",
                    "lock": "ex_g_len,ex_g_seed,ex_section", "hide": "ex_g_nl"})
    assert at.slider(key="ex_g_len").disabled and at.number_input(key="ex_g_seed").disabled
    assert at.segmented_control(key="ex_section").disabled
    assert not at.select_slider(key="ex_g_scale").disabled
    assert "ex_g_nl" not in [r.key for r in at.radio]
    at.select_slider(key="ex_g_scale").set_value(2.0).run()
    assert not at.exception
    assert at.session_state["ex_g_nl"] == "relu" and at.query_params["ex_g_nl"] == "relu"
    assert at.query_params["ex_g_len"] == "30" and at.query_params["lock"] == "ex_g_len,ex_g_seed,ex_section"


def test_bad_links_are_ignored_with_a_notice():
    at = open_page({"ex_section": "gradients", "ex_g_len": "9999", "ex_g_scale": "1.3", "ex_g_seed": "abc",
                    "bogus": "1", "ex_g_nl": "sigmoid", "ex_model": "gpt"})
    assert not at.error
    text = notices(at)
    for bit in ("ex_g_len=9999", "ex_g_scale=1.3", "ex_g_seed=abc", "unknown setting “bogus”", "ex_g_nl=sigmoid",
                "ex_model=gpt"):
        assert bit in text
    assert controls(at, GRADIENT_CONTROLS)["ex_g_len"] == 60 and at.radio(key="ex_g_nl").value == "tanh"
    # in range for the URL but not for this model: a layer and unit it lacks fall back
    odd = open_page({"ex_model": "untrained", "ex_layer": "3", "ex_unit": "4000", "ex_gate": "reset",
                     "ex_passage_play": "99999"})
    assert not odd.error and odd.selectbox(key="ex_unit").value == -1
    odd.session_state["ex_tab"] = "Gates"
    odd.run()
    assert odd.radio(key="ex_gate").value == "input"  # an LSTM has no reset gate: its first gate


def test_the_vanilla_forgets_lesson_walks_through():
    lesson = parse("vanilla_forgets", (LESSONS / "lesson_vanilla_forgets.md").read_text(encoding="utf-8"))
    assert len(lesson.steps) == 4 and lesson.title == "Why the vanilla RNN forgets"
    sections = []
    for i, step in enumerate(lesson.steps):
        page, query = step_target(lesson, i)
        assert page == "app_pages/rnn_explorer.py"
        at = open_page(query)
        assert not at.error, step.title
        assert not notices(at), f"step {i + 1}: {notices(at)}"  # every setup key is a real control
        assert f"Step {i + 1} of 4" in " ".join(m.value for m in at.sidebar.markdown)
        url = dict(at.query_params)
        for key, value in step.setup.items():
            assert url[key] == value, (step.title, key)  # the page shows exactly the lesson's set-up
        assert url["lesson"] == "vanilla_forgets" and url["step"] == str(i + 1)
        sections.append(url["ex_section"])
        if url["ex_section"] == "gradients":
            ratio = float(at.metric[0].value)  # RNN: ‖∂L/∂h_1‖ ÷ ‖∂L/∂h_T‖
            assert ratio < 1e-3 if url["ex_g_scale"] == "0.9" else ratio > 1e3  # vanishing, then exploding
    assert sections == ["gradients", "gradients", "gradients", "race"]
    assert at.button(key="ex_r_go").label == "Start the race"


def tiny_race(seed: int = 0):
    config = RaceConfig(task="adding", length=12, seconds=30, hidden_size=8, eval_size=16, eval_every=2,
                        max_steps=4, seed=seed)
    result = run_race(config)
    result.models = {}
    return {"config": config, "result": result}


def test_export_then_import_restores_the_setup_and_the_race():
    from ui.experiment import read
    from ui.explore.export import experiment_zip

    race = tiny_race()
    assert tiny_race()["result"].final == race["result"].final  # same seed, same race
    at = open_page({"ex_section": "race", "ex_r_len": "40", "ex_r_seed": "5", "ex_g_len": "20", "ex_g_seed": "2"})
    setup = dict(at.query_params) | {"ex_g_len": "20", "ex_g_seed": "2"}  # the page exports every section's controls
    g = dict(length=20, scale=1.0, nonlinearity="tanh", budget=3000, seed=2, chrono=False)
    data = experiment_zip(setup, g, race, None)
    names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    assert {"setup.json", "metrics.json", "figures/gradient_flow.html", "figures/gradient_heatmaps.html",
            "figures/race.html"} <= names
    exp = read(data, page="rnn_explorer")
    assert exp.metrics["race"]["final"] == race["result"].final
    assert len(exp.metrics["gradients"]["cells"]["rnn"]["grad_norms"]) == 20
    assert json.loads(zipfile.ZipFile(io.BytesIO(data)).read("setup.json"))["setup"]["ex_r_seed"] == "5"

    fresh = open_page({"ex_section": "bidirectional"})  # a new session imports the file
    fresh.file_uploader(key="ex_import").set_value(("exp.zip", data, "application/zip")).run()
    assert not fresh.exception and not fresh.error
    assert "Experiment imported" in fresh.success[0].value
    assert fresh.segmented_control(key="ex_section").value == "race"
    assert controls(fresh, RACE_CONTROLS) == controls(at, RACE_CONTROLS) | {"ex_r_len": 40, "ex_r_seed": 5}
    assert fresh.session_state["ex_g_len"] == 20 and fresh.session_state["ex_g_seed"] == 2
    assert fresh.session_state["ex_race"]["result"].final == race["result"].final
    shown = [m.value for m in fresh.metric]
    assert shown == [f"{v:.4f}" for v in race["result"].final.values()]
    assert {k: fresh.query_params[k] for k in at.query_params} == dict(at.query_params)

    bad = open_page({"ex_section": "bidirectional"})
    bad.file_uploader(key="ex_import").set_value(("x.zip", b"not a zip at all", "application/zip")).run()
    assert "not an RNN Studio experiment" in bad.error[0].value and not bad.exception
    buf = io.BytesIO()
    src = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(buf, "w") as z:
        for name in src.namelist():
            body = src.read(name)
            z.writestr(name, body.replace(b'"rnn_explorer"', b'"text_generation"') if name == "setup.json" else body)
    bad.file_uploader(key="ex_import").set_value(("y.zip", buf.getvalue(), "application/zip")).run()
    assert "belongs to the text_generation page" in bad.error[0].value
    assert bad.segmented_control(key="ex_section").value == "bidirectional"  # nothing was changed
