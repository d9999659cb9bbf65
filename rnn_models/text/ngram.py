"""Character n-gram baseline with interpolated modified Kneser-Ney smoothing (Chen & Goodman).

Counts are kept in sorted numpy arrays keyed by a 64-bit polynomial hash of the n-gram, so a
4M-character corpus is counted in seconds. The order is chosen on validation text.
"""

import math
from dataclasses import dataclass

import numpy as np

_B = np.uint64(1_000_003)  # hash base; arithmetic wraps modulo 2**64


@dataclass
class _Level:
    """Counts for one order n: n-grams keyed by hash, contexts (n-1 chars) keyed by hash."""

    gram_keys: np.ndarray  # (G,) sorted uint64
    gram_counts: np.ndarray  # (G,) float64: raw counts (top order) or continuation counts
    ctx_keys: np.ndarray  # (C,) sorted uint64
    ctx_total: np.ndarray  # (C,) sum of counts over following characters
    ctx_gamma: np.ndarray  # (C,) discount mass handed to the lower order
    discounts: np.ndarray  # (4,) D(0)=0, D(1), D(2), D(3+)


def _hashes(ids: np.ndarray, order: int) -> list[np.ndarray]:
    """h[n][i] = hash of ids[i:i+n] for n = 0..order (h[0] is all zeros)."""
    x = ids.astype(np.uint64) + np.uint64(1)
    out = [np.zeros(len(ids) + 1, dtype=np.uint64)]
    with np.errstate(over="ignore"):
        for n in range(1, order + 1):
            prev = out[-1]
            out.append(prev[: len(ids) - n + 1] * _B + x[n - 1:])
    return out


def _discounts(counts: np.ndarray) -> np.ndarray:
    n = [np.count_nonzero(counts == k) for k in (1, 2, 3, 4)]
    if min(n) == 0:
        return np.array([0.0, 0.5, 1.0, 1.5])
    y = n[0] / (n[0] + 2 * n[1])
    d = [0.0, 1 - 2 * y * n[1] / n[0], 2 - 3 * y * n[2] / n[1], 3 - 4 * y * n[3] / n[2]]
    return np.clip(np.array(d), 0.0, None)


def _lookup(keys: np.ndarray, values: np.ndarray, query: np.ndarray) -> np.ndarray:
    """values[key == query] or 0 where the key is absent."""
    if len(keys) == 0:
        return np.zeros(len(query))
    pos = np.searchsorted(keys, query).clip(0, len(keys) - 1)
    return np.where(keys[pos] == query, values[pos], 0.0)


class NGramModel:
    """Interpolated modified Kneser-Ney character model of a fixed maximum order."""

    def __init__(self, ids: np.ndarray, vocab_size: int, order: int):
        if order < 1:
            raise ValueError("order must be at least 1")
        self.order, self.vocab_size = order, vocab_size
        ids = np.asarray(ids, dtype=np.int64)
        h = _hashes(ids, order)
        self.levels: list[_Level] = []
        for n in range(1, order + 1):
            if n == order:  # top order: raw counts of every n-gram
                keys, counts = np.unique(h[n], return_counts=True)
            else:  # lower orders: how many distinct characters precede the n-gram
                keys_up = np.unique(h[n + 1])  # distinct (n+1)-grams ...
                suffix = self._suffix_hash(keys_up, ids, h, n)
                keys, counts = np.unique(suffix, return_counts=True)
            counts = counts.astype(np.float64)
            self.levels.append(self._level(keys, counts, h, n, ids))

    @staticmethod
    def _suffix_hash(keys_up, ids, h, n):
        """For each distinct (n+1)-gram, the hash of its last n characters."""
        order = np.argsort(h[n + 1], kind="stable")
        idx = order[np.searchsorted(h[n + 1][order], keys_up)]  # one start position of each
        return h[n][idx + 1]

    def _level(self, keys, counts, h, n, ids) -> _Level:
        disc = _discounts(counts)
        # context of an n-gram = its first n-1 chars: recover via one occurrence position
        order = np.argsort(h[n], kind="stable")
        idx = order[np.searchsorted(h[n][order], keys)]
        ctx = h[n - 1][idx]
        ctx_keys, inv = np.unique(ctx, return_inverse=True)
        total = np.bincount(inv, weights=counts, minlength=len(ctx_keys))
        d_of = disc[np.minimum(counts, 3).astype(int)]
        gamma = np.bincount(inv, weights=d_of, minlength=len(ctx_keys))
        return _Level(keys, counts, ctx_keys, total, gamma, disc)

    def log2_probs(self, ids: np.ndarray, history: np.ndarray | None = None) -> np.ndarray:
        """-log2 P(ids[t] | up to order-1 preceding characters), one value per character.
        `history` is text (ids) that precedes ids, used as context for the first characters."""
        ids = np.asarray(ids, dtype=np.int64)
        hist = np.zeros(0, dtype=np.int64)
        if history is not None and self.order > 1:
            hist = np.asarray(history, dtype=np.int64)[-(self.order - 1):]
        full = np.concatenate([hist, ids])
        h = _hashes(full, self.order - 1)
        t = np.arange(len(ids)) + len(hist)  # position of each predicted char in `full`
        ctx = [(np.zeros(len(ids), dtype=np.uint64), np.ones(len(ids), dtype=bool))]
        for k in range(1, self.order):  # context of length k = full[t-k:t]
            start, hk = t - k, h[k]
            if len(hk) == 0:
                ctx.append((np.zeros(len(ids), dtype=np.uint64), np.zeros(len(ids), dtype=bool)))
                continue
            ctx.append((hk[np.clip(start, 0, len(hk) - 1)], start >= 0))
        return -np.log2(self._probs(ctx, ids))

    def _probs(self, ctx: list[tuple[np.ndarray, np.ndarray]], ids: np.ndarray) -> np.ndarray:
        """Interpolate from the uniform distribution up through every order whose context was seen."""
        p = np.full(len(ids), 1.0 / self.vocab_size)
        x = ids.astype(np.uint64) + np.uint64(1)
        with np.errstate(over="ignore"):
            for lv, (c_hash, valid) in zip(self.levels, ctx):
                total = _lookup(lv.ctx_keys, lv.ctx_total, c_hash)
                gamma = _lookup(lv.ctx_keys, lv.ctx_gamma, c_hash)
                c = _lookup(lv.gram_keys, lv.gram_counts, c_hash * _B + x)
                d = lv.discounts[np.minimum(c, 3).astype(int)]
                seen = (total > 0) & valid
                safe = np.where(seen, total, 1.0)
                p = np.where(seen, (np.maximum(c - d, 0.0) + gamma * p) / safe, p)
        return p

    def bpc(self, ids: np.ndarray, history: np.ndarray | None = None) -> float:
        """Bits per character on `ids`."""
        return float(self.log2_probs(ids, history).mean())

    def next_distribution(self, context_ids) -> np.ndarray:
        """P(next char) over the whole vocabulary, given the preceding ids; sums to 1."""
        hist = np.asarray(context_ids, dtype=np.int64)
        cand = np.arange(self.vocab_size)
        out = np.empty(self.vocab_size)
        for v in cand:  # small vocabularies: one vectorised call per candidate is cheap enough
            out[v] = 2.0 ** -self.log2_probs(np.array([v]), hist)[0]
        return out / out.sum()


