"""Training and evaluating character models: batches, the fit() call, bits per character."""

import contextlib
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import torch
from torch import Tensor, nn

from ..device import resolve_device, shapes_only
from ..errors import UserInputError
from ..network import ModelConfig, SequenceModel, State, count_parameters
from ..training import FitResult, TrainConfig, fit_many, model_device
from .vocab import build_vocab, encode

LN2 = math.log(2.0)


@dataclass(frozen=True)
class TextTrainSpec:
    cell: str = "lstm"  # "rnn" | "lstm" | "gru"
    hidden_size: int = 256  # units per layer
    num_layers: int = 1  # stacked layers
    embed_size: int = 64  # character embedding width
    dropout: float = 0.0  # between layers and before the head
    weight_drop: float = 0.0  # DropConnect on the hidden-to-hidden weights while training (AWD-LSTM style)
    embed_dropout: float = 0.0  # dropout on the character embeddings while training
    weight_decay: float = 0.0  # Adam weight decay
    stateful: bool = False  # read the training text as batch_size long streams, carrying the state across steps
    seq_len: int = 128  # characters per training window (truncated backprop length)
    batch_size: int = 32  # windows per step
    lr: float = 2e-3  # Adam learning rate (the last `anneal` share of steps runs at lr / 4)
    anneal: float = 0.0  # share of the step/time budget trained at the lower rate
    steps: int = 1000  # optimisation steps (an upper bound when a time budget is set)
    time_budget_s: float | None = None  # stop after this many seconds
    seed: int = 0  # seeds the weights and the batch order
    bf16: bool = False  # bfloat16 autocast on CPU (about 2x faster where the CPU supports it)
    eval_every: int = 100  # steps between validation passes
    eval_batches: int = 8  # validation windows x batch per pass
    device: str = "auto"  # "auto": CUDA when available (device.default_device), else the CPU; or "cpu", "cuda:1"

    def __post_init__(self):
        if self.seq_len < 2:
            raise UserInputError("sequence length must be at least 2")
        if self.steps < 1:
            raise UserInputError("steps must be at least 1")
        if not 0.0 <= self.anneal < 1.0:
            raise UserInputError("anneal must be in [0, 1)")
        for name in ("weight_drop", "embed_dropout"):
            if not 0.0 <= getattr(self, name) < 1.0:
                raise UserInputError(f"{name.replace('_', ' ')} must be in [0, 1)")


def make_get_batch(train_ids: Tensor, val_ids: Tensor, seq_len: int, batch_size: int) -> Callable:
    """Random windows: get_batch(split, generator) -> (x, y), both (batch, seq_len) ids."""
    data = {"train": train_ids, "val": val_ids}
    for name, ids in data.items():
        if len(ids) < 2:
            raise UserInputError(f"the {name} text is too short to train on ({len(ids)} characters)")

    def get_batch(split: str, generator: torch.Generator):
        ids = data[split]
        t = min(seq_len, len(ids) - 1)
        starts = torch.randint(0, len(ids) - t, (batch_size,), generator=generator)
        idx = (starts[:, None] + torch.arange(t + 1)[None, :]).to(ids.device)  # (batch, t+1)
        w = ids[idx]
        return w[:, :-1], w[:, 1:]

    return get_batch


class Streams:
    """Truncated backpropagation through time over the whole training text: it is cut into
    batch_size contiguous streams, each step takes the next seq_len characters of every stream,
    and the state reached at the end of one step starts the next (with no gradient through it).
    So the model learns to use context far longer than one window (who spoke two speeches ago).
    Each pass over the streams starts at a random offset, so window edges move between passes.
    Models trained in lockstep share the windows; each carries its own state in `states`."""

    def __init__(self, ids: Tensor, seq_len: int, batch_size: int):
        self.seq_len, self.batch = seq_len, batch_size
        self.length = (len(ids) - 1) // batch_size  # characters per stream
        if self.length < seq_len + 1:
            raise UserInputError(f"the text is too short for {batch_size} streams of {seq_len} characters")
        cut = self.length * batch_size
        self.x = ids[:cut].view(batch_size, self.length)
        self.y = ids[1:cut + 1].view(batch_size, self.length)
        self.pos = self.length  # forces a fresh pass (and a zero state) on the first call
        self.states: dict = {}  # model -> the state its last training step reached

    def next(self, generator: torch.Generator) -> tuple[Tensor, Tensor]:
        if self.pos + self.seq_len > self.length:
            self.pos = int(torch.randint(0, self.seq_len, (1,), generator=generator))
            self.states = {}
        a, b = self.pos, self.pos + self.seq_len
        self.pos = b
        return self.x[:, a:b], self.y[:, a:b]


