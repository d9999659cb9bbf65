"""App figures only (cold start, page switches, model loads, server memory) as a ratio table.

Run: .venv/bin/python benchmarks/app_bench.py [--quick]
The same figures are part of `python -m rnn_models bench`.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnn_models.bench.app import bench_figures  # noqa: E402
from rnn_models.bench.report import format_table  # noqa: E402

if __name__ == "__main__":
    print(format_table(bench_figures("--quick" in sys.argv, log=lambda s: print(f"... {s}", file=sys.stderr))))
