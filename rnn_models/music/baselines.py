"""Two baselines for next-event prediction: repeat-the-last-note and a smoothed 3rd-order Markov chain."""

from dataclasses import dataclass

import numpy as np

from rnn_models.music.encoding import HOLD, NOTE_OFFSET, REST, VOCAB_SIZE

V = VOCAB_SIZE


def _kind(tokens: np.ndarray) -> np.ndarray:
    """0 rest, 1 hold, 2 note-on."""
    return np.minimum(np.asarray(tokens, dtype=np.int64), 2)


def _last_pitch_tokens(seq: np.ndarray) -> np.ndarray:
    """For each position, the most recent note-on token at or before it (-1 before the first note)."""
    idx = np.where(seq >= NOTE_OFFSET, np.arange(len(seq)), -1)
    idx = np.maximum.accumulate(idx)
    return np.where(idx >= 0, seq[np.maximum(idx, 0)], -1)


@dataclass
class RepeatBaseline:
    """Predicts the event kind from the previous kind, and a new note as the last pitch again.

    Probabilities are fitted on training data: P(kind | previous kind) and the share of note-ons
    that repeat the last pitch; the rest of a note-on's mass is spread evenly over other pitches.
    """

    kind_probs: np.ndarray  # (3 previous kinds, 3 next kinds)
    repeat_prob: float  # P(note-on pitch == last pitch)

    @classmethod
    def fit(cls, sequences) -> "RepeatBaseline":
        counts = np.ones((3, 3))
        rep, total = 1.0, 2.0
        for seq in sequences:
            seq = np.asarray(seq, dtype=np.int64)
            if len(seq) < 2:
                continue
            np.add.at(counts, (_kind(seq[:-1]), _kind(seq[1:])), 1)
            last = _last_pitch_tokens(seq)[:-1]
            on = (seq[1:] >= NOTE_OFFSET) & (last >= 0)
            rep += float((seq[1:][on] == last[on]).sum())
            total += float(on.sum())
        return cls(counts / counts.sum(1, keepdims=True), rep / total)

    def log_probs(self, seq) -> np.ndarray:
        """(len-1, V) log-probabilities of each next event given the events before it."""
        seq = np.asarray(seq, dtype=np.int64)
        prev_kind = _kind(seq[:-1])
        last = _last_pitch_tokens(seq)[:-1]
        probs = np.zeros((len(seq) - 1, V))
        kp = self.kind_probs[prev_kind]  # (T, 3)
        probs[:, REST] = kp[:, 0]
        probs[:, HOLD] = kp[:, 1]
        n_pitch = V - NOTE_OFFSET
        has_last = last >= 0
        other = np.where(has_last, (1 - self.repeat_prob) / (n_pitch - 1), 1.0 / n_pitch)
        probs[:, NOTE_OFFSET:] = (kp[:, 2] * other)[:, None]
        rows = np.nonzero(has_last)[0]
        probs[rows, last[rows]] = kp[rows, 2] * self.repeat_prob
        return np.log(probs)


@dataclass
class MarkovChain:
    """An interpolated (Witten-Bell) Markov chain over events of the given order, counted with numpy.

    Counts are kept as sorted n-gram codes; a context never seen backs off smoothly to shorter ones.
    """

    order: int
    codes: list  # per n (1..order+1): sorted int64 codes of n-grams
    counts: list  # per n: counts aligned with codes
    ctx_codes: list  # per n: sorted codes of (n-1)-gram contexts
    ctx_totals: list  # per n: total count following each context
    ctx_types: list  # per n: number of distinct next events after each context

    @classmethod
    def fit(cls, sequences, order: int = 3) -> "MarkovChain":
        grams = [[] for _ in range(order + 1)]
        for seq in sequences:
            seq = np.asarray(seq, dtype=np.int64)
            for n in range(1, order + 2):
                if len(seq) >= n:
                    grams[n - 1].append(_codes(seq, n))
        codes, counts, ctx_codes, ctx_totals, ctx_types = [], [], [], [], []
        for n in range(1, order + 2):
            all_codes = np.concatenate(grams[n - 1]) if grams[n - 1] else np.zeros(0, np.int64)
            c, k = np.unique(all_codes, return_counts=True)
            codes.append(c)
            counts.append(k)
            ctx, inv = np.unique(c // V, return_inverse=True)
            ctx_codes.append(ctx)
            ctx_totals.append(np.bincount(inv, weights=k).astype(np.float64))
            ctx_types.append(np.bincount(inv).astype(np.float64))
        return cls(order, codes, counts, ctx_codes, ctx_totals, ctx_types)

    def log_probs(self, seq) -> np.ndarray:
        """(len-1, V) log-probabilities of each next event, using up to `order` events of context."""
        seq = np.asarray(seq, dtype=np.int64)
        T = len(seq) - 1
        probs = np.full((T, V), 1.0 / V)  # order -1: uniform
        for n in range(1, self.order + 2):  # n-gram length; context length n-1
            k = n - 1
            ctx = np.zeros(T, np.int64)
            valid = np.ones(T, bool)
            for j in range(k):  # context = events t-k+1..t predicting t+1
                pos = np.arange(T) - k + 1 + j
                valid &= pos >= 0
                ctx = ctx * V + seq[np.maximum(pos, 0)]
            ci = np.searchsorted(self.ctx_codes[n - 1], ctx)
            ci = np.minimum(ci, max(len(self.ctx_codes[n - 1]) - 1, 0))
            seen = valid & (len(self.ctx_codes[n - 1]) > 0)
            seen &= self.ctx_codes[n - 1][ci] == ctx if len(self.ctx_codes[n - 1]) else False
            rows = np.nonzero(seen)[0]
            if rows.size == 0:
                continue
            total = self.ctx_totals[n - 1][ci[rows]]
            types = self.ctx_types[n - 1][ci[rows]]
            lam = total / (total + types)  # Witten-Bell weight of the observed counts
            full = ctx[rows, None] * V + np.arange(V)[None, :]  # (R, V) n-gram codes
            gi = np.searchsorted(self.codes[n - 1], full)
            gi = np.minimum(gi, len(self.codes[n - 1]) - 1)
            hit = self.codes[n - 1][gi] == full
            c = np.where(hit, self.counts[n - 1][gi], 0)
            probs[rows] = lam[:, None] * c / total[:, None] + (1 - lam)[:, None] * probs[rows]
        return np.log(probs)


def _codes(seq: np.ndarray, n: int) -> np.ndarray:
    """All n-grams of seq as base-V integers."""
    code = np.zeros(len(seq) - n + 1, np.int64)
    for j in range(n):
        code = code * V + seq[j : len(seq) - n + 1 + j]
    return code


def score(log_probs: np.ndarray, targets) -> dict:
    """Summed NLL, event count, correct argmax count and note-on count for one sequence."""
    targets = np.asarray(targets, dtype=np.int64)
    nll = -log_probs[np.arange(len(targets)), targets]
    return {
        "nll_sum": float(nll.sum()),
        "events": int(len(targets)),
        "correct": int((log_probs.argmax(1) == targets).sum()),
        "notes": int((targets >= NOTE_OFFSET).sum()),
    }
