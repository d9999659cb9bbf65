"""The reader on what spreadsheets, banks and statistics offices export: encodings, separators, number
styles, missing markers, time columns, newest-first files, gaps and preambles; each decision is listed."""

import numpy as np
import pandas as pd
import pytest

from rnn_models.errors import UserInputError
from rnn_models.forecast.csv_reader import NO_TIME, ReadOptions, read_csv_bytes
from rnn_models.forecast.series import decision_line, select_series

GERMAN = "Datum;Umsatz in €;Menge\n" + "".join(f"{d:02d}.03.2024;1.2{d:02d},5;{d}\n" for d in range(1, 21))


@pytest.mark.parametrize("codec, name", [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 with BOM"), ("utf-16", "UTF-16"),
                                         ("utf-32", "UTF-32"), ("cp1252", "Windows-1252")])
def test_encodings(codec, name):
    t = read_csv_bytes(GERMAN.encode(codec))
    assert t.decisions[0] == f"read as {name}"
    assert list(t.frame.columns) == ["Umsatz in €", "Menge"]
    assert t.frame["Umsatz in €"].iloc[0] == pytest.approx(1201.5)


def test_latin1_file_reads_and_forced_encoding_that_does_not_fit_says_how_to_fix():
    text = "Datum;Größe\n" + "".join(f"{d:02d}.03.2024;{d},5\n" for d in range(1, 21))
    t = read_csv_bytes(text.encode("latin-1"))
    assert "Größe" in t.frame.columns
    with pytest.raises(UserInputError) as err:
        read_csv_bytes(text.encode("latin-1"), options=ReadOptions(encoding="utf-8"))
    assert str(err.value) == ("The file is not utf-8 text (unreadable byte at position 8). "
                              "Choose 'auto' or another encoding.")


@pytest.mark.parametrize("sep, word", [(",", "`,`"), (";", "`;`"), ("\t", "tab"), ("|", "`|`")])
def test_separators(sep, word):
    text = f"date{sep}value\n" + "".join(f"2024-01-{d:02d}{sep}{d}.5\n" for d in range(1, 21))
    t = read_csv_bytes(text.encode())
    assert t.decisions[1] == f"{word} separated" and t.frame["value"].iloc[1] == 2.5


def test_decision_line_reads_like_a_sentence():
    text = ("Quelle: Statistisches Amt\nTabelle 1\n\nDatum;Umsatz;Menge\n"
            + "".join(f"{d:02d}.02.2024;{'.' if d == 5 else f'1.2{d:02d},50'};{d}\n" for d in range(20, 0, -1)))
    t = read_csv_bytes(text.encode("cp1252"))
    s = select_series(t, "Umsatz")
    assert decision_line(t, s) == (
        "read as UTF-8, `;` separated, header on line 4 (2 line(s) above it skipped), decimal comma; "
        "time column 'Datum' as day.month.year (a first part above 12), newest-first rows reversed; "
        "target 'Umsatz': the first numeric column; 1 missing value filled")


@pytest.mark.parametrize("marker", [".", "NA", "n/a", "-", "#N/A", ""])
def test_missing_markers(marker):
    text = "date,v\n" + "".join(f"2024-01-{d:02d},{marker if d == 4 else d}\n" for d in range(1, 21))
    t = read_csv_bytes(text.encode())
    assert np.isnan(t.frame["v"].iloc[3]) and t.frame["v"].notna().sum() == 19


def test_quoted_numbers_with_thousands_separators():
    text = "date,price\n" + "".join(f'2024-01-{d:02d},"1,2{d:02d}.5"\n' for d in range(1, 21))
    assert read_csv_bytes(text.encode()).frame["price"].iloc[0] == pytest.approx(1201.5)


@pytest.mark.parametrize("cells, order, first, words", [
    ([f"{d:02d}/01/2024" for d in range(1, 21)], "auto", "2024-01-01", "day/month/year (a first part above 12)"),
    ([f"01/{d:02d}/2024" for d in range(1, 21)], "auto", "2024-01-01", "month/day/year (a second part above 12)"),
    ([f"{m:02d}/01/2024" for m in range(1, 13)], "auto", "2024-01-01",
     "month/day/year (both readings regular; '/' dates read month first)"),
    (["01.01.2024", "02.01.2024", "03.01.2024", "05.01.2024", "06.01.2024"], "auto", "2024-01-01",
     "day.month.year (both parts <= 12, the more regular spacing)"),
    ([f"{m:02d}/01/2024" for m in range(1, 13)], "day first", "2024-01-01", "day/month/year"),
    ([f"{1959 + q // 4}Q{q % 4 + 1}" for q in range(12)], "auto", "1959-01-01", "quarters (e.g. 1959Q1)"),
    ([f"{1959 + m // 12}-{m % 12 + 1:02d}" for m in range(14)], "auto", "1959-01-01", "months (e.g. 1959-01)"),
    ([f"2020-W{w:02d}" for w in range(5, 20)], "auto", "2020-01-27", "ISO weeks (e.g. 2020-W05)"),
])
def test_time_columns(cells, order, first, words):
    text = "period,v\n" + "".join(f"{c},{i}\n" for i, c in enumerate(cells))
    t = read_csv_bytes(text.encode(), options=ReadOptions(date_order=order))
    assert str(t.frame.index[0].date()) == first
    assert f"time column 'period' as {words}" in t.decisions


@pytest.mark.parametrize("start, step, words", [(1.7e9, 3600, "Unix seconds"), (1.7e12, 86_400_000,
                                                                                  "Unix milliseconds")])
def test_unix_time_is_a_time_column_not_the_target(start, step, words):
    text = "timestamp,load\n" + "".join(f"{int(start + i * step)},{50 + i % 7}\n" for i in range(40))
    t = read_csv_bytes(text.encode())
    assert t.date_column == "timestamp" and list(t.frame.columns) == ["load"]
    assert f"time column 'timestamp' as {words}" in t.decisions


def test_plain_years_and_a_missing_year_inserted():
    text = "year,sunspots\n" + "".join(f"{y},{0 if y % 11 == 0 else y % 11 * 10}\n" for y in range(1900, 1960)
                                       if y != 1930)
    t = read_csv_bytes(text.encode())
    assert "time column 'year' as years" in t.decisions and "1 missing date(s) inserted" in t.decisions
    assert len(t.frame) == 60 and np.isnan(t.frame.loc[pd.Timestamp("1930-01-01"), "sunspots"])


def test_overrides_no_time_column_separator_and_decimal():
    t = read_csv_bytes(GERMAN.encode(), options=ReadOptions(date_column=NO_TIME))
    assert t.date_column is None and "no time column (rows numbered)" in t.decisions
    t = read_csv_bytes(GERMAN.encode(), options=ReadOptions(delimiter=";", decimal=","))
    assert t.frame["Menge"].iloc[2] == 3.0
    t = read_csv_bytes(GERMAN.encode(), options=ReadOptions(header_row=1))
    assert t.date_column == "Datum"
    with pytest.raises(UserInputError, match="^Line 99 cannot be the header: no data rows follow it"):
        read_csv_bytes(GERMAN.encode(), options=ReadOptions(header_row=99))


def test_excel_workbook_is_refused_with_a_fix():
    with pytest.raises(UserInputError) as err:
        read_csv_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(200))
    assert str(err.value) == ("This file contains binary bytes, so it is not a CSV text file. It looks like an "
                              "Excel workbook (.xlsx). Export your data as CSV (comma- or semicolon-separated text) "
                              "and upload that.")
