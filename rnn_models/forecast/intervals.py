"""Conformal prediction intervals from backtest residuals, their coverage, and anomaly flags."""

import math
from dataclasses import dataclass

import numpy as np


def conformal_quantile(abs_residuals: np.ndarray, level: float) -> float:
    """The split-conformal radius: the ceil((n+1)*level)-th smallest absolute residual."""
    r = np.sort(np.asarray(abs_residuals, float))
    n = len(r)
    if n == 0:
        return float("nan")
    k = min(n, math.ceil((n + 1) * level))
    return float(r[k - 1])


@dataclass(frozen=True)
class RollingIntervals:
    lower: np.ndarray  # (N, H) NaN where too few earlier residuals were known
    upper: np.ndarray  # (N, H)
    covered: np.ndarray  # (N, H) bool, only meaningful where valid
    valid: np.ndarray  # (N, H) bool
    coverage: float  # share of valid points inside their interval

    @property
    def n_valid(self) -> int:
        return int(self.valid.sum())


def rolling_intervals(origins: np.ndarray, actual: np.ndarray, forecast: np.ndarray, level: float,
                      window: int = 250, min_calibration: int = 20) -> RollingIntervals:
    """Intervals for each backtest point using only residuals already known at its origin.

    The residual of origin j at step h is known once row origins[j] + h is observed, so origin i
    may use it only when origins[j] + h <= origins[i]; the most recent `window` such residuals are used.
    """
    n, horizon = actual.shape
    abs_res = np.abs(actual - forecast)
    lower = np.full((n, horizon), np.nan)
    upper = np.full((n, horizon), np.nan)
    for h in range(horizon):
        known_at = origins + h + 1  # row index when origin j's step-h residual becomes known
        for i in range(n):
            usable = np.searchsorted(known_at, origins[i], side="right")  # origins sorted
            if usable < min_calibration:
                continue
            q = conformal_quantile(abs_res[max(0, usable - window):usable, h], level)
            lower[i, h], upper[i, h] = forecast[i, h] - q, forecast[i, h] + q
    valid = ~np.isnan(lower)
    covered = valid & (actual >= lower) & (actual <= upper)
    coverage = float(covered.sum() / valid.sum()) if valid.any() else float("nan")
    return RollingIntervals(lower, upper, covered, valid, coverage)


def final_radius(actual: np.ndarray, forecast: np.ndarray, level: float, window: int = 250) -> np.ndarray:
    """(H,) interval half-widths for a new forecast, from the latest `window` backtest residuals per step."""
    abs_res = np.abs(actual - forecast)[-window:]
    return np.array([conformal_quantile(abs_res[:, h], level) for h in range(abs_res.shape[1])])


def anomalies(actual: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Bool mask of actuals outside their interval (points without an interval are never flagged)."""
    with np.errstate(invalid="ignore"):
        return ~np.isnan(lower) & ((actual < lower) | (actual > upper))
