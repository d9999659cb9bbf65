"""Forecasting quality and speed: RNN vs baselines on CO2 and MSFT, interval coverage, timings.

Run: .venv/bin/python benchmarks/forecast_benchmark.py [--quick]
(--quick: one seed instead of three). The same figures are part of `python -m rnn_models bench`.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnn_models.bench.report import format_table  # noqa: E402
from rnn_models.device import limit_threads  # noqa: E402
from rnn_models.forecast.bench import bench_figures  # noqa: E402

if __name__ == "__main__":
    limit_threads(1)
    print(format_table(bench_figures("--quick" in sys.argv, log=lambda s: print(f"... {s}", file=sys.stderr))))
