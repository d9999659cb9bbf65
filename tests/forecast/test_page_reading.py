"""AppTest of the forecasting page's reading controls: a new file starts automatic, an override can be undone."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parents[2] / "app_pages" / "stock_forecasting.py")
HEADER = "Header line (0 = detect)"
READING = {"Encoding": "auto", "Separator": "auto", "Decimal mark": "auto", "Time column": "(detect)",
           "Dates like 01/02/2020": "auto", HEADER: 0}


def titled_file() -> bytes:
    """Two title lines above the header, semicolons and decimal commas (as a German export)."""
    rows = [f"{1960 + q // 4}Q{q % 4 + 1};{28 + q * 0.37:.3f};{5 + (q * 7) % 5},{q % 10}".replace(".", ",")
            for q in range(60)]
    return ("Preisindex USA;;\nQuelle: eigene Rechnung;;\nQuartal;Preisindex;Quote\n" + "\n".join(rows)
            + "\n").encode()


def yearly_file() -> bytes:
    """A plain yearly series whose third line reads '1872,1160' (a header there would name a column '1160')."""
    values = [1120, 1160] + [900 + (y * 37) % 300 for y in range(98)]
    return ("Jahr,Abfluss\n" + "".join(f"{1871 + i},{v}\n" for i, v in enumerate(values))).encode()


def widget(at: AppTest, label: str):
    found = [w for w in [*at.selectbox, *at.number_input] if w.label == label]
    assert len(found) == 1, (label, [w.label for w in [*at.selectbox, *at.number_input]])
    return found[0]


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    return at.file_uploader(key="fc_upload").set_value((name, data, "text/csv")).run()


def open_upload() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    return at.segmented_control(key="fc_source").set_value("upload").run()


def test_a_new_file_starts_with_every_reading_control_automatic():
    at = upload(open_upload(), "titled.csv", titled_file())
    assert not at.exception
    widget(at, HEADER).set_value(3).run()
    widget(at, "Decimal mark").set_value(",").run()
    at.radio(key="fc_missing").set_value("drop").run()
    assert at.selectbox(key="fc_target").value == "Preisindex" and not at.error
    upload(at, "yearly.csv", yearly_file())
    assert {label: widget(at, label).value for label in READING} == READING
    assert at.radio(key="fc_missing").value == "fill"
    at.radio(key="fc_missing").set_value("drop").run()  # any rerun: the old header line must not come back
    assert not at.error and not at.exception
    assert at.selectbox(key="fc_target").value == "Abfluss"
    assert widget(at, HEADER).value == 0
    line = next(i.value for i in at.info if "How the file was read" in i.value)
    assert "header" not in line.lower() or "line 1" in line.lower(), line



def pipe_file() -> bytes:
    """100 quarters, pipe separated, header on line 1."""
    rows = [f"{1960 + q // 4}Q{q % 4 + 1}|{2700 + q * 9.5:.1f}|{5 + (q % 7) * 0.3:.1f}" for q in range(100)]
    return ("quarter|realgdp|unemp\n" + "\n".join(rows) + "\n").encode()


def reading_expander(at: AppTest):
    return next(e for e in at.expander if e.label == "Change how the file is read")


def test_an_override_that_breaks_the_series_can_be_undone():
    at = upload(open_upload(), "macro.csv", pipe_file())
    assert not at.error and not reading_expander(at).proto.expanded  # automatic: folded away
    widget(at, HEADER).set_value(95).run()  # the file still reads, but 5 rows are too few
    assert "With header line 95 set by you" in at.error[0].value and "could not be used" in at.error[0].value
    assert any("How the file was read" in i.value for i in at.info)  # the decision line stays
    assert reading_expander(at).proto.expanded and widget(at, HEADER).value == 95
    at.radio(key="fc_missing").set_value("drop").run()  # another click keeps the override and its controls
    assert "With header line 95 set by you" in at.error[0].value and widget(at, HEADER).value == 95
    upload(at, "macro.csv", pipe_file())  # the same file uploaded again: read automatically
    assert not at.error and widget(at, HEADER).value == 0
    widget(at, HEADER).set_value(95).run()
    widget(at, HEADER).set_value(0).run()  # or undone in place: the file reads as before
    assert not at.error and at.selectbox(key="fc_target").value in ("realgdp", "unemp")
    widget(at, "Encoding").set_value("utf-16").run()  # a choice that breaks the read itself
    assert "With encoding UTF-16 set by you" in at.error[0].value
    assert reading_expander(at).proto.expanded and widget(at, "Encoding").value == "utf-16"
    widget(at, "Encoding").set_value("auto").run()
    assert not at.error and not at.exception


def test_empty_and_oversized_files_say_how_to_fix_them():
    at = upload(open_upload(), "empty.csv", b"")
    assert "the CSV is empty. Export the sheet again as CSV with a header row" in at.error[0].value
    big = b"date,value\n" + b"2020-01-01,1.0\n" * 400_000
    at = upload(at, "big.csv", big)
    assert "the limit is 5 MB. Keep only the time column" in at.error[0].value
    assert not any(e.label == "Change how the file is read" for e in at.expander)  # no reading choice helps
