"""Tasks, training runs and single predictions: what the CLI and the page both call."""

from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from rnn_models.classify.dataset import Examples
from rnn_models.classify.model import Classifier, ClassifierConfig, predict_proba, step_beliefs
from rnn_models.training import TrainConfig

MODELS_DIR = Path(__file__).resolve().parents[2] / "assets" / "models"
SPLIT_SEED = 0  # built-in tasks are always split the same way, so every model is scored on the same held-out set
KINDS = {"names": "text", "reviews": "text", "voices": "audio"}  # what each built-in task reads


def _names() -> Examples:
    from rnn_models.classify.text_data import load_names

    return load_names(SPLIT_SEED)


def _reviews() -> Examples:
    from rnn_models.classify.text_data import load_reviews

    return load_reviews(SPLIT_SEED)


def _voices() -> Examples:
    from rnn_models.classify.voice_data import load_voices

    return load_voices()  # the split is by language, not random


# name -> (loader(), what the input is, the shipped checkpoint's recipe); the step counts are the real
# bound (same seed, same model) and fit the 5-minute target on a busy 2-core machine with one thread;
# the time budget is only a safety stop
TASKS = {
    "names": (_names, "a surname", ClassifierConfig(cell="gru", hidden_size=64, embed_size=32, dropout=0.1),
              TrainConfig(steps=1500, batch_size=64, lr=3e-3, eval_every=250, time_budget_s=280)),
    # the final state of a 120-character forward read hardly learns in 5 minutes (53.5% after 400 steps);
    # the mean of every step's output does (63.9%)
    "reviews": (_reviews, "a sentence", ClassifierConfig(cell="gru", hidden_size=64, embed_size=32, dropout=0.1,
                                                         bidirectional=False, pool="mean"),
                TrainConfig(steps=700, batch_size=64, lr=3e-3, eval_every=100, eval_batches=2, time_budget_s=280)),
    "voices": (_voices, "a voice clip", ClassifierConfig(cell="gru", hidden_size=48, dropout=0.3, bidirectional=False),
               TrainConfig(steps=300, batch_size=32, lr=2e-3, eval_every=100, time_budget_s=280)),
}


def check_task(task: str) -> None:
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; valid: {', '.join(TASKS)}")


def load_task(task: str) -> Examples:
    """A built-in task's examples, split as the shipped checkpoint's were (SPLIT_SEED)."""
    check_task(task)
    return TASKS[task][0]()


def task_notes(task: str) -> list[str]:
    """How the shipped checkpoint's data and classes were chosen (from its JSON; no data loaded)."""
    import json

    path = pretrained_path(task)
    return list(json.loads(path.read_text()).get("notes") or []) if path.is_file() else []


def pretrained_path(task: str) -> Path:
    check_task(task)
    return MODELS_DIR / f"classify_{task}.json"


def load_pretrained(task: str) -> Classifier:
    from rnn_models.classify.train import load_classifier

    path = pretrained_path(task)
    if not path.is_file():
        raise FileNotFoundError(f"{path.name} is missing; train it with: python -m rnn_models train classify "
                                f"--task {task} --out assets/models/classify_{task}")
    return load_classifier(path)


@dataclass
class TrainedRun:
    """A classifier trained in this run, its held-out accuracy and confusion matrix, its loss curve."""

    classifier: Classifier
    accuracy: float
    confusion: list[list[int]]  # [true][predicted] counts on the held-out examples
    history: list[dict] = field(default_factory=list)
    stopped: str = "done"
    seconds: float = 0.0


def train_run(data: Examples, config: ClassifierConfig, train: TrainConfig, *, on_step=None,
              should_stop=None) -> TrainedRun:
    from rnn_models.classify.evaluation import confusion
    from rnn_models.classify.train import accuracy, train_classifier

    clf, fit = train_classifier(data, config, train, on_step=on_step, should_stop=should_stop)
    items, labels = data.subset("test")
    pred = predict_proba(clf, items).argmax(1)
    return TrainedRun(clf, accuracy(pred, labels), confusion(labels, pred, len(data.classes)),
                      fit.history, fit.stopped, fit.elapsed_s)


def checkpoint_meta(run: TrainedRun, data: Examples, config: ClassifierConfig, train: TrainConfig,
                    source: str, command: str) -> dict:
    return {"command": command,
            "data": source, "notes": data.notes, "classifier": asdict(config), "train": asdict(train),
            "metrics": {"held_out_accuracy": run.accuracy, "steps": len(run.history),
                        "seconds": round(run.seconds, 1), "stopped": run.stopped}}


def classify_item(clf: Classifier, item) -> dict:
    """One sequence -> labels, final probabilities (summing to 1), the belief after every step, prediction."""
    steps = step_beliefs(clf, item)
    final = predict_proba(clf, [item])[0].astype(np.float64)
    final = final / final.sum()
    return {"labels": list(clf.classes), "probabilities": final.tolist(),
            "steps": steps.astype(np.float64).round(6).tolist(),
            "prediction": clf.classes[int(final.argmax())]}
