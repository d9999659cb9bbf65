"""Reader fixes found on real-style exports: two-digit years, forced date orders the data contradicts,
accounting and Unicode negatives, padded title lines, year + quarter columns, the target's reason, one-row
files and `;` files with decimal points."""

import pandas as pd
import pytest

from rnn_models.errors import UserInputError
from rnn_models.forecast.csv_reader import ReadOptions, read_csv_bytes
from rnn_models.forecast.series import decision_line, pick_target, select_series

QUARTER_ENDS = ((3, 31), (6, 30), (9, 30), (12, 31))


def _two_digit(years, day_first=False) -> list[str]:
    return [f"{d:02d}.{m:02d}.{y % 100:02d}" if day_first else f"{m}/{d}/{y % 100:02d}"
            for y in years for m, d in QUARTER_ENDS]


@pytest.mark.parametrize("day_first", [False, True])
@pytest.mark.parametrize("newest_first", [False, True])
def test_two_digit_years_take_the_century_that_keeps_one_run(day_first, newest_first):
    dates = _two_digit(range(1959, 2010), day_first)
    rows = [f"{d},{k + 1}" for k, d in enumerate(dates)]
    text = "Date,Value\n" + "\n".join(rows[::-1] if newest_first else rows) + "\n"
    t = read_csv_bytes(text.encode())
    assert t.frame.index[0].year == 1959 and t.frame.index[-1].year == 2009
    assert t.frame.index.is_monotonic_increasing and t.frame["Value"].iloc[0] == 1
    assert "two-digit years read as 1959-2009" in t.decisions[-2 if newest_first else -1]


def test_two_digit_years_inside_one_century_follow_the_spreadsheet_rule():
    t = read_csv_bytes(("Date,Value\n" + "".join(f"{d},{k}\n" for k, d in enumerate(_two_digit(range(1950, 1961))))
                        ).encode())
    assert t.frame.index[0].year == 1950 and "two-digit years read as 1950-1960" in t.decisions[-1]


@pytest.mark.parametrize("years, why", [(range(2025, 2036), "they read as one run in more than one century"),
                                        (None, "no choice of century")])
def test_two_digit_years_that_stay_ambiguous_are_refused(years, why):
    dates = _two_digit(years) if years else ["3/31/59", "3/31/09", "3/31/60", "3/31/08", "3/31/61", "3/31/62"]
    with pytest.raises(UserInputError) as err:
        read_csv_bytes(("Date,Value\n" + "".join(f"{d},{k}\n" for k, d in enumerate(dates))).encode())
    assert str(err.value).startswith(f"The dates have two-digit years (like '{dates[0]}'), which are ambiguous: {why}")
    assert "Save the dates with four-digit years" in str(err.value)


@pytest.mark.parametrize("order, cells, message", [
    ("month first", [f"{d}/11/2015" for d in range(1, 20)],
     "'13/11/2015' has a first part above 12, so these dates are day first, not month first: "
     "choose 'day first' or 'auto' for the date order."),
    ("day first", [f"11/{d}/2015 09:30" for d in range(1, 20)],
     "'11/13/2015 09:30' has a second part above 12, so these dates are month first, not day first: "
     "choose 'month first' or 'auto' for the date order."),
    ("month first", [f"{d}/11/2015 9:30:00 AM" for d in range(1, 20)], "'13/11/2015 9:30:00 AM' has a first part"),
])
def test_a_forced_date_order_the_dates_contradict_is_refused_naming_the_cell(order, cells, message):
    text = "Date,Value\n" + "".join(f"{c},{k}\n" for k, c in enumerate(cells))
    with pytest.raises(UserInputError) as err:
        read_csv_bytes(text.encode(), options=ReadOptions(date_order=order))
    assert str(err.value).startswith(message)
    frame = read_csv_bytes(text.encode()).frame
    assert frame["Value"].is_monotonic_increasing  # auto reads them in order, times of day kept
    assert frame.index[12] == pd.Timestamp("2015-11-13 09:30" if ":" in cells[0] else "2015-11-13")


@pytest.mark.parametrize("sep, cells, values", [
    (",", ['"(1,234.50)"', "($12.00)", "0.74", "(0.34)"], [-1234.5, -12.0, 0.74, -0.34]),
    (";", ["−0,34", "1.234,5", "−1.234,5", "0,74"], [-0.34, 1234.5, -1234.5, 0.74]),
    (",", ["\u22120.40", "2.34", "\u2013", "-1.5"], [-0.40, 2.34, None, -1.5]),
])
def test_accounting_and_unicode_minus_negatives_read_as_negative_numbers(sep, cells, values):
    rows = [f"2024-01-{k + 1:02d}{sep}{cells[k % 4]}" for k in range(20)]
    t = read_csv_bytes(("Date" + sep + "Rate\n" + "\n".join(rows) + "\n").encode())
    got = t.frame["Rate"].to_numpy()[:4]
    assert [None if v != v else pytest.approx(v) for v in got] == values


