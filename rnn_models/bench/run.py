"""Collect every figure of the model package: core first, then each area's `bench_figures`.
The app's figures (a real server in Chromium) are benchmarks/app_bench.py's."""

from collections.abc import Callable

import torch

from .core import matmul_ceiling, training_throughput, transparent_price
from .report import Figure

TRAIN_TARGET = 0.5  # fraction of the matmul ceiling training should reach at hidden 256 and 512
CELL_PRICE_LIMIT = 5.0  # transparent cells may cost at most this many times torch.nn


def core_figures(quick: bool, log: Callable[[str], None]) -> list[Figure]:
    figs = []
    log("matmul ceiling")
    ceiling = matmul_ceiling(repeat=5 if quick else 20)
    figs.append(Figure("fp32 matmul 1024² (the ceiling)", ceiling / 1e9, "GFLOP/s",
                       note=f"{torch.get_num_threads()} torch threads"))
    runs = [("lstm", 256), ("lstm", 512), ("gru", 256), ("gru", 512), ("rnn", 256), ("rnn", 512)]
    for cell, hidden in runs:
        log(f"training throughput {cell} {hidden}")
        t = training_throughput(cell, hidden, ceiling=ceiling, steps=4 if quick else 10)
        met = t.fraction_of_ceiling >= TRAIN_TARGET
        note = ""
        if met is False:
            note = ("the recurrence runs one small (batch × hidden) matmul per step, which cannot fill the "
                    "cores like a 1024² multiply; raising the batch raises the fraction")
        figs.append(Figure(f"train {cell} h{hidden} b{t.batch} T{t.seq_len}", t.flops_per_s / 1e9, "GFLOP/s",
                           "matmul ceiling", ceiling / 1e9, f"ratio >= {TRAIN_TARGET}", met, note))
        figs.append(Figure(f"train {cell} h{hidden} characters/s", t.tokens_per_s, "chars/s"))
        if cell != "lstm":  # what the fused recurrence replaced, in the same run
            s = training_throughput(cell, hidden, ceiling=ceiling, steps=4 if quick else 10, stock=True)
            figs.append(Figure(f"train {cell} h{hidden} through torch.nn.{cell.upper()} (before)", s.flops_per_s / 1e9,
                               "GFLOP/s", "matmul ceiling", ceiling / 1e9))
    for cell in ("rnn", "lstm", "gru"):
        log(f"transparent cells {cell}")
        p = transparent_price(cell, repeat=3 if quick else 5)
        figs.append(Figure(f"transparent {cell} step by step fwd+bwd", p.transparent_ms, "ms", "torch.nn",
                           p.torch_ms, note="" if p.ratio <= CELL_PRICE_LIMIT else
                           "a Python loop over time steps with autograd on every small op; kept for per-step "
                           "gradients ∂L/∂h_t, the fast trace below is the faster path for gates"))
        figs.append(Figure(f"transparent {cell} fast trace fwd+bwd (gates exposed)", p.fast_ms, "ms", "torch.nn",
                           p.torch_ms, f"ratio <= {CELL_PRICE_LIMIT}", p.fast_ratio <= CELL_PRICE_LIMIT))
    return figs


def all_figures(quick: bool = False, log: Callable[[str], None] = lambda s: None,
                only: tuple[str, ...] = ()) -> list[Figure]:
    """Every figure, or only those of the parts named: "core", "text", "music", "forecast", "explore"."""
    from ..explore.bench import bench_figures as explore_figures
    from ..forecast.bench import bench_figures as forecast_figures
    from ..music.bench import bench_figures as music_figures
    from .text import bench_figures as text_figures

    figs = core_figures(quick, log) if not only or "core" in only else []
    for area, figures in (("text", text_figures), ("music", music_figures), ("forecast", forecast_figures),
                          ("explore", explore_figures)):
        if not only or area in only:
            log(area)
            figs += figures(quick, log)
    return figs
