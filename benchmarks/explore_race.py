"""The explorer's figures: adding-problem race at T = 100 (60 s, all three cells) and gradient decay.

Run: .venv/bin/python benchmarks/explore_race.py [--quick] [--seconds S] [--seed N]
Prints each cell's final held-out MSE beside the always-predict-1 baseline (1/6) and the targets:
GRU and LSTM < 0.05, the vanilla RNN near the baseline.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnn_models.bench.report import format_table  # noqa: E402
from rnn_models.device import limit_threads  # noqa: E402
from rnn_models.explore.bench import gradient_figures, race_figures  # noqa: E402

if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true", help="20 s race instead of 60 s")
    p.add_argument("--seconds", type=float, default=None)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    limit_threads()
    seconds = args.seconds or (20.0 if args.quick else 60.0)
    print(format_table(gradient_figures() + race_figures(seconds=seconds, seed=args.seed)))
