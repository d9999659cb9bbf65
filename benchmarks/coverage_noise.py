"""How far an exactly right 80% interval's coverage strays from 80% by chance on the benchmark's test windows.

For each series of `benchmarks/forecast_benchmark.py`, with its own number of test origins and its horizons, this
simulates test windows in which the interval is the true 80% interval of the error (an oracle: no estimation, no
shift) and counts how often a cell's coverage (steps 1..h pooled over the origins, as the benchmark scores it) falls
outside 75-85%. Two error models bracket real forecasts:
- independent: every origin's error at every step is a fresh draw (the least chance spread);
- random walk: the error at step k is the sum of the next k one-step shocks, so forecasts from neighbouring
  origins share most of their errors, as overlapping multi-step forecasts do.
It prints each cell's chance of falling outside, the expected number of cells outside and the chance that every
cell falls inside (cells of one series are simulated together; series are independent). It trains nothing.

Run: .venv/bin/python benchmarks/coverage_noise.py [--draws 4000] [--seed 0]
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from rnn_models.forecast.backtest import BacktestConfig, split_point  # noqa: E402
from rnn_models.forecast.real_series import SERIES  # noqa: E402

LEVEL, LOW, HIGH = 0.8, 0.75, 0.85
Z80 = 1.2815515655446004  # the standard normal's 90% quantile: +-Z80 holds 80%


def origin_count(name: str) -> tuple[int, int]:
    """(number of test origins, longest horizon) of the benchmark's backtest of this series."""
    spec = SERIES[name]
    n, longest = len(spec.series()), max(spec.horizons)
    train_end = split_point(n, longest, spec.lookback, BacktestConfig(level=LEVEL))
    return n - longest - train_end + 1, longest


def covered(rng: np.random.Generator, draws: int, origins: int, horizon: int, model: str) -> np.ndarray:
    """(draws, origins, horizon) bool: inside the oracle 80% interval."""
    steps = np.arange(1, horizon + 1)
    if model == "independent":
        return np.abs(rng.standard_normal((draws, origins, horizon))) <= Z80
    path = np.concatenate([np.zeros((draws, 1)), np.cumsum(rng.standard_normal((draws, origins + horizon)), 1)], 1)
    start = np.arange(origins)[:, None]
    error = path[:, start + steps[None, :]] - path[:, start]
    return np.abs(error) <= Z80 * np.sqrt(steps)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--draws", type=int, default=4000)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    rng = np.random.default_rng(args.seed)
    totals = {}
    print(f"{'series':16s} {'h':>3s} {'origins':>7s}   P(outside 75-85%): independent / random walk   (sd)")
    for model in ("independent", "random walk"):
        totals[model] = {"expected": 0.0, "all_inside": 1.0, "cells": 0}
    lines = {}
    for name, spec in SERIES.items():
        origins, longest = origin_count(name)
        for model in ("independent", "random walk"):
            cov = covered(rng, args.draws, origins, longest, model)
            inside_all = np.ones(args.draws, bool)
            for h in spec.horizons:
                c = cov[:, :, :h].mean((1, 2))
                outside = (c < LOW) | (c > HIGH)
                inside_all &= ~outside
                lines.setdefault((name, h, origins), {})[model] = (outside.mean(), c.std())
                totals[model]["expected"] += outside.mean()
                totals[model]["cells"] += 1
            totals[model]["all_inside"] *= inside_all.mean()
    for (name, h, origins), m in lines.items():
        ind, rw = m["independent"], m["random walk"]
        print(f"{name:16s} {h:3d} {origins:7d}   {ind[0]:6.1%} / {rw[0]:6.1%}   ({ind[1]:.3f} / {rw[1]:.3f})")
    for model, t in totals.items():
        print(f"{model}: an exactly right 80% interval leaves {t['expected']:.1f} of {t['cells']} cells outside "
              f"75-85% on average; every cell inside in {t['all_inside']:.2g} of benchmark runs (a share)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
