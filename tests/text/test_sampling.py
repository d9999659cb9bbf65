import pytest
import torch

from rnn_models.errors import UserInputError
from rnn_models.text.generate import GenerationSettings, generate
from rnn_models.text.sampling import SamplingSettings, filter_logits, pick, probabilities


def test_low_temperature_approaches_greedy():
    logits = torch.tensor([1.0, 1.2, 0.5, -1.0])
    peaks = [float(probabilities(logits, SamplingSettings(temperature=t)).max()) for t in (1.0, 0.1, 0.01)]
    assert peaks[0] < peaks[1] < peaks[2] and peaks[2] > 0.999
    assert int(probabilities(logits, SamplingSettings(temperature=0.01)).argmax()) == 1


def test_temperature_zero_text_equals_greedy(toy_model, toy_vocab):
    greedy = generate(toy_model, toy_vocab, "the ", GenerationSettings(length=60, greedy=True))
    for t in (0.0, 1e-5):
        for seed in (0, 1):
            cold = generate(toy_model, toy_vocab, "the ", GenerationSettings(length=60, temperature=t, seed=seed))
            assert cold == greedy


@pytest.mark.parametrize("k", [1, 2, 5])
def test_top_k_never_emits_excluded(k):
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(20, generator=g)
    allowed = set(torch.topk(logits, k).indices.tolist())
    s = SamplingSettings(temperature=2.0, top_k=k)
    assert {pick(logits, s, g) for _ in range(500)} <= allowed
    assert torch.isinf(filter_logits(logits, 1.0, top_k=k)).sum() == 20 - k


def test_top_p_keeps_smallest_nucleus():
    logits = torch.log(torch.tensor([0.5, 0.3, 0.15, 0.05]))
    kept = ~torch.isinf(filter_logits(logits, 1.0, top_p=0.75))
    assert kept.tolist() == [True, True, False, False]
    kept = ~torch.isinf(filter_logits(logits, 1.0, top_p=0.1))  # the top character always stays
    assert kept.tolist() == [True, False, False, False]
    g = torch.Generator().manual_seed(3)
    s = SamplingSettings(temperature=1.0, top_p=0.75)
    assert {pick(logits, s, g) for _ in range(500)} == {0, 1}


def test_bad_settings_are_refused():
    with pytest.raises(UserInputError, match="top-p must be in"):
        SamplingSettings(top_p=0.0)
    with pytest.raises(UserInputError, match="temperature must be 0 or more"):
        SamplingSettings(temperature=-1)
    with pytest.raises(UserInputError, match="top-k must be 0"):
        SamplingSettings(top_k=-2)
