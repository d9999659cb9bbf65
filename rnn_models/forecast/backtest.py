"""Walk-forward backtest: train once before the test window, then forecast from every origin in it."""

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rnn_models.errors import UserInputError
from rnn_models.forecast import baselines
from rnn_models.forecast.metrics import all_metrics, naive_scale
from rnn_models.forecast.model import ForecastConfig, Forecaster, train_forecaster


@dataclass(frozen=True)
class BacktestConfig:
    test_fraction: float = 0.2  # share of rows (at the end) whose values are forecast in the backtest
    min_test: int = 30  # at least this many test rows
    level: float = 0.8  # prediction-interval coverage aimed for
    with_arima: bool = True  # include the slow baselines (ARIMA, auto ARIMA, ETS); they can be left out


@dataclass
class Backtest:
    train_end: int  # rows [0, train_end) train the models; origins start at train_end - 1
    origins: np.ndarray  # (N,) row index of the last observed value for each forecast
    actual: np.ndarray  # (N, H) the values that followed each origin
    last: np.ndarray  # (N,) the value at each origin
    forecasts: dict[str, np.ndarray]  # model name -> (N, H)
    metrics: dict[str, dict[str, float]]  # model name -> metric -> value (all steps pooled)
    mase_scale: float  # in-sample MAE of the one-step naive forecast on training rows
    labels: dict[str, str]  # model name -> display label (e.g. the ARIMA order)
    final: dict[str, np.ndarray]  # model name -> (H,) forecast of the future, from the last row
    seconds: dict[str, float]  # wall time per phase: train, rnn_predict, baselines, then each slow baseline


def rnn_label(config: ForecastConfig) -> str:
    """The RNN's display label, e.g. 'LSTM (log return, recursive)'."""
    return f"{config.cell.upper()} ({config.target.replace('_', ' ')}, {config.strategy})"


def split_point(n: int, horizon: int, lookback: int, config: BacktestConfig) -> int:
    """First test row: the backtest forecasts rows [train_end, n)."""
    test = max(config.min_test + horizon, int(round(n * config.test_fraction)))
    train_end = n - test
    if train_end < lookback + horizon + 10:
        raise UserInputError(
            f"The series has {n} rows, too few for a backtest with a lookback window of {lookback}, "
            f"a horizon of {horizon} and {test} test rows. It needs at least {lookback + horizon + 10 + test} rows."
        )
    return train_end


def min_rows(horizon: int, lookback: int, config: BacktestConfig = BacktestConfig()) -> int:
    """Fewest rows a series may have for this setup."""
    base = lookback + horizon + 10
    return max(base + config.min_test + horizon, int(np.ceil(base / (1 - config.test_fraction))) + 1)


def run_backtest(values: np.ndarray, covariates: np.ndarray, config: ForecastConfig, season: int,
                 bt: BacktestConfig = BacktestConfig(), *,
                 on_step: Callable[[dict], None] | None = None,
                 should_stop: Callable[[], bool] | None = None,
                 progress: Callable[[float, str], None] | None = None) -> tuple[Backtest, Forecaster]:
    """Train the RNN on the rows before the test window (once, no refits), then roll forward through
    the window forecasting from each origin with only the rows up to it; baselines likewise."""
    n, h = len(values), config.horizon
    train_end = split_point(n, h, config.lookback, bt)
    origins = np.arange(train_end - 1, n - h)  # every origin whose horizon is fully observed
    actual = values[origins[:, None] + np.arange(1, h + 1)[None, :]]
    clock = time.perf_counter()
    seconds = {}
    forecaster = train_forecaster(values, covariates, train_end, config, on_step=on_step, should_stop=should_stop)
    if progress:
        progress(0.0, "baselines")
    seconds["train"], clock = time.perf_counter() - clock, time.perf_counter()
    every = np.append(origins, n - 1)  # the backtest origins, then the last row for the real forecast
    forecasts = {"rnn": forecaster.predict(values, covariates, every)}
    seconds["rnn_predict"], clock = time.perf_counter() - clock, time.perf_counter()
    labels = {"rnn": rnn_label(config)}
    seconds["baselines"] = 0.0
    context = baselines.Context(season=season, lookback=config.lookback, horizon=h)
    chosen = baselines.names(slow=bt.with_arima)
    for k, name in enumerate(chosen):
        model = baselines.REGISTRY[name](context)
        if model.slow and progress:
            progress(k / len(chosen), name)
        try:
            forecasts[name] = model.fit(values, train_end).predict(values, every, h)
        except (ValueError, np.linalg.LinAlgError, IndexError):  # a statistical fit that fails is left out
            continue
        labels[name] = model.label
        key = name if model.slow else "baselines"
        seconds[key] = seconds.get(key, 0.0) + time.perf_counter() - clock
        clock = time.perf_counter()
    final = {name: f[-1] for name, f in forecasts.items()}
    forecasts = {name: f[:-1] for name, f in forecasts.items()}
    scale = naive_scale(values[:train_end], 1)
    last = values[origins]
    metrics = {name: all_metrics(actual, f, last[:, None], scale) for name, f in forecasts.items()}
    if progress:
        progress(1.0, "done")
    return Backtest(train_end, origins, actual, last, forecasts, metrics, scale, labels, final, seconds), forecaster
