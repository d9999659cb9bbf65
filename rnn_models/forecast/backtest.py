"""Walk-forward backtest: train once before the test window, then forecast from every origin in it."""

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from rnn_models.errors import UserInputError
from rnn_models.forecast import baselines
from rnn_models.forecast.metrics import all_metrics, naive_scale
from rnn_models.forecast.model import ForecastConfig, Forecaster, train_forecaster
from rnn_models.forecast.windows import first_row


@dataclass(frozen=True)
class BacktestConfig:
    test_fraction: float = 0.2  # share of rows (at the end) whose values are forecast in the backtest
    min_test: int = 30  # at least this many test rows
    level: float = 0.8  # prediction-interval coverage aimed for
    with_arima: bool = True  # include the slow baselines (ARIMA, auto ARIMA, ETS); they can be left out
    calibration: float = 1.0  # origins just before the test window, as a multiple of the test rows (at most a third
    # of the training rows; 0: none), forecast by a second network trained only on the rows before them: their
    # residuals calibrate the intervals from the first test origin on and are never scored
    choose_scaling: bool = True  # train the calibration network with and without window scaling and keep the
    # one with the lower calibration MAE for every network after it
    refits: int = 0  # extra retrainings of the RNN spread evenly over the test window, each on every row before
    # its first origin (0: trained once); the baselines keep their fit and filter forward


@dataclass(frozen=True)
class Calibration:
    origins: np.ndarray  # (M,) forecast origins before the test window
    actual: np.ndarray  # (M, H) the values that followed them
    forecast: np.ndarray  # (M, H) the RNN's forecasts, from a network trained only on rows before origins[0] + 1


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
    seconds: dict[str, float]  # wall time per phase: calibration (its networks), train (the main network),
    # rnn_predict, refits, baselines, then each slow baseline
    calibration: Calibration | None = None  # the RNN's out-of-sample forecasts before the test window


def rnn_label(config: ForecastConfig) -> str:
    """The RNN's display label, e.g. 'LSTM (log return, recursive, window-scaled)'."""
    scaled = ", window-scaled" if config.window_scaling else ""
    return f"{config.cell.upper()} ({config.target.replace('_', ' ')}, {config.strategy}{scaled})"


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


def calibration_start(train_end: int, test: int, config: ForecastConfig, bt: BacktestConfig) -> int:
    """First row of the calibration window (== train_end: none): as long as bt.calibration test windows, at most a
    third of the training rows, leaving the calibration network as many rows as a backtest needs (10 windows)."""
    fewest = first_row(config.target, config.season) + config.lookback + config.horizon + 10
    rows = min(int(round(bt.calibration * test)), train_end // 3, train_end - fewest)
    return train_end - rows if rows >= 10 else train_end


def refit_edges(train_end: int, last_origin: int, refits: int) -> np.ndarray:
    """(refits + 1,) first rows not trained on by each successive network of the backtest."""
    return np.unique(np.linspace(train_end, last_origin + 1, refits + 2).round().astype(int)[:-1])


def numbered(on_step: Callable[[dict], None] | None, k: int, config: ForecastConfig,
             networks: int) -> Callable[[dict], None] | None:
    """on_step for network k of `networks` trained one after another: steps counted on one scale for the chart."""
    if on_step is None:
        return None
    per = config.steps * config.ensemble
    return lambda m: on_step(dict(m, step=k * per + m["step"], steps=networks * per))


def calibrate(values: np.ndarray, covariates: np.ndarray, config: ForecastConfig, cal_start: int, train_end: int,
              choose_scaling: bool, *, on_step: Callable[[dict], None] | None = None,
              should_stop: Callable[[], bool] | None = None, networks: int = 3) -> tuple[ForecastConfig, Calibration]:
    """Networks trained on rows [0, cal_start) forecast the calibration origins [cal_start - 1, train_end - 1):
    the config as given and, when choose_scaling, the same with window scaling switched; the one with the lower
    MAE on the rows before train_end is kept (the test window is never read to choose). on_step counts their steps
    as the first of `networks` networks trained one after another."""
    origins = np.arange(cal_start - 1, train_end - 1)
    rows = origins[:, None] + np.arange(1, config.horizon + 1)[None, :]
    actual, before = values[rows], rows < train_end
    candidates = [config] + ([replace(config, window_scaling=not config.window_scaling)] if choose_scaling else [])
    best = None
    for k, cfg in enumerate(candidates):
        forecast = train_forecaster(values, covariates, cal_start, cfg, on_step=numbered(on_step, k, config, networks),
                                    should_stop=should_stop).predict(values, covariates, origins)
        mae = float(np.mean(np.abs(actual - forecast)[before]))
        if best is None or mae < best[0]:
            best = (mae, cfg, forecast)
    return best[1], Calibration(origins, actual, best[2])


def run_backtest(values: np.ndarray, covariates: np.ndarray, config: ForecastConfig, season: int,
                 bt: BacktestConfig = BacktestConfig(), *,
                 on_step: Callable[[dict], None] | None = None,
                 should_stop: Callable[[], bool] | None = None,
                 progress: Callable[[float, str], None] | None = None) -> tuple[Backtest, Forecaster]:
    """Train the RNN on the rows before the test window (and again at bt.refits points inside it), then roll forward
    through the window forecasting from each origin with only the rows up to it; baselines likewise. Networks
    trained on fewer rows forecast the calibration window just before the test window first (calibrate)."""
    n, h = len(values), config.horizon
    train_end = split_point(n, h, config.lookback, bt)
    origins = np.arange(train_end - 1, n - h)  # every origin whose horizon is fully observed
    actual = values[origins[:, None] + np.arange(1, h + 1)[None, :]]
    clock = time.perf_counter()
    seconds = {}
    cal_start = calibration_start(train_end, n - train_end, config, bt)
    calibration = None
    nets = 0 if cal_start == train_end else 2 if bt.choose_scaling else 1  # networks trained before the main one
    if nets:
        config, calibration = calibrate(values, covariates, config, cal_start, train_end, bt.choose_scaling,
                                        on_step=on_step, should_stop=should_stop, networks=nets + 1)
    seconds["calibration"], clock = time.perf_counter() - clock, time.perf_counter()
    forecaster = train_forecaster(values, covariates, train_end, config, should_stop=should_stop,
                                  on_step=numbered(on_step, nets, config, nets + 1))
    seconds["train"], clock = time.perf_counter() - clock, time.perf_counter()
    every = np.append(origins, n - 1)  # the backtest origins, then the last row for the real forecast
    rnn = forecaster.predict(values, covariates, every)
    seconds["rnn_predict"], clock = time.perf_counter() - clock, time.perf_counter()
    for edge in refit_edges(train_end, origins[-1], bt.refits)[1:]:
        if progress:
            progress(0.0, "refitting the RNN")
        later = every >= edge - 1  # origins from the refit's last training row on
        rnn[later] = train_forecaster(values, covariates, edge, config, should_stop=should_stop).predict(
            values, covariates, every[later])
    if progress:
        progress(0.0, "baselines")
    seconds["refits"], clock = time.perf_counter() - clock, time.perf_counter()
    forecasts = {"rnn": rnn}
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
    return (Backtest(train_end, origins, actual, last, forecasts, metrics, scale, labels, final, seconds, calibration),
            forecaster)
