"""Other ways to build the forecast page's 80% intervals, scored on the same RNN backtests as the kept one.

For each seed, every series of `benchmarks/forecast_benchmark.py` is backtested once as there (the page's default
network, the target chosen from the series) and its calibration and test forecasts are cached; each variant then
rebuilds the intervals from those forecasts and prints, per seed, how many series x horizon cells of the test windows
(and of the calibration windows alone) have coverage within 75-85%. "kept" is the method in
rnn_models/forecast/intervals.py (interleaved factors, eta 2) and must reproduce its figures. The README says which
variants were tried and why none was kept. Nothing here is used by the app.

Run: nice -n 5 .venv/bin/python benchmarks/interval_variants.py [--seeds 0,1,2,3] [--variants kept,eta3]
     [--cache .cache/interval_variants]
The backtests take 3-8 minutes per seed on one core the first time; later runs read the cache (NumPy .npz files).
"""

import argparse
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from rnn_models.forecast.intervals import conformal_quantile, local_scale  # noqa: E402

LEVEL, LOW, HIGH = 0.8, 0.75, 0.85  # the level, and the band every cell's coverage should fall in
WINDOW, SCALE_WINDOW, MIN_CALIBRATION = 250, 60, 5  # as rnn_models.forecast.intervals / pipeline

VARIANTS = {  # name -> (what it is, options for build())
    "kept": ("interleaved factors, eta 2 (the page's method)", {}),
    "dtaci": ("experts with steps 0.5-4 weighted by their pinball loss (DtACI-style)",
              {"experts": (0.5, 1, 2, 3, 4), "learning_rate": 1.0, "share": 0.05}),
    "shared_slow": ("a shared slower factor per step (step 0.15) beside the interleaved ones", {"slow": 0.15}),
    "all_steps": ("a factor shared by all steps (step 0.05), fed by every judged point", {"pool": 0.05}),
    "one_step_added": ("the 1-step factor added to every step", {"lead": 1.0}),
    "row_class": ("a factor per origin row modulo the horizon, shared by the steps (step 0.25)", {"row_class": 0.25}),
    "latest_20": ("quantiles from the latest 20 residuals only", {"window": 20}),
    "own_residuals": ("quantiles from the test network's own residuals once 10 are known", {"own_after": 10}),
    "own_residuals_20": ("quantiles from the test network's own residuals once 20 are known", {"own_after": 20}),
    "scale_20": ("a 20-row local scale", {"scale_window": 20}),
    "pooled_quantile": ("one quantile pooled over all steps, each step scaled by its mean error", {"pooled": True}),
    "skip_stale": ("one factor per step that ignores late feedback from narrower misses or wider hits",
                   {"skip_stale": True}),
    "eta3": ("interleaved factors, eta 3", {"eta": 3.0}),
    "eta4": ("interleaved factors, eta 4", {"eta": 4.0}),
}


