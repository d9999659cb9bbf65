"""Sequence classification: held-out accuracy of the shipped networks and of RNN/GRU/LSTM, forward and
bidirectional, beside the baselines fitted in the same run; classification and training speed.

Run: .venv/bin/python benchmarks/classify_benchmark.py [--tasks names,reviews,voices]
     [--variant-steps names=1500,reviews=400,voices=300 | N] [--no-variants] [--train-time] [--markdown FILE]
--variant-steps: training steps of each of the six cell/direction variants (same seed, same split, same
  steps for all six of a task, one thread each).
--train-time: also retrain each shipped recipe (one thread) and report its wall time against the 5-min target.
Writes assets/models/classify_quality.json (the page's "Which network?" comparison), task by task.
"""

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnn_models.classify.evaluation import evaluate, model_name  # noqa: E402
from rnn_models.classify.pipeline import MODELS_DIR, TASKS, load_pretrained, load_task, train_run  # noqa: E402
from rnn_models.device import limit_threads  # noqa: E402

CLIP_TARGET_S = 0.3  # classifying a 3 s clip on one core
TRAIN_TARGET_S = 300.0  # training a built-in task to its shipped quality on two cores
OUT = MODELS_DIR / "classify_quality.json"
CELLS = ("rnn", "gru", "lstm")


def log(msg: str) -> None:
    print(f"... {msg}", file=sys.stderr, flush=True)


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def variants(task: str, data, steps: int) -> tuple[dict, dict]:
    """The six cell x direction variants of the task's recipe, each trained for `steps` steps.

    -> (name -> classifier, name -> {cell, bidirectional, steps, seconds, load_average})."""
    _, _, config, train = TASKS[task]
    models, info = {}, {}
    for cell in CELLS:
        for bi in (False, True):
            c = replace(config, cell=cell, bidirectional=bi)
            before = load()
            run = train_run(data, c, replace(train, steps=steps, eval_every=0, eval_batches=1, time_budget_s=None))
            name = model_name(run.classifier)
            models[name] = run.classifier
            info[name] = {"cell": cell, "bidirectional": bi, "hidden_size": c.hidden_size, "steps": len(run.history),
                          "seconds": round(run.seconds, 1), "load_average": [before, load()]}
            log(f"{task}: {name} {run.accuracy:.3f} in {run.seconds:.0f} s (load {load()[0]})")
    return models, info


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
    return {"clip_s": round(best, 4), "target_s": CLIP_TARGET_S, "ratio_to_target": round(best / CLIP_TARGET_S, 3),
            "load_average": load()}


def train_time(task: str, data) -> dict:
    """Retrain the shipped recipe (same seed, one thread) and time it, data loading included."""
    _, _, config, train = TASKS[task]
    before = load()
    start = time.perf_counter()
    run = train_run(data, config, train)
    seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 1), "accuracy": run.accuracy, "steps": len(run.history),
            "stopped": run.stopped, "ratio_to_target": round(seconds / TRAIN_TARGET_S, 3),
            "load_average": [before, load()]}


def steps_for(spec: str) -> dict[str, int]:
    """'600' (every task) or 'names=600,reviews=150' -> task -> steps."""
    if "=" not in spec:
        return {t: int(spec) for t in TASKS}
    return {k: int(v) for k, v in (part.split("=") for part in spec.split(","))}


def measure(task: str, args) -> dict:
    data = load_task(task)
    shipped = load_pretrained(task)
    models = {"shipped " + model_name(shipped): shipped}
    entry = {"n_test": len(data.test), "variant_steps": None, "variants": {}, "shipped_steps": TASKS[task][3].steps}
    if not args.no_variants:
        steps = steps_for(args.variant_steps)[task]
        found, entry["variants"] = variants(task, data, steps)
        models |= found
        entry["variant_steps"] = steps
    start = time.perf_counter()
    ev = evaluate(data, models, 0)
    log(f"{task}: evaluated in {time.perf_counter() - start:.0f} s")
    entry |= {"accuracy": ev.accuracy, "baselines": ev.baselines, "shipped": next(iter(models)),
              "best_model": ev.best(False), "best_baseline": ev.best(True), "verdict": ev.verdict(),
              "labels": ev.labels, "confusion": {k: v for k, v in ev.confusion.items() if k not in entry["variants"]}}
    if args.train_time:
        entry["train_time"] = train_time(task, data)
    return entry


def row(task: str, e: dict) -> str:
    acc, bm, bb = e["accuracy"], e["best_model"], e["best_baseline"]
    return (f"| {task} ({e['n_test']:,} held out) | {bm} {acc[bm]:.1%} | {bb} {acc[bb]:.1%} "
            f"| {acc[bm] / acc[bb]:.3f} | {e['verdict']} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", default="names,reviews,voices")
    ap.add_argument("--variant-steps", default="names=1500,reviews=400,voices=300")
    ap.add_argument("--no-variants", action="store_true")
    ap.add_argument("--train-time", action="store_true")
    ap.add_argument("--markdown", default=None)
    ap.add_argument("--out", default=str(OUT), help="the JSON report, updated task by task ('' to skip)")
    args = ap.parse_args()
    limit_threads(1)
    out = Path(args.out) if args.out else None
    report = json.loads(out.read_text()) if out and out.is_file() else {"tasks": {}}
    report["command"] = "python benchmarks/classify_benchmark.py " + " ".join(sys.argv[1:])
    for task in args.tasks.split(","):
        report["tasks"][task] = measure(task, args) | {"measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                                       "load_average": load(), "command": report["command"]}
        if out:
            out.write_text(json.dumps(report, indent=1))
    if "voices" in args.tasks:
        report["clip_speed"] = clip_speed()
        if out:
            out.write_text(json.dumps(report, indent=1))
    print(json.dumps(report, indent=1))
    table = "\n".join(["| task | best network | strongest baseline | network ÷ baseline accuracy | verdict |",
                       "|---|---|---|---|---|", *(row(t, report["tasks"][t]) for t in args.tasks.split(","))])
    if "clip_speed" in report:
        cs = report["clip_speed"]
        table += (f"\n\nClassifying a 3 s clip on one core: {cs['clip_s']:.3f} s "
                  f"({cs['ratio_to_target']:.2f} × the {CLIP_TARGET_S} s target).")
    print(table, file=sys.stderr)
    if args.markdown:
        Path(args.markdown).write_text(table + "\n")


if __name__ == "__main__":
    main()
