"""Forecast quality and speed figures: RNN vs baselines on real series, interval coverage, timings."""

import statistics
from collections.abc import Callable

from rnn_models.bench.report import Figure
from rnn_models.forecast.backtest import BacktestConfig
from rnn_models.forecast.datasets import DEFAULT_TARGET, load_builtin
from rnn_models.forecast.model import ForecastConfig
from rnn_models.forecast.pipeline import ForecastRun, run_forecast
from rnn_models.forecast.series import select_series

TIME_LIMIT_S = 30.0  # training + backtest of the default model on ~8,000 daily rows (3 networks: 2 for the
# calibration window, then the chosen one)
SETUPS = {  # the page's defaults for each built-in series
    "msft": dict(lookback=30, horizon=5),
    "co2": dict(lookback=36, horizon=12),
}


def run_builtin(name: str, seed: int = 0, **overrides) -> ForecastRun:
    """One training + backtest of the page's default model on a built-in series."""
    table = load_builtin(name)
    series = select_series(table, DEFAULT_TARGET[name])
    return run_forecast(series, ForecastConfig(seed=seed, **{**SETUPS[name], **overrides}), BacktestConfig())


def bench_figures(quick: bool, log: Callable[[str], None] = lambda s: None) -> list[Figure]:
    seeds = [0] if quick else [0, 1, 2]
    figs = []
    runs = {}
    for name in ("co2", "msft"):
        runs[name] = []
        for seed in seeds:
            log(f"forecast {name} seed {seed}")
            runs[name].append(run_builtin(name, seed))

    def mean(name, model, metric="mase"):
        return statistics.mean(r.backtest.metrics[model][metric] for r in runs[name])

    n = len(seeds)
    figs.append(Figure(f"co2 monthly: LSTM MASE (mean of {n} seeds)", mean("co2", "rnn"), "",
                       "seasonal naive MASE", mean("co2", "seasonal_naive"), "ratio < 1",
                       mean("co2", "rnn") < mean("co2", "seasonal_naive")))
    figs.append(Figure("co2 monthly: ARIMA MASE", mean("co2", "arima"), "", "seasonal naive MASE",
                       mean("co2", "seasonal_naive")))
    rnn, naive = mean("msft", "rnn"), mean("msft", "naive")
    ts = [r.paired_t("naive") for r in runs["msft"]]
    figs.append(Figure(f"MSFT daily: LSTM MASE (mean of {n} seeds)", rnn, "", "naive MASE", naive,
                       note=f"{'beats' if rnn < naive else 'does not beat'} naive by {(naive - rnn) / naive:+.2%}; "
                            f"paired t of absolute errors vs naive (non-overlapping origins) per seed: "
                            f"{', '.join(f'{t:.2f}' for t in ts)} "
                            f"({'|t| < 2: not a reliable difference' if max(map(abs, ts)) < 2 else 'see t'}); "
                            f"drift MASE {mean('msft', 'drift'):.3f}"))
    figs.append(Figure("MSFT daily: LSTM directional accuracy", mean("msft", "rnn", "directional_accuracy"), "",
                       note="0.5 is a coin toss"))
    for name in ("co2", "msft"):
        cov = statistics.mean(r.coverage for r in runs[name])
        figs.append(Figure(f"{name}: 80% conformal interval coverage", cov, "", target="0.70-0.90",
                           met=0.7 <= cov <= 0.9))
    r = runs["msft"][0]
    sec = r.backtest.seconds
    figs.append(Figure(f"MSFT {len(r.series):,} rows: train + backtest (default LSTM)", r.seconds, "s",
                       "limit", TIME_LIMIT_S, f"< {TIME_LIMIT_S:.0f} s", r.seconds < TIME_LIMIT_S,
                       note="3 networks: 2 on the rows before the calibration window (window scaling on and off), "
                            "then the chosen one on the rows before the test window, rolled forward without refitting"))
    figs.append(Figure("MSFT: 2 calibration networks", sec["calibration"], "s", "train + backtest", r.seconds))
    figs.append(Figure("MSFT: LSTM training", sec["train"], "s", "train + backtest", r.seconds))
    figs.append(Figure(f"MSFT: LSTM forecasts from {len(r.backtest.origins):,} origins", sec["rnn_predict"], "s",
                       "LSTM training", sec["train"]))
    figs.append(Figure("MSFT: ARIMA fit + filter + forecasts", sec.get("arima", 0.0), "s", "LSTM training",
                       sec["train"]))
    log("forecast co2 direct strategy")
    direct = run_builtin("co2", 0, strategy="direct")
    figs.append(Figure("co2: direct strategy LSTM MASE", direct.backtest.metrics["rnn"]["mase"], "",
                       "recursive LSTM MASE", runs["co2"][0].backtest.metrics["rnn"]["mase"]))
    log("forecast msft price target")
    price = run_builtin("msft", 0, target="price")
    figs.append(Figure("MSFT: LSTM on raw prices MASE", price.backtest.metrics["rnn"]["mase"], "",
                       "LSTM on log returns MASE", runs["msft"][0].backtest.metrics["rnn"]["mase"],
                       note=f"lag trap: corr with previous value {price.lag_trap.corr_previous:.3f} vs with the "
                            f"actual {price.lag_trap.corr_actual:.3f}; test prices exceed the training range"))
    return figs
