"""Read an uploaded CSV (bytes) into a Table: delimiter, decimal style, date column and caps detected."""

import csv
import io
import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rnn_models.errors import UserInputError
from rnn_models.forecast.series import Table, infer_frequency


@dataclass(frozen=True)
class CsvLimits:
    max_bytes: int = 5_000_000  # upload size cap
    max_rows: int = 100_000  # data rows after the header
    max_columns: int = 50


MISSING_TOKENS = {"", "na", "n/a", "nan", "null", "none", "-", "--", "#n/a", "?"}
DELIMITERS = (",", ";", "\t", "|")
_US = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?$")
_EU = re.compile(r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)?(?:,\d+)?$")
_DATE_NAMES = ("date", "time", "day", "month", "year", "period", "timestamp", "datetime")


def read_csv_bytes(data: bytes, limits: CsvLimits = CsvLimits(), name: str = "upload",
                   date_column: str | None = None) -> Table:
    """Parse CSV bytes into a Table of numeric columns indexed by date; UserInputError names any problem.

    date_column forces the date column instead of detecting it.
    """
    text = _decode(data, limits)
    try:
        delimiter = _sniff_delimiter(text)
        raw = pd.read_csv(
            io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
            skipinitialspace=True, skip_blank_lines=True, index_col=False,
        )
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
    notes = [f"Read {len(raw):,} rows and {raw.shape[1]} columns separated by {_delimiter_name(delimiter)}."]
    numeric, styles, bad_cells = {}, {"decimal comma": [], "thousands separators": []}, {}
    for col in raw.columns:
        parsed = _parse_numeric(raw[col], prefer_eu=delimiter == ";")
        if parsed is None:
            continue
        values, style, bad = parsed
        numeric[col] = values
        if style:
            styles[style].append(col)
        if bad:
            bad_cells[col] = bad
    if date_column is not None and date_column not in raw.columns:
        raise UserInputError(f"No column named '{date_column}'. Columns: {', '.join(raw.columns)}.")
    date_col, dates, date_note = _find_dates(raw[[date_column]] if date_column else raw, numeric)
    if date_column and date_col is None:
        raise UserInputError(f"Column '{date_column}' does not hold dates. Use dates like 2024-01-31.")
    if date_col is not None:
        numeric.pop(date_col, None)
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
    if styles["decimal comma"]:
        notes.append(f"Decimal commas read as decimal points in: {', '.join(styles['decimal comma'])}.")
    if styles["thousands separators"]:
        notes.append(f"Thousands separators removed in: {', '.join(styles['thousands separators'])}.")
    for col, bad in bad_cells.items():
        notes.append(f"{bad} cell(s) in '{col}' are not numbers and were treated as missing.")
    frame = pd.DataFrame(numeric)
    if date_col is None:
        notes.append("No date column found: rows are numbered 0, 1, 2, ... in file order.")
    else:
        notes.append(f"Date column: '{date_col}'{date_note}.")
        frame, more = _clean_dates(frame, dates, date_col)
        notes.extend(more)
        if len(frame) == 0:
            raise UserInputError(
                f"No row of '{date_col}' could be read as a date. Use dates like 2024-01-31."
            )
    freq = infer_frequency(frame.index)
    notes.append(f"Frequency: {freq.label}.")
    return Table(frame=frame, date_column=date_col, freq=freq, notes=tuple(notes), name=name)


def _decode(data: bytes, limits: CsvLimits) -> str:
    """Check size, binary content and encoding; return the text without a BOM."""
    if len(data) == 0 or not data.strip():
        raise UserInputError("The file is empty. Upload a CSV with a header row and at least one row of numbers.")
    if len(data) > limits.max_bytes:
        raise UserInputError(
            f"The file is {len(data) / 1e6:.1f} MB, over the {limits.max_bytes / 1e6:g} MB limit. "
            "Upload a shorter series (fewer rows or columns)."
        )
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise UserInputError(
            "The file is UTF-16 text, not UTF-8. "
            "Save it as 'CSV UTF-8' in your spreadsheet program and upload it again."
        )
    head = data[:8192]
    controls = sum(b < 32 and b not in (9, 10, 13) for b in head)
    if b"\x00" in head or controls > len(head) * 0.01:
        raise UserInputError(
            "This file contains binary bytes, so it is not a CSV text file. "
            "Export your data as CSV (comma- or semicolon-separated text) and upload that."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserInputError(
            f"The file is not UTF-8 text (unreadable byte at position {exc.start}). "
            "Save it as 'CSV UTF-8' in your spreadsheet program and upload it again."
        ) from exc
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) == 1:
        raise UserInputError("The CSV has a header row but no data rows. Add rows of values below the header.")
    return text


