"""Turning next-character logits into choices: temperature, top-k, top-p (nucleus), greedy."""

from dataclasses import dataclass

import torch
from torch import Tensor

from ..errors import UserInputError

GREEDY_BELOW = 1e-4  # a temperature under this means "always the most likely character"


@dataclass(frozen=True)
class SamplingSettings:
    temperature: float = 1.0  # < 1 sharper, > 1 flatter; ~0 is greedy
    top_k: int = 0  # keep only the k most likely characters (0: off)
    top_p: float = 1.0  # keep the smallest set whose probability reaches p (1.0: off)
    greedy: bool = False  # always take the most likely character

    def __post_init__(self):
        if not (self.temperature >= 0 and self.temperature == self.temperature):
            raise UserInputError(f"temperature must be 0 or more, got {self.temperature}")
        if self.top_k < 0:
            raise UserInputError(f"top-k must be 0 (off) or more, got {self.top_k}")
        if not 0.0 < self.top_p <= 1.0:
            raise UserInputError(f"top-p must be in (0, 1], got {self.top_p}")

    @property
    def is_greedy(self) -> bool:
        return self.greedy or self.temperature < GREEDY_BELOW


def filter_logits(logits: Tensor, temperature: float = 1.0, top_k: int = 0,
                  top_p: float = 1.0) -> Tensor:
    """(..., vocab) logits -> scaled logits with excluded characters set to -inf."""
    t = max(float(temperature), GREEDY_BELOW)
    out = logits.float() / t
    v = out.shape[-1]
    if 0 < top_k < v:
        kth = torch.topk(out, top_k, dim=-1).values[..., -1:]  # (..., 1) the k-th largest
        out = out.masked_fill(out < kth, float("-inf"))
    if top_p < 1.0:
        sorted_logits, order = torch.sort(out, dim=-1, descending=True)
        probs = torch.softmax(sorted_logits, dim=-1)
        before = torch.cumsum(probs, dim=-1) - probs  # mass of strictly more likely characters
        drop_sorted = before >= top_p  # the first character is always kept (before = 0)
        drop = torch.zeros_like(drop_sorted).scatter(-1, order, drop_sorted)
        out = out.masked_fill(drop, float("-inf"))
    return out


def probabilities(logits: Tensor, settings: SamplingSettings) -> Tensor:
    """The distribution actually sampled from, after temperature/top-k/top-p; (..., vocab)."""
    if settings.is_greedy:
        p = torch.zeros_like(logits, dtype=torch.float)
        return p.scatter(-1, logits.argmax(-1, keepdim=True), 1.0)
    return torch.softmax(filter_logits(logits, settings.temperature, settings.top_k, settings.top_p), -1)


def choose(logits: Tensor, temperature: float, top_k: int, top_p: float, greedy: bool, u: Tensor) -> int:
    """One id from (vocab,) logits, given u: (1,) a uniform number in [0, 1) from the seeded generator.
    TorchScript-compatible: generation runs it inside its scripted loop (rnn_models/stepper.py)."""
    if greedy or temperature < GREEDY_BELOW:
        return int(logits.argmax())
    p = torch.softmax(filter_logits(logits, temperature, top_k, top_p), -1)
    cdf = torch.cumsum(p, 0)  # inverse-CDF draw: one uniform number, cheaper than multinomial
    return min(int(torch.searchsorted(cdf, u * cdf[-1], right=True)), p.shape[0] - 1)


def pick(logits: Tensor, settings: SamplingSettings, generator: torch.Generator | None) -> int:
    """Choose one character id from (vocab,) logits (greedy draws no random number)."""
    if settings.is_greedy:
        return int(logits.argmax())
    u = torch.rand(1, generator=generator)
    return choose(logits, settings.temperature, settings.top_k, settings.top_p, False, u)
