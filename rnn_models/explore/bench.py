"""Explorer figures for the benchmark: the long-range race at T = 100 and gradient decay."""

import time
from collections.abc import Callable

from rnn_models.bench.report import Figure

from .gradients import compare_cells
from .race import RaceConfig, run_race

RACE_TARGET = 0.05  # GRU and LSTM adding-problem MSE after 60 s at T = 100
NEAR_BASELINE = 0.85  # the vanilla RNN should stay above this fraction of the baseline


def race_figures(seconds: float = 60.0, length: int = 100, seed: int = 0) -> list[Figure]:
    """Run the adding-problem race and report each cell's held-out MSE against the baseline."""
    result = run_race(RaceConfig(task="adding", length=length, seconds=seconds, seed=seed))
    figs = []
    for cell, loss in result.final.items():
        if cell == "rnn":
            target, met = f"ratio >= {NEAR_BASELINE} (stays near baseline)", loss / result.baseline >= NEAR_BASELINE
        else:
            target, met = f"< {RACE_TARGET} MSE", loss < RACE_TARGET
        figs.append(Figure(f"race adding T={length} {seconds:.0f}s: {cell} MSE", loss, "MSE", "always predict 1",
                           result.baseline, target, met,
                           note="" if met else "CPU shared with other jobs: fewer steps fitted in the budget"))
    figs.append(Figure(f"race adding T={length}: steps per cell in {seconds:.0f} s", result.steps, "steps"))
    return figs


def gradient_figures(length: int = 100) -> list[Figure]:
    """How much of the last step's gradient reaches the first step, and how long the page waits for it."""
    t0 = time.perf_counter()
    flows = compare_cells(length, scale=1.0)
    ms = (time.perf_counter() - t0) * 1000
    figs = [Figure(f"‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ {cell} T={length} radius 1", float(f.grad_norms[0] / f.grad_norms[-1]),
                   "") for cell, f in flows.items()]
    figs.append(Figure(f"gradient flow, 3 cells, T={length} (page latency)", ms, "ms", target="< 2000 ms",
                       met=ms < 2000))
    return figs


def bench_figures(quick: bool, log: Callable[[str], None] = lambda s: None) -> list[Figure]:
    log("explore: gradient flow")
    figs = gradient_figures()
    log("explore: long-range race")
    return figs + race_figures(seconds=20.0 if quick else 60.0)
