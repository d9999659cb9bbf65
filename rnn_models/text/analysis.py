"""Reading a model's judgement of text: surprisal per character, and copying from the training text."""

from dataclasses import dataclass

import numpy as np
import torch

from ..errors import UserInputError
from ..network import SequenceModel
from .train import log2_losses
from .vocab import encode, map_unknown

MIN_COPY = 20  # characters: a verbatim match at least this long counts as copied
_B = np.uint64(1_000_003)


@dataclass
class Surprisal:
    text: str  # the text as the model saw it (unknown characters replaced)
    bits: list[float]  # -log2 p(char | everything before it), one per character
    bpc: float  # mean of bits


def surprisal(model: SequenceModel, vocab: list[str], text: str, dynamic: bool = False) -> Surprisal:
    """Colour-ready surprisal of every character; the text is read after a newline. dynamic: the
    model keeps learning while it reads (rnn_models.text.dynamic, its cell's settings)."""
    if not text:
        raise UserInputError("there is no text to score")
    text = map_unknown(text, vocab)
    start = "\n" if "\n" in vocab else text[0]
    ids = encode(start + text, vocab)
    if dynamic:
        from .dynamic import dynamic_log2_losses

        bits = dynamic_log2_losses(model, ids).tolist()
    else:
        bits = log2_losses(model, ids).tolist()
    return Surprisal(text, bits, float(np.mean(bits)))


def _window_hashes(codes: np.ndarray, n: int) -> np.ndarray:
    """Polynomial hash of every length-n window of a uint64 code array -> (len-n+1,)."""
    if len(codes) < n:
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(len(codes) - n + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            h = h * _B + codes[k:len(codes) - n + 1 + k]
    return h


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64) + np.uint64(1)


class CopyIndex:
    """All MIN_COPY-character windows of a training text, hashed and sorted for fast look-up."""

    def __init__(self, train_text: str, min_len: int = MIN_COPY):
        self.text, self.min_len = train_text, min_len
        self.keys = np.sort(_window_hashes(_codes(train_text), min_len))

    def hits(self, text: str) -> np.ndarray:
        """(len(text)-min_len+1,) bool: does the window starting here occur in the training text?"""
        h = _window_hashes(_codes(text), self.min_len)
        if len(h) == 0 or len(self.keys) == 0:
            return np.zeros(len(h), dtype=bool)
        pos = np.searchsorted(self.keys, h).clip(0, len(self.keys) - 1)
        found = self.keys[pos] == h
        for i in np.flatnonzero(found):  # confirm (rules out a hash collision)
            found[i] = text[i:i + self.min_len] in self.text
        return found


@dataclass
class CopyReport:
    spans: list[tuple[int, int]]  # [start, end) character ranges copied verbatim
    copied_share: float  # share of characters inside a copied span
    longest: int  # longest span (characters)


def copied_spans(text: str, index: CopyIndex) -> CopyReport:
    """Union of all windows of >= min_len characters found verbatim in the training text."""
    found = index.hits(text)
    covered = np.zeros(len(text), dtype=bool)
    for i in np.flatnonzero(found):
        covered[i:i + index.min_len] = True
    spans, i = [], 0
    while i < len(text):
        if covered[i]:
            j = i
            while j < len(text) and covered[j]:
                j += 1
            spans.append((i, j))
            i = j
        else:
            i += 1
    share = float(covered.mean()) if len(text) else 0.0
    return CopyReport(spans, share, max((b - a for a, b in spans), default=0))


def top_candidates(probs: torch.Tensor, vocab: list[str], k: int = 10) -> list[tuple[str, float]]:
    """The k most likely characters and their probabilities, most likely first."""
    p, idx = torch.topk(probs, min(k, len(vocab)))
    return [(vocab[i], float(q)) for q, i in zip(p.tolist(), idx.tolist())]
