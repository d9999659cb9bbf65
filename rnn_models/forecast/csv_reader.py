"""Read an uploaded table (bytes) into a Table: encoding, separator, header line, number style and time column
detected, every decision listed in Table.decisions and each one overridable through ReadOptions."""

import csv
import io
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rnn_models.errors import UserInputError
from rnn_models.forecast.csv_cells import DELIMITER_NAMES, DELIMITERS, header_line, parse_numeric, sniff_delimiter
from rnn_models.forecast.series import Table, infer_frequency, target_choice
from rnn_models.forecast.text_decode import decode
from rnn_models.forecast.time_column import DATE_ORDERS, parse_numeric_time, parse_time
from rnn_models.forecast.year_period import combined_columns, find_year_and_period, year_and_period

_DIGIT_COMMA = re.compile(r"\d,\d")  # a comma inside a number: 1,5 or 1.234,5 (not one in a text cell)
NO_TIME = ""  # ReadOptions.date_column value meaning "no time column: number the rows"
_DATE_NAMES = ("date", "time", "day", "month", "year", "period", "timestamp", "datetime", "datum", "jahr",
               "monat", "quarter", "week", "zeit", "fecha", "periode", "stichtag")


@dataclass(frozen=True)
class CsvLimits:
    max_bytes: int = 5_000_000  # upload size cap
    max_rows: int = 100_000  # data rows after the header
    max_columns: int = 50


@dataclass(frozen=True)
class ReadOptions:
    encoding: str = "auto"  # "auto" | "utf-8" | "utf-16" | "windows-1252" | "latin-1"
    delimiter: str = "auto"  # "auto" | "," | ";" | "\t" | "|"
    decimal: str = "auto"  # "auto" (per column) | "." | ","
    date_column: str | None = None  # None: detect; NO_TIME (""): rows numbered; else that column
    date_order: str = "auto"  # DATE_ORDERS: how 01/02/2020 is read when both parts are <= 12
    header_row: int | None = None  # 1-based line number of the header in the file; None: detect


def read_csv_bytes(data: bytes, limits: CsvLimits = CsvLimits(), name: str = "upload",
                   date_column: str | None = None, options: ReadOptions = ReadOptions()) -> Table:
    """Parse CSV bytes into a Table of numeric columns indexed by time; UserInputError names any problem
    and how to fix it. date_column (kept for callers that only force the time column) overrides options."""
    if date_column is not None:
        options = ReadOptions(**{**options.__dict__, "date_column": date_column})
    _check_options(options)
    if len(data) == 0 or not data.strip():
        raise UserInputError("The file is empty. Upload a CSV with a header row and at least one row of numbers.")
    if len(data) > limits.max_bytes:
        raise UserInputError(
            f"The file is {len(data) / 1e6:.1f} MB, over the {limits.max_bytes / 1e6:g} MB limit. "
            "Upload a shorter series (fewer rows or columns)."
        )
    text, encoding = decode(data, options.encoding)
    numbered = [(k, line) for k, line in enumerate(text.splitlines()) if line.strip()]
    lines = [line for _, line in numbered]
    if len(lines) == 1:
        raise UserInputError("The CSV has a header row but no data rows. Add rows of values below the header.")
    delimiter = sniff_delimiter(lines) if options.delimiter == "auto" else options.delimiter
    if options.header_row is None:
        header = header_line(lines, delimiter)
    else:
        header = next((i for i, (k, _) in enumerate(numbered) if k + 1 >= options.header_row), len(lines))
        if header >= len(lines) - 1:
            raise UserInputError(f"Line {options.header_row} cannot be the header: no data rows follow it. "
                                 "Choose the line that holds the column names.")
    fields = len(next(csv.reader([lines[header]], delimiter=delimiter)))
    if fields > limits.max_columns:  # before pandas builds a frame of them (seconds for 100,000 columns)
        raise UserInputError(
            f"The CSV has {fields} columns, over the limit of {limits.max_columns}. "
            "Keep the date column and the columns you want to forecast."
        )
    raw = _frame(lines[header:], delimiter, limits)
    decisions = [f"read as {encoding}", f"{DELIMITER_NAMES[delimiter]} separated"]
    if header:
        decisions.append(f"header on line {numbered[header][0] + 1} ({header} line(s) above it skipped)")
    notes = [f"Read {len(raw):,} rows and {raw.shape[1]} columns: {', '.join(decisions)}."]
    # after `;` separators an ambiguous 28.980 is read as 28980 only when some value has a decimal comma
    commas = options.decimal == "auto" and delimiter == ";" and any(_DIGIT_COMMA.search(x) for x in lines[header + 1:])
    decimal = "auto;" if commas else options.decimal
    numeric, styles, bad_cells = {}, {"decimal comma": [], "thousands separators": [], "decimal point": []}, {}
    for col in raw.columns:
        parsed = parse_numeric(raw[col], decimal)
        if parsed is None:
            continue
        numeric[col], style, bad = parsed
        if style is None and delimiter == ";" and decimal == "auto" and raw[col].str.contains(".", regex=False).any():
            style = "decimal point"  # said, as a `;` file more often has decimal commas
        if style:
            styles[style].append(col)
        if bad:
            bad_cells[col] = bad
    date_col, dates, how = _time_column(raw, numeric, options)
    for col in combined_columns(date_col, raw.columns) or [date_col]:
        numeric.pop(col, None)
    _check_numeric(numeric, notes)
    if styles["decimal comma"]:
        decisions.append("decimal comma")
        notes.append(f"Decimal commas read as decimal points in: {', '.join(styles['decimal comma'])}.")
    if styles["decimal point"]:
        decisions.append("decimal point")
        notes.append(f"No value has a decimal comma, so points are decimal points in: "
                     f"{', '.join(styles['decimal point'])} (choose decimal mark ',' if they separate thousands).")
    if styles["thousands separators"]:
        decisions.append("thousands separators")
        notes.append(f"Thousands separators removed in: {', '.join(styles['thousands separators'])}.")
    for col, bad in bad_cells.items():
        notes.append(f"{bad} cell(s) in '{col}' are not numbers and were treated as missing.")
    frame = pd.DataFrame(numeric)
    if date_col is None:
        decisions.append("no time column (rows numbered)")
        notes.append("No date column found: rows are numbered 0, 1, 2, ... in file order.")
    else:
        decisions.append(f"time column '{date_col}' as {how}")
        notes.append(f"Date column: '{date_col}', read as {how}.")
        frame, more, steps = _clean_dates(frame, dates, date_col, how)
        notes.extend(more)
        decisions.extend(steps)
    freq = infer_frequency(frame.index)
    notes.append(f"Frequency: {freq.label}.")
    if date_col is not None:
        frame, added = _insert_missing_dates(frame, freq.offset, freq.label)
        if added:
            decisions.append(f"{added} missing date(s) inserted")
            notes.append(f"{added} date(s) missing from the {freq.label} calendar were inserted as empty rows "
                         "(their values are treated as missing).")
    target, why = target_choice(list(frame.columns), None)
    notes.append(f"Target column: '{target}' ({why}).")
    return Table(frame=frame, date_column=date_col, freq=freq, notes=tuple(notes), name=name,
                 decisions=tuple(decisions), target=target, target_reason=why)


