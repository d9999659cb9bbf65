"""Reading that keeps learning: dynamic evaluation (Mikolov 2010; Krause et al. 2018).

A copy of the model reads the text left to right, segment by segment. It predicts every character
of a segment first (that prediction is what is scored), then takes one gradient step on that
segment before reading the next. So by the middle of Hamlet it has learned that "HAMLET:" is a
speaker, which a model frozen after training cannot. No character is ever scored after the model
has trained on it. The model passed in is left untouched.
"""

import copy
import math
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from ..errors import UserInputError
from ..network import SequenceModel

LN2 = math.log(2.0)


OPTIMIZERS = ("rmsprop", "adam", "sgd")


@dataclass(frozen=True)
class DynamicSettings:
    lr: float = 5e-4  # step size of each update
    segment: int = 128  # characters read (and scored) before each update
    clip: float = 1.0  # gradient-norm cap per update, so one odd segment cannot wreck the weights
    # "rmsprop": each weight's step scaled by its recent gradient size; "adam": the same with Adam's
    # start-up correction and no momentum (betas 0, 0.99), gentler over the first segments; "sgd": plain steps.
    optimizer: str = "rmsprop"

    def __post_init__(self):
        if self.lr < 0:
            raise UserInputError("the dynamic-evaluation learning rate must be 0 or more")
        if self.segment < 1:
            raise UserInputError("the dynamic-evaluation segment must be at least 1 character")
        if self.optimizer not in OPTIMIZERS:
            raise UserInputError(f"unknown dynamic-evaluation optimizer {self.optimizer!r}: "
                                 f"use {', '.join(OPTIMIZERS)}")

    @classmethod
    def for_cell(cls, cell: str) -> "DynamicSettings":
        """The settings picked for each cell on the Shakespeare validation plays
        (benchmarks/text_quality.py --tune prints the grids)."""
        return CELL_DEFAULTS.get(cell, CELL_DEFAULTS["lstm"])


CELL_DEFAULTS = {  # RMSprop's first steps are about ten times lr: too rough for the GRU and the vanilla RNN
    "lstm": DynamicSettings(lr=5e-4, optimizer="rmsprop"),
    "gru": DynamicSettings(lr=2e-4, optimizer="adam"),
    "rnn": DynamicSettings(lr=1e-4, optimizer="adam"),
}


def dynamic_log2_losses(model: SequenceModel, ids: Tensor, settings: DynamicSettings | None = None,
                        on_progress: Callable[[int, int], None] | None = None) -> Tensor:
    """-log2 p of ids[1:], each scored before the model has trained on it (see the module doc).
    Deterministic: no dropout, no sampling. settings: by default the ones picked for the model's
    cell (DynamicSettings.for_cell). on_progress(done, total) after each segment."""
    settings = settings or DynamicSettings.for_cell(model.config.cell)
    if len(ids) < 2:
        raise UserInputError("need at least 2 characters to measure bits per character")
    work = copy.deepcopy(model)
    work.eval()  # no dropout; gradients still flow
    work.requires_grad_(True)  # a shared pretrained model may have been frozen
    if settings.optimizer == "rmsprop":
        opt = torch.optim.RMSprop(work.parameters(), lr=settings.lr, alpha=0.99, eps=1e-8)
    elif settings.optimizer == "adam":
        opt = torch.optim.Adam(work.parameters(), lr=settings.lr, betas=(0.0, 0.99), eps=1e-8)
    else:
        opt = torch.optim.SGD(work.parameters(), lr=settings.lr)
    ids = ids.to(next(work.parameters()).device)  # read where the model lives
    n = len(ids) - 1
    out, state = [], None
    for s in range(0, n, settings.segment):
        x = ids[s:min(s + settings.segment, n)][None, :]
        y = ids[s + 1:s + 1 + x.shape[1]]
        with torch.enable_grad():
            logits, state = work(x, state)
            nll = nn.functional.cross_entropy(logits[0], y, reduction="none")
            out.append(nll.detach() / LN2)
            if settings.lr > 0:
                opt.zero_grad(set_to_none=True)
                nll.mean().backward()
                nn.utils.clip_grad_norm_(work.parameters(), settings.clip)
                opt.step()
        state = state.detach()
        if on_progress is not None:
            on_progress(min(s + settings.segment, n), n)
    return torch.cat(out).cpu()


def dynamic_bits_per_char(model: SequenceModel, ids: Tensor, settings: DynamicSettings | None = None,
                          on_progress: Callable[[int, int], None] | None = None) -> float:
    return float(dynamic_log2_losses(model, ids, settings, on_progress).mean())
