"""AppTest of the forecasting page: a built-in series end to end, and uploaded CSVs good and bad."""

import time
from pathlib import Path

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parents[2] / "app_pages" / "stock_forecasting.py")


def run_until_results(at: AppTest, timeout: float = 240.0) -> AppTest:
    """Rerun the page while the background job trains, until the results header shows."""
    end = time.time() + timeout
    while time.time() < end:
        time.sleep(1.0)
        at.run()
        if any(h.value.startswith("Results:") for h in at.subheader):
            return at
    raise AssertionError("no results: " + " | ".join(e.value for e in at.error))


def small_settings(at: AppTest, source: str) -> None:
    at.number_input(key="fc_steps").set_value(10)
    at.select_slider(key="fc_hidden").set_value(8)
    at.checkbox(key="fc_arima").set_value(False)


def test_builtin_series_trains_and_shows_results():
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    at.segmented_control(key="fc_source").set_value("co2").run()
    small_settings(at, "co2")
    at.button(key="fc_train").click().run()
    run_until_results(at)
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "the naive forecast: MASE" in text and "errors)" in text
    assert "Correlation of the one-step forecast" in text
    assert [m.label for m in at.metric][:2] == ["RNN MASE", "Naive MASE"]
    assert at.session_state["fc_run"].config.steps == 10


def test_uploaded_csv_is_parsed_and_forecast():
    rng = np.random.default_rng(0)
    dates = pd.date_range("2020-01-01", periods=150, freq="D")
    # day-first dates, semicolons and decimal commas, e.g. "01.01.2020;100,49"
    lines = ["Datum;Wert"] + [f"{d:%d.%m.%Y};" + f"{100 + i * 0.1 + rng.normal():.2f}".replace(".", ",")
                              for i, d in enumerate(dates)]
    data = ("\n".join(lines[:50] + lines[51:] + [lines[50]]) + "\n").encode()  # one row out of order
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.segmented_control(key="fc_source").set_value("upload").run()
    at.file_uploader(key="fc_upload").set_value(("prices.csv", data, "text/csv")).run()
    assert not at.exception and not at.error
    notes = " ".join(m.value for m in at.markdown)
    assert "Decimal commas read as decimal points in: Wert." in notes
    assert "Dates were out of order: rows sorted by date." in notes
    small_settings(at, "upload")
    at.button(key="fc_train").click().run()
    run_until_results(at)
    assert not at.exception
    run = at.session_state["fc_run"]
    assert len(run.forecast) == 5
    # a file that cannot be used keeps the earlier result, said to be for the previous file (issue 18)
    for name, bad in (("empty.csv", b""), ("picture.csv", b"\x89PNG\r\n\x1a\n\x00\x00binary")):
        at.file_uploader(key="fc_upload").set_value((name, bad, "text/csv")).run()
        assert at.error and not at.exception
        assert at.session_state["fc_run"] is run and any(h.value.startswith("Results:") for h in at.subheader)
        assert "The results below are for **'prices.csv'** (Wert)" in " ".join(i.value for i in at.info)
    at.file_uploader(key="fc_upload").set_value(("prices.csv", data, "text/csv")).run()  # the same file again
    assert not at.error and at.session_state["fc_run"] is run
    assert any(h.value.startswith("Results:") for h in at.subheader)
    assert "The results below are for" not in " ".join(i.value for i in at.info)
    at.segmented_control(key="fc_source").set_value("co2").run()  # other data: the result is cleared
    assert at.session_state["fc_run"] is None


def test_bad_uploads_show_a_message():
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.segmented_control(key="fc_source").set_value("upload").run()
    at.file_uploader(key="fc_upload").set_value(("x.csv", b"date,close\n", "text/csv")).run()
    assert "header row but no data rows" in at.error[0].value
    at.file_uploader(key="fc_upload").set_value(("x.csv", b"\x00\x01\x02binary", "text/csv")).run()
    assert "binary bytes" in at.error[0].value
    short = "date,v\n" + "".join(f"2024-01-{d:02d},{d}\n" for d in range(1, 20))
    at.file_uploader(key="fc_upload").set_value(("s.csv", short.encode(), "text/csv")).run()
    assert "usable rows after cleaning" in at.error[0].value
    assert not at.exception


def test_every_builtin_renders_its_controls():
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    for source in ("msft", "co2", "tech_stocks"):
        at.segmented_control(key="fc_source").set_value(source).run()
        assert not at.exception and not at.error
        assert at.selectbox(key="fc_target").value
    at.radio(key="fc_kind").set_value("log_return").run()
    at.number_input(key="fc_lookback").set_value(26).run()
    at.number_input(key="fc_horizon").set_value(30).run()  # 105 rows: too few for this setup
    at.button(key="fc_train").click().run()
    assert "The series has 105 rows, too few for a backtest" in at.error[0].value
    at.number_input(key="fc_horizon").set_value(4).run()  # the controls are still there to fix it
    assert not at.error
