"""The CSV reader: good files in several dialects and every bad case with its exact message."""

import pytest

from rnn_models.errors import UserInputError
from rnn_models.forecast.csv_reader import CsvLimits, read_csv_bytes
from rnn_models.forecast.series import select_series


def csv(text: str) -> bytes:
    return text.encode("utf-8")


GOOD = "date,close,volume\n" + "".join(f"2024-01-{d:02d},{100 + d * 1.5},{1000 + d}\n" for d in range(1, 29))


def test_reads_dates_and_numbers():
    t = read_csv_bytes(csv(GOOD))
    assert t.date_column == "date"
    assert list(t.frame.columns) == ["close", "volume"]
    assert t.frame["close"].iloc[0] == 101.5
    assert t.freq.label == "daily"
    assert t.decisions == ("read as UTF-8", "`,` separated", "time column 'date' as year-month-day")


def test_semicolons_and_decimal_commas():
    text = "Datum;Kurs\n" + "".join(f"{d:02d}.03.2024;1.2{d:02d},5\n" for d in range(1, 21))
    t = read_csv_bytes(csv(text))
    assert t.frame["Kurs"].iloc[0] == pytest.approx(1201.5)
    assert t.frame.index[0].month == 3 and t.frame.index[0].day == 1
    assert "Decimal commas read as decimal points in: Kurs." in t.notes


def test_two_columns_with_a_decimal_comma_are_split_at_the_semicolon():
    # every data row has one ';' and one ',': only ';' also splits the header into two columns
    rows = "".join(f"{1959 + q // 4}Q{q % 4 + 1};{1707 + q},{q % 10}\n" for q in range(40))
    text = "Quartal;Konsum (Mrd. $)\n" + rows
    t = read_csv_bytes(text.encode("cp1252"))
    assert t.decisions[1] == "`;` separated" and t.date_column == "Quartal"
    assert t.frame["Konsum (Mrd. $)"].iloc[1] == pytest.approx(1708.1)


def test_thousands_separators():
    text = 'date,price\n' + "".join(f'2024-02-{d:02d},"1,{d:03d}.25"\n' for d in range(1, 21))
    t = read_csv_bytes(csv(text))
    assert t.frame["price"].iloc[2] == pytest.approx(1003.25)
    assert "Thousands separators removed in: price." in t.notes


def test_unsorted_and_duplicated_dates_are_fixed_and_reported():
    text = "date,v\n2024-01-03,3\n2024-01-01,1\n2024-01-02,2\n2024-01-02,4\n2024-01-04,5\n"
    t = read_csv_bytes(csv(text))
    assert list(t.frame["v"]) == [1.0, 3.0, 3.0, 5.0]
    assert "Dates were out of order: rows sorted by date." in t.notes
    assert "1 duplicated date(s): rows sharing a date were averaged." in t.notes


def test_missing_values_fill_or_drop():
    text = "date,v\n" + "".join(f"2024-01-{d:02d},{'' if d in (3, 4) else d}\n" for d in range(1, 21))
    t = read_csv_bytes(csv(text))
    filled = select_series(t, "v", missing="fill")
    assert len(filled) == 20 and filled.values[2] == 2.0 and filled.values[3] == 2.0
    assert "Filled 2 missing values by carrying the previous value forward." in filled.notes
    dropped = select_series(t, "v", missing="drop")
    assert len(dropped) == 18
    assert "Dropped 2 rows with missing values (2 missing cells)." in dropped.notes


def test_no_date_column_uses_row_numbers():
    t = read_csv_bytes(csv("a,b\n" + "".join(f"{i},{i * i}\n" for i in range(15))))
    assert t.date_column is None
    assert "No date column found: rows are numbered 0, 1, 2, ... in file order." in t.notes


BAD = [
    (b"", "The file is empty. Upload a CSV with a header row and at least one row of numbers."),
    (b"date,close\n", "The CSV has a header row but no data rows. Add rows of values below the header."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
     "This file contains binary bytes, so it is not a CSV text file. "
     "Export your data as CSV (comma- or semicolon-separated text) and upload that."),
    (b"name,city\nann,paris\nbob,rome\n",
     "No numeric column found: every column is text or dates. "
     "The CSV needs at least one column of numbers to forecast (e.g. a 'Close' price)."),
]


@pytest.mark.parametrize("data,message", BAD)
def test_bad_files_have_exact_messages(data, message):
    with pytest.raises(UserInputError) as err:
        read_csv_bytes(data)
    assert str(err.value) == message


def test_caps_on_size_rows_columns():
    with pytest.raises(UserInputError, match=r"^The file is 0.0 MB, over the 0.0001 MB limit\."):
        read_csv_bytes(csv(GOOD), CsvLimits(max_bytes=100))
    with pytest.raises(UserInputError) as err:
        read_csv_bytes(csv(GOOD), CsvLimits(max_rows=10))
    assert str(err.value) == ("The CSV has 28 data rows, over the limit of 10. "
                              "Upload a shorter or coarser series (e.g. weekly instead of daily).")
    with pytest.raises(UserInputError) as err:
        read_csv_bytes(csv(GOOD), CsvLimits(max_columns=2))
    assert str(err.value) == ("The CSV has 3 columns, over the limit of 2. "
                              "Keep the date column and the columns you want to forecast.")


def test_constant_all_missing_and_too_short_series():
    t = read_csv_bytes(csv("date,flat,empty,v\n" + "".join(
        f"2024-01-{d:02d},5,,{d}\n" for d in range(1, 21))))
    with pytest.raises(UserInputError) as err:
        select_series(t, "flat")
    assert str(err.value) == ("Column 'flat' is constant (every value is 5), so there is nothing to forecast. "
                              "Pick a column that changes over time.")
    with pytest.raises(UserInputError) as err:
        select_series(t, "v", min_rows=50)
    assert str(err.value) == ("Only 20 usable rows after cleaning, but this setup needs at least 50 "
                              "(lookback window + horizon + backtest). Upload a longer series or shorten "
                              "the lookback window.")


def test_all_missing_column():
    t = read_csv_bytes(csv("date,v,w\n" + "".join(f"2024-01-{d:02d},{d},NA\n" for d in range(1, 21))))
    assert list(t.frame.columns) == ["v"]
    assert "Column 'w' is empty (every cell missing) and was left out." in t.notes
    with pytest.raises(UserInputError) as err:
        read_csv_bytes(csv("date,w\n" + "".join(f"2024-01-{d:02d},NA\n" for d in range(1, 5))))
    assert str(err.value) == ("All values are missing: every cell of 'w' is empty or NA. "
                              "Fill in the numbers and upload again.")


def test_forced_date_column_and_bad_name():
    t = read_csv_bytes(csv(GOOD), date_column="date")
    assert t.date_column == "date"
    with pytest.raises(UserInputError) as err:
        read_csv_bytes(csv(GOOD), date_column="when")
    assert str(err.value) == "No column named 'when'. Columns: date, close, volume."


def test_ragged_rows_are_reported():
    with pytest.raises(UserInputError, match=r"^The file could not be read as a CSV \("):
        read_csv_bytes(csv("a,b\n1,2\n3,4,5,6\n"))
