"""Conformal prediction intervals from backtest residuals, their coverage, and anomaly flags.

Residuals are divided by a local scale (the series' recent typical step at each origin), so an interval widens
where the series moves more and with its level. The radius then adapts online by quantile tracking (the
multiplicative form of adaptive conformal inference, Gibbs & Candes 2021; Angelopoulos et al. 2023): after every
miss it grows by exp(eta * level), after every hit it shrinks by exp(-eta * (1 - level)). Over the T points one
tracker scores, the share of misses differs from 1 - level by at most |log its factor at the end| / (eta * T),
whatever the errors do.

A step-h residual is known only h rows after its origin, so a single tracked factor would keep growing through
the h origins issued before the first widened interval is judged: one burst of errors (which overlapping h-step
forecasts share) compounded to a radius hundreds of times too wide. So step h has h trackers, one per origin row
modulo h, each fed only by its own origins; each sees its previous interval judged before it issues the next (the
usual reduction for delayed feedback: independent learners on interleaved rounds). At h = 1 this is one tracker.
"""

import math
from dataclasses import dataclass, replace

import numpy as np

TRACK_ETA = 2.0  # step of the log radius factor per known residual (0: plain split conformal); picked on the
# calibration windows before each benchmark test window (benchmarks/forecast_benchmark.py --tune-eta, README)
SCALE_WINDOW = 60  # rows whose mean absolute step is the local scale


def conformal_quantile(abs_residuals: np.ndarray, level: float) -> float:
    """The split-conformal radius: the ceil((n+1)*level)-th smallest absolute residual."""
    r = np.sort(np.asarray(abs_residuals, float))
    n = len(r)
    if n == 0:
        return float("nan")
    k = min(n, max(1, math.ceil((n + 1) * level)))
    return float(r[k - 1])


def local_scale(values: np.ndarray, origins: np.ndarray, window: int = SCALE_WINDOW) -> np.ndarray:
    """(N,) mean absolute one-step change over the `window` rows up to each origin (never after it)."""
    steps = np.abs(np.diff(values, prepend=values[0]))
    csum = np.concatenate([[0.0], np.cumsum(steps)])
    lo = np.maximum(origins + 1 - window, 1)
    scale = (csum[origins + 1] - csum[lo]) / np.maximum(origins + 1 - lo, 1)
    positive = scale[scale > 0]
    return np.where(scale > 0, scale, positive.mean() if len(positive) else 1.0)


@dataclass(frozen=True)
class RollingIntervals:
    lower: np.ndarray  # (N, H) NaN where too few earlier residuals were known
    upper: np.ndarray  # (N, H)
    covered: np.ndarray  # (N, H) bool, only meaningful where valid
    valid: np.ndarray  # (N, H) bool
    coverage: float  # share of valid points inside their interval
    final_factor: np.ndarray  # (H,) per step, the tracked radius factor for the next forecast's origin row
    steady_factor: np.ndarray  # (H,) per step, the geometric mean of the step's h factors then

    @property
    def n_valid(self) -> int:
        return int(self.valid.sum())

    def after(self, first: int) -> "RollingIntervals":
        """The same intervals for rows first.. only (the scored origins after a calibration window)."""
        valid, covered = self.valid[first:], self.covered[first:]
        coverage = float(covered.sum() / valid.sum()) if valid.any() else float("nan")
        return replace(self, lower=self.lower[first:], upper=self.upper[first:], covered=covered, valid=valid,
                       coverage=coverage)

    def floored(self, bound: np.ndarray) -> "RollingIntervals":
        """The same intervals with each lower end raised to `bound` (per point) where it was below. The caller
        passes a bound no held-out actual is below, so no point changes from covered to missed."""
        with np.errstate(invalid="ignore"):
            lower = np.where(self.valid, np.maximum(self.lower, bound), np.nan)
        return replace(self, lower=lower)


def rolling_intervals(origins: np.ndarray, actual: np.ndarray, forecast: np.ndarray, level: float,
                      scale: np.ndarray | None = None, window: int = 250, min_calibration: int = 20,
                      eta: float = 0.0, now: int | None = None, interleave: bool = True) -> RollingIntervals:
    """Intervals for each backtest point using only residuals already known at its origin.

    The residual of origin j at step h is known once row origins[j] + h is observed, so origin i
    may use it only when origins[j] + h <= origins[i]; the most recent `window` such residuals are used,
    each divided by scale[j]; the radius at origin i is scale[i] times their quantile times the factor tracked for
    origin rows congruent to origins[i] modulo h (interleave=False: one factor per step, the earlier method, kept
    for the benchmark's comparison). `now` (default: when every residual is known) is the origin row of the next
    forecast: final_factor holds its trackers after every residual known there, steady_factor the geometric mean of
    each step's trackers then."""
    n, horizon = actual.shape
    scale = np.ones(n) if scale is None else np.asarray(scale, float)
    now = int(origins[-1]) + horizon if now is None else now
    norm = np.abs(actual - forecast) / scale[:, None]
    lower = np.full((n, horizon), np.nan)
    upper = np.full((n, horizon), np.nan)
    final, steady = np.ones(horizon), np.ones(horizon)
    for h in range(horizon):
        trackers = h + 1 if interleave else 1
        log_factor = np.zeros(trackers)  # one tracker per origin row modulo h+1 (the step is h+1 rows ahead)
        known_at = origins + h + 1  # row index when origin j's step-h residual becomes known
        seen = 0
        for i in range(n + 1):  # every backtest origin, then the next forecast's (row `now`)
            row = now if i == n else origins[i]
            usable = np.searchsorted(known_at, row, side="right")  # origins sorted
            for j in range(seen, usable):  # feedback from residuals that just became known, to their own tracker
                if eta and not np.isnan(lower[j, h]):
                    miss = not lower[j, h] <= actual[j, h] <= upper[j, h]
                    log_factor[origins[j] % trackers] += eta * (miss - (1 - level))
            seen = usable
            if i == n or usable < min_calibration:
                continue
            q = conformal_quantile(norm[max(0, usable - window):usable, h], level)
            q *= math.exp(log_factor[row % trackers])
            lower[i, h], upper[i, h] = forecast[i, h] - q * scale[i], forecast[i, h] + q * scale[i]
        final[h], steady[h] = math.exp(log_factor[now % trackers]), math.exp(log_factor.mean())
    valid = ~np.isnan(lower)
    covered = valid & (actual >= lower) & (actual <= upper)
    coverage = float(covered.sum() / valid.sum()) if valid.any() else float("nan")
    return RollingIntervals(lower, upper, covered, valid, coverage, final, steady)


def final_radius(actual: np.ndarray, forecast: np.ndarray, level: float, window: int = 250,
                 scale: np.ndarray | None = None, now_scale: float = 1.0,
                 factor: np.ndarray | float = 1.0) -> np.ndarray:
    """(H,) interval half-widths for a new forecast: the quantile of the latest `window` backtest residuals per step
    (divided by their origin's scale, times the scale now when scales are given) times the tracked factor."""
    scale = np.ones(len(actual)) if scale is None else np.asarray(scale, float)
    norm = (np.abs(actual - forecast) / scale[:, None])[-window:]
    radius = np.array([conformal_quantile(norm[:, h], level) for h in range(norm.shape[1])])
    return radius * now_scale * np.broadcast_to(np.asarray(factor, float), radius.shape)


def anomalies(actual: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Bool mask of actuals outside their interval (points without an interval are never flagged)."""
    with np.errstate(invalid="ignore"):
        return ~np.isnan(lower) & ((actual < lower) | (actual > upper))
