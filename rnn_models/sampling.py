"""One sampler for text and music: logits -> choices under temperature, top-k, top-p, greedy and a mask.

Every function takes logits shaped (..., vocab): one row for text's next character, a batch of
rows for music's variations. A mask (same shape or broadcastable, True = allowed) removes choices
before anything else, e.g. the notes outside a key.
"""

from dataclasses import dataclass

import torch
from torch import Tensor

from .errors import UserInputError

GREEDY_BELOW = 1e-4  # a temperature under this means "always the most likely choice"


@dataclass(frozen=True)
class SamplingSettings:
    temperature: float = 1.0  # < 1 sharper, > 1 flatter; ~0 is greedy
    top_k: int = 0  # keep only the k most likely choices (0: off)
    top_p: float = 1.0  # keep the smallest set whose probability reaches p (1.0: off)
    greedy: bool = False  # always take the most likely choice

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


def filter_logits(logits: Tensor, settings: SamplingSettings, mask: Tensor | None = None) -> Tensor:
    """(..., vocab) logits -> scaled logits with masked and excluded choices set to -inf."""
    scaled = logits.float() / max(float(settings.temperature), GREEDY_BELOW)
    return excluded(scaled, settings.top_k, settings.top_p, mask)


def excluded(out: Tensor, top_k: int, top_p: float, mask: Tensor | None = None) -> Tensor:
    """Scaled logits -> the same with masked, top-k and top-p excluded choices at -inf
    (TorchScript-compatible: generation's scripted loop runs it)."""
    if mask is not None:
        out = out.masked_fill(~mask, float("-inf"))
    v = out.shape[-1]
    if 0 < top_k < v:
        kth = torch.topk(out, top_k, dim=-1).values[..., -1:]  # (..., 1) the k-th largest
        out = out.masked_fill(out < kth, float("-inf"))
    if top_p < 1.0:
        sorted_logits, order = torch.sort(out, dim=-1, descending=True)
        probs = torch.softmax(sorted_logits, dim=-1)
        before = torch.cumsum(probs, dim=-1) - probs  # mass of strictly more likely choices
        drop_sorted = before >= top_p  # the first choice is always kept (before = 0)
        drop = torch.zeros_like(drop_sorted).scatter(-1, order, drop_sorted)
        out = out.masked_fill(drop, float("-inf"))
    return out


def probabilities(logits: Tensor, settings: SamplingSettings, mask: Tensor | None = None) -> Tensor:
    """The distribution actually sampled from; (..., vocab), each row summing to 1."""
    if settings.is_greedy:
        best = logits.float() if mask is None else logits.float().masked_fill(~mask, float("-inf"))
        p = torch.zeros_like(logits, dtype=torch.float)
        return p.scatter(-1, best.argmax(-1, keepdim=True), 1.0)
    return torch.softmax(filter_logits(logits, settings, mask), -1)


def draw(probs: Tensor, generator: torch.Generator | None) -> Tensor:
    """One id per row of (..., vocab) probabilities -> (...): an inverse-CDF draw, one uniform number a row."""
    # drawn on the CPU (a seeded CPU generator): the same numbers whichever device the model is on
    u = torch.rand(probs.shape[:-1] + (1,), generator=generator, dtype=probs.dtype)
    return inverse_cdf(probs, u.to(probs.device))


def inverse_cdf(probs: Tensor, u: Tensor) -> Tensor:
    """(..., vocab) probabilities and (..., 1) uniform numbers in [0, 1) -> ids (...) (TorchScript-compatible)."""
    cdf = torch.cumsum(probs, -1)
    return torch.searchsorted(cdf, u * cdf[..., -1:], right=True)[..., 0].clamp(max=probs.shape[-1] - 1)


def sample(logits: Tensor, settings: SamplingSettings, generator: torch.Generator | None,
           mask: Tensor | None = None) -> tuple[Tensor, Tensor]:
    """(..., vocab) logits -> (ids (...), the probability each chosen id had (...))."""
    p = probabilities(logits, settings, mask)
    ids = p.argmax(-1) if settings.is_greedy else draw(p, generator)
    return ids, p.gather(-1, ids[..., None])[..., 0]


def pick(logits: Tensor, settings: SamplingSettings, generator: torch.Generator | None) -> int:
    """Choose one id from (vocab,) logits (the greedy choice uses no random number)."""
    if settings.is_greedy:
        return int(logits.argmax())
    return int(draw(probabilities(logits, settings), generator))


def choose(logits: Tensor, temperature: float, top_k: int, top_p: float, greedy: bool, u: Tensor) -> int:
    """pick() given its uniform number u, (1,), drawn beforehand: what generation's scripted loop runs
    (rnn_models/stepper.py), with the uniform numbers drawn in bulk from the seeded generator.
    greedy: SamplingSettings.is_greedy (so a non-greedy temperature is >= GREEDY_BELOW, as filter_logits makes it)."""
    if greedy:
        return int(logits.argmax())
    return int(inverse_cdf(torch.softmax(excluded(logits.float() / temperature, top_k, top_p), -1), u))