def _regularised_forward(model: SequenceModel, x: Tensor, weight_drop: float, embed_dropout: float,
                         state=None):
    """The model's forward with fresh DropConnect masks on its recurrent weights and dropout on the
    embeddings: the weights themselves are untouched, so generation and evaluation see them whole."""
    from torch.func import functional_call

    rnn = model.rnn
    swapped = {name: nn.functional.dropout(w, weight_drop, training=True)
               for name, w in rnn.named_parameters() if name.startswith("weight_hh")}
    inputs = model._inputs(x)
    if embed_dropout:
        inputs = nn.functional.dropout(inputs, embed_dropout, training=True)
    hx = None if state is None else state.as_torch()
    out, hn = functional_call(rnn, swapped, (inputs, hx), strict=False) if swapped else rnn(inputs, hx)
    return model.head(model.drop(out)), State.from_torch(hn)


def make_loss(bf16: bool, weight_drop: float = 0.0, embed_dropout: float = 0.0,
              streams: Streams | None = None) -> Callable:
    """Next-character cross-entropy in nats, optionally under bfloat16 autocast (forward only).
    In training mode, weight_drop / embed_dropout add DropConnect and embedding dropout, and with
    `streams` each training step starts from the state the previous one reached."""

    def loss_fn(model: nn.Module, x: Tensor, y: Tensor) -> Tensor:
        carry = streams is not None and model.training
        state = streams.states.get(model) if carry else None
        autocast = torch.autocast(x.device.type, dtype=torch.bfloat16) if bf16 else contextlib.nullcontext()
        with autocast:  # on the device the batch is on
            if model.training and (weight_drop or embed_dropout) and isinstance(model, SequenceModel):
                logits, new_state = _regularised_forward(model, x, weight_drop, embed_dropout, state)
            else:
                logits, new_state = model(x, state)
        if carry:
            streams.states[model] = new_state.detach()
        logits = logits.float()
        return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))

    return loss_fn


def build_model(spec: TextTrainSpec, vocab_size: int) -> SequenceModel:
    torch.manual_seed(spec.seed)
    return SequenceModel(ModelConfig(cell=spec.cell, input_size=vocab_size, input_kind="embedding",
                                     embed_size=spec.embed_size, hidden_size=spec.hidden_size,
                                     num_layers=spec.num_layers, dropout=spec.dropout,
                                     output_size=vocab_size)).to(resolve_device(spec.device))


def split_text(text: str, val_share: float = 0.1) -> tuple[str, str]:
    """Uploaded text -> (train, validation): the last `val_share` of the text is held out."""
    if len(text) < 20:
        raise UserInputError(f"the text is too short to train on: {len(text)} characters (need 20+)")
    cut = int(len(text) * (1 - val_share))
    return text[:cut], text[cut:]


def train_text(train: str, val: str, spec: TextTrainSpec, *, vocab: list[str] | None = None,
               on_step: Callable[[dict], None] | None = None,
               should_stop: Callable[[], bool] | None = None,
               model: SequenceModel | None = None) -> tuple[SequenceModel, list[str], FitResult]:
    """Train a character model on `train`, validating on `val`. Metrics include bpc values."""
    vocab = vocab or build_vocab(train + val)
    model = model or build_model(spec, len(vocab))
    report = None if on_step is None else (lambda per_model: on_step(per_model["model"]))
    dev = model_device(model)  # the text lives there, so every batch is cut on the model's device
    results = train_models({"model": model}, encode(train, vocab).to(dev), encode(val, vocab).to(dev), spec,
                           on_step=report, should_stop=should_stop)
    return model, vocab, results["model"]


def train_models(models: dict[str, SequenceModel], train_ids: Tensor, val_ids: Tensor, spec: TextTrainSpec, *,
                 on_step: Callable[[dict[str, dict]], None] | None = None,
                 should_stop: Callable[[], bool] | None = None) -> dict[str, FitResult]:
    """Train character models in lockstep on the same windows with the training settings of `spec`
    (its cell and sizes are the models' own); on_step gets {name: metrics with bpc values}."""
    get_batch = make_get_batch(train_ids, val_ids, spec.seq_len, spec.batch_size)
    streams = None
    if spec.stateful:
        streams = Streams(train_ids, spec.seq_len, spec.batch_size)
        random_windows = get_batch

        def get_batch(split: str, generator: torch.Generator):
            return streams.next(generator) if split == "train" else random_windows(split, generator)

    loss_fn = make_loss(spec.bf16, spec.weight_drop, spec.embed_dropout, streams)
    start = time.perf_counter()
    done = 0  # steps of the phases before this one
    history: dict[str, list[dict]] = {name: [] for name in models}

    def report(per_model: dict[str, dict]) -> None:
        out = {}
        for name, m in per_model.items():
            m = dict(m, step=m["step"] + done, steps=spec.steps, elapsed_s=time.perf_counter() - start)
            m["bpc"] = m["loss"] / LN2
            if "val_loss" in m:
                m["val_bpc"] = m["val_loss"] / LN2
            m["chars"] = m["step"] * spec.batch_size * spec.seq_len
            history[name].append(m)
            out[name] = m
        if on_step is not None:
            on_step(out)

    phases = [(spec.lr, 1.0 - spec.anneal)] + ([(spec.lr / 4, spec.anneal)] if spec.anneal else [])
    results: dict[str, FitResult] = {}
    for i, (lr, share) in enumerate(phases):
        steps = max(1, round(spec.steps * share)) if i == 0 else max(1, spec.steps - done)
        budget = None
        if spec.time_budget_s is not None:
            left = spec.time_budget_s - (time.perf_counter() - start)
            budget = max(0.5, spec.time_budget_s * share if i == 0 else left)
        cfg = TrainConfig(steps=steps, batch_size=spec.batch_size, lr=lr, clip=1.0, weight_decay=spec.weight_decay,
                          eval_every=spec.eval_every, eval_batches=spec.eval_batches,
                          seed=spec.seed + i, time_budget_s=budget)
        results = fit_many(models, get_batch, loss_fn, cfg, on_step=report, should_stop=should_stop)
        done += len(next(iter(results.values())).history)
        if next(iter(results.values())).stopped == "stopped":
            break
    for name, result in results.items():
        result.history = history[name]
        result.elapsed_s = time.perf_counter() - start
    return results


