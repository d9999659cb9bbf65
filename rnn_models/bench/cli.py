"""`python -m rnn_models bench [--json] [--quick] [--out FILE]`."""

import json
import sys
import time
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("bench", help="measure every speed figure against its baseline or ceiling")
    p.add_argument("--json", action="store_true", help="print the figures as JSON on stdout")
    p.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run, noisier figures)")
    p.add_argument("--only", default="", help="comma-separated parts to measure, e.g. core,text (default: all)")
    p.add_argument("--out", default="bench.json", help="where to write the JSON (default bench.json)")
    p.set_defaults(func=bench)


def bench(args) -> int:
    from .report import format_table
    from .run import all_figures

    t0 = time.perf_counter()
    only = tuple(a.strip() for a in args.only.split(",") if a.strip())
    figs = all_figures(args.quick, only=only,
                       log=lambda s: sys.stderr.write(f"[{time.perf_counter() - t0:5.0f}s] {s}\n"))
    doc = {"figures": [f.to_dict() for f in figs], "seconds": time.perf_counter() - t0}
    Path(args.out).write_text(json.dumps(doc, indent=1))
    if args.json:
        print(json.dumps(doc))
    else:
        print(format_table(figs))
        print(f"({doc['seconds']:.0f} s; JSON in {args.out})")
    return 0
