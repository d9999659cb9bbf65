"""Generating text: streaming with the carried state, the naive re-feeding loop, beam search."""

from collections.abc import Iterator
from dataclasses import dataclass, field

import torch
from torch import Tensor

from ..errors import UserInputError
from ..network import SequenceModel, State
from ..sampling import SamplingSettings, pick, probabilities
from ..stepper import Stepper
from ..training import model_device
from .vocab import encode, fallback_char

MAX_LENGTH = 20_000  # characters per request
FIRST_CHUNK, MAX_CHUNK = 8, 256  # characters per scripted call: the first arrive at once, later ones in bulk


@dataclass(frozen=True)
class GenerationSettings:
    length: int = 300  # characters to generate after the prime
    sampling: SamplingSettings = field(default_factory=SamplingSettings)  # temperature, top-k, top-p, greedy
    seed: int = 0  # the same seed gives the same text

    def __post_init__(self):
        if not 0 <= self.length <= MAX_LENGTH:
            raise UserInputError(f"length must be between 0 and {MAX_LENGTH}, got {self.length}")


def start_ids(prime: str, vocab: list[str]) -> Tensor:
    """Prime -> ids; an empty prime starts from a newline (the start of a speech or a line)."""
    if not prime:
        prime = "\n" if "\n" in vocab else fallback_char(vocab)
    return encode(prime, vocab)


@torch.no_grad()
def prime_state(model: SequenceModel, ids: Tensor) -> tuple[Tensor, State]:
    """Read the prime once: -> (logits for the next character (vocab,), state after the prime)."""
    model.eval()
    logits, state = model(ids[None, :].to(model_device(model)))  # (1, len, vocab)
    return logits[0, -1], state


@torch.no_grad()
def stream(model: SequenceModel, vocab: list[str], prime: str,
           settings: GenerationSettings) -> Iterator[str]:
    """Yield generated characters one at a time; each step feeds one character and the carried state
    (computed in chunks of FIRST_CHUNK, doubling up to MAX_CHUNK, by one scripted call each)."""
    gen = torch.Generator().manual_seed(settings.seed)
    stepper = Stepper(model)
    logits, state = prime_state(model, start_ids(prime, vocab))
    done, chunk = 0, FIRST_CHUNK
    while done < settings.length:
        n = min(chunk, settings.length - done)
        # the same numbers, in the same order, as one torch.rand(1) per character; none when greedy
        uniforms = torch.empty(n) if settings.sampling.is_greedy else torch.rand(n, generator=gen)
        ids, logits, state = stepper.sample(logits, state, uniforms, settings.sampling)
        for i in ids:
            yield vocab[i]
        done, chunk = done + n, min(2 * chunk, MAX_CHUNK)


def generate(model: SequenceModel, vocab: list[str], prime: str, settings: GenerationSettings) -> str:
    return "".join(stream(model, vocab, prime, settings))


@torch.no_grad()
def generate_refeed(model: SequenceModel, vocab: list[str], prime: str,
                    settings: GenerationSettings) -> str:
    """The naive loop: re-read the whole prefix for every new character (for the speed benchmark).
    Same choices as stream() for the same seed, up to float rounding."""
    model.eval()
    gen = torch.Generator().manual_seed(settings.seed)
    ids = start_ids(prime, vocab).tolist()
    out = []
    for _ in range(settings.length):
        logits, _ = model(torch.tensor([ids], device=model_device(model)))
        nxt = pick(logits[0, -1], settings.sampling, gen)
        out.append(vocab[nxt])
        ids.append(nxt)
    return "".join(out)


@torch.no_grad()
def next_char_distribution(model: SequenceModel, vocab: list[str], context: str,
                           sampling: SamplingSettings) -> Tensor:
    """P(next character | context) after temperature/top-k/top-p: (vocab,) summing to 1."""
    logits, _ = prime_state(model, start_ids(context, vocab))
    return probabilities(logits, sampling)


@torch.no_grad()
def beam_search(model: SequenceModel, vocab: list[str], prime: str, length: int,
                width: int = 4) -> str:
    """The most probable continuation of `length` characters that a beam of `width` finds."""
    if width < 1:
        raise UserInputError("beam width must be at least 1")
    if not 0 <= length <= MAX_LENGTH:
        raise UserInputError(f"length must be between 0 and {MAX_LENGTH}")
    stepper = Stepper(model)
    logits, state = prime_state(model, start_ids(prime, vocab))
    v = len(vocab)
    dev = model_device(model)
    scores = torch.zeros(1, device=dev)  # (beams,) total log-probability
    seqs = torch.zeros(1, 0, dtype=torch.long, device=dev)  # (beams, t)
    logp = torch.log_softmax(logits.float(), -1)[None, :]  # (beams, vocab)
    for t in range(length):
        total = (scores[:, None] + logp).reshape(-1)  # (beams*vocab,)
        k = min(width, total.numel())
        scores, flat = torch.topk(total, k)
        beam, char = flat // v, flat % v
        seqs = torch.cat([seqs[beam], char[:, None]], dim=1)
        if t == length - 1:
            break
        state = State(state.h[:, beam], None if state.c is None else state.c[:, beam])
        out, state = stepper.step(char, state)  # (beams, vocab)
        logp = torch.log_softmax(out.float(), -1)
    best = int(scores.argmax()) if len(scores) else 0
    return "".join(vocab[i] for i in seqs[best].tolist())


@torch.no_grad()
def sequence_log_prob(model: SequenceModel, vocab: list[str], prime: str, continuation: str) -> float:
    """log P(continuation | prime) in nats (used to check beam search)."""
    logits, state = prime_state(model, start_ids(prime, vocab))
    total = 0.0
    for ch in encode(continuation, vocab).tolist():
        total += float(torch.log_softmax(logits.float(), -1)[ch])
        out, state = model(torch.tensor([[ch]], device=model_device(model)), state)
        logits = out[0, -1]
    return total
