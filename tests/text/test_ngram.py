import math

import numpy as np

from rnn_models.text.ngram import NGramModel, pick_order
from rnn_models.text.vocab import build_vocab, encode

TEXT = "abcabcabdabcabcabd" * 30


def test_distribution_sums_to_one_for_every_context():
    vocab = build_vocab(TEXT + "xyz")
    ids = encode(TEXT, vocab).numpy()
    for order in (1, 2, 4):
        m = NGramModel(ids, len(vocab), order)
        for ctx in ("", "ab", "zzz", "abcab"):
            p = m.next_distribution(encode(ctx, vocab).numpy())
            assert math.isclose(p.sum(), 1.0, rel_tol=1e-9)
            raw = np.array([2.0 ** -m.log2_probs(np.array([v]), encode(ctx, vocab).numpy())[0]
                            for v in range(len(vocab))])
            assert math.isclose(raw.sum(), 1.0, rel_tol=1e-6), (order, ctx, raw.sum())
            assert (raw > 0).all()  # smoothing: unseen characters keep some probability


def test_higher_order_learns_the_pattern_and_order_is_picked_on_validation():
    vocab = build_vocab(TEXT)
    ids = encode(TEXT, vocab).numpy()
    m1, m4 = NGramModel(ids, len(vocab), 1), NGramModel(ids, len(vocab), 4)
    val = encode("abcabcabdabc", vocab).numpy()
    assert m4.bpc(val) < 0.5 < m1.bpc(val)
    best, scores = pick_order(ids, val, len(vocab), orders=range(1, 6))
    assert best.order == min(scores, key=scores.get) and best.order >= 2


def test_unigram_matches_hand_computed_kneser_ney():
    ids = np.array([0, 0, 1])  # "aab": counts a=2, b=1; too few counts -> fallback discounts 0.5, 1
    m = NGramModel(ids, 2, 1)
    p = m.next_distribution(np.array([], dtype=np.int64))
    gamma = (1.0 + 0.5) / 3  # discount mass handed to the uniform distribution
    assert np.allclose(p, [(2 - 1.0) / 3 + gamma / 2, (1 - 0.5) / 3 + gamma / 2])
