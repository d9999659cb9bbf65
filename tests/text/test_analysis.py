import math

from rnn_models.sampling import SamplingSettings
from rnn_models.text.analysis import CopyIndex, copied_spans, surprisal, top_candidates
from rnn_models.text.generate import next_char_distribution

TRAIN = "It was the best of times, it was the worst of times, it was the age of wisdom."


def test_copied_spans_find_verbatim_runs_of_20_or_more():
    idx = CopyIndex(TRAIN)
    text = "Zzz it was the worst of times, qq" + " short bit of times " + "the age of wisdom.!!"
    rep = copied_spans(text, idx)
    spans = [text[a:b] for a, b in rep.spans]
    assert "it was the worst of times, " in spans[0]
    assert all(len(s) >= 20 for s in spans)
    assert not any("short bit" in s for s in spans)  # 19 characters or less is not copying
    assert math.isclose(rep.copied_share, sum(b - a for a, b in rep.spans) / len(text))


def test_nothing_copied_and_short_text():
    idx = CopyIndex(TRAIN)
    assert copied_spans("completely different words here, none copied", idx).copied_share == 0
    assert copied_spans("short", idx).spans == []


def test_surprisal_one_value_per_character(toy_model, toy_vocab):
    s = surprisal(toy_model, toy_vocab, "the cat")
    assert len(s.bits) == 7 and all(b > 0 for b in s.bits)
    assert math.isclose(s.bpc, sum(s.bits) / 7, rel_tol=1e-6)


def test_top_candidates_sorted(toy_model, toy_vocab):
    p = next_char_distribution(toy_model, toy_vocab, "the", SamplingSettings())
    top = top_candidates(p, toy_vocab, 5)
    assert len(top) == 5 and [q for _, q in top] == sorted([q for _, q in top], reverse=True)


def test_parallel_bpc_close_to_sequential(toy_model, toy_vocab):
    import torch

    from rnn_models.text.train import bits_per_char, log2_losses, parallel_log2_losses
    from rnn_models.text.vocab import encode

    ids = encode("the cat sat on the mat. the dog sat on the log.\n" * 60, toy_vocab)
    seq = log2_losses(toy_model, ids)
    par = parallel_log2_losses(toy_model, ids, streams=4)
    assert par.shape == seq.shape
    assert torch.allclose(par[:100], seq[:100], atol=1e-5)  # the first piece is read identically
    assert abs(bits_per_char(toy_model, ids) - float(seq.mean())) < 0.05
