"""Fill in the blank: a bidirectional model reads the future, a forward-only one cannot."""

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from rnn_models.errors import UserInputError
from rnn_models.network import ModelConfig, SequenceModel
from rnn_models.training import TrainConfig, columns, fit_many

from .tasks import palindrome_batch

LABELS = {False: "forward only", True: "bidirectional"}


BLANK_TASKS = ("palindrome", "text")
TEXT_CHARS = 1_000_000  # characters of the training plays used by the text task (enough for 20 s)


@dataclass(frozen=True)
class BlankConfig:
    task: str = "palindrome"  # "palindrome": synthetic, the twin is in the future; "text": Shakespeare
    length: int = 11  # sequence length; palindrome: blank in the first half; text: blank in the middle
    symbols: int = 8  # letters 1..symbols (0 is the blank)
    cell: str = "gru"
    hidden_size: int = 32  # per direction
    batch_size: int = 64
    lr: float = 1e-2
    seconds: float = 20.0  # wall-clock budget for both models together
    max_steps: int | None = None  # tests
    eval_every: int = 20
    seed: int = 0


@dataclass
class BlankResult:
    history: list[dict] = field(default_factory=list)  # step, elapsed_s, acc_<label>, loss_<label>
    final_accuracy: dict[str, float] = field(default_factory=dict)  # label -> accuracy on held-out blanks
    chance: float = 0.0
    chance_label: str = "chance"
    vocab: list[str] = field(default_factory=list)  # token id -> character shown
    models: dict[str, SequenceModel] = field(default_factory=dict)
    steps: int = 0


@dataclass
class BlankData:
    """Where fill-in-the-blank batches come from: token 0 is the blank, vocab[i] names token i."""

    vocab: list[str]
    sample: Callable[[int, torch.Generator], tuple]  # (batch, generator) -> x (B, L), y (B,), pos (B,)
    validation: tuple  # a fixed held-out (x, y, pos)
    chance: float  # accuracy of the best guess that ignores the context
    chance_label: str


def _text_ids(text: str, index: dict[str, int]) -> torch.Tensor:
    space = index.get(" ", 1)
    return torch.tensor([index.get(ch, space) for ch in text], dtype=torch.long)


def blank_data(config: BlankConfig) -> BlankData:
    """The batches for the configured task."""
    if config.task == "palindrome":
        val = palindrome_batch(512, config.length, config.symbols, torch.Generator().manual_seed(config.seed + 1))
        return BlankData(["_"] + list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"[: config.symbols]),
                         lambda b, g: palindrome_batch(b, config.length, config.symbols, g), val,
                         1.0 / config.symbols, "chance")
    if config.task != "text":
        raise UserInputError(f"unknown task {config.task!r}; choose one of: {', '.join(BLANK_TASKS)}")
    from rnn_models.text.corpus import load_shakespeare

    corpus = load_shakespeare()
    train_text, val_text = corpus.train[:TEXT_CHARS], corpus.val[:200_000]
    vocab = ["_"] + sorted(set(train_text) - {"_"})
    index = {ch: i for i, ch in enumerate(vocab)}
    train_ids, val_ids = _text_ids(train_text, index), _text_ids(val_text, index)
    mid = config.length // 2

    def windows(ids: torch.Tensor, batch: int, gen: torch.Generator):
        starts = torch.randint(0, len(ids) - config.length, (batch,), generator=gen)
        x = ids[starts.unsqueeze(1) + torch.arange(config.length)]  # (batch, L)
        y = x[:, mid].clone()
        x[:, mid] = 0
        return x, y, torch.full((batch,), mid, dtype=torch.long)

    counts = torch.bincount(train_ids, minlength=len(vocab)).float()
    common = int(counts.argmax())
    val = windows(val_ids, 1024, torch.Generator().manual_seed(config.seed + 1))
    return BlankData(vocab, lambda b, g: windows(train_ids, b, g), val,
                     float((val[1] == common).float().mean()), f"always {vocab[common]!r}")


