"""The default target for a series, chosen from its values, with the reason in plain words."""

import numpy as np

from rnn_models.forecast.windows import TARGET_LABELS


def _errors(values: np.ndarray, lookback: int, horizon: int) -> tuple[float, float]:
    """MAE over steps 1..horizon of 'the last value' and of 'the mean of the last lookback values',
    forecast from every origin in the last 40% of the given rows."""
    n = len(values)
    origins = np.arange(max(lookback, int(n * 0.6)), n - horizon)
    if len(origins) < 5:
        return float("nan"), float("nan")
    steps = origins[:, None] + np.arange(1, horizon + 1)[None, :]
    actual = values[steps]
    last = values[origins][:, None]
    csum = np.concatenate([[0.0], np.cumsum(values)])
    mean = ((csum[origins + 1] - csum[origins + 1 - lookback]) / lookback)[:, None]
    return float(np.mean(np.abs(actual - last))), float(np.mean(np.abs(actual - mean)))


def _seasonal_error(values: np.ndarray, horizon: int, season: int) -> float:
    """MAE over steps 1..horizon of 'the value one season earlier', from every origin in the last 40% of rows."""
    n = len(values)
    origins = np.arange(max(season, int(n * 0.6)), n - horizon)
    if season < 2 or len(origins) < 5:
        return float("nan")
    h = np.arange(1, horizon + 1)
    back = season * np.ceil(h / season).astype(int)
    return float(np.mean(np.abs(values[origins[:, None] + h] - values[origins[:, None] + h - back])))


def choose_target(values: np.ndarray, horizon: int, lookback: int, train_fraction: float = 0.8,
                  season: int = 1) -> tuple[str, str]:
    """(target, reason): seasonal (log) differences when 'one season ago' beats both simple guesses below
    by a fifth on the training rows; levels when the series returns to its recent mean more than it carries on from
    its last value and stays in its earlier range (checked on the training rows); else log returns when
    every value is above zero, else differences. Only the first train_fraction of rows is read."""
    train = np.asarray(values, float)[: max(2, int(len(values) * train_fraction))]
    last_err, mean_err = _errors(train, lookback, horizon)
    season_err = _seasonal_error(train, horizon, season) if len(train) >= 3 * season + lookback else float("nan")
    if season_err < 0.8 * min(last_err, mean_err):
        logs = bool(np.all(train > 0) and np.all(values > 0))
        target = "seasonal_log_difference" if logs else "seasonal_difference"
        return target, (f"{TARGET_LABELS[target]}: on the later training rows the value one season ({season} steps) "
                        f"earlier (error {season_err:.3g}) beats the last value ({last_err:.3g}) and the recent mean "
                        f"({mean_err:.3g}), so the network forecasts the change from one season ago"
                        + (" in % terms" if logs else ""))
    cut = int(len(train) * 0.6)
    early, late = train[:cut], train[cut:]
    spread = early.max() - early.min() if cut else 0.0
    in_range = cut > 0 and late.min() >= early.min() - 0.1 * spread and late.max() <= early.max() + 0.1 * spread
    if mean_err < last_err and in_range:
        return "price", (f"{TARGET_LABELS['price']}: on the later training rows the series returns towards its "
                         f"recent mean (error {mean_err:.3g}) more than it carries on from its last value "
                         f"(error {last_err:.3g}) and stays in its earlier range, so the network forecasts "
                         "the values themselves")
    if np.all(train > 0) and np.all(values > 0):
        return "log_return", (f"{TARGET_LABELS['log_return']}: every value is above zero and the series carries "
                              "on from its last value, like a price; the network forecasts % changes")
    bad = int(np.sum(np.asarray(values) <= 0))
    return "difference", (f"{TARGET_LABELS['difference']}: {bad} value(s) at or below zero rule out log returns, "
                          "and the series carries on from its last value; the network forecasts the step changes")
