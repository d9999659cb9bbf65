"""Anomaly flags at a strict level, apart from the forecast interval, and how to score them.

An 80% interval leaves about 20% of ordinary points outside it by construction, so "outside the
forecast interval" is no anomaly test. Here a point is flagged when it falls outside a separate
one-step interval at a strict level (99% by default: about 1 ordinary point in 100 is flagged by
chance), calibrated like the forecast's intervals on residuals known before each point (plain split
conformal, no adaptation, so the false-alarm rate stays what the level says), in units of a robust local scale.
"""

from dataclasses import dataclass

import numpy as np

from rnn_models.forecast.intervals import conformal_quantile

ANOMALY_LEVEL = 0.99  # a point outside this one-step interval is flagged
MIN_CALIBRATION = 100  # residuals needed before a point can be flagged (a 99% quantile needs ~100)


@dataclass(frozen=True)
class Anomalies:
    flagged: np.ndarray  # (N,) bool: the actual fell outside its strict interval
    lower: np.ndarray  # (N,) NaN where too few earlier residuals were known
    upper: np.ndarray  # (N,)
    level: float  # the strict level, e.g. 0.99

    @property
    def checked(self) -> int:
        """Points that had an interval (the others are never flagged)."""
        return int((~np.isnan(self.lower)).sum())

    @property
    def false_alarm_rate(self) -> float:
        """The share of ordinary points expected to be flagged by chance."""
        return 1.0 - self.level

    @property
    def expected_false_alarms(self) -> float:
        return self.false_alarm_rate * self.checked


def robust_scale(values: np.ndarray, origins: np.ndarray, window: int = 20) -> np.ndarray:
    """(N,) median absolute one-step change over the `window` rows up to each origin (never after it):
    one spike barely moves a median, where it would inflate a mean for the next `window` rows."""
    steps = np.abs(np.diff(np.asarray(values, float), prepend=values[0]))
    out = np.array([np.median(steps[max(1, o + 1 - window):o + 1]) if o >= 1 else 0.0 for o in origins])
    positive = out[out > 0]
    return np.where(out > 0, out, positive.mean() if len(positive) else 1.0)


def flag(values: np.ndarray, origins: np.ndarray, actual: np.ndarray, forecast: np.ndarray,
         level: float = ANOMALY_LEVEL, min_calibration: int = MIN_CALIBRATION, window: int = 1000) -> Anomalies:
    """Flag one-step actuals (N,) outside a strict interval around their forecasts (N,).

    values is the whole series (for the local scale); origins[i] is the (sorted) row each forecast was made
    from. A flagged point's residual is clipped to the radius it broke before it calibrates later points,
    so a few anomalies cannot widen the interval enough to hide the next ones.
    """
    actual, forecast = np.asarray(actual, float), np.asarray(forecast, float)
    scale = robust_scale(values, origins)
    norm = np.abs(actual - forecast) / scale  # residuals in units of the local typical step
    n = len(origins)
    lower, upper = np.full(n, np.nan), np.full(n, np.nan)
    flagged, radius = np.zeros(n, bool), np.full(n, np.inf)
    known: list[float] = []
    seen = 0
    for i in range(n):
        while seen < n and origins[seen] + 1 <= origins[i]:  # origin `seen`'s actual is observed by now
            known.append(min(norm[seen], radius[seen]))
            seen += 1
        if len(known) < min_calibration:
            continue
        radius[i] = conformal_quantile(np.array(known[-window:]), level)
        lower[i], upper[i] = forecast[i] - radius[i] * scale[i], forecast[i] + radius[i] * scale[i]
        flagged[i] = not lower[i] <= actual[i] <= upper[i]
    return Anomalies(flagged, lower, upper, level)


def flag_run(run, level: float = ANOMALY_LEVEL) -> Anomalies:
    """Strict anomaly flags for the RNN's one-step backtest forecasts of a ForecastRun."""
    bt = run.backtest
    return flag(run.series.values, bt.origins, bt.actual[:, 0], bt.forecasts["rnn"][:, 0], level)


def inject_spikes(values: np.ndarray, rows: np.ndarray, size: float = 8.0, seed: int = 0) -> np.ndarray:
    """A copy of values with a spike at each row: `size` times the median absolute one-step change of the
    20 rows before it, up or down at random (seeded); values stay above zero so log returns still apply."""
    out = np.asarray(values, float).copy()
    typical = robust_scale(out, np.asarray(rows) - 1)
    signs = np.random.default_rng(seed).choice([-1.0, 1.0], size=len(rows))
    for r, s, t in zip(rows, signs, typical):
        bump = size * t
        if s < 0 and out[r] - bump <= 0:
            s = 1.0
        out[r] += s * bump
    return out


@dataclass(frozen=True)
class DetectionScore:
    precision: float  # share of flags that are injected spikes (or the step just after one)
    recall: float  # share of injected spikes that were flagged
    flags: int  # points flagged
    spikes: int  # spikes that could be checked (had an interval)
    false_alarms: int  # flags that are neither a spike nor the step after one


def score(flagged_rows: np.ndarray, spike_rows: np.ndarray, checked_rows: np.ndarray,
          tolerance: int = 1) -> DetectionScore:
    """Precision and recall of flags against injected spikes.

    A spike also spoils the next forecast (the model reads the spike and expects it to persist), so a flag
    up to `tolerance` rows after a spike counts as that spike's, not as a false alarm.
    """
    flagged_rows, checked = np.asarray(flagged_rows), set(np.asarray(checked_rows).tolist())
    spikes = [int(r) for r in spike_rows if int(r) in checked]
    hit = sum(1 for r in spikes if r in set(flagged_rows.tolist()))
    near = {r + d for r in spike_rows for d in range(tolerance + 1)}
    false = sum(1 for r in flagged_rows.tolist() if r not in near)
    n_flags = len(flagged_rows)
    return DetectionScore(precision=(n_flags - false) / n_flags if n_flags else float("nan"),
                          recall=hit / len(spikes) if spikes else float("nan"),
                          flags=n_flags, spikes=len(spikes), false_alarms=false)
