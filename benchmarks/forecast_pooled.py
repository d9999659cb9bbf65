"""One network pooled over related series against one network per series (both window-scaled): walk-forward MASE.

The five statsmodels macrodata columns share their dates, so one LSTM can learn from windows of all five, each
window divided by its own level, reading only rows before the common test window; every series is then backtested
exactly as benchmarks/forecast_benchmark.py does (same split, same origins, same recipe per network).
Not used by the page: kept to measure the idea (README, "What was tried").

Run: nice -n 5 .venv/bin/python benchmarks/forecast_pooled.py [--steps 200,600] [--seed 0]
"""

import argparse
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnn_models.device import limit_threads  # noqa: E402
from rnn_models.forecast import baselines  # noqa: E402
from rnn_models.forecast.backtest import BacktestConfig, split_point  # noqa: E402
from rnn_models.forecast.metrics import mase, naive_scale  # noqa: E402
from rnn_models.forecast.model import ForecastConfig, Forecaster, train_forecaster, window_level  # noqa: E402
from rnn_models.forecast.real_series import SERIES  # noqa: E402
from rnn_models.forecast.targets import choose_target  # noqa: E402
from rnn_models.forecast.windows import Scaler, feature_matrix, first_row, target_matrix, window_starts  # noqa: E402
from rnn_models.network import ModelConfig, SequenceModel  # noqa: E402
from rnn_models.training import TrainConfig, fit  # noqa: E402

GROUP = ("macro_realcons", "macro_realgdp", "macro_cpi", "macro_unemp", "macro_tbilrate")
BASELINES = ("naive", "seasonal_naive", "drift", "arima", "auto_arima", "ets")


def setups(seed: int) -> dict:
    """name -> (values, config, train_end, origins, actual) exactly as the benchmark's split makes them."""
    out = {}
    for name in GROUP:
        spec, series = SERIES[name], SERIES[name].series()
        v, h = series.values, max(spec.horizons)
        target, _ = choose_target(v, h, spec.lookback, season=series.freq.season)
        cfg = ForecastConfig(lookback=spec.lookback, horizon=h, target=target, seed=seed, window_scaling=True,
                             season=series.freq.season)
        te = split_point(len(v), h, spec.lookback, BacktestConfig())
        origins = np.arange(te - 1, len(v) - h)
        out[name] = (v, cfg, te, origins, v[origins[:, None] + np.arange(1, h + 1)[None, :]])
    return out


def pooled_network(data: dict, steps: int, seed: int) -> SequenceModel:
    """One LSTM trained on windows of every series (rows before each one's train_end), each window scaled alone."""
    xs, ys, starts, offset = [], [], [], 0
    for v, cfg, te, _, _ in data.values():
        raw = feature_matrix(v[:te], np.zeros((te, 0)), cfg.target, cfg.season)
        xs.append(raw)
        ys.append(target_matrix(raw[:, 0], 1))
        starts.append(window_starts(first_row(cfg.target, cfg.season), te, cfg.lookback, 1) + offset)
        offset += te
    cfg = next(iter(data.values()))[1]
    x_all = torch.tensor(np.concatenate(xs), dtype=torch.float32)
    y = np.concatenate(ys)
    y_all, m_all = torch.tensor(np.nan_to_num(y), dtype=torch.float32), torch.tensor(~np.isnan(y), dtype=torch.float32)
    pool = np.concatenate(starts)
    split = {"train": pool, "val": pool[-max(1, len(pool) // 10):]}
    offsets = torch.arange(cfg.lookback)

    def get_batch(name, gen):
        pick = torch.as_tensor(split[name])[torch.randint(len(split[name]), (cfg.batch_size,), generator=gen)]
        idx = pick[:, None] + offsets[None, :]
        level = window_level(x_all[idx][:, :, 0])[:, None, None]
        return x_all[idx] / level, (y_all[idx] / level, m_all[idx])

    def loss_fn(model, x, y):
        target, mask = y
        out, _ = model(x)
        return ((out - target) ** 2 * mask).sum() / mask.sum().clamp(min=1)

    torch.manual_seed(seed)
    model = SequenceModel(ModelConfig(cell=cfg.cell, input_size=1, input_kind="linear", hidden_size=cfg.hidden_size,
                                      output_size=1))
    fit(model, get_batch, loss_fn, TrainConfig(steps=steps, batch_size=cfg.batch_size, lr=cfg.lr, clip=1.0,
                                               eval_every=max(1, steps // 10), eval_batches=2, seed=seed))
    return model


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--steps", default="200,600", help="training steps of the pooled network, comma-separated")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    limit_threads(1)
    data = setups(args.seed)
    pooled = {s: pooled_network(data, s, args.seed) for s in (int(x) for x in args.steps.split(","))}
    wins = {"single": 0, **{f"pooled {s}": 0 for s in pooled}}
    for name, (v, cfg, te, origins, actual) in data.items():
        none = np.zeros((len(v), 0))
        scale = naive_scale(v[:te], 1)
        single = train_forecaster(v, none, te, cfg).predict(v, none, origins)
        shared = {s: Forecaster([m], Scaler(np.zeros(1), np.ones(1)), cfg, te, []).predict(v, none, origins)
                  for s, m in pooled.items()}
        context = baselines.Context(season=cfg.season, lookback=cfg.lookback, horizon=cfg.horizon)
        base = {b: baselines.REGISTRY[b](context).fit(v, te).predict(v, origins, cfg.horizon) for b in BASELINES}
        for h in SERIES[name].horizons:
            best = min(mase(actual[:, :h], f[:, :h], scale) for f in base.values())
            one = mase(actual[:, :h], single[:, :h], scale)
            wins["single"] += one <= best
            cells = [f"single {one:.3f}"]
            for s, f in shared.items():
                m = mase(actual[:, :h], f[:, :h], scale)
                wins[f"pooled {s}"] += m <= best
                cells.append(f"pooled {s} steps {m:.3f}")
            print(f"{name} h={h}: " + ", ".join(cells) + f", best baseline {best:.3f}")
    n = sum(len(SERIES[name].horizons) for name in GROUP)
    print("at or below the best baseline's MASE: " + ", ".join(f"{k} {v} of {n}" for k, v in wins.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
