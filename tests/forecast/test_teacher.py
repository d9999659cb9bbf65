"""Teacher mode on the forecasting page: set-ups in the URL, locked controls, bad links, the lesson,
experiment files exported and imported."""

import io
import json
import zipfile

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.forecast.test_page import PAGE, run_until_results
from ui.lessons import LESSONS, parse, step_target

# every shareable control of the page, with the widget type AppTest finds it under
CONTROLS = {"fc_source": "segmented_control", "fc_target": "selectbox", "fc_cov": "multiselect",
            "fc_missing": "radio", "fc_cell": "selectbox", "fc_kind": "radio", "fc_strategy": "radio",
            "fc_level": "slider", "fc_lookback": "number_input", "fc_horizon": "number_input",
            "fc_hidden": "select_slider", "fc_steps": "number_input", "fc_seed": "number_input",
            "fc_arima": "checkbox"}


def open_page(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at.run()


def controls(at: AppTest) -> dict:
    return {key: getattr(at, kind)(key=key).value for key, kind in CONTROLS.items()}


def notices(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption if c.value.startswith("Link settings"))


def train(at: AppTest):
    at.button(key="fc_train").click().run()
    run_until_results(at)
    assert not at.exception
    return at.session_state["fc_run"]


def same_output(a, b) -> None:
    assert a.backtest.metrics == b.backtest.metrics
    np.testing.assert_array_equal(a.forecast["value"].to_numpy(), b.forecast["value"].to_numpy())


def test_url_round_trip_gives_the_same_controls_and_the_same_output():
    at = open_page()
    at.segmented_control(key="fc_source").set_value("co2").run()
    at.selectbox(key="fc_cell").set_value("gru")
    at.radio(key="fc_strategy").set_value("direct")
    at.slider(key="fc_level").set_value(0.9)
    at.number_input(key="fc_lookback").set_value(24)
    at.number_input(key="fc_horizon").set_value(6)
    at.select_slider(key="fc_hidden").set_value(8)
    at.number_input(key="fc_steps").set_value(10)
    at.number_input(key="fc_seed").set_value(3)
    at.checkbox(key="fc_arima").set_value(False)
    at.radio(key="fc_missing").set_value("drop").run()
    url = dict(at.query_params)
    assert url == {"fc_source": "co2", "fc_target": "co2", "fc_cov": "", "fc_missing": "drop", "fc_cell": "gru",
                   "fc_kind": "auto", "fc_strategy": "direct", "fc_level": "0.9", "fc_lookback": "24",
                   "fc_horizon": "6", "fc_hidden": "8", "fc_steps": "10", "fc_seed": "3", "fc_arima": "0"}
    first = train(at)
    fresh = open_page(url)  # a student opening the teacher's link in a new session
    assert not fresh.exception and not notices(fresh)
    assert controls(fresh) == controls(at)
    same_output(train(fresh), first)
    assert [m.value for m in fresh.metric] == [m.value for m in at.metric]


def test_target_and_covariates_travel_in_the_link():
    at = open_page({"fc_source": "msft", "fc_target": "Open", "fc_cov": "Close,Volume", "fc_kind": "price"})
    assert not at.exception and not at.error
    assert at.selectbox(key="fc_target").value == "Open"
    assert at.multiselect(key="fc_cov").value == ["Close", "Volume"]
    assert at.query_params["fc_cov"] == "Close,Volume" and at.query_params["fc_lookback"] == "30"
    at.multiselect(key="fc_cov").set_value(["Volume"]).run()
    assert at.query_params["fc_cov"] == "Volume"
    # a link naming only the source gets that source's own windows (CO2: 36 months back, 12 ahead)
    co2 = open_page({"fc_source": "co2"})
    assert co2.number_input(key="fc_lookback").value == 36 and co2.number_input(key="fc_horizon").value == 12


def test_locked_controls_are_disabled_and_hidden_ones_keep_the_links_value():
    at = open_page({"fc_source": "co2", "fc_cell": "rnn", "fc_steps": "20", "lock": "fc_cell,fc_seed",
                    "hide": "fc_steps,fc_arima"})
    assert not at.exception
    assert at.selectbox(key="fc_cell").disabled and at.number_input(key="fc_seed").disabled
    assert at.selectbox(key="fc_cell").value == "rnn"
    assert not at.radio(key="fc_kind").disabled and not at.number_input(key="fc_lookback").disabled
    assert "fc_steps" not in [w.key for w in at.number_input] and len(at.checkbox) == 0
    at.radio(key="fc_kind").set_value("price").run()  # another control changes: the hidden ones stay
    assert at.session_state["fc_steps"] == 20 and at.query_params["fc_steps"] == "20"
    assert at.query_params["lock"] == "fc_cell,fc_seed" and at.query_params["hide"] == "fc_steps,fc_arima"


def test_bad_links_are_ignored_with_a_notice():
    at = open_page({"fc_seed": "abc", "bogus": "1", "fc_hidden": "20", "fc_source": "nasdaq", "fc_level": "2",
                    "fc_cell": "transformer"})
    assert not at.exception and not at.error
    text = notices(at)
    for bit in ("fc_seed=abc", "unknown setting “bogus”", "fc_hidden=20", "fc_source=nasdaq", "fc_level=2",
                "fc_cell=transformer"):
        assert bit in text
    assert controls(at) | {"fc_target": None} == {
        "fc_source": "msft", "fc_target": None, "fc_cov": [], "fc_missing": "fill", "fc_cell": "lstm",
        "fc_kind": "auto", "fc_strategy": "recursive", "fc_level": 0.8, "fc_lookback": 30, "fc_horizon": 5,
        "fc_hidden": 32, "fc_steps": 200, "fc_seed": 0, "fc_arima": True}
    # in range for the URL but too long for this short series: clamped, and no target of another file
    short = open_page({"fc_source": "tech_stocks", "fc_lookback": "100", "fc_target": "Close"})
    assert not short.exception and not short.error
    assert short.number_input(key="fc_lookback").value == 26 and short.selectbox(key="fc_target").value == "AAPL"


def _csv() -> bytes:
    rng = np.random.default_rng(1)
    dates = pd.date_range("2021-01-01", periods=160, freq="D")
    rows = [f"{d:%Y-%m-%d},{100 + 0.2 * i + rng.normal():.3f},{50 + rng.normal():.3f}" for i, d in enumerate(dates)]
    return ("date,price,other\n" + "\n".join(rows) + "\n").encode()


def test_a_link_to_an_uploaded_csv_asks_for_the_file_and_keeps_the_rest():
    at = open_page({"fc_source": "upload", "fc_target": "other", "fc_cell": "rnn", "fc_seed": "5"})
    assert not at.exception
    assert "cannot travel inside a link" in at.warning[0].value
    at.file_uploader(key="fc_upload").set_value(("mine.csv", _csv(), "text/csv")).run()
    assert not at.exception and not at.error and not at.warning
    assert at.selectbox(key="fc_target").value == "other"
    assert at.selectbox(key="fc_cell").value == "rnn" and at.number_input(key="fc_seed").value == 5
    # the student's own choice of "Upload a CSV" is not a link: no such notice
    own = open_page()
    own.segmented_control(key="fc_source").set_value("upload").run()
    assert not own.warning and own.info


def test_the_stock_lstm_lesson_walks_through():
    lesson = parse("stock_lstm", (LESSONS / "lesson_stock_lstm.md").read_text(encoding="utf-8"))
    assert 3 <= len(lesson.steps) <= 5
    assert all(s.page == "stock_forecasting" for s in lesson.steps)
    sources = []
    for i, step in enumerate(lesson.steps):
        page, query = step_target(lesson, i)
        assert page == "app_pages/stock_forecasting.py"
        at = open_page(query)
        assert not at.exception and not at.error, step.title
        assert not notices(at), f"step {i + 1}: {notices(at)}"  # every setup key is a real control
        assert f"Step {i + 1} of {len(lesson.steps)}" in " ".join(m.value for m in at.sidebar.markdown)
        url = dict(at.query_params)
        for key, value in step.setup.items():
            assert url[key] == value, (step.title, key)  # the page shows exactly the lesson's set-up
        assert url["lesson"] == "stock_lstm" and url["step"] == str(i + 1)
        sources.append((url["fc_source"], url["fc_kind"]))
    assert sources[0] == ("msft", "price") and ("msft", "log_return") in sources and sources[-1][0] == "co2"


def test_export_then_import_restores_the_setup_and_reproduces_the_result():
    from ui.experiment import read
    from ui.forecast.charts import experiment_zip

    at = open_page({"fc_source": "co2", "fc_cell": "rnn", "fc_hidden": "8", "fc_steps": "10", "fc_seed": "4",
                    "fc_arima": "0", "fc_horizon": "3", "fc_kind": "price"})
    first = train(at)
    setup = at.session_state["fc_run_setup"]
    assert setup == {k: v for k, v in at.query_params.items() if k in CONTROLS}
    data = experiment_zip(first, setup)
    names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    assert {"setup.json", "metrics.json", "figures/forecast.html", "figures/backtest_mase.html",
            "figures/lag_trap.html", "model.safetensors", "model.json"} <= names
    exp = read(data, page="stock_forecasting")
    assert exp.metrics["models"]["rnn"]["mase"] == first.backtest.metrics["rnn"]["mase"]
    assert json.loads(json.dumps(exp.checkpoint.meta))["forecast_config"]["seed"] == 4

    fresh = open_page()  # a new session imports the file
    fresh.file_uploader(key="fc_import").set_value(("exp.zip", data, "application/zip")).run()
    assert not fresh.exception and not fresh.error
    assert "Experiment imported" in fresh.success[0].value
    assert f"MASE {first.backtest.metrics['rnn']['mase']:.3f}" in fresh.success[0].value
    assert controls(fresh) == controls(at)
    assert {k: fresh.query_params[k] for k in setup} == setup
    same_output(train(fresh), first)

    bad = open_page()
    bad.file_uploader(key="fc_import").set_value(("x.zip", b"not a zip at all", "application/zip")).run()
    assert "not an RNN Studio experiment" in bad.error[0].value and not bad.exception
    other = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in other.namelist():
            body = other.read(name)
            if name == "setup.json":
                body = body.replace(b'"stock_forecasting"', b'"text_generation"')
            z.writestr(name, body)
    bad.file_uploader(key="fc_import").set_value(("y.zip", buf.getvalue(), "application/zip")).run()
    assert "belongs to the text_generation page" in bad.error[0].value
    assert bad.segmented_control(key="fc_source").value == "msft"  # nothing was changed

