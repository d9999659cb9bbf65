"""App figures (cold start, first visit of every page, page switches, model loads, server memory after every
page and per further session), each beside its baseline.

    .venv/bin/python benchmarks/app_bench.py [--quick] [--json]

--json prints {"figures": [...]} in the same shape as `python -m rnn_models bench --json`.
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.app_figures import bench_figures  # noqa: E402
from rnn_models.bench.report import format_table  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one repeat instead of three (noisier)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON on stdout")
    args = ap.parse_args()
    t0 = time.perf_counter()
    figs = bench_figures(args.quick, log=lambda s: print(f"[{time.perf_counter() - t0:5.0f}s] {s}", file=sys.stderr))
    if args.json:
        print(json.dumps({"figures": [f.to_dict() for f in figs], "seconds": time.perf_counter() - t0}))
    else:
        print(format_table(figs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