def build(origins: np.ndarray, actual: np.ndarray, forecast: np.ndarray, values: np.ndarray, now: int,
          first: int, opts: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(covered, valid, radius), each (N, H), of one variant's intervals over these origins; residuals become known in
    time order (origin j's step-h residual at row origins[j] + h + 1) and each interval uses only those known
    at its origin. `first`: the first origin forecast by the test network (N: none)."""
    n, horizon = actual.shape
    eta = opts.get("eta", 2.0)
    experts = np.asarray(opts.get("experts", (eta,)), float)
    scale = local_scale(values, origins, opts.get("scale_window", SCALE_WINDOW))
    norm = np.abs(actual - forecast) / scale[:, None]
    lower, upper = np.full((n, horizon), np.nan), np.full((n, horizon), np.nan)
    trackers = [1 if opts.get("skip_stale") else h + 1 for h in range(horizon)]
    theta = [np.zeros((t, len(experts))) for t in trackers]  # log factors: per step, tracker, expert
    weights = [np.full(len(experts), 1 / len(experts)) for _ in range(horizon)]
    slow, pool, row_class = np.zeros(horizon), 0.0, np.zeros(horizon)
    issued = np.full((n, horizon, len(experts)), np.nan)  # each expert's log factor when the interval was issued
    base = np.full((n, horizon), np.nan)  # the quantile the interval was issued with
    events = sorted((origins[j] + h + 1, h, j) for j in range(n) for h in range(horizon))
    e = 0
    for i in range(n):
        row = origins[i]
        while e < len(events) and events[e][0] <= row:  # residuals that became known: feedback
            _, h, j = events[e]
            e += 1
            if np.isnan(lower[j, h]):
                continue
            miss = not lower[j, h] <= actual[j, h] <= upper[j, h]
            k = origins[j] % trackers[h]
            if "experts" in opts:  # each expert judged on its own issued interval; weights by pinball loss
                gap = math.log(max(norm[j, h], 1e-12) / base[j, h]) - issued[j, h]
                loss = np.where(gap > 0, LEVEL * gap, (LEVEL - 1) * gap)
                w = weights[h] * np.exp(-opts["learning_rate"] * loss)
                weights[h] = (1 - opts["share"]) * w / w.sum() + opts["share"] / len(experts)
                theta[h][k] += experts * ((norm[j, h] > base[j, h] * np.exp(issued[j, h])) - (1 - LEVEL))
            elif opts.get("skip_stale"):
                now_lf = theta[h][0, 0]
                if (issued[j, h, 0] >= now_lf) if miss else (issued[j, h, 0] <= now_lf):
                    theta[h][0] += eta * (miss - (1 - LEVEL))
            else:
                theta[h][k] += eta * (miss - (1 - LEVEL))
            slow[h] += opts.get("slow", 0.0) * (miss - (1 - LEVEL))
            pool += opts.get("pool", 0.0) * (miss - (1 - LEVEL))
            row_class[origins[j] % horizon] += opts.get("row_class", 0.0) * (miss - (1 - LEVEL))
        for h in range(horizon):  # issue this origin's intervals
            usable = int(np.searchsorted(origins + h + 1, row, side="right"))
            if usable < MIN_CALIBRATION:
                continue
            lo = max(0, usable - opts.get("window", WINDOW))
            if "own_after" in opts and i >= first and usable - first >= opts["own_after"]:
                lo = max(lo, first)
            if opts.get("pooled"):
                ratios = []
                for s in range(horizon):
                    known = int(np.searchsorted(origins + s + 1, row, side="right"))
                    col = norm[max(0, known - WINDOW):known, s]
                    if len(col):
                        ratios.append(col / max(col.mean(), 1e-12))
                q = norm[lo:usable, h].mean() * conformal_quantile(np.concatenate(ratios), LEVEL)
            else:
                q = conformal_quantile(norm[lo:usable, h], LEVEL)
            k = row % trackers[h]
            base[i, h], issued[i, h] = q, theta[h][k]
            log_factor = float(weights[h] @ theta[h][k]) if "experts" in opts else float(theta[h][k, 0])
            log_factor += slow[h] + pool + row_class[row % horizon]
            if h and opts.get("lead"):
                log_factor += opts["lead"] * theta[0][0, 0]
            radius = q * math.exp(log_factor) * scale[i]
            lower[i, h], upper[i, h] = forecast[i, h] - radius, forecast[i, h] + radius
    valid = ~np.isnan(lower)
    return valid & (actual >= lower) & (actual <= upper), valid, upper - forecast


def backtests(seed: int, cache: Path) -> dict[str, dict]:
    """Every benchmark series' RNN backtest for this seed: values, horizons, calibration and test forecasts."""
    from benchmarks.forecast_benchmark import measure_run
    from rnn_models.forecast.real_series import SERIES

    out = {}
    for name in SERIES:
        path = cache / f"seed{seed}_{name}.npz"
        if not path.exists():
            run = measure_run(name, seed)
            bt, cal = run.backtest, run.backtest.calibration
            np.savez(path, values=run.series.values, horizons=np.asarray(SERIES[name].horizons),
                     test_origins=bt.origins, test_actual=bt.actual, test_forecast=bt.forecasts["rnn"],
                     cal_origins=cal.origins, cal_actual=cal.actual, cal_forecast=cal.forecast)
            print(f"... seed {seed} {name}: backtest cached", file=sys.stderr, flush=True)
        with np.load(path) as z:
            out[name] = {k: z[k] for k in z.files}
    return out


def test_intervals(d: dict, opts: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(covered, valid, radius) over the test origins, the calibration window's residuals coming first."""
    origins = np.concatenate([d["cal_origins"], d["test_origins"]])
    actual = np.concatenate([d["cal_actual"], d["test_actual"]])
    forecast = np.concatenate([d["cal_forecast"], d["test_forecast"]])
    first = len(d["cal_origins"])
    return tuple(a[first:] for a in build(origins, actual, forecast, d["values"], len(d["values"]) - 1, first, opts))


def coverage_cells(d: dict, opts: dict) -> tuple[list[float], list[float], list[float], list[str]]:
    """(test-window cell coverages, calibration-window cell coverages, the test intervals' mean radius at step h
    in units of the series' recent typical step, cells outside 75-85% on the test windows)."""
    covered, valid, radius = test_intervals(d, opts)
    unit = local_scale(d["values"], d["test_origins"])
    cal_cov, cal_valid, _ = build(d["cal_origins"], d["cal_actual"], d["cal_forecast"], d["values"],
                               int(d["cal_origins"][-1]) + d["cal_actual"].shape[1], len(d["cal_origins"]), opts)
    test, cal, width = [], [], []
    for h in d["horizons"]:
        test.append(float(covered[:, :h][valid[:, :h]].mean()))
        cal.append(float(cal_cov[:, :h][cal_valid[:, :h]].mean()))
        width.append(float(np.nanmean(radius[:, h - 1] / unit)))
    outside = [f"h={h}: {c:.1%}" for h, c in zip(d["horizons"], test, strict=True) if not LOW <= c <= HIGH]
    return test, cal, width, outside


def per_step(d: dict) -> None:
    """Where a cell's coverage comes from: the kept intervals' test coverage at each step, and the calibration and
    test networks' errors per step (the calibration network is trained on fewer rows)."""
    covered, valid, _ = test_intervals(d, {})
    print(f"calibration network trained on {d['cal_origins'][0] + 1} rows, test network on {d['test_origins'][0] + 1}")
    print("test coverage per step: " + " ".join(f"{covered[:, h][valid[:, h]].mean():.0%}"
                                                for h in range(covered.shape[1])))
    for who in ("cal", "test"):
        mae = np.abs(d[f"{who}_actual"] - d[f"{who}_forecast"]).mean(0)
        print(f"{who} network's mean absolute error per step: " + " ".join(f"{m:,.0f}" for m in mae))


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--seeds", default="0,1,2,3")
    p.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated subset of: " + ", ".join(VARIANTS))
    p.add_argument("--per-step", default="", help="SEED:SERIES, e.g. 3:woolyrnq: the kept intervals' coverage at "
                   "each step of the test window, and each network's mean absolute error per step")
    p.add_argument("--cache", default=str(Path(__file__).resolve().parents[1] / ".cache" / "interval_variants"))
    args = p.parse_args()
    from rnn_models.device import limit_threads

    limit_threads(1)
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    seeds = [int(s) for s in args.seeds.split(",")]
    data = {seed: backtests(seed, cache) for seed in seeds}
    if args.per_step:
        seed, series = args.per_step.split(":")
        per_step(backtests(int(seed), cache)[series])
    for name in args.variants.split(","):
        what, opts = VARIANTS[name]
        print(f"{name}: {what}")
        for seed in seeds:
            test, cal, width, outside = [], [], [], []
            for series, d in data[seed].items():
                t, c, w, o = coverage_cells(d, opts)
                test += t
                cal += c
                width += w
                outside += [f"{series} {x}" for x in o]
            inside = sum(LOW <= c <= HIGH for c in test)
            cal_inside = sum(LOW <= c <= HIGH for c in cal)
            print(f"  seed {seed}: test windows {inside} of {len(test)} cells in 75-85% "
                  f"({min(test):.1%}-{max(test):.1%}); calibration windows {cal_inside} of {len(cal)}; median radius "
                  f"{np.median(width):.2f} local scales"
                  + (f"; outside: {', '.join(outside)}" if outside else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
