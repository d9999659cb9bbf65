"""Many-to-one on the shared SequenceModel: read the whole sequence, answer from the final state.

The belief after every step is the answer the model would give had the sequence ended there.
"""

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import Tensor
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

from rnn_models.errors import UserInputError
from rnn_models.network import ModelConfig, SequenceModel

POOLS = ("last", "mean", "max")  # how every step's output becomes one answer
UNKNOWN = 0  # token id of a character the model never saw (and of padding, which packing skips)
MAX_PREFIX_STEPS = 400  # a bidirectional model's per-step beliefs are computed for at most this many steps


@dataclass(frozen=True)
class ClassifierConfig:
    cell: str = "gru"  # "rnn" | "lstm" | "gru"
    hidden_size: int = 64  # units per direction
    num_layers: int = 1  # stacked recurrent layers
    bidirectional: bool = True  # also read the sequence backwards
    embed_size: int = 32  # character embedding width (text only)
    dropout: float = 0.1  # before the head, training only
    pool: str = "last"  # the answer reads "last": the final state; "mean"/"max": every step's output pooled

    def __post_init__(self):
        if self.pool not in POOLS:
            raise ValueError(f"unknown pool {self.pool!r}; valid: {', '.join(POOLS)}")


@dataclass
class Classifier:
    """A trained classifier: the network plus what turns raw input into its steps."""

    model: SequenceModel
    classes: list[str]  # class id -> name
    kind: str  # "text" | "audio"
    vocab: list[str] = field(default_factory=list)  # text: token id i+1 -> character
    mean: list[float] = field(default_factory=list)  # audio: per-mel-band mean of the training frames
    std: list[float] = field(default_factory=list)  # audio: per-mel-band standard deviation
    pool: str = "last"  # how the steps' outputs become the answer (POOLS)

    def encode(self, item) -> Tensor:
        """A text -> (time,) token ids, or (frames, mels) log-mel -> normalised (frames, mels) floats."""
        if self.kind == "text":
            if not item:
                raise UserInputError("Type at least one character to classify.")
            index = {ch: i + 1 for i, ch in enumerate(self.vocab)}
            return torch.tensor([index.get(ch, UNKNOWN) for ch in item], dtype=torch.long)
        x = (np.asarray(item, dtype=np.float32) - np.asarray(self.mean, np.float32)) / np.asarray(self.std, np.float32)
        return torch.from_numpy(x)

    def meta(self) -> dict:
        return {"task": "classify", "classes": self.classes, "input": self.kind, "vocab": self.vocab,
                "mean": self.mean, "std": self.std, "pool": self.pool}


def build_vocab(texts: list[str], min_count: int = 2) -> list[str]:
    """Characters seen at least min_count times in the training texts (the rest read as unknown)."""
    counts = Counter(ch for t in texts for ch in t)
    return sorted(ch for ch, n in counts.items() if n >= min_count)


def new_classifier(config: ClassifierConfig, kind: str, classes: list[str], train_items: list,
                   seed: int = 0) -> Classifier:
    """A fresh (untrained) classifier whose input side is fitted to the training items."""
    torch.manual_seed(seed)
    vocab, mean, std = [], [], []
    if kind == "text":
        vocab = build_vocab(train_items)
        size, input_kind = len(vocab) + 1, "embedding"
    else:
        frames = np.concatenate(train_items)
        mean, std = frames.mean(0).tolist(), (frames.std(0) + 1e-3).tolist()
        size, input_kind = frames.shape[1], "linear"
    mc = ModelConfig(cell=config.cell, input_size=size, input_kind=input_kind, embed_size=config.embed_size,
                     hidden_size=config.hidden_size, num_layers=config.num_layers, dropout=config.dropout,
                     bidirectional=config.bidirectional, output_size=len(classes))
    return Classifier(SequenceModel(mc), list(classes), kind, vocab, mean, std, config.pool)


def batch(seqs: list[Tensor]) -> tuple[Tensor, Tensor]:
    """Sequences -> (padded (batch, time[, features]), lengths (batch,))."""
    lengths = torch.tensor([len(s) for s in seqs], dtype=torch.long)
    return pad_sequence(seqs, batch_first=True, padding_value=0), lengths


