import itertools
import math

import pytest
import torch

from rnn_models.network import ModelConfig, SequenceModel
from rnn_models.sampling import SamplingSettings
from rnn_models.text.generate import (
    GenerationSettings,
    beam_search,
    generate,
    generate_refeed,
    next_char_distribution,
    sequence_log_prob,
    stream,
)


def test_same_seed_same_text(toy_model, toy_vocab):
    s = GenerationSettings(length=80, sampling=SamplingSettings(temperature=1.0), seed=7)
    a = generate(toy_model, toy_vocab, "the", s)
    assert a == generate(toy_model, toy_vocab, "the", s)
    assert a != generate(toy_model, toy_vocab, "the", GenerationSettings(length=80, seed=8))
    assert len(a) == 80 and set(a) <= set(toy_vocab)


def test_streaming_matches_refeeding(toy_model, toy_vocab):
    s = GenerationSettings(length=40, sampling=SamplingSettings(0.8, top_k=5), seed=2)
    assert generate(toy_model, toy_vocab, "the cat", s) == generate_refeed(toy_model, toy_vocab, "the cat", s)


def test_stream_yields_one_character_at_a_time(toy_model, toy_vocab):
    it = stream(toy_model, toy_vocab, "", GenerationSettings(length=5))
    assert [len(next(it)) for _ in range(5)] == [1] * 5
    with pytest.raises(StopIteration):
        next(it)


def test_next_char_distribution_sums_to_one(toy_model, toy_vocab):
    p = next_char_distribution(toy_model, toy_vocab, "the c", SamplingSettings(temperature=0.5, top_k=3))
    assert p.shape == (len(toy_vocab),) and math.isclose(float(p.sum()), 1.0, rel_tol=1e-5)
    assert int((p > 0).sum()) == 3


def test_beam_search_finds_most_probable_sequence():
    torch.manual_seed(1)
    vocab = ["a", "b", "c"]
    model = SequenceModel(ModelConfig(cell="gru", input_size=3, embed_size=4, hidden_size=8,
                                      output_size=3)).eval()
    with torch.no_grad():
        model.head.weight.mul_(6)  # peaky, history-dependent distributions
    length = 4
    scored = {"".join(c): sequence_log_prob(model, vocab, "ab", "".join(c))
              for c in itertools.product(vocab, repeat=length)}
    best = max(scored, key=scored.get)
    exact = beam_search(model, vocab, "ab", length, width=27)  # 3**3 beams keep every prefix
    assert exact == best
    found = beam_search(model, vocab, "ab", length, width=3)
    assert scored[found] >= scored[beam_search(model, vocab, "ab", length, width=1)] - 1e-6


def test_temperature_zero_text_equals_greedy(toy_model, toy_vocab):
    greedy = generate(toy_model, toy_vocab, "the ", GenerationSettings(60, SamplingSettings(greedy=True)))
    for t in (0.0, 1e-5):
        for seed in (0, 1):
            cold = generate(toy_model, toy_vocab, "the ", GenerationSettings(60, SamplingSettings(temperature=t), seed))
            assert cold == greedy