def blank_model(config: BlankConfig, bidirectional: bool, vocab_size: int | None = None) -> SequenceModel:
    torch.manual_seed(config.seed)
    n = vocab_size or config.symbols + 1
    cfg = ModelConfig(cell=config.cell, input_size=n, embed_size=16, hidden_size=config.hidden_size,
                      output_size=n, bidirectional=bidirectional)
    return SequenceModel(cfg)


def blank_logits(model: SequenceModel, x: torch.Tensor, pos: torch.Tensor) -> torch.Tensor:
    """The model's scores for the hidden letter, read at the blank's own position: (batch, symbols+1)."""
    out, _ = model(x)
    return out[torch.arange(x.shape[0]), pos]


@torch.no_grad()
def accuracy(model: SequenceModel, x, y, pos) -> float:
    model.eval()
    acc = float((blank_logits(model, x, pos).argmax(-1) == y).float().mean())
    model.train()
    return acc


def train_fill_blank(config: BlankConfig, *, on_step: Callable[[dict], None] | None = None,
                     should_stop: Callable[[], bool] | None = None) -> BlankResult:
    """Train a forward-only and a bidirectional model in lockstep on the same batches: one fit_many call."""
    data = blank_data(config)
    models = {LABELS[b]: blank_model(config, b, len(data.vocab)) for b in (False, True)}
    result = BlankResult(chance=data.chance, chance_label=data.chance_label, vocab=data.vocab, models=models)

    def get_batch(split: str, gen: torch.Generator):
        return data.validation if split == "val" else data.sample(config.batch_size, gen)

    def loss_fn(model: nn.Module, x: torch.Tensor, y: torch.Tensor, pos: torch.Tensor) -> torch.Tensor:
        return nn.functional.cross_entropy(blank_logits(model, x, pos), y)

    def report(per_model: dict[str, dict]) -> None:
        metrics = columns(per_model, {"loss": "loss", "val_acc": "acc"})
        result.history.append(metrics)
        if on_step is not None:
            on_step(metrics)

    train = TrainConfig(steps=config.max_steps if config.max_steps is not None else 10**9,
                        batch_size=config.batch_size, lr=config.lr, clip=1.0, eval_every=config.eval_every,
                        seed=config.seed, time_budget_s=config.seconds, eval_first=True)
    fits = fit_many(models, get_batch, loss_fn, train, on_step=report, should_stop=should_stop,
                    val_fn=lambda model: {"val_acc": accuracy(model, *data.validation)})
    result.steps = len(next(iter(fits.values())).history)
    for label, model in models.items():
        result.final_accuracy[label] = accuracy(model, *data.validation)
        model.eval()
    return result


def sensitivity(model: SequenceModel, x: torch.Tensor, pos: int) -> np.ndarray:
    """‖∂(score of the predicted letter at the blank)/∂(input embedding at t)‖ for every t of one sequence."""
    model.eval()
    emb = model.embed(x[:1]).detach().requires_grad_(True)  # (1, L, embed)
    out, _ = model.rnn(emb)
    scores = model.head(out)[0, pos]
    grad, = torch.autograd.grad(scores.max(), emb)
    return grad[0].norm(dim=-1).numpy()


def example(result: BlankResult, config: BlankConfig, seed: int = 7) -> dict:
    """One held-out sequence: the tokens, the blank, each model's guess and what it looked at."""
    data = blank_data(config)
    x, y, pos = data.sample(1, torch.Generator().manual_seed(seed))
    p = int(pos[0])
    letters = data.vocab
    out = {"sequence": [letters[int(i)] for i in x[0]], "blank": p, "answer": letters[int(y[0])], "models": {}}
    for label, model in result.models.items():
        with torch.no_grad():
            probs = torch.softmax(blank_logits(model, x, pos)[0], -1).numpy()
        guess = int(probs.argmax())
        out["models"][label] = {"guess": letters[guess], "confidence": float(probs[guess]),
                                "sensitivity": sensitivity(model, x, p)}
    return out


def chance_loss(symbols: int) -> float:
    return math.log(symbols)
