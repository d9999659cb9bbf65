"""Typed series containers, frequency inference and the target/covariate selection step."""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rnn_models.errors import UserInputError
from rnn_models.forecast.year_period import is_calendar

MISSING_POLICIES = ("fill", "drop")


@dataclass(frozen=True)
class Frequency:
    label: str  # plain words, e.g. "business daily"
    season: int  # seasonal period in steps (1 = no season assumed)
    offset: str | None  # pandas offset alias used to date future steps, None = integer steps


@dataclass(frozen=True)
class Table:
    frame: pd.DataFrame  # numeric columns only; DatetimeIndex (sorted, unique) or RangeIndex
    date_column: str | None  # the column the index came from, None = row numbers
    freq: Frequency
    notes: tuple[str, ...] = ()  # what the reader did, in plain sentences
    name: str = "upload"  # shown in titles and exports
    decisions: tuple[str, ...] = ()  # the reader's choices in a few words each, e.g. "`;` separated"
    target: str = ""  # the default target column the reader picked ("" = none picked, e.g. a built-in series)
    target_reason: str = ""  # why, in a few words, e.g. "its name says close"


@dataclass(frozen=True)
class Series:
    name: str  # target column name
    index: pd.Index  # (T,) dates or row numbers
    values: np.ndarray  # (T,) float64 target
    covariates: np.ndarray  # (T, C) float64 extra inputs, C may be 0
    covariate_names: tuple[str, ...]
    freq: Frequency
    notes: tuple[str, ...] = field(default=())
    missing: int = 0  # missing cells filled (or rows dropped) by select_series
    missing_policy: str = "fill"  # how they were handled

    def __len__(self) -> int:
        return len(self.values)


def infer_frequency(index: pd.Index) -> Frequency:
    """Name the spacing of a date index and guess its seasonal period."""
    if not isinstance(index, pd.DatetimeIndex) or len(index) < 3:
        return Frequency("steps (no dates)", 1, None)
    days = _median_step(index).total_seconds() / 86_400
    exact = pd.infer_freq(index[-60:]) if len(index) >= 3 else None
    if days < 0.9:
        hours = days * 24
        if 0.9 <= hours <= 1.1:
            return Frequency("hourly", 24, exact or "h")
        return Frequency(f"every {hours:.2g} hours", 1, exact)
    if days <= 1.5:
        if (index.dayofweek >= 5).sum() == 0:
            return Frequency("business daily", 5, exact or "B")
        return Frequency("daily", 7, exact or "D")
    if 6 <= days <= 8:
        return Frequency("weekly", 52, exact or f"W-{index[-1].day_name()[:3].upper()}")
    if 27 <= days <= 32:
        return Frequency("monthly", 12, exact or ("MS" if index[-1].day == 1 else "ME"))
    if 88 <= days <= 93:
        return Frequency("quarterly", 4, exact or ("QS" if index[-1].day == 1 else "QE"))
    if 360 <= days <= 370:
        return Frequency("yearly", 1, exact or ("YS" if index[-1].day == 1 else "YE"))
    return Frequency(f"every {days:.3g} days", 1, exact)


def _median_step(index: pd.DatetimeIndex) -> pd.Timedelta:
    """Median spacing between consecutive dates (whatever the index's time unit)."""
    return pd.TimedeltaIndex(index[1:] - index[:-1]).median()


def future_index(index: pd.Index, freq: Frequency, steps: int) -> pd.Index:
    """The `steps` index labels after the last one (dates when the offset is known, else integers)."""
    if isinstance(index, pd.DatetimeIndex) and len(index):
        if freq.offset:
            return pd.date_range(index[-1], periods=steps + 1, freq=freq.offset)[1:]
        delta = _median_step(index)
        return pd.DatetimeIndex([index[-1] + delta * (k + 1) for k in range(steps)])
    start = int(index[-1]) + 1 if len(index) else 0
    return pd.RangeIndex(start, start + steps)


