"""Reading that keeps learning: dynamic evaluation of the LSTM and the n-gram's cache."""

import numpy as np
import pytest
import torch

from rnn_models.errors import UserInputError
from rnn_models.text.dynamic import DynamicSettings, dynamic_log2_losses
from rnn_models.text.ngram import NGramModel, cached_log2_probs
from rnn_models.text.train import log2_losses
from rnn_models.text.vocab import build_vocab, encode

from .conftest import TOY_TEXT


def test_without_updates_it_equals_the_frozen_model_and_leaves_the_model_alone(toy_model, toy_vocab):
    ids = encode(TOY_TEXT[:300], toy_vocab)
    before = [p.detach().clone() for p in toy_model.parameters()]
    frozen = log2_losses(toy_model, ids)
    still = dynamic_log2_losses(toy_model, ids, DynamicSettings(lr=0.0, segment=64))
    assert torch.allclose(still, frozen, atol=1e-5)
    learning = dynamic_log2_losses(toy_model, ids, DynamicSettings(lr=0.01, segment=64))
    assert all(torch.equal(a, b) for a, b in zip(before, toy_model.parameters()))  # worked on a copy
    assert learning.shape == frozen.shape == (len(ids) - 1,)


@pytest.mark.parametrize("optimizer, lr", [("rmsprop", 0.01), ("adam", 0.01), ("sgd", 3.0)])
def test_a_repeated_text_costs_fewer_bits_and_the_same_run_gives_the_same_bits(toy_model, toy_vocab, optimizer, lr):
    ids = encode(TOY_TEXT[:800], toy_vocab)  # the same two sentences again and again
    settings = DynamicSettings(lr=lr, segment=32, optimizer=optimizer)
    learning = dynamic_log2_losses(toy_model, ids, settings)
    frozen = log2_losses(toy_model, ids)
    assert float(learning[-100:].mean()) < 0.8 * float(frozen[-100:].mean())
    assert torch.equal(learning, dynamic_log2_losses(toy_model, ids, settings))  # deterministic


def test_a_character_is_scored_before_the_model_learns_from_it(toy_model, toy_vocab):
    """Changing the last character of a segment must not change any score before it, nor its own
    score: that character enters the weights only after it has been predicted."""
    text = TOY_TEXT[:200]
    a, b = encode(text, toy_vocab), encode(text[:64] + ("x" if text[64] != "x" else "y") + text[65:], toy_vocab)
    settings = DynamicSettings(lr=0.05, segment=64)
    la, lb = dynamic_log2_losses(toy_model, a, settings), dynamic_log2_losses(toy_model, b, settings)
    assert torch.equal(la[:63], lb[:63])  # predictions of text[1..63]: same text, same weights
    assert not torch.equal(la[64:], lb[64:])  # after the update, the change is felt


def test_each_cell_has_its_own_settings_and_they_are_the_default(toy_model, toy_vocab):
    assert DynamicSettings.for_cell("lstm").optimizer == "rmsprop"
    assert DynamicSettings.for_cell("rnn").optimizer == DynamicSettings.for_cell("gru").optimizer == "adam"
    ids = encode(TOY_TEXT[:300], toy_vocab)
    assert torch.equal(dynamic_log2_losses(toy_model, ids),
                       dynamic_log2_losses(toy_model, ids, DynamicSettings.for_cell("lstm")))


def test_bad_settings_are_refused():
    for bad in (dict(lr=-1.0), dict(segment=0), dict(optimizer="adagrad")):
        with pytest.raises(UserInputError):
            DynamicSettings(**bad)


def _cache_fixture():
    train = "the cat sat on the mat. " * 40
    vocab = build_vocab(train + "HAMLET:\n")
    model = NGramModel(encode(train, vocab).numpy(), len(vocab), 4)
    return vocab, model


def test_cache_probabilities_still_sum_to_one():
    vocab, model = _cache_fixture()
    prefix = encode("HAMLET:\nthe cat. HAMLET:\nthe mat. HAMLE", vocab).numpy()
    total = 0.0
    for v in range(len(vocab)):  # the score at the last position depends only on what precedes it
        ids = np.concatenate([prefix, [v]])
        total += 2.0 ** -cached_log2_probs(model, ids, min_context=2, max_context=6, strength=4.0)[-1]
    assert abs(total - 1.0) < 1e-9


def test_cache_learns_new_names_and_is_the_trained_model_until_it_has_read_something():
    vocab, model = _cache_fixture()
    ids = encode("HAMLET:\nthe cat sat. " * 12, vocab).numpy()
    cached = cached_log2_probs(model, ids, min_context=2, max_context=8, strength=4.0)
    static = model.log2_probs(ids)
    assert np.allclose(cached[:2], static[:2])  # nothing read yet: no context has a count
    n = len("HAMLET:\nthe cat sat. ")
    assert cached[-n:].mean() < 0.5 * static[-n:].mean()  # by the last repeat the name is expected
