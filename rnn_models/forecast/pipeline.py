"""One call from a Series to everything the page and CLI show: backtest, metrics, intervals, forecast."""

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rnn_models.forecast.backtest import Backtest, BacktestConfig, run_backtest
from rnn_models.forecast.intervals import (
    TRACK_ETA,
    RollingIntervals,
    anomalies,
    final_radius,
    local_scale,
    rolling_intervals,
)
from rnn_models.forecast.metrics import paired_t
from rnn_models.forecast.model import ForecastConfig, Forecaster
from rnn_models.forecast.series import Series, future_index
from rnn_models.forecast.windows import check_target

MIN_CALIBRATION = 5  # known residuals needed before a point gets an interval (the tracked factor corrects)


@dataclass(frozen=True)
class LagTrap:
    corr_actual: float  # correlation of one-step forecasts with the actual value they forecast
    corr_previous: float  # ... with the actual value one step earlier (the value the model just read)
    corr_moves: float  # correlation of forecast moves (f - previous) with actual moves
    mae_to_previous: float  # how far the forecast sits from the previous actual, on average
    mae_to_actual: float  # its MAE against the value it forecast

    @property
    def copies_previous(self) -> bool:
        """True when the forecast tracks the previous value at least as closely as the real one."""
        return self.corr_previous >= self.corr_actual or self.mae_to_previous < 0.5 * self.mae_to_actual


@dataclass
class ForecastRun:
    series: Series
    config: ForecastConfig
    backtest_config: BacktestConfig
    backtest: Backtest
    forecaster: Forecaster
    intervals: RollingIntervals  # rolling conformal intervals of the RNN over the backtest
    forecast: pd.DataFrame  # future steps: date, value, lower, upper, plus one column per baseline
    lag_trap: LagTrap
    seconds: float  # wall time of training + backtest
    floor_at_zero: bool = False  # the series is never below 0, so the intervals stop at 0 (or at a point below it)

    @property
    def coverage(self) -> float:
        return self.intervals.coverage

    def paired_t(self, baseline: str = "naive") -> float:
        """Paired t statistic of the RNN's absolute errors minus the baseline's (negative: RNN better).

        Forecasts from neighbouring origins overlap, so only every horizon-th origin is used, each
        contributing its errors averaged over the horizon: the differences are then roughly independent.
        """
        bt = self.backtest
        step = bt.actual.shape[1]
        rnn = np.abs(bt.actual - bt.forecasts["rnn"])[::step].mean(axis=1)
        base = np.abs(bt.actual - bt.forecasts[baseline])[::step].mean(axis=1)
        return paired_t(rnn, base)

    def metrics_table(self) -> pd.DataFrame:
        """One row per model, columns METRICS, the RNN first."""
        rows = {self.backtest.labels[k]: v for k, v in self.backtest.metrics.items()}
        return pd.DataFrame.from_dict(rows, orient="index")

    def one_step_frame(self) -> pd.DataFrame:
        """Backtest one-step forecasts of every model beside the actual, with the RNN's interval and anomaly flag."""
        bt, iv = self.backtest, self.intervals
        idx = self.series.index[bt.origins + 1]
        frame = pd.DataFrame({"actual": bt.actual[:, 0], "previous_actual": bt.last}, index=idx)
        for name, f in bt.forecasts.items():
            frame[name] = f[:, 0]
        frame["rnn_lower"], frame["rnn_upper"] = iv.lower[:, 0], iv.upper[:, 0]
        frame["anomaly"] = anomalies(bt.actual[:, 0], iv.lower[:, 0], iv.upper[:, 0])
        frame.index.name = self.series.index.name or "step"
        return frame

    def backtest_frame(self) -> pd.DataFrame:
        """Long table: one row per (origin, step) with the actual, every model's forecast and the RNN interval."""
        bt, iv = self.backtest, self.intervals
        n, h = bt.actual.shape
        frame = pd.DataFrame({
            "origin": np.repeat(self.series.index[bt.origins], h),
            "target_date": self.series.index[(bt.origins[:, None] + np.arange(1, h + 1)).ravel()],
            "step": np.tile(np.arange(1, h + 1), n),
            "actual": bt.actual.ravel(),
        })
        for name, f in bt.forecasts.items():
            frame[name] = f.ravel()
        frame["rnn_lower"], frame["rnn_upper"] = iv.lower.ravel(), iv.upper.ravel()
        return frame


