"""Recognise a time column: dates in either day/month order, periods, plain years, Unix seconds or milliseconds."""

import re
import warnings

import numpy as np
import pandas as pd

from rnn_models.errors import UserInputError

DATE_ORDERS = ("auto", "day first", "month first")  # how d/m/y dates with both parts <= 12 are read
_DMY = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{2}|\d{4})"  # day, separator, month, year (or month first)
                  r"(?:[ T]+(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?))?$")  # time, 12 or 24 h
_QUARTER = re.compile(r"^(\d{4})\s*[-/ ]?\s*[Qq]([1-4])$|^[Qq]([1-4])\s*[-/ ]?\s*(\d{4})$")
_MONTH = re.compile(r"^(\d{4})(?:[-/]|M)(\d{1,2})$")
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$")
_YEAR = re.compile(r"^\d{4}$")


def parse_time(cells: pd.Series, order: str = "auto") -> tuple[pd.DatetimeIndex, str] | None:
    """(dates, plain description) when at least 90% of the filled cells read as one kind of time, else None."""
    cells = cells.astype(str).str.strip()
    filled = cells[cells != ""]
    if len(filled) == 0:
        return None
    for kind in (_dmy, _periods, _iso_or_words):
        found = kind(cells, filled, order)
        if found is not None and found[0].notna().sum() >= 0.9 * len(filled):
            return pd.DatetimeIndex(found[0]), found[1]
    return None


def parse_numeric_time(values: np.ndarray, allow_steps: bool = False) -> tuple[pd.DatetimeIndex, str] | None:
    """Whole numbers that are years (1000-2999), Unix seconds or Unix milliseconds (1980-2100), else None.

    Detected columns must run one way (either); a column the user chose (allow_steps) may repeat or jump.
    """
    whole = values[~np.isnan(values)]
    if len(whole) < 2 or not np.all(whole == np.round(whole)):
        return None
    steps = np.diff(whole)
    if not allow_steps and not (np.all(steps >= 0) or np.all(steps <= 0)):
        return None
    if np.all((whole >= 1000) & (whole < 3000)):
        text = pd.Series(values).map(lambda v: f"{int(v)}" if v == v else None)
        return pd.DatetimeIndex(pd.to_datetime(text, format="%Y")), "years"
    for unit, lo, hi, name in (("s", 3.2e8, 4.2e9, "Unix seconds"), ("ms", 3.2e11, 4.2e12, "Unix milliseconds")):
        if np.all((whole >= lo) & (whole < hi)):
            return pd.DatetimeIndex(pd.to_datetime(values, unit=unit)), name
    return None


def _regularity(dates: pd.Series) -> tuple[bool, int]:
    """(pandas names a calendar frequency, minus the number of distinct spacings): larger = more regular."""
    d = pd.DatetimeIndex(dates.dropna().sort_values().unique())
    if len(d) >= 3 and pd.infer_freq(d) is not None:
        return True, 0  # a calendar frequency (days, months, ...): as regular as any other
    return False, -d.to_series().diff().dropna().nunique()


def _dmy(cells, filled, order):
    """dd.mm.yyyy / mm/dd/yyyy style: the order from a part above 12, else the more regular spacing."""
    every = cells.str.extract(_DMY)
    parts = every.loc[filled.index]
    if parts[0].notna().mean() < 0.9:
        return None
    first, second = parts[0].dropna().astype(int), parts[2].dropna().astype(int)
    sep = parts[1].dropna().iloc[0]
    year = "%Y" if parts[3].dropna().str.len().iloc[0] == 4 else "%y"
    day_first = {"day first": True, "month first": False}.get(order)
    _check_forced(filled, first, second, day_first)
    why = "chosen"
    if day_first is None:
        if (first > 12).any() and not (second > 12).any():
            day_first, why = True, "a first part above 12"
        elif (second > 12).any() and not (first > 12).any():
            day_first, why = False, "a second part above 12"
    parsed = {df: _dmy_dates(every, df) for df in (True, False)}
    if day_first is None:  # every part <= 12: the order whose dates are more regularly spaced
        regular = {df: _regularity(parsed[df]) for df in (True, False)}
        if regular[True] != regular[False]:
            day_first, why = regular[True] > regular[False], "both parts <= 12, the more regular spacing"
        else:  # both read as a regular calendar: the habit of the separator
            day_first = sep != "/"
            why = f"both readings regular; '{sep}' dates read {'day' if day_first else 'month'} first"
    words = ("day{0}month{0}year" if day_first else "month{0}day{0}year").format(sep)
    why = why if order == "auto" else ""
    dates = parsed[day_first]
    if year == "%y":
        dates, span = two_digit_centuries(dates, filled.iloc[0])
        why = f"{why}; {span}" if why else span
    return dates, words + (f" ({why})" if why else "")


def _dmy_dates(parts: pd.DataFrame, day_first: bool) -> pd.Series:
    """Dates from _DMY's parts in one order (two-digit years as 20yy until two_digit_centuries), times added."""
    day, month = (parts[0], parts[2]) if day_first else (parts[2], parts[0])
    year = parts[3].where(parts[3].str.len() != 2, "20" + parts[3])
    dates = _to_dt(year + "-" + month.str.zfill(2) + "-" + day.str.zfill(2), "%Y-%m-%d")
    if parts[4].notna().any():  # '9:30:00 AM' or '21:30': the time of day, whatever the date order
        times = _to_dt(parts[4].fillna("00:00"), "mixed")
        dates = dates + (times - times.dt.normalize())
    return dates