@pytest.mark.parametrize("padding", [";;", ""])
def test_title_lines_padded_with_separators_are_not_the_header(padding):
    body = "".join(f"{y}Q{q};{y - 1900},{q}5;5,{q}\n" for y in range(1959, 1965) for q in range(1, 5))
    text = (f"Verbraucherpreisindex USA (CPI), Quartalswerte{padding}\nQuelle: Amt{padding}\n"
            f"Quartal;Preisindex;Arbeitslosenquote (%)\n{body}Stand 2010{padding}\n")
    t = read_csv_bytes(text.encode())
    assert list(t.frame.columns) == ["Preisindex", "Arbeitslosenquote (%)"] and t.date_column == "Quartal"
    assert "header on line 3 (2 line(s) above it skipped)" in t.decisions
    assert len(t.frame) == 24 and t.frame["Preisindex"].iloc[0] == pytest.approx(59.15)


@pytest.mark.parametrize("period, top, freq", [("quarter", 4, "quarterly"), ("Month", 12, "monthly")])
def test_year_and_period_columns_make_one_time_column_and_are_never_the_target(period, top, freq):
    rows = "".join(f"{y},{p},{y - 1950 + p / 10:.1f}\n" for y in range(1959, 1965) for p in range(1, top + 1))
    data = f'"year","{period}","realgdp"\n{rows}'.encode()
    t = read_csv_bytes(data)
    assert t.date_column == f"year + {period}" and list(t.frame.columns) == ["realgdp"] and t.freq.label == freq
    assert t.frame.index[1] == pd.Timestamp(1959, 4 if top == 4 else 2, 1) and len(t.frame) == 6 * top
    assert read_csv_bytes(data, options=ReadOptions(date_column=t.date_column)).frame.equals(t.frame)
    with pytest.raises(UserInputError) as err:  # the year alone: most rows would be averaged away
        read_csv_bytes(data, options=ReadOptions(date_column="year"))
    assert str(err.value).startswith(f"{6 * top - 6} of {6 * top} rows repeat a date of 'year' (read as years)")
    assert pick_target([period, "year", "realgdp"], None) == "realgdp"


def test_a_date_column_beside_year_and_month_columns_stays_the_time_column():
    days = pd.date_range("2024-01-25", periods=20)
    text = "Date,Year,Month,Sales\n" + "".join(f"{d:%Y-%m-%d},{d.year},{d.month},{k}\n" for k, d in enumerate(days))
    t = read_csv_bytes(text.encode())
    assert t.date_column == "Date" and t.freq.label == "daily"
    assert pick_target(list(t.frame.columns), None) == "Sales"


@pytest.mark.parametrize("header, target, why", [
    ("Date,Volume,Close", "Close", "its name says close"),
    ("Date,month,Sales", "Sales", "the first numeric column that is not a calendar column"),
    ("Date,Sales,Stock", "Sales", "the first numeric column"),
])
def test_the_default_target_says_why_in_the_decision_line(header, target, why):
    text = header + "\n" + "".join(f"2024-01-{d:02d},{d % 12 + 1},{d * 1.5}\n" for d in range(1, 21))
    t = read_csv_bytes(text.encode())
    assert (t.target, t.target_reason) == (target, why) and f"Target column: '{target}' ({why})." in t.notes
    assert decision_line(t, select_series(t, target)).endswith(f"; target '{target}': {why}")
    other = next(c for c in t.frame.columns if c != target)
    assert decision_line(t, select_series(t, other)).endswith(f"; target '{other}': chosen")


def test_a_one_row_file_says_how_many_rows_are_needed_not_that_the_column_is_constant():
    t = read_csv_bytes(b"Date,Close\n2017-11-10,83.87\n")
    with pytest.raises(UserInputError) as err:
        select_series(t, "Close", min_rows=82)
    assert str(err.value).startswith("The file has only 1 data row, but a forecast learns from how values change")
    assert "needs at least 82 rows" in str(err.value) and "constant" not in str(err.value)


def test_a_semicolon_file_without_commas_reads_three_decimals_as_decimal_points():
    rows = "".join(f"{y}Q{q};{y - 1930 + q / 100:.3f};{q}\n" for y in range(1959, 1964) for q in range(1, 5))
    t = read_csv_bytes(("Quartal;CPI;n;Kommentar\n" + rows.replace("\n", ";ja, vorläufig\n")).encode())
    assert t.frame["CPI"].iloc[0] == pytest.approx(29.01) and "decimal point" in t.decisions
    assert any(n.startswith("No value has a decimal comma, so points are decimal points in: CPI") for n in t.notes)
    german = read_csv_bytes(f"Quartal;CPI;n\n{rows}2000Q1;1,5;1\n".encode())  # a comma elsewhere: 29.010 = 29010
    assert german.frame["CPI"].iloc[0] == 29010 and "decimal point" not in german.decisions