def final_logits(model: SequenceModel, x: Tensor, lengths: Tensor, pool: str = "last") -> Tensor:
    """(batch, time[, features]) padded + lengths -> (batch, classes) from each sequence's own steps only."""
    inputs = model._inputs(x)  # (batch, time, in)
    if model.config.num_layers > 1:
        return model.head(model.drop(_packed_summary(model, inputs, lengths, pool)))
    n, steps = inputs.shape[:2]
    rows, pos = torch.arange(n), torch.arange(steps)[None]
    valid = (pos < lengths[:, None]).unsqueeze(-1)  # (batch, time, 1)
    if model.directions == 1:  # padding comes after each sequence's end, so the outputs before it are exact
        out, _ = model.rnn(inputs)  # (batch, time, hidden)
        summary = out[rows, lengths - 1] if pool == "last" else _pool(out, valid, lengths, pool)
        return model.head(model.drop(summary))
    # the backward direction must start at each sequence's own end: a second copy, padded at the front
    start = steps - lengths  # (batch,) where each sequence begins in the front-padded copy
    src = (pos - start[:, None]) % steps  # (batch, time) position read from
    front = inputs.gather(1, src.unsqueeze(-1).expand_as(inputs)) * (pos >= start[:, None]).unsqueeze(-1)
    out, _ = model.rnn(torch.cat([inputs, front]))  # (2*batch, time, 2*hidden); the fused CPU path
    h = model.config.hidden_size
    if pool == "last":
        summary = torch.cat([out[rows, lengths - 1, :h], out[n + rows, start, h:]], -1)  # (batch, 2*hidden)
    else:  # the backward outputs moved back to each sequence's own positions
        back = out[n:, :, h:].gather(1, ((pos + start[:, None]) % steps).unsqueeze(-1).expand(n, steps, h))
        summary = _pool(torch.cat([out[:n, :, :h], back], -1), valid, lengths, pool)
    return model.head(model.drop(summary))


def _pool(out: Tensor, valid: Tensor, lengths: Tensor, pool: str) -> Tensor:
    """(batch, time, width) outputs -> (batch, width): mean or max over each sequence's own steps."""
    if pool == "mean":
        return (out * valid).sum(1) / lengths[:, None].to(out.dtype)
    return out.masked_fill(~valid, float("-inf")).amax(1)


def _packed_summary(model: SequenceModel, inputs: Tensor, lengths: Tensor, pool: str) -> Tensor:
    """Stacked layers: packed sequences (each layer's backward pass must also start at the true end)."""
    packed = pack_padded_sequence(inputs, lengths.cpu(), batch_first=True, enforce_sorted=False)
    out, hn = model.rnn(packed)
    if pool != "last":
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=inputs.shape[1])
        valid = (torch.arange(inputs.shape[1])[None] < lengths[:, None]).unsqueeze(-1)
        return _pool(out, valid, lengths, pool)
    h = hn[0] if isinstance(hn, tuple) else hn  # (layers*dirs, batch, hidden)
    return torch.cat(list(h[-model.directions:]), dim=-1)  # the top layer's final states: (batch, dirs*hidden)


@torch.no_grad()
def step_beliefs(clf: Classifier, item) -> np.ndarray:
    """(steps, classes): the class probabilities after each step, as if the sequence ended there."""
    model = clf.model.eval()
    x = clf.encode(item)
    if not model.config.bidirectional:  # the answer after each step from the outputs so far
        out, _ = model.rnn(model._inputs(x[None]))  # (1, time, hidden)
        if clf.pool == "mean":
            out = out.cumsum(1) / torch.arange(1, out.shape[1] + 1)[None, :, None]
        elif clf.pool == "max":
            out = out.cummax(1).values
        return torch.softmax(model.head(out[0]), -1).numpy()
    n = min(len(x), MAX_PREFIX_STEPS)
    stride = max(1, -(-len(x) // n))  # long clips: every stride-th prefix, then repeated
    ends = torch.arange(stride, len(x) + stride, stride).clamp_max(len(x))
    probs = []
    for chunk in ends.split(64):
        xs, lengths = batch([x[:e] for e in chunk.tolist()])
        probs.append(torch.softmax(final_logits(model, xs, lengths, clf.pool), -1))
    p = torch.cat(probs).numpy()
    return np.repeat(p, stride, axis=0)[:len(x)]


@torch.no_grad()
def predict_proba(clf: Classifier, items: list, batch_size: int = 128) -> np.ndarray:
    """(n, classes) final probabilities for many items, batched by similar length."""
    model = clf.model.eval()
    order = np.argsort([len(i) for i in items])
    out = np.zeros((len(items), len(clf.classes)), np.float32)
    for start in range(0, len(items), batch_size):
        idx = order[start:start + batch_size]
        xs, lengths = batch([clf.encode(items[i]) for i in idx])
        out[idx] = torch.softmax(final_logits(model, xs, lengths, clf.pool), -1).numpy()
    return out


def prior(clf: Classifier) -> np.ndarray:
    """The belief before any step: the head applied to an all-zero state."""
    with torch.no_grad():
        z = torch.zeros(1, clf.model.head.in_features)
        return torch.softmax(clf.model.head(z), -1)[0].numpy()
