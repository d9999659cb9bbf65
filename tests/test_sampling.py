"""The one sampler shared by text and music."""

import pytest
import torch

from rnn_models.errors import UserInputError
from rnn_models.sampling import SamplingSettings, filter_logits, pick, probabilities, sample


def test_low_temperature_approaches_greedy():
    logits = torch.tensor([1.0, 1.2, 0.5, -1.0])
    peaks = [float(probabilities(logits, SamplingSettings(temperature=t)).max()) for t in (1.0, 0.1, 0.01)]
    assert peaks[0] < peaks[1] < peaks[2] and peaks[2] > 0.999
    assert int(probabilities(logits, SamplingSettings(temperature=0.01)).argmax()) == 1


@pytest.mark.parametrize("k", [1, 2, 5])
def test_top_k_never_emits_excluded(k):
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(20, generator=g)
    allowed = set(torch.topk(logits, k).indices.tolist())
    s = SamplingSettings(temperature=2.0, top_k=k)
    assert {pick(logits, s, g) for _ in range(500)} <= allowed
    assert torch.isinf(filter_logits(logits, SamplingSettings(top_k=k))).sum() == 20 - k


def test_top_p_keeps_smallest_nucleus():
    logits = torch.log(torch.tensor([0.5, 0.3, 0.15, 0.05]))
    kept = ~torch.isinf(filter_logits(logits, SamplingSettings(top_p=0.75)))
    assert kept.tolist() == [True, True, False, False]
    kept = ~torch.isinf(filter_logits(logits, SamplingSettings(top_p=0.1)))  # the top character always stays
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


def test_mask_removes_choices_before_top_k_and_rows_sample_independently():
    logits = torch.tensor([[3.0, 2.0, 1.0, 0.0], [0.0, 1.0, 2.0, 3.0]])
    mask = torch.tensor([[False, True, True, True], [True, True, True, False]])
    s = SamplingSettings(temperature=1.0, top_k=2)
    p = probabilities(logits, s, mask)
    assert torch.allclose(p.sum(-1), torch.ones(2))
    assert (p[0] > 0).tolist() == [False, True, True, False]  # the best allowed two
    assert (p[1] > 0).tolist() == [False, True, True, False]
    g = torch.Generator().manual_seed(0)
    for _ in range(200):
        ids, chosen = sample(logits, s, g, mask)
        assert ids.shape == (2,) and set(ids.tolist()) <= {1, 2}
        assert torch.equal(chosen, p.gather(1, ids[:, None])[:, 0])


def test_greedy_respects_the_mask_and_same_seed_same_draws():
    logits = torch.tensor([5.0, 1.0, 0.5])
    mask = torch.tensor([False, True, True])
    ids, chosen = sample(logits, SamplingSettings(greedy=True), None, mask)
    assert int(ids) == 1 and float(chosen) == 1.0
    batch = torch.randn(4, 10, generator=torch.Generator().manual_seed(1))
    s = SamplingSettings(temperature=1.3, top_p=0.9)
    g1, g2, g3 = (torch.Generator().manual_seed(n) for n in (5, 5, 6))
    a, b, c = ([sample(batch, s, g)[0] for _ in range(3)] for g in (g1, g2, g3))
    assert all(torch.equal(x, y) for x, y in zip(a, b))
    assert not all(torch.equal(x, y) for x, y in zip(a, c))


def test_pick_matches_the_batched_sampler_for_one_row():
    logits = torch.randn(30, generator=torch.Generator().manual_seed(2))
    s = SamplingSettings(temperature=0.7, top_k=10)
    g1, g2 = torch.Generator().manual_seed(9), torch.Generator().manual_seed(9)
    assert [pick(logits, s, g1) for _ in range(50)] == [int(sample(logits, s, g2)[0]) for _ in range(50)]
