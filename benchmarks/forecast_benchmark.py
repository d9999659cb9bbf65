"""Forecast quality across real series: walk-forward MASE of the RNN against every registered baseline,
the RNN's rank, and the coverage of its 80% intervals.

One backtest per series at its longest horizon (every model trained or fitted once on the rows before the
test window unless --refits); the figure at horizon h pools steps 1..h of the same forecast origins.
Before the test window, networks trained on fewer rows forecast a calibration window: its residuals start the
intervals, and its MAE picks window scaling on or off ("scaled" column). The test window is never used to choose.

Run: nice -n 5 .venv/bin/python benchmarks/forecast_benchmark.py [--quick] [--markdown FILE] [--ensemble N]
     [--refits K] [--no-choose-scaling] [--tune-eta 0.3,0.5,1,1.5,2]
--quick: 4 series (macro_realcons, co2, sunspots, airpassengers) at their first two horizons.
--tune-eta: the interval coverage each tracking step gives on the calibration windows (before the test windows)
and, for the record, on the test windows (the README says how the step in use was picked).
The full run (17 series, 2-3 horizons each) takes a while on one core: start it in the background.
"radius (before)": the mean interval half-width at step h over the test origins, in units of the series' recent
typical step (local_scale), and the same with the previous method (one tracked factor per step, step 1).
The older headline figures (MSFT, CO2 timings) are printed by `python -m rnn_models bench`.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from rnn_models.device import limit_threads  # noqa: E402
from rnn_models.forecast.backtest import BacktestConfig  # noqa: E402
from rnn_models.forecast.intervals import local_scale, rolling_intervals  # noqa: E402
from rnn_models.forecast.metrics import mase as mase_of  # noqa: E402
from rnn_models.forecast.model import ForecastConfig  # noqa: E402
from rnn_models.forecast.pipeline import MIN_CALIBRATION, rnn_intervals, run_forecast  # noqa: E402
from rnn_models.forecast.real_series import QUICK, SERIES  # noqa: E402
from rnn_models.forecast.targets import choose_target  # noqa: E402

BASELINES = ("naive", "seasonal_naive", "drift", "arima", "auto_arima", "ets")  # the columns of the table
PREVIOUS_ETA = 1.0  # the tracking step of the previous interval method (one tracked factor per step), for comparison


def eta_intervals(run, etas: tuple[float, ...]) -> dict[float, tuple]:
    """eta -> (the RNN's intervals over the calibration window, before the test window; the test intervals with that
    eta, for the record)."""
    cal, values = run.backtest.calibration, run.series.values
    if cal is None:
        return {}
    scale = local_scale(values, cal.origins)
    out = {}
    for eta in etas:
        early = rolling_intervals(cal.origins, cal.actual, cal.forecast, 0.8, scale=scale,
                                  min_calibration=MIN_CALIBRATION, eta=eta)
        out[eta] = (early, rnn_intervals(values, run.backtest, 0.8, eta)[0])
    return out


def measure_run(name: str, seed: int, ensemble: int = 1, horizon: int | None = None,
                bt_config: BacktestConfig = BacktestConfig(level=0.8)):
    """The page's default RNN and every baseline backtested on one series at `horizon` (default: its longest)."""
    spec = SERIES[name]
    series = spec.series()
    horizon = horizon or max(spec.horizons)
    season = series.freq.season
    target, _ = choose_target(series.values, horizon, spec.lookback, season=season)
    config = ForecastConfig(lookback=spec.lookback, horizon=horizon, target=target, seed=seed, ensemble=ensemble,
                            season=season)
    return run_forecast(series, config, bt_config)


def measure(name: str, seed: int, ensemble: int = 1, horizons: tuple[int, ...] | None = None,
            bt_config: BacktestConfig = BacktestConfig(level=0.8), etas: tuple[float, ...] = ()) -> list[dict]:
    """One walk-forward backtest of the page's default RNN and every baseline at the series' longest horizon;
    MASE and interval coverage at each shorter horizon pool steps 1..h of the same origins."""
    horizons = horizons or SERIES[name].horizons
    start = time.perf_counter()
    run = measure_run(name, seed, ensemble, max(horizons), bt_config)
    series, target = run.series, run.config.target
    bt, iv = run.backtest, run.intervals
    tuning = eta_intervals(run, etas)
    shared = rnn_intervals(series.values, bt, 0.8, PREVIOUS_ETA, interleave=False)[0]  # the previous method
    unit = local_scale(series.values, bt.origins)[:, None]  # radii in units of the series' recent typical step
    rows = []
    for h in horizons:
        mase = {k: mase_of(bt.actual[:, :h], f[:, :h], bt.mase_scale) for k, f in bt.forecasts.items()}
        base = {k: v for k, v in mase.items() if k in BASELINES}
        best = min(base, key=base.get)
        rank = 1 + sum(v < mase["rnn"] for v in base.values())
        valid = iv.valid[:, :h]
        coverage = float(iv.covered[:, :h][valid].mean())
        cal = {eta: tuple(float(c.covered[:, :h][c.valid[:, :h]].mean()) for c in pair) for eta, pair in tuning.items()}
        previous = float(shared.covered[:, :h][shared.valid[:, :h]].mean())
        width = {k: float(np.nanmean((v.upper - bt.forecasts["rnn"])[:, h - 1] / unit[:, 0]))  # upper - point: the
                 for k, v in (("now", iv), ("previous", shared))}  # radius, also where a lower end was raised to 0
        rows.append({"series": name, "h": h, "rows": len(series), "target": target, "mase": mase, "best": best,
                     "rank": rank, "of": len(base) + 1, "coverage": coverage, "cal_coverage": cal, "previous": previous,
                     "width": width,
                     "scaled": run.config.window_scaling, "seconds": time.perf_counter() - start})
    return rows