@torch.no_grad()
def log2_losses(model: SequenceModel, ids: Tensor, chunk: int = 512) -> Tensor:
    """-log2 p of ids[1:], read left to right with the state carried across chunks (streaming)."""
    model.eval()
    out = []
    state = None
    ids = ids.to(model_device(model))
    x_all = ids[:-1]
    for s in range(0, len(x_all), chunk):
        x = x_all[s:s + chunk][None, :]  # (1, chunk)
        y = ids[s + 1:s + 1 + chunk]
        logits, state = model(x, state)
        out.append(nn.functional.cross_entropy(logits[0], y, reduction="none") / LN2)
    return torch.cat(out).cpu() if out else torch.zeros(0)


@torch.no_grad()
def parallel_log2_losses(model: SequenceModel, ids: Tensor, streams: int = 32, chunk: int = 512) -> Tensor:
    """Like log2_losses, but the text is cut into `streams` contiguous pieces read side by side
    (a batch), each with its own carried state: much faster; only each piece's start loses context."""
    n = len(ids) - 1  # predictions
    streams = max(1, min(streams, n // 256))
    if streams == 1:
        return log2_losses(model, ids, chunk)
    model.eval()
    ids = ids.to(model_device(model))
    seg = -(-n // streams)  # ceil
    pad = seg * streams - n
    x = torch.cat([ids[:-1], ids.new_zeros(pad)]).view(streams, seg)  # (streams, seg)
    y = torch.cat([ids[1:], ids.new_zeros(pad)]).view(streams, seg)
    out, state = [], None
    for s in range(0, seg, chunk):
        logits, state = model(x[:, s:s + chunk], state)  # (streams, chunk, vocab)
        nll = nn.functional.cross_entropy(logits.transpose(1, 2), y[:, s:s + chunk], reduction="none")
        out.append(nll / LN2)
    return torch.cat(out, dim=1).reshape(-1)[:n].cpu()


def bits_per_char(model: SequenceModel, ids: Tensor, streams: int = 32) -> float:
    """Mean -log2 p(next char) over a text given as ids (the first character is the prime)."""
    if len(ids) < 2:
        raise UserInputError("need at least 2 characters to measure bits per character")
    return float(parallel_log2_losses(model, ids, streams).mean())


def spec_meta(spec: TextTrainSpec, model: SequenceModel, result: FitResult) -> dict:
    """The training facts written into a checkpoint's JSON."""
    return {"spec": asdict(spec), "parameters": count_parameters(model),
            "steps_done": len(result.history), "stopped": result.stopped,
            "train_seconds": round(result.elapsed_s, 1),
            "final_val_bpc": None if result.final_val_loss is None else result.final_val_loss / LN2}


def matched_hidden(cell: str, target_params: int, vocab_size: int, embed_size: int = 64,
                   num_layers: int = 1) -> int:
    """The hidden size that gives `cell` about `target_params` parameters (for fair comparisons)."""
    def params(h: int) -> int:
        with shapes_only():
            return count_parameters(SequenceModel(ModelConfig(
                cell=cell, input_size=vocab_size, embed_size=embed_size, hidden_size=h,
                num_layers=num_layers, output_size=vocab_size)))

    lo, hi = 1, 4096
    while lo < hi:  # parameters grow with h: find the first h reaching the target
        mid = (lo + hi) // 2
        if params(mid) < target_params:
            lo = mid + 1
        else:
            hi = mid
    return lo if lo == 1 or abs(params(lo) - target_params) <= abs(params(lo - 1) - target_params) else lo - 1
