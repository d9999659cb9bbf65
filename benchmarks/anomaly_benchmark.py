"""Strict anomaly flags on a real series with spikes injected at known rows: precision and recall.

Run: nice -n 5 .venv/bin/python benchmarks/anomaly_benchmark.py [--rnn] [--level 0.99]
MSFT daily closes (pmdarima's data), 7,983 rows; 15 spikes, 100 rows apart, in the test window, each `size` times
the median absolute daily change, up or down (seeded). Forecasters: the naive one-step forecast, and with
--rnn the page's LSTM (log returns, 200 steps) trained on the spiked series. A flag the step after a spike
counts as that spike's (the forecast from the spiked value misses too).
"""

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnn_models.device import limit_threads  # noqa: E402
from rnn_models.forecast.anomaly import flag, inject_spikes, score  # noqa: E402

SIZES = (6.0, 10.0, 15.0)


def rnn_forecasts(series, seed: int):
    """One-step RNN backtest forecasts (origins, actual, forecast) of the page's default set-up."""
    from rnn_models.forecast.backtest import BacktestConfig
    from rnn_models.forecast.model import ForecastConfig
    from rnn_models.forecast.pipeline import run_forecast

    run = run_forecast(series, ForecastConfig(lookback=30, horizon=1, target="log_return", seed=seed),
                       BacktestConfig(level=0.8, with_arima=False))
    bt = run.backtest
    return bt.origins, bt.actual[:, 0], bt.forecasts["rnn"][:, 0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rnn", action="store_true", help="also score the RNN's forecasts (a minute or two)")
    ap.add_argument("--level", type=float, default=0.99)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    limit_threads(1)
    from rnn_models.forecast.datasets import load_builtin
    from rnn_models.forecast.series import select_series

    full = select_series(load_builtin("msft"), "Close")
    values = full.values
    spikes = np.arange(len(values) - 1500, len(values) - 10, 100)  # in the last 20% (the backtest's test rows)
    print(f"MSFT close, {len(values)} rows, {len(spikes)} spikes, strict level {args.level:.0%} "
          f"(expected false-alarm rate {1 - args.level:.1%})")
    print(f"{'forecaster':<10} {'size':>5} {'flags':>6} {'recall':>7} {'precision':>9} {'false alarms':>13} "
          f"{'checked':>8}")
    for size in SIZES:
        spiked = inject_spikes(values, spikes, size=size, seed=args.seed)
        for name in ("naive", "rnn") if args.rnn else ("naive",):
            if name == "naive":
                origins = np.arange(len(spiked) - 1700, len(spiked) - 1)
                actual, forecast = spiked[origins + 1], spiked[origins]
            else:
                series = replace(full, values=spiked)
                origins, actual, forecast = rnn_forecasts(series, args.seed)
            an = flag(spiked, origins, actual, forecast, args.level)
            rows = origins + 1
            s = score(rows[an.flagged], spikes, rows[~np.isnan(an.lower)])
            print(f"{name:<10} {size:>5.0f} {s.flags:>6} {s.recall:>7.2f} {s.precision:>9.2f} "
                  f"{s.false_alarms:>6} (exp {an.expected_false_alarms:4.1f}) {an.checked:>6}")


if __name__ == "__main__":
    main()
