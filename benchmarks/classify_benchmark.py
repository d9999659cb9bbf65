"""Sequence classification: held-out accuracy of the shipped networks and of RNN/GRU/LSTM, forward and
bidirectional, beside the baselines fitted in the same run; classification and training speed.

Run: .venv/bin/python benchmarks/classify_benchmark.py [--tasks names,reviews,voices] [--variant-steps 300]
     [--no-variants] [--train-time] [--markdown FILE]
--variant-steps: training steps of each of the six cell/direction variants (same seed, same split).
--train-time: also retrain each shipped recipe on 2 threads and report its wall time against the 5-min target.
"""

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnn_models.classify.evaluation import evaluate, model_name  # noqa: E402
from rnn_models.classify.pipeline import TASKS, load_pretrained, load_task, train_run  # noqa: E402
from rnn_models.device import limit_threads  # noqa: E402

CLIP_TARGET_S = 0.3  # classifying a 3 s clip on one core
TRAIN_TARGET_S = 300.0  # training a built-in task to its shipped quality on two cores


def log(msg: str) -> None:
    print(f"... {msg}", file=sys.stderr, flush=True)


def variants(task: str, data, steps: int) -> dict:
    """The six cell x direction variants of the task's recipe, each trained for `steps` steps."""
    _, _, config, train = TASKS[task]
    out = {}
    for cell in ("rnn", "gru", "lstm"):
        for bi in (False, True):
            c = replace(config, cell=cell, bidirectional=bi)
            run = train_run(data, c, replace(train, steps=steps, eval_every=0, time_budget_s=None))
            name = f"{'bi' if bi else 'fwd'} {cell.upper()} {c.hidden_size} ({steps} steps)"
            out[name] = run.classifier
            log(f"{task}: {name} {run.accuracy:.3f} in {run.seconds:.0f} s")
    return out


def clip_speed() -> dict:
    """Seconds to classify a 3 s clip (features + belief after every frame + answer) on one core."""
    import io

    import numpy as np
    import soundfile as sf

    from rnn_models.classify.features import clip_features
    from rnn_models.classify.pipeline import classify_item

    clf = load_pretrained("voices")
    t = np.arange(3 * 16000) / 16000
    buf = io.BytesIO()
    sf.write(buf, (0.3 * np.sin(2 * np.pi * 180 * t) * (1 + np.sin(2 * np.pi * 3 * t))).astype(np.float32),
             16000, format="WAV")
    data = buf.getvalue()
    classify_item(clf, clip_features(data)[0])  # warm-up
    times = []
    for _ in range(5):
        start = time.perf_counter()
        classify_item(clf, clip_features(data)[0])
        times.append(time.perf_counter() - start)
    best = min(times)
    return {"clip_s": best, "target_s": CLIP_TARGET_S, "ratio_to_target": best / CLIP_TARGET_S}


def train_time(task: str) -> dict:
    _, _, config, train = TASKS[task]
    limit_threads(2)
    data = load_task(task)
    start = time.perf_counter()
    run = train_run(data, config, train)
    seconds = time.perf_counter() - start
    limit_threads(1)
    return {"seconds": seconds, "accuracy": run.accuracy, "steps": len(run.history),
            "ratio_to_target": seconds / TRAIN_TARGET_S}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", default="names,reviews,voices")
    ap.add_argument("--variant-steps", type=int, default=300)
    ap.add_argument("--no-variants", action="store_true")
    ap.add_argument("--train-time", action="store_true")
    ap.add_argument("--markdown", default=None)
    args = ap.parse_args()
    limit_threads(1)
    report, rows = {}, []
    for task in args.tasks.split(","):
        data = load_task(task)
        models = {"shipped " + model_name(load_pretrained(task)): load_pretrained(task)}
        if not args.no_variants:
            models |= variants(task, data, args.variant_steps)
        start = time.perf_counter()
        ev = evaluate(data, models, 0)
        log(f"{task}: evaluated in {time.perf_counter() - start:.0f} s")
        entry = ev.to_json() | {"best_model": ev.best(False), "best_baseline": ev.best(True)}
        if args.train_time:
            entry["train_time"] = train_time(task)
        report[task] = entry
        bm, bb = ev.best(False), ev.best(True)
        ratio = ev.accuracy[bm] / ev.accuracy[bb]
        rows.append(f"| {task} ({ev.n_test:,} held out) | {bm} {ev.accuracy[bm]:.1%} | {bb} {ev.accuracy[bb]:.1%} "
                    f"| {ratio:.3f} | {ev.verdict()} |")
    if "voices" in args.tasks:
        report["clip_speed"] = clip_speed()
    print(json.dumps(report, indent=1))
    table = "\n".join(["| task | best network | strongest baseline | network ÷ baseline accuracy | verdict |",
                       "|---|---|---|---|---|", *rows])
    if "clip_speed" in report:
        cs = report["clip_speed"]
        table += (f"\n\nClassifying a 3 s clip on one core: {cs['clip_s']:.3f} s "
                  f"({cs['ratio_to_target']:.2f} × the {CLIP_TARGET_S} s target).")
    print(table, file=sys.stderr)
    if args.markdown:
        Path(args.markdown).write_text(table + "\n")


if __name__ == "__main__":
    main()