def _check_options(options: ReadOptions) -> None:
    if options.delimiter not in ("auto", *DELIMITERS):
        raise UserInputError(f"Separator must be auto, ',', ';', tab or '|', not '{options.delimiter}'.")
    if options.decimal not in ("auto", ".", ","):
        raise UserInputError(f"Decimal mark must be auto, '.' or ',', not '{options.decimal}'.")
    if options.date_order not in DATE_ORDERS:
        raise UserInputError(f"Date order must be one of {', '.join(DATE_ORDERS)}, not '{options.date_order}'.")


def _frame(lines: list[str], delimiter: str, limits: CsvLimits) -> pd.DataFrame:
    """The text table from the header line on, as strings, with its size checked."""
    try:
        raw = pd.read_csv(io.StringIO("\n".join(lines)), sep=delimiter, dtype=str, keep_default_na=False,
                          skipinitialspace=True, skip_blank_lines=True, index_col=False)
    except (pd.errors.ParserError, csv.Error) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UserInputError(
            f"The file could not be read as a CSV ({first}). Check that every row has the same number of fields."
        ) from exc
    except pd.errors.EmptyDataError as exc:
        raise UserInputError(
            "The file is empty. Upload a CSV with a header row and at least one row of numbers."
        ) from exc
    raw.columns = [str(c).strip() or f"column_{i + 1}" for i, c in enumerate(raw.columns)]
    if len(raw) == 0:
        raise UserInputError("The CSV has a header row but no data rows. Add rows of values below the header.")
    if len(raw) > limits.max_rows:
        raise UserInputError(
            f"The CSV has {len(raw):,} data rows, over the limit of {limits.max_rows:,}. "
            "Upload a shorter or coarser series (e.g. weekly instead of daily)."
        )
    if raw.shape[1] > limits.max_columns:
        raise UserInputError(
            f"The CSV has {raw.shape[1]} columns, over the limit of {limits.max_columns}. "
            "Keep the date column and the columns you want to forecast."
        )
    return raw


