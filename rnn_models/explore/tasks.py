"""Synthetic long-range tasks: the adding problem, copy memory and palindrome fill-in-the-blank."""

import math
from dataclasses import dataclass

import torch

from rnn_models.errors import UserInputError

TASKS = ("adding", "copy")
COPY_SYMBOLS = 8  # copy memory: digits 1..8 to remember
COPY_LENGTH = 10  # copy memory: how many digits to remember
COPY_BLANK, COPY_DELIMITER = 0, COPY_SYMBOLS + 1  # token ids of the blank and the "recall now" mark


@dataclass(frozen=True)
class TaskSpec:
    """How a task's batches look, so a model can be built for it."""

    name: str  # "adding" | "copy"
    length: int  # T: the delay the model must bridge
    input_kind: str  # "linear" (float features) | "embedding" (token ids)
    input_size: int  # features or vocabulary size
    output_size: int  # 1 for regression, classes for copy
    baseline: float  # loss of the best memoryless guess
    baseline_label: str  # how that guess is made, in words


def check_length(length: int, lo: int = 2, hi: int = 1000) -> int:
    """Validate a user-picked sequence length."""
    if not isinstance(length, int) or not lo <= length <= hi:
        raise UserInputError(f"sequence length must be a whole number from {lo} to {hi}, got {length!r}")
    return length


def task_spec(name: str, length: int) -> TaskSpec:
    """The shapes and trivial baseline of a named task at delay `length`."""
    check_length(length)
    if name == "adding":
        return TaskSpec(name, length, "linear", 2, 1, 1.0 / 6.0, "always predict 1 (MSE 1/6)")
    if name == "copy":
        total = length + 2 * COPY_LENGTH
        base = COPY_LENGTH * math.log(COPY_SYMBOLS) / total
        return TaskSpec(name, length, "embedding", COPY_SYMBOLS + 2, COPY_SYMBOLS + 1, base,
                        "blanks, then a uniform guess over the 8 digits (10·ln 8/(T+20))")
    raise UserInputError(f"unknown task {name!r}; choose one of: {', '.join(TASKS)}")


def adding_batch(batch: int, length: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Adding problem (Hochreiter & Schmidhuber 1997): sum the two marked numbers of a length-T sequence.

    Returns x (batch, T, 2) = [value, marker] and y (batch, 1); one mark in each half of the sequence.
    """
    values = torch.rand(batch, length, generator=generator)
    half = max(1, length // 2)
    first = torch.randint(0, half, (batch,), generator=generator)
    second = torch.randint(half, length, (batch,), generator=generator)
    marks = torch.zeros(batch, length)
    rows = torch.arange(batch)
    marks[rows, first] = 1.0
    marks[rows, second] = 1.0
    x = torch.stack([values, marks], dim=-1)  # (batch, T, 2)
    y = (values * marks).sum(dim=1, keepdim=True)  # (batch, 1)
    return x, y


def copy_batch(batch: int, length: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Copy memory (Arjovsky et al. 2016): see 10 digits, wait T steps, then repeat them.

    Returns x (batch, T+20) token ids and y (batch, T+20) targets: blank everywhere except the last 10.
    """
    total = length + 2 * COPY_LENGTH
    digits = torch.randint(1, COPY_SYMBOLS + 1, (batch, COPY_LENGTH), generator=generator)
    x = torch.full((batch, total), COPY_BLANK, dtype=torch.long)
    x[:, :COPY_LENGTH] = digits
    x[:, length + COPY_LENGTH - 1] = COPY_DELIMITER  # "recall now", 10 steps before the end
    y = torch.full((batch, total), COPY_BLANK, dtype=torch.long)
    y[:, -COPY_LENGTH:] = digits
    return x, y


def make_batch(name: str, batch: int, length: int, generator: torch.Generator):
    """A batch of the named task."""
    if name == "adding":
        return adding_batch(batch, length, generator)
    if name == "copy":
        return copy_batch(batch, length, generator)
    raise UserInputError(f"unknown task {name!r}; choose one of: {', '.join(TASKS)}")


def task_loss(name: str, outputs: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Adding: MSE of the last step's output; copy: cross-entropy (nats) over every step."""
    if name == "adding":
        return torch.nn.functional.mse_loss(outputs[:, -1, :], y)
    return torch.nn.functional.cross_entropy(outputs.reshape(-1, outputs.shape[-1]), y.reshape(-1))


def palindrome_batch(batch: int, length: int, symbols: int, generator: torch.Generator):
    """Fill-in-the-blank on palindromes: one symbol in the first half is hidden; its twin is in the future.

    Token 0 is the blank, 1..symbols are letters. Returns x (batch, L), y (batch,) the hidden symbol,
    and pos (batch,) where the blank is. A forward-only model must guess; a bidirectional one can look ahead.
    """
    half = torch.randint(1, symbols + 1, (batch, (length + 1) // 2), generator=generator)
    full = torch.cat([half, half.flip(1)[:, length % 2:]], dim=1)  # (batch, L) palindromes
    pos = torch.randint(0, length // 2, (batch,), generator=generator)
    rows = torch.arange(batch)
    y = full[rows, pos].clone()
    x = full.clone()
    x[rows, pos] = 0
    return x, y, pos