def table(rows: list[dict], markdown: bool) -> str:
    cols = ["rnn", *BASELINES]
    head = ["series", "h", "target", "scaled", *cols, "RNN rank", "RNN/best", "80% cov.", "radius (before)"]
    lines = []
    for r in rows:
        cells = [r["series"], str(r["h"]), r["target"], "yes" if r["scaled"] else "no"]
        cells += [f"{r['mase'][c]:.3f}" if c in r["mase"] else "-" for c in cols]
        ratio = r["mase"]["rnn"] / r["mase"][r["best"]]
        cells += [f"{r['rank']}/{r['of']}", f"{ratio:.2f} ({r['best']})", f"{r['coverage']:.1%}",
                  f"{r['width']['now']:.3g} ({r['width']['previous']:.3g})"]
        lines.append(cells)
    if markdown:
        out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        return "\n".join(out + ["| " + " | ".join(c) + " |" for c in lines])
    widths = [max(len(x) for x in col) for col in zip(head, *lines)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in [head, *lines])


def summary(rows: list[dict]) -> str:
    wins = sum(r["mase"]["rnn"] <= r["mase"][r["best"]] for r in rows)
    covs, old = [r["coverage"] for r in rows], [r["previous"] for r in rows]
    inside, old_inside = sum(0.75 <= c <= 0.85 for c in covs), sum(0.75 <= c <= 0.85 for c in old)

    def width(key: str) -> str:
        w = [r["width"][key] for r in rows]
        return f"{np.median(w):.2f} ({max(w):.3g})"

    return (f"RNN at or below the best baseline's MASE: {wins} of {len(rows)} series x horizon cells; "
            f"80% interval coverage within 75-85%: {inside} of {len(rows)} (range {min(covs):.1%}-{max(covs):.1%}); "
            f"the same forecasts with one tracked factor per step (the previous method, step {PREVIOUS_ETA}): "
            f"{old_inside} of {len(rows)} ({min(old):.1%}-{max(old):.1%}). Mean radius at step h in units of the "
            f"local scale, median over cells (largest): {width('now')} now, {width('previous')} before")


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true")
    p.add_argument("--series", default="", help="comma-separated subset of: " + ", ".join(SERIES))
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--ensemble", type=int, default=1, help="networks averaged (1: the page's default)")
    p.add_argument("--markdown", default=None, help="also write the table as Markdown to this file")
    p.add_argument("--refits", type=int, default=0, help="extra RNN retrainings spread over each test window")
    p.add_argument("--no-choose-scaling", action="store_true", help="keep window scaling off (no choice)")
    p.add_argument("--tune-eta", default="", help="comma-separated interval tracking steps to compare on the "
                                                   "calibration windows")
    args = p.parse_args()
    etas = tuple(float(x) for x in args.tune_eta.split(",") if x)
    bt_config = BacktestConfig(level=0.8, refits=args.refits, choose_scaling=not args.no_choose_scaling)
    limit_threads(1)
    names = [s for s in args.series.split(",") if s] or (list(QUICK) if args.quick else list(SERIES))
    rows = []
    for name in names:
        horizons = SERIES[name].horizons[:2] if args.quick else SERIES[name].horizons
        for r in measure(name, args.seed, args.ensemble, horizons, bt_config, etas):
            rows.append(r)
            print(f"... {name} h={r['h']}: rnn {r['mase']['rnn']:.3f}, best {r['best']} {r['mase'][r['best']]:.3f}, "
                  f"coverage {r['coverage']:.1%} ({r['seconds']:.0f} s)", file=sys.stderr, flush=True)
    print(table(rows, markdown=False))
    print(summary(rows))
    for eta in etas:
        for k, where in enumerate(("calibration windows", "test windows")):
            covs = [r["cal_coverage"][eta][k] for r in rows if eta in r["cal_coverage"]]
            inside, off = sum(0.75 <= c <= 0.85 for c in covs), sum(abs(c - 0.8) for c in covs) / len(covs)
            print(f"tracking step {eta}, {where}: 80% coverage within 75-85% in {inside} of {len(covs)} "
                  f"(range {min(covs):.1%}-{max(covs):.1%}, mean distance from 80% {off:.4f})")
    if args.markdown:
        Path(args.markdown).write_text(table(rows, markdown=True) + "\n\n" + summary(rows) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