def _check_numeric(numeric: dict, notes: list[str]) -> None:
    """Refuse a table without numbers; drop (and report) columns with no value at all."""
    if not numeric:
        raise UserInputError(
            "No numeric column found: every column is text or dates. "
            "The CSV needs at least one column of numbers to forecast (e.g. a 'Close' price)."
        )
    empty = [c for c, v in numeric.items() if np.isnan(v).all()]
    if len(empty) == len(numeric):
        raise UserInputError(
            f"All values are missing: every cell of {', '.join(repr(c) for c in empty)} is empty or NA. "
            "Fill in the numbers and upload again."
        )
    for col in empty:
        numeric.pop(col)
        notes.append(f"Column '{col}' is empty (every cell missing) and was left out.")


def _time_column(raw: pd.DataFrame, numeric: dict, options: ReadOptions):
    """(column, dates, how it was read) for the forced or detected time column, or (None, None, "")."""
    if options.date_column == NO_TIME:
        return None, None, ""
    if options.date_column is not None:
        col = options.date_column
        if pair := combined_columns(col, raw.columns):
            return col, *year_and_period(raw, numeric, pair)
        if col not in raw.columns:
            raise UserInputError(f"No column named '{col}'. Columns: {', '.join(raw.columns)}.")
        found = _read_time(raw[col], numeric.get(col), options.date_order, forced=True)
        if found is None:
            raise UserInputError(
                f"Column '{col}' does not hold dates. Use dates like 2024-01-31, periods like 1959Q1 or "
                "2020-W05, years, or Unix seconds; or choose another time column."
            )
        return col, *found
    pair = find_year_and_period(raw.columns, numeric)  # used when no other column holds the dates
    named = [c for c in raw.columns if any(k in c.lower() for k in _DATE_NAMES)]
    for col in named + [c for c in raw.columns if c not in named]:
        if (col in numeric and col not in named and raw.columns.get_loc(col) != 0) or col in (pair or ()):
            continue  # a numeric column is a time column only when its name says so or it comes first
        found = _read_time(raw[col], numeric.get(col), options.date_order, forced=False)
        if found is not None:
            return col, *found
    if pair:
        return f"{pair[0]} + {pair[1]}", *year_and_period(raw, numeric, pair)
    return None, None, ""


def _read_time(cells: pd.Series, values: np.ndarray | None, order: str, forced: bool):
    if values is not None:
        return parse_numeric_time(values, allow_steps=forced)
    return parse_time(cells, order)


def _clean_dates(frame: pd.DataFrame, dates: pd.DatetimeIndex, date_col: str, how: str):
    """Drop unreadable dates, sort, and average rows that share a date; (frame, notes, short decisions).
    When most rows repeat a date the time column is coarser than the rows (a year column beside a quarter
    column): averaging would lose most of the series, so it is refused."""
    notes, steps = [], []
    frame = frame.set_index(pd.DatetimeIndex(dates, name=date_col))
    bad = frame.index.isna()
    if bad.all():
        raise UserInputError(f"No row of '{date_col}' could be read as a date. Use dates like 2024-01-31.")
    if bad.any():
        frame = frame[~bad]
        notes.append(f"Dropped {int(bad.sum())} row(s) whose '{date_col}' is not a date.")
        steps.append(f"{int(bad.sum())} row(s) without a date dropped")
    if frame.index.is_monotonic_decreasing and len(frame) > 2:
        frame = frame.iloc[::-1]
        notes.append("Newest dates came first: rows reversed into time order.")
        steps.append("newest-first rows reversed")
    if not frame.index.is_monotonic_increasing:
        frame = frame.sort_index(kind="stable")
        notes.append("Dates were out of order: rows sorted by date.")
        steps.append("rows sorted by date")
    dup = frame.index.duplicated()
    if dup.sum() > 0.5 * len(frame):
        raise UserInputError(
            f"{int(dup.sum())} of {len(frame)} rows repeat a date of '{date_col}' (read as {how}), so averaging "
            "the rows that share a date would lose most of the series: the rows are finer than that column. "
            "Choose a time column that tells the rows apart (a year column and a quarter or month column "
            "beside it are combined into one), or number the rows instead.")
    if dup.any():
        frame = frame.groupby(level=0).mean()
        notes.append(f"{int(dup.sum())} duplicated date(s): rows sharing a date were averaged.")
        steps.append(f"{int(dup.sum())} duplicate date(s) averaged")
    return frame, notes, steps


def _insert_missing_dates(frame: pd.DataFrame, offset: str | None, label: str) -> tuple[pd.DataFrame, int]:
    """Reindex a regular calendar series (not business days: holidays are no gaps) so gaps become missing rows."""
    if offset is None or label == "business daily" or len(frame) < 3:
        return frame, 0
    try:
        full = pd.date_range(frame.index[0], frame.index[-1], freq=offset)
    except ValueError:
        return frame, 0
    added = len(full) - len(frame)
    if added <= 0 or added > 0.5 * len(frame) or not frame.index.isin(full).all():
        return frame, 0
    return frame.reindex(full.rename(frame.index.name)), added