def target_choice(columns: list[str], requested: str | None) -> tuple[str, str]:
    """(column, why in a few words): the requested column, else the first whose name says close/price/value,
    else the first column that is not a calendar column (year, quarter, month, ...), else the first column."""
    if requested:
        return requested, "chosen"
    for word in ("close", "schluss", "price", "value", "adj", "kurs", "wert"):
        for name in columns:
            if word in name.lower():
                return name, f"its name says {word}"
    plain = [c for c in columns if not is_calendar(c)]
    if plain:
        return plain[0], ("the first numeric column" if plain[0] == columns[0]
                          else "the first numeric column that is not a calendar column")
    return columns[0], "the first numeric column"


def pick_target(columns: list[str], requested: str | None) -> str:
    """The column target_choice picks."""
    return target_choice(columns, requested)[0]


def select_series(
    table: Table,
    target: str,
    covariates: tuple[str, ...] = (),
    missing: str = "fill",
    min_rows: int = 10,
) -> Series:
    """Pick the target and covariate columns, handle missing values and check the series is usable."""
    if target not in table.frame.columns:
        raise UserInputError(f"No column named '{target}'. Numeric columns: {', '.join(table.frame.columns)}.")
    if missing not in MISSING_POLICIES:
        raise UserInputError(f"Missing-value policy must be one of {', '.join(MISSING_POLICIES)}, not '{missing}'.")
    covariates = tuple(c for c in covariates if c != target)
    for col in covariates:
        if col not in table.frame.columns:
            raise UserInputError(f"No covariate column named '{col}'.")
    frame = table.frame[[target, *covariates]]
    for col in frame.columns:
        if frame[col].isna().all():
            raise UserInputError(
                f"Column '{col}' has no values at all (every row is missing). "
                "Pick another column, or fill the column in and upload again."
            )
    notes = list(table.notes)
    n_missing = int(frame.isna().sum().sum())
    if n_missing and missing == "fill":
        frame = frame.ffill().bfill()
        notes.append(f"Filled {n_missing} missing values by carrying the previous value forward.")
    elif n_missing:
        before = len(frame)
        frame = frame.dropna()
        notes.append(f"Dropped {before - len(frame)} rows with missing values ({n_missing} missing cells).")
    values = frame[target].to_numpy(np.float64)
    if len(table.frame) < 2:  # one row is "constant" too, but the row count is what is wrong
        raise UserInputError(
            f"The file has only {len(table.frame)} data row{'s' if len(table.frame) != 1 else ''}, but a forecast "
            f"learns from how values change from row to row: this setup needs at least {min_rows} rows "
            "(lookback window + horizon + backtest). Upload a longer series."
        )
    if len(values) and np.all(values == values[0]):
        raise UserInputError(
            f"Column '{target}' is constant (every value is {values[0]:g}), so there is nothing to forecast. "
            "Pick a column that changes over time."
        )
    if len(values) < min_rows:
        raise UserInputError(
            f"Only {len(values)} usable rows after cleaning, but this setup needs at least {min_rows} "
            "(lookback window + horizon + backtest). Upload a longer series or shorten the lookback window."
        )
    return Series(
        name=target,
        index=frame.index,
        values=values,
        covariates=frame[list(covariates)].to_numpy(np.float64).reshape(len(frame), len(covariates)),
        covariate_names=covariates,
        freq=table.freq,
        notes=tuple(notes),
        missing=n_missing,
        missing_policy=missing,
    )


def decision_line(table: Table, series: Series | None = None) -> str:
    """Every reading decision in one line, e.g. "read as Windows-1252, `;` separated, decimal comma;
    time column 'Datum' as day.month.year; target 'Schlusskurs': its name says schluss; 3 missing values filled"
    (the target's reason when the reader picked the default target)."""
    decisions = list(table.decisions) or ["built-in series"]
    at = next((i for i, d in enumerate(decisions) if d.startswith(("time column", "no time column"))),
              len(decisions))
    parts = [", ".join(decisions[:at]), ", ".join(decisions[at:])]
    if series is not None and table.target:
        why = table.target_reason if series.name == table.target else "chosen"
        parts.append(f"target '{series.name}': {why}")
    if series is not None and series.missing:
        verb = "filled" if series.missing_policy == "fill" else "dropped (their rows)"
        parts.append(f"{series.missing} missing value{'s' if series.missing != 1 else ''} {verb}")
    return "; ".join(p for p in parts if p)
