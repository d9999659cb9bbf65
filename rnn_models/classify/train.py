"""Training a classifier through rnn_models.training.fit, and saving/loading it as a checkpoint."""

from functools import partial

import numpy as np
import torch
from torch import Tensor, nn

from rnn_models import checkpoints
from rnn_models.classify.dataset import Examples
from rnn_models.classify.model import POOLS, Classifier, ClassifierConfig, batch, final_logits, new_classifier
from rnn_models.errors import UserInputError
from rnn_models.training import FitResult, TrainConfig, fit


def classify_loss(model: nn.Module, x: Tensor, y: Tensor, pool: str = "last") -> Tensor:
    """Cross-entropy of the final answer; y is (batch, 2): class id and sequence length."""
    return nn.functional.cross_entropy(final_logits(model, x, y[:, 1], pool), y[:, 0])


def batch_source(clf: Classifier, data: Examples):
    """get_batch(split, generator) for fit(): random training examples; 'val' draws held-out ones."""
    encoded = [clf.encode(item) for item in data.items]
    labels = torch.as_tensor(data.labels, dtype=torch.long)
    pools = {"train": torch.as_tensor(data.train), "val": torch.as_tensor(data.test)}

    def get_batch(split: str, gen: torch.Generator, size: int = 64) -> tuple[Tensor, Tensor]:
        pool = pools[split]
        idx = pool[torch.randint(len(pool), (size,), generator=gen)]
        x, lengths = batch([encoded[i] for i in idx.tolist()])
        return x, torch.stack([labels[idx], lengths], dim=1)

    return get_batch


def train_classifier(data: Examples, config: ClassifierConfig, train: TrainConfig, *,
                     on_step=None, should_stop=None) -> tuple[Classifier, FitResult]:
    """A new classifier for `data`, trained on its training split."""
    if len(data.train) < 2:
        raise UserInputError("There are fewer than 2 training examples; add more before training.")
    train_items = [data.items[i] for i in data.train]
    clf = new_classifier(config, data.kind, data.classes, train_items, seed=train.seed)
    source = batch_source(clf, data)
    loss = partial(classify_loss, pool=config.pool)
    result = fit(clf.model, lambda split, gen: source(split, gen, train.batch_size), loss, train,
                 on_step=on_step, should_stop=should_stop)
    return clf, result


def save_classifier(clf: Classifier, stem, meta: dict | None = None, *, half: bool = True):
    return checkpoints.save(clf.model, stem, {**(meta or {}), **clf.meta()}, half=half)


def from_checkpoint(ckpt: checkpoints.Checkpoint) -> Classifier:
    """A Classifier from a loaded checkpoint, refusing ones that are not classifiers."""
    m = ckpt.meta
    classes, kind = m.get("classes"), m.get("input")  # "kind" is the checkpoint's model kind
    if m.get("task") != "classify" or kind not in ("text", "audio") or not isinstance(classes, list):
        raise checkpoints.CheckpointError("this checkpoint is not a sequence classifier (its JSON has no "
                                          "task 'classify' with classes and input)")
    c = ckpt.model.config
    if c.output_size != len(classes):
        raise checkpoints.CheckpointError("the checkpoint's class list does not match its output layer")
    vocab, mean, std = m.get("vocab") or [], m.get("mean") or [], m.get("std") or []
    pool = m.get("pool", "last")  # checkpoints from before pooling read their final state
    if pool not in POOLS:
        raise checkpoints.CheckpointError(f"the checkpoint's pool {str(pool)[:20]!r} is not one of {', '.join(POOLS)}")
    if kind == "text" and (c.input_size != len(vocab) + 1 or not all(isinstance(v, str) and len(v) == 1
                                                                    for v in vocab)):
        raise checkpoints.CheckpointError("the checkpoint's vocabulary does not match its input layer")
    if kind == "audio" and not (len(mean) == len(std) == c.input_size and min(std, default=0) > 0):
        raise checkpoints.CheckpointError("the checkpoint's feature scaling does not match its input layer")
    return Classifier(ckpt.model, [str(x) for x in classes], kind, list(vocab),
                      [float(v) for v in mean], [float(v) for v in std], pool)


def load_classifier(path) -> Classifier:
    return from_checkpoint(checkpoints.load(path))


def load_classifier_bytes(weights: bytes, meta_json: bytes) -> Classifier:
    return from_checkpoint(checkpoints.from_bytes(weights, meta_json))


def accuracy(pred: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(np.asarray(pred) == np.asarray(labels))) if len(labels) else float("nan")