def two_digit_centuries(dates: pd.Series, example: str = "3/31/59") -> tuple[pd.Series, str]:
    """Dates written with two-digit years, each put in the 1900s or 2000s so that the dates run one way in file
    order: spreadsheets' own rule (00-29 -> 2000s) when it does, else the one split that does; UserInputError
    when none does or more than one does (3/31/59 may be 1959 or 2059)."""
    yy = dates.dt.year % 100
    within = (dates - dates.dt.to_period("Y").dt.start_time).dt.total_seconds()  # seconds into the year
    runs = []
    for pivot in [30, *sorted(set(yy.dropna().astype(int))), 100]:  # yy >= pivot: 1900s; below: 2000s
        years = yy + np.where(yy >= pivot, 1900, 2000)
        key = (years * 1e8 + within).dropna()
        if (key.is_monotonic_increasing or key.is_monotonic_decreasing) and not any(
                years.equals(r) for r in runs):
            runs.append(years)
            if pivot == 30:
                break
    if len(runs) != 1:
        raise UserInputError(
            f"The dates have two-digit years (like '{example}'), which are ambiguous: "
            + ("no choice of century keeps them in one run. " if not runs else
               "they read as one run in more than one century. ")
            + "Save the dates with four-digit years (e.g. 3/31/1959, not 3/31/59) and upload again.")
    years = runs[0]
    fixed = pd.to_datetime(pd.DataFrame({"year": years, "month": dates.dt.month, "day": dates.dt.day,
                                         "hour": dates.dt.hour, "minute": dates.dt.minute,
                                         "second": dates.dt.second}), errors="coerce")
    return fixed, f"two-digit years read as {int(years.min())}-{int(years.max())}"


def _check_forced(filled: pd.Series, first: pd.Series, second: pd.Series, day_first: bool | None) -> None:
    """A forced order the dates contradict (a day part above 12 where the month should be) is refused, naming the
    cell: reading the others with it, or guessing per cell, would put rows in the wrong place without a word."""
    if day_first is None:
        return
    month = second if day_first else first
    if (month > 12).any():
        cell = filled[month[month > 12].index[0]]
        part, other = ("second", "month first") if day_first else ("first", "day first")
        raise UserInputError(
            f"'{cell}' has a {part} part above 12, so these dates are {other}, not "
            f"{'day' if day_first else 'month'} first: choose '{other}' or 'auto' for the date order.")


def _periods(cells, filled, order):
    """1959Q1, 1959-01 / 1959M01, 2020-W05, 1959."""
    if filled.str.match(_QUARTER).mean() >= 0.9:
        m = cells.str.extract(_QUARTER)
        year, q = m[0].fillna(m[3]), m[1].fillna(m[2])
        text = year + "-" + (q.astype(float) * 3 - 2).map(lambda v: f"{int(v):02d}" if v == v else "") + "-01"
        return _to_dt(text, "%Y-%m-%d"), "quarters (e.g. 1959Q1)"
    if filled.str.match(_MONTH).mean() >= 0.9:
        m = cells.str.extract(_MONTH)
        return _to_dt(m[0] + "-" + m[1].str.zfill(2), "%Y-%m"), "months (e.g. 1959-01)"
    if filled.str.match(_WEEK).mean() >= 0.9:
        m = cells.str.extract(_WEEK)
        return _to_dt(m[0] + "-W" + m[1].str.zfill(2) + "-1", "%G-W%V-%u"), "ISO weeks (e.g. 2020-W05)"
    if filled.str.match(_YEAR).mean() >= 0.9:
        return _to_dt(cells, "%Y"), "years"
    return None


def _iso_or_words(cells, filled, order):
    """ISO dates and times, month names ('Jan 2020', '3 March 2021'): pandas' own reading."""
    if not filled.str.contains(r"\d").all():
        return None
    if order != "auto":  # d/m/y inside longer cells ('13/11/2015 09:30:00 AM'): the forced order must fit too
        parts = filled.str.extract(r"(?:^|\D)(\d{1,2})[./-](\d{1,2})[./-]\d{2,4}(?:\D|$)").dropna().astype(int)
        _check_forced(filled, parts[0], parts[1], order == "day first")
    for fmt in ("ISO8601", "mixed"):
        parsed = _to_dt(cells, fmt, dayfirst=order == "day first")
        if parsed.notna().sum() >= 0.9 * len(filled):
            if parsed.dt.tz is not None:
                parsed = parsed.dt.tz_convert(None)
            if fmt == "ISO8601":
                return parsed, "year-month-day"
            if not filled.str.contains(r"\d{3}").any():  # no four-digit year: 'Mar-59', '31 Mar 59'
                parsed, span = two_digit_centuries(parsed, filled.iloc[0])
                return parsed, f"dates ({span})"
            return parsed, "dates"
    return None


def _to_dt(cells: pd.Series, fmt: str, dayfirst: bool = False) -> pd.Series:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return pd.to_datetime(cells, format=fmt, errors="coerce", dayfirst=dayfirst)
        except (ValueError, TypeError):
            return pd.Series(pd.NaT, index=cells.index)
