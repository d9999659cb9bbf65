"""What the classify subcommands do (cli.py only declares their arguments)."""

import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from rnn_models.cli import command_line
from rnn_models.errors import UserInputError

MAX_CLI_AUDIO_BYTES = 20 * 1024 * 1024


def _classifier(args):
    from rnn_models.classify.pipeline import load_pretrained
    from rnn_models.classify.train import load_classifier

    return load_classifier(args.model) if args.model else load_pretrained(args.task)


def classify_cmd(args) -> int:
    from rnn_models.classify.features import clip_features
    from rnn_models.classify.model import MAX_PREFIX_STEPS  # noqa: F401 (documents the step cap)
    from rnn_models.classify.pipeline import classify_item
    from rnn_models.classify.text_data import MAX_TEXT_CHARS
    from rnn_models.device import limit_threads

    limit_threads(1)
    clf = _classifier(args)
    if args.text is not None:
        if clf.kind != "text":
            raise UserInputError("this model classifies audio; give --audio CLIP")
        if len(args.text) > MAX_TEXT_CHARS:
            raise UserInputError(f"the text is {len(args.text)} characters; the limit is {MAX_TEXT_CHARS}")
        item = args.text
    else:
        if clf.kind != "audio":
            raise UserInputError("this model classifies text; give --text TEXT")
        path = Path(args.audio)
        if path.stat().st_size > MAX_CLI_AUDIO_BYTES:
            raise UserInputError(f"{path.name} is larger than {MAX_CLI_AUDIO_BYTES // 2**20} MB")
        item = clip_features(path.read_bytes(), path.name)[0]
    out = classify_item(clf, item)
    if args.json:
        print(json.dumps(out))
        return 0
    for label, p in sorted(zip(out["labels"], out["probabilities"]), key=lambda t: -t[1])[:5]:
        print(f"{p:7.1%}  {label}")
    print(f"prediction: {out['prediction']} (after {len(out['steps'])} steps)")
    return 0


def _training_data(args):
    from rnn_models.classify.pipeline import load_task
    from rnn_models.classify.text_data import CSV_MAX_BYTES, read_text_csv
    from rnn_models.classify.voice_data import read_audio_dir

    if args.task:
        return load_task(args.task), f"built-in task {args.task}"
    if args.csv:
        path = Path(args.csv)
        if path.stat().st_size > CSV_MAX_BYTES:
            raise UserInputError(f"{path.name} is larger than {CSV_MAX_BYTES // 10**6} MB")
        return read_text_csv(path.read_bytes(), args.seed), f"CSV {path.name}"
    return read_audio_dir(Path(args.audio_dir), args.seed), f"audio folder {Path(args.audio_dir).name}"


def train_cmd(args) -> int:
    from rnn_models.classify.model import ClassifierConfig
    from rnn_models.classify.pipeline import TASKS, checkpoint_meta, train_run
    from rnn_models.classify.train import save_classifier
    from rnn_models.device import limit_threads
    from rnn_models.progress import TerminalProgress
    from rnn_models.training import TrainConfig

    started, load_before = time.perf_counter(), [round(x, 2) for x in os.getloadavg()]
    threads = limit_threads(args.threads)
    data, source = _training_data(args)
    config, train = (TASKS[args.task][2:] if args.task else
                     (ClassifierConfig(), TrainConfig(steps=1000, batch_size=32, eval_every=100, time_budget_s=240)))
    if args.forward_only or args.bidirectional:
        config = replace(config, bidirectional=args.bidirectional)
    config = replace(config, **{k: v for k, v in (("cell", args.cell), ("hidden_size", args.hidden),
                                                  ("pool", args.pool)) if v is not None})
    train = replace(train, seed=args.seed, **{k: v for k, v in (("steps", args.steps),
                                                                ("time_budget_s", args.time_budget)) if v is not None})
    bar = TerminalProgress(train.steps, f"training {config.cell}")
    run = train_run(data, config, train, on_step=lambda m: bar.update(m["step"], loss=m["loss"]))
    bar.close()
    meta_doc = checkpoint_meta(run, data, config, train, source, command_line(args, "train classify"))
    # the whole command's wall time (data, training, held-out scoring) and how busy the machine was
    meta_doc["metrics"] |= {"wall_s": round(time.perf_counter() - started, 1), "threads": threads,
                            "load_average": [load_before, [round(x, 2) for x in os.getloadavg()]]}
    weights, meta = save_classifier(run.classifier, args.out, meta_doc)
    info = {"accuracy": run.accuracy, "steps": len(run.history), "seconds": round(run.seconds, 1),
            "wall_s": meta_doc["metrics"]["wall_s"],
            "checkpoint": str(meta), "weights_bytes": weights.stat().st_size, "labels": data.classes}
    if args.json:
        print(json.dumps(info))
    else:
        print(f"held-out accuracy {run.accuracy:.1%} after {info['steps']} steps ({info['seconds']} s); "
              f"saved {meta}", file=sys.stdout)
    return 0


def evaluate_cmd(args) -> int:
    from rnn_models.classify.evaluation import evaluate, model_name
    from rnn_models.classify.pipeline import load_pretrained, load_task
    from rnn_models.classify.train import load_classifier
    from rnn_models.device import limit_threads

    limit_threads(1)
    data = load_task(args.task)
    models = {}
    for clf in [load_pretrained(args.task)] + [load_classifier(p) for p in args.model]:
        if clf.classes != data.classes or clf.kind != data.kind:
            raise UserInputError(f"a model's classes {clf.classes[:4]} do not match the task's {data.classes[:4]}")
        models[model_name(clf) + (f" #{len(models) + 1}" if model_name(clf) in models else "")] = clf
    ev = evaluate(data, models, args.seed)
    if args.json:
        print(json.dumps(ev.to_json()))
        return 0
    for name, acc in sorted(ev.accuracy.items(), key=lambda t: -t[1]):
        print(f"{acc:7.1%}  {name}{'  (baseline)' if name in ev.baselines else ''}")
    print(ev.verdict())
    return 0
