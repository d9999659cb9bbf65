"""Can the held-out set tell whether attention's lead grows with sentence length? A paired bootstrap.

The lead growth is (system − no attention) in the longest bucket minus the same in the shortest bucket. Each of the
two buckets' sentences are resampled with replacement (the same draw for both systems: a paired bootstrap), the
corpus score is recomputed from the drawn sentences' sufficient statistics (sacrebleu's own, as its significance
module does), and the 2.5th and 97.5th percentiles of the growth give a 95% interval. An interval that holds 0
means these sentences cannot say whether the lead grows.
"""

import random

import numpy as np

RESAMPLES = 1000  # bootstrap draws; seeded, so the same outputs give the same interval


def metrics() -> dict:
    """The two scores of score(): BLEU on case-insensitive text and chrF on lowercased text."""
    from sacrebleu.metrics import BLEU, CHRF

    return {"bleu": BLEU(lowercase=True), "chrf": CHRF()}


def sentence_stats(metric, hyps: list[str], refs: list[str]) -> np.ndarray:
    """One row of sufficient statistics per sentence (summed rows give the corpus score)."""
    return np.asarray(metric._extract_corpus_statistics([h.lower() for h in hyps], [[r.lower() for r in refs]]))


def corpus(metric, stats: np.ndarray) -> float:
    return float(metric._compute_score_from_stats(stats.sum(0).tolist()).score)


def lead_growth(outputs: dict[str, list[str]], refs: list[str], first: list[int], last: list[int],
                system: str = "attention", seed: int = 0, resamples: int = RESAMPLES) -> dict:
    """{"bleu"|"chrf": {"growth", "ci95": [lo, hi], "p_grows"}} for system's lead over "no_attention" from the
    sentences at indices `first` (shortest bucket) to those at `last` (longest bucket)."""
    out = {}
    for name, metric in metrics().items():
        out[name] = _growth(metric, sentence_stats(metric, outputs[system], refs),
                            sentence_stats(metric, outputs["no_attention"], refs), first, last, seed, resamples)
    return out


def _growth(metric, sys_stats: np.ndarray, base_stats: np.ndarray, first: list[int], last: list[int], seed: int,
            resamples: int) -> dict:
    def lead(ids: np.ndarray) -> float:
        return corpus(metric, sys_stats[ids]) - corpus(metric, base_stats[ids])

    a, b = np.asarray(first), np.asarray(last)
    rng = random.Random(seed)
    draws = []
    for _ in range(resamples):
        da = np.asarray([a[rng.randrange(len(a))] for _ in a])
        db = np.asarray([b[rng.randrange(len(b))] for _ in b])
        draws.append(lead(db) - lead(da))
    draws.sort()
    lo, hi = draws[int(0.025 * resamples)], draws[int(0.975 * resamples) - 1]
    return {"growth": round(lead(b) - lead(a), 2), "ci95": [round(lo, 2), round(hi, 2)],
            "p_grows": round(sum(d > 0 for d in draws) / resamples, 3)}
