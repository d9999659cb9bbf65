"""A year column beside a quarter (1-4) or month (1-12) column, as statistics tables ship them (statsmodels'
macrodata: year, quarter, ...), combined into one time column; and the names of calendar columns, which are
never the default target."""

import numpy as np
import pandas as pd

YEAR_NAMES = ("year", "yr", "jahr", "annee", "année", "año", "ano", "anno", "jaar")
PERIOD_NAMES = {  # column names -> (what one step is, the largest value, months per step)
    "quarter": ("quarter", 4, 3), "qtr": ("quarter", 4, 3), "quartal": ("quarter", 4, 3),
    "trimestre": ("quarter", 4, 3), "kwartaal": ("quarter", 4, 3),
    "month": ("month", 12, 1), "mon": ("month", 12, 1), "monat": ("month", 12, 1), "mois": ("month", 12, 1),
    "mes": ("month", 12, 1), "maand": ("month", 12, 1), "mese": ("month", 12, 1),
}
CALENDAR_NAMES = frozenset({*YEAR_NAMES, *PERIOD_NAMES, "week", "woche", "day", "tag", "weekday", "dayofweek",
                            "hour", "stunde", "minute", "date", "datum", "time", "period"})
_JOIN = " + "  # the combined column's name: "year + quarter"


def is_calendar(name: str) -> bool:
    """A column that counts time (year, quarter, month, ...) rather than measuring something."""
    return name.strip().lower() in CALENDAR_NAMES


def find_year_and_period(columns, numeric: dict) -> tuple[str, str] | None:
    """(year column, quarter or month column) when both are there by name and hold whole numbers in range."""
    lower = {str(c).strip().lower(): c for c in columns}
    year = next((lower[n] for n in YEAR_NAMES if n in lower), None)
    if year is None or not _whole(numeric.get(year), 1000, 2999):
        return None
    for name, (_, top, _) in PERIOD_NAMES.items():
        if name in lower and _whole(numeric.get(lower[name]), 1, top):
            return year, lower[name]
    return None


def combined_columns(name: str | None, columns) -> tuple[str, str] | None:
    """The two columns a combined time column's name ("year + quarter") stands for, when both exist."""
    parts = tuple(name.split(_JOIN)) if name else ()
    return parts if len(parts) == 2 and all(p in columns for p in parts) else None


def year_and_period(raw: pd.DataFrame, numeric: dict, pair: tuple[str, str]) -> tuple[pd.DatetimeIndex, str]:
    """(dates at the start of each quarter or month, how they were read) from a year and a period column."""
    year, period = (numeric.get(c) for c in pair)
    if year is None or period is None:
        year, period = (pd.to_numeric(raw[c], errors="coerce").to_numpy(float) for c in pair)
    unit, top, months = PERIOD_NAMES.get(pair[1].strip().lower(), ("month", 12, 1))
    ok = ~np.isnan(year) & ~np.isnan(period) & (period >= 1) & (period <= top)
    frame = pd.DataFrame({"year": np.where(ok, year, 2000), "month": np.where(ok, (period - 1) * months + 1, 1),
                          "day": 1}).astype(int)
    dates = pd.to_datetime(frame).where(ok)
    example = "1959 + 1 = 1959Q1" if unit == "quarter" else "1959 + 1 = January 1959"
    return pd.DatetimeIndex(dates), f"{unit}s from the year and {unit} columns ({example})"


def _whole(values, lo: int, hi: int) -> bool:
    v = None if values is None else values[~np.isnan(values)]
    return v is not None and len(v) > 0 and bool(np.all((v == np.round(v)) & (v >= lo) & (v <= hi)))
