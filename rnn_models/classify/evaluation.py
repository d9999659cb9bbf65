"""Held-out accuracy and confusion matrices for models and baselines measured in the same run."""

from dataclasses import dataclass

import numpy as np

from rnn_models.classify.baselines import for_kind, make
from rnn_models.classify.dataset import Examples
from rnn_models.classify.model import Classifier, predict_proba


def confusion(labels: np.ndarray, pred: np.ndarray, n: int) -> list[list[int]]:
    """[true][predicted] counts."""
    m = np.zeros((n, n), dtype=int)
    np.add.at(m, (np.asarray(labels, int), np.asarray(pred, int)), 1)
    return m.tolist()


@dataclass
class Evaluation:
    accuracy: dict[str, float]  # model or baseline name -> held-out accuracy
    baselines: list[str]  # which of those names are baselines
    labels: list[str]  # class names, the confusion matrices' row/column order
    confusion: dict[str, list[list[int]]]  # name -> [true][predicted] counts
    n_test: int  # held-out examples

    def best(self, among_baselines: bool) -> str:
        names = [n for n in self.accuracy if (n in self.baselines) == among_baselines]
        return max(names, key=lambda n: self.accuracy[n]) if names else ""

    def verdict(self) -> str:
        """One honest sentence: does the best network beat the strongest baseline?"""
        m, b = self.best(False), self.best(True)
        if not m or not b:
            return ""
        am, ab = self.accuracy[m], self.accuracy[b]
        if am >= ab:
            return f"The network ({m}, {am:.1%}) beats or matches the strongest baseline ({b}, {ab:.1%})."
        return (f"The strongest baseline wins: {b} reaches {ab:.1%} on held-out data, the best network "
                f"({m}) {am:.1%}.")

    def to_json(self) -> dict:
        return {"accuracy": self.accuracy, "baselines": self.baselines, "labels": self.labels,
                "confusion": self.confusion, "n_test": self.n_test, "verdict": self.verdict()}


def evaluate(data: Examples, models: dict[str, Classifier], seed: int = 0,
             baselines: list[str] | None = None) -> Evaluation:
    """Fit every baseline for this kind of data on the training split; score all on the held-out split."""
    train_items, train_labels = data.subset("train")
    items, labels = data.subset("test")
    n = len(data.classes)
    acc, conf = {}, {}
    names = for_kind(data.kind) if baselines is None else baselines
    for name in names:
        pred = make(name, seed).fit(train_items, train_labels).predict(items)
        acc[name], conf[name] = float(np.mean(pred == labels)), confusion(labels, pred, n)
    for name, clf in models.items():
        pred = predict_proba(clf, items).argmax(1)
        acc[name], conf[name] = float(np.mean(pred == labels)), confusion(labels, pred, n)
    return Evaluation(acc, list(names), list(data.classes), conf, len(labels))


def model_name(clf: Classifier) -> str:
    c = clf.model.config
    pooled = "" if clf.pool == "last" else f", {clf.pool} of all steps"
    return f"{'bidirectional' if c.bidirectional else 'forward'} {c.cell.upper()} {c.hidden_size}{pooled}"