def lag_trap(actual: np.ndarray, previous: np.ndarray, forecast: np.ndarray) -> LagTrap:
    """Compare one-step forecasts with the value they forecast and with the value one step earlier."""
    def corr(a, b):
        return float(np.corrcoef(a, b)[0, 1]) if np.std(a) > 0 and np.std(b) > 0 else float("nan")

    return LagTrap(
        corr_actual=corr(forecast, actual),
        corr_previous=corr(forecast, previous),
        corr_moves=corr(forecast - previous, actual - previous),
        mae_to_previous=float(np.mean(np.abs(forecast - previous))),
        mae_to_actual=float(np.mean(np.abs(forecast - actual))),
    )


def rnn_intervals(values: np.ndarray, backtest: Backtest, level: float, eta: float = TRACK_ETA,
                  interleave: bool = True) -> tuple[RollingIntervals, np.ndarray]:
    """(intervals over the test origins, (H,) radius of the future forecast).

    The calibration window's residuals (a network that never saw it) come first, so the radius is calibrated and
    its factor tracked from the first test origin on; only test origins are scored. The future radius at step h
    uses the geometric mean of that step's h tracked factors (steadier from step to step than the one factor of
    the next origin's row class)."""
    cal = backtest.calibration
    first = 0 if cal is None else len(cal.origins)
    origins = backtest.origins if cal is None else np.concatenate([cal.origins, backtest.origins])
    actual = backtest.actual if cal is None else np.concatenate([cal.actual, backtest.actual])
    forecast = backtest.forecasts["rnn"] if cal is None else np.concatenate([cal.forecast, backtest.forecasts["rnn"]])
    scale = local_scale(values, origins)
    every = rolling_intervals(origins, actual, forecast, level, scale=scale, min_calibration=MIN_CALIBRATION, eta=eta,
                              now=len(values) - 1, interleave=interleave)
    now = float(local_scale(values, np.array([len(values) - 1]))[0])
    radius = final_radius(actual, forecast, level, scale=scale, now_scale=now, factor=every.steady_factor)
    return every.after(first), radius


def run_forecast(series: Series, config: ForecastConfig, bt_config: BacktestConfig = BacktestConfig(), *,
                 on_step: Callable[[dict], None] | None = None,
                 should_stop: Callable[[], bool] | None = None,
                 progress: Callable[[float, str], None] | None = None) -> ForecastRun:
    """Backtest every model, calibrate intervals on the RNN's backtest residuals and forecast the future.

    The future forecast reuses the model trained before the test window, reading the latest rows; the run's config
    is the one the calibration window chose (window scaling on or off).
    """
    start = time.perf_counter()
    check_target(series.values, config.target, series.name)
    values, cov = series.values, series.covariates
    backtest, forecaster = run_backtest(values, cov, config, series.freq.season, bt_config,
                                        on_step=on_step, should_stop=should_stop, progress=progress)
    iv, radius = rnn_intervals(values, backtest, bt_config.level)
    point = backtest.final["rnn"]
    lower = point - radius
    at_zero = bool(np.nanmin(values) >= 0)  # a series never below 0: no interval reaches below 0 (or below its point)
    if at_zero:
        lower = np.maximum(lower, np.minimum(point, 0.0))
        iv = iv.floored(np.minimum(backtest.forecasts["rnn"], 0.0))
    future = future_index(series.index, series.freq, config.horizon)
    frame = pd.DataFrame({"date": future, "value": point, "lower": lower, "upper": point + radius})
    for name, f in backtest.final.items():
        if name != "rnn":
            frame[name] = f
    trap = lag_trap(backtest.actual[:, 0], backtest.last, backtest.forecasts["rnn"][:, 0])
    return ForecastRun(series, forecaster.config, bt_config, backtest, forecaster, iv, frame, trap,
                       time.perf_counter() - start, at_zero)