def pick_order(train_ids, val_ids, vocab_size: int, orders=range(1, 13)) -> tuple[NGramModel, dict]:
    """Fit every order and keep the one with the lowest validation bpc; returns (model, {order: bpc})."""
    scores: dict[int, float] = {}
    best, best_bpc = None, math.inf
    for n in orders:
        model = NGramModel(train_ids, vocab_size, n)
        scores[n] = model.bpc(val_ids)
        if scores[n] < best_bpc:
            best, best_bpc = model, scores[n]
        elif n > 2 and scores[n] > scores[n - 1] > scores.get(n - 2, math.inf):
            break  # validation bpc has risen twice in a row
    return best, scores


def cached_log2_probs(model: NGramModel, ids: np.ndarray, history: np.ndarray | None = None,
                      min_context: int = 4, max_context: int = 12, strength: float = 96.0) -> np.ndarray:
    """The n-gram's answer to dynamic evaluation: -log2 p for ids from the trained model refined by
    a cache, counts of what followed each context in the text read so far (Kuhn & De Mori 1990).
    The cache is updated after every character, so no character is scored on counts that include it.

    For each context length k = min_context..max_context (shortest first), the estimate so far
    acts as a prior worth `strength` observations: p <- (count(context_k, x) + strength * p) /
    (count(context_k) + strength). So the trained model decides until a context has been read
    often: once a play has named Hamlet a few dozen times, "HAMLE" -> "T" is near certain. The
    defaults were picked on the validation plays (benchmarks/text_quality.py --tune)."""
    ids = np.asarray(ids, dtype=np.int64)
    p_static = 2.0 ** -model.log2_probs(ids, history)
    text = "".join(chr(32 + int(i)) for i in ids)  # one character per id: contexts become slices
    orders = range(min_context, max_context + 1)
    tables: dict[int, dict[str, dict[str, int]]] = {k: {} for k in orders}
    totals: dict[int, dict[str, int]] = {k: {} for k in orders}
    out = np.empty(len(ids))
    for t, ch in enumerate(text):
        contexts = [(k, text[t - k:t]) for k in orders if k <= t]
        p = p_static[t]
        for k, ctx in contexts:
            total = totals[k].get(ctx, 0)
            if total:
                p = (tables[k][ctx].get(ch, 0) + strength * p) / (total + strength)
        out[t] = p
        for k, ctx in contexts:  # now count the character just scored
            totals[k][ctx] = totals[k].get(ctx, 0) + 1
            followers = tables[k].setdefault(ctx, {})
            followers[ch] = followers.get(ch, 0) + 1
    return -np.log2(out)
