"""The labelled-examples type every classification source returns, and the held-out split."""

from dataclasses import dataclass, field

import numpy as np

from rnn_models.errors import UserInputError

MAX_CLASSES = 50  # more classes than this are refused (a CSV of ids, not labels)
MIN_PER_CLASS = 2  # a class needs one example to learn from and one to test on


@dataclass
class Examples:
    """Labelled sequences: texts (str) or audio features ((frames, mels) float arrays)."""

    items: list  # str per example (text) or np.ndarray (frames, features) (audio)
    labels: np.ndarray  # (n,) int class ids
    classes: list[str]  # class id -> name
    kind: str  # "text" | "audio"
    train: np.ndarray  # (k,) indices of the training examples
    test: np.ndarray  # (m,) indices of the held-out examples
    notes: list[str] = field(default_factory=list)  # how the data and classes were chosen, for the page

    def subset(self, which: str) -> tuple[list, np.ndarray]:
        idx = self.train if which == "train" else self.test
        return [self.items[i] for i in idx], self.labels[idx]

    def counts(self) -> dict[str, tuple[int, int]]:
        """Class name -> (training examples, held-out examples)."""
        tr = np.bincount(self.labels[self.train], minlength=len(self.classes))
        te = np.bincount(self.labels[self.test], minlength=len(self.classes))
        return {c: (int(tr[i]), int(te[i])) for i, c in enumerate(self.classes)}


def stratified_split(labels: np.ndarray, test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Per class, a shuffled `test_fraction` (at least one example) held out; the rest trains."""
    rng = np.random.default_rng(seed)
    train, test = [], []
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        rng.shuffle(idx)
        k = max(1, int(round(len(idx) * test_fraction)))
        test.extend(idx[:k])
        train.extend(idx[k:])
    return np.sort(np.array(train, dtype=int)), np.sort(np.array(test, dtype=int))


def check_labels(labels: list[str], what: str = "The data") -> tuple[np.ndarray, list[str]]:
    """Label strings -> (class ids, class names), refusing what cannot be learned, with the fix."""
    if any(not str(lab).strip() for lab in labels):
        n = sum(1 for lab in labels if not str(lab).strip())
        raise UserInputError(f"{what} has {n} example(s) with an empty label; give every row a label.")
    names = sorted({str(lab).strip() for lab in labels})
    if len(names) < 2:
        raise UserInputError(f"{what} has only one class ({', '.join(map(repr, names))}); a classifier needs at "
                             "least two different labels.")
    if len(names) > MAX_CLASSES:
        raise UserInputError(f"{what} has {len(names):,} different labels; the limit is {MAX_CLASSES}. "
                             "Is the label column really a category (not an id or free text)?")
    index = {n: i for i, n in enumerate(names)}
    ids = np.array([index[str(lab).strip()] for lab in labels], dtype=int)
    counts = np.bincount(ids, minlength=len(names))
    thin = [names[i] for i in np.flatnonzero(counts < MIN_PER_CLASS)]
    if thin:
        raise UserInputError(f"{what}: class(es) {', '.join(map(repr, thin[:5]))} have fewer than "
                             f"{MIN_PER_CLASS} examples; each class needs at least {MIN_PER_CLASS} "
                             "(one to learn from, one to test on).")
    return ids, names