def _sniff_delimiter(text: str) -> str:
    """The candidate delimiter giving the most fields with a consistent count over the first lines."""
    lines = [line for line in text.splitlines() if line.strip()][:30]
    best, best_score = ",", (0, 0)
    for delim in DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delim)]
        if not counts or counts[0] < 2:
            continue
        consistent = sum(c == counts[0] for c in counts) / len(counts)
        score = (consistent >= 0.9, counts[0])
        if score > best_score:
            best, best_score = delim, score
    return best


def _delimiter_name(delim: str) -> str:
    return {",": "commas", ";": "semicolons", "\t": "tabs", "|": "pipes"}[delim]


def _parse_numeric(col: pd.Series, prefer_eu: bool) -> tuple[np.ndarray, str | None, int] | None:
    """Numbers from text cells, or None when under 90% of the filled cells are numbers."""
    cells = col.astype(str).str.strip().str.replace(r"[$€£¥%\s\u00a0']", "", regex=True)
    missing = cells.str.lower().isin(MISSING_TOKENS)
    filled = cells[~missing]
    if len(filled) == 0:
        return np.full(len(col), np.nan), None, 0  # every cell missing: reported by the caller
    us, eu = filled.str.match(_US), filled.str.match(_EU)
    n_us, n_eu = int(us.sum()), int(eu.sum())
    use_eu = n_eu > n_us or (n_eu == n_us and prefer_eu)
    ok = eu if use_eu else us
    if ok.sum() < 0.9 * len(filled) or not filled[ok].str.contains(r"\d").all():
        return None
    good = filled[ok]
    if use_eu:
        converted = good.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        style = "decimal comma" if good.str.contains(",").any() else (
            "thousands separators" if good.str.contains(".", regex=False).any() else None)
    else:
        converted = good.str.replace(",", "", regex=False)
        style = "thousands separators" if good.str.contains(",").any() else None
    values = np.full(len(col), np.nan)
    positions = np.flatnonzero(~missing.to_numpy())[ok.to_numpy()]
    values[positions] = converted.astype(float).to_numpy()
    return values, style, int(len(filled) - ok.sum())


def _find_dates(raw: pd.DataFrame, numeric: dict) -> tuple[str | None, pd.DatetimeIndex | None, str]:
    """The first column that reads as dates (a date-like name wins a tie)."""
    named = [c for c in raw.columns if any(k in c.lower() for k in _DATE_NAMES)]
    order = named + [c for c in raw.columns if c not in named]
    for col in order:
        if col in numeric:
            values = numeric[col]
            whole = values[~np.isnan(values)]
            yearish = len(whole) and np.all(whole == np.round(whole)) and np.all((whole > 1000) & (whole < 3000))
            if col in named and yearish:
                years = pd.to_datetime(pd.Series(values).map(lambda v: f"{int(v)}-01-01" if v == v else None))
                return col, pd.DatetimeIndex(years), " (whole years)"
            continue
        cells = raw[col].astype(str).str.strip()
        best, note = None, ""
        # one format inferred from the first cell (month first, then day first), then cell by cell
        for dayfirst, fmt in ((False, None), (True, None), (False, "mixed")):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    parsed = pd.to_datetime(cells, errors="coerce", dayfirst=dayfirst, format=fmt)
            except (ValueError, TypeError):
                continue
            if best is None or parsed.notna().sum() > best.notna().sum():
                best, note = parsed, " (day first)" if dayfirst else ""
        if best is not None and best.notna().mean() >= 0.9:
            if best.dt.tz is not None:
                best = best.dt.tz_localize(None)
            return col, pd.DatetimeIndex(best), note
    return None, None, ""


def _clean_dates(frame: pd.DataFrame, dates: pd.DatetimeIndex, date_col: str) -> tuple[pd.DataFrame, list[str]]:
    """Drop unreadable dates, sort, and average rows that share a date."""
    notes = []
    frame = frame.set_index(pd.DatetimeIndex(dates, name=date_col))
    bad = frame.index.isna()
    if bad.any():
        frame = frame[~bad]
        notes.append(f"Dropped {int(bad.sum())} row(s) whose '{date_col}' is not a date.")
    if not frame.index.is_monotonic_increasing:
        frame = frame.sort_index(kind="stable")
        notes.append("Dates were out of order: rows sorted by date.")
    dup = frame.index.duplicated()
    if dup.any():
        frame = frame.groupby(level=0).mean()
        notes.append(f"{int(dup.sum())} duplicated date(s): rows sharing a date were averaged.")
    return frame, notes
