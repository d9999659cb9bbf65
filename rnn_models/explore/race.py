"""The long-range race: vanilla RNN, LSTM and GRU trained side by side on the same batches."""

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch import nn

from rnn_models.network import CELLS, ModelConfig, SequenceModel
from rnn_models.training import TrainConfig, columns, fit_many

from .tasks import TaskSpec, make_batch, task_loss, task_spec


@dataclass(frozen=True)
class RaceConfig:
    task: str = "adding"  # "adding" | "copy"
    length: int = 100  # T: how far apart the things to remember are
    seconds: float = 60.0  # wall-clock budget for all cells together
    cells: tuple[str, ...] = CELLS  # who races
    hidden_size: int = 32  # units per cell (same for every cell)
    batch_size: int = 32  # sequences per step, the same batch for every cell
    lr: float = 1e-2  # Adam learning rate
    clip: float | None = 1.0  # max gradient norm per cell
    chrono: bool = True  # chrono initialisation of the LSTM's forget/input biases (Tallec & Ollivier 2018)
    eval_every: int = 25  # steps between held-out evaluations
    eval_size: int = 256  # sequences in the held-out batch
    max_steps: int | None = None  # stop after this many steps even if time is left (tests)
    seed: int = 0  # same seed, same batches and initial weights


@dataclass
class RaceResult:
    history: list[dict] = field(default_factory=list)  # per step: step, elapsed_s, loss_<cell>, val_<cell>
    final: dict[str, float] = field(default_factory=dict)  # cell -> held-out loss at the end
    baseline: float = 0.0  # memoryless baseline for this task and length
    baseline_label: str = ""
    steps: int = 0
    elapsed_s: float = 0.0
    stopped: str = "done"  # "done" | "stopped" | "steps"
    models: dict[str, SequenceModel] = field(default_factory=dict)


def chrono_init(model: SequenceModel, t_max: int, generator: torch.Generator) -> None:
    """LSTM forget bias log(U(1, t_max-1)) and input bias its negative, so memories last ~t_max steps."""
    if model.config.cell != "lstm":
        return
    hid = model.config.hidden_size
    with torch.no_grad():
        for name, p in model.rnn.named_parameters():
            if not name.startswith("bias_"):
                continue
            if name.startswith("bias_hh"):
                p[: 2 * hid].zero_()  # the input and forget parts live in bias_ih alone
                continue
            u = torch.rand(hid, generator=generator) * (max(t_max, 3) - 2) + 1.0
            forget = torch.log(u)
            p[hid: 2 * hid] = forget
            p[:hid] = -forget


def build_model(spec: TaskSpec, cell: str, hidden_size: int, *, bidirectional: bool = False) -> SequenceModel:
    """A one-layer model shaped for the task."""
    cfg = ModelConfig(cell=cell, input_size=spec.input_size, input_kind=spec.input_kind, embed_size=16,
                      hidden_size=hidden_size, output_size=spec.output_size, bidirectional=bidirectional)
    return SequenceModel(cfg)


def race_models(config: RaceConfig) -> tuple[TaskSpec, dict[str, SequenceModel]]:
    """The racers, each initialised from the same seed."""
    spec = task_spec(config.task, config.length)
    models = {}
    for cell in config.cells:
        torch.manual_seed(config.seed)
        model = build_model(spec, cell, config.hidden_size)
        if config.chrono:
            chrono_init(model, spec.length, torch.Generator().manual_seed(config.seed))
        models[cell] = model
    return spec, models


@torch.no_grad()
def evaluate(model: nn.Module, spec: TaskSpec, x: torch.Tensor, y: torch.Tensor) -> float:
    """Held-out loss (MSE or nats) of one model."""
    model.eval()
    out, _ = model(x)
    model.train()
    return float(task_loss(spec.name, out, y))


def run_race(config: RaceConfig, *, on_step: Callable[[dict], None] | None = None,
             should_stop: Callable[[], bool] | None = None) -> RaceResult:
    """Train every cell in lockstep on identical batches until the time budget is spent: one fit_many call."""
    spec, models = race_models(config)
    val = make_batch(spec.name, config.eval_size, spec.length, torch.Generator().manual_seed(config.seed + 1))

    def get_batch(split: str, gen: torch.Generator):
        return val if split == "val" else make_batch(spec.name, config.batch_size, spec.length, gen)

    def loss_fn(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        out, _ = model(x)
        return task_loss(spec.name, out, y)

    result = RaceResult(baseline=spec.baseline, baseline_label=spec.baseline_label, models=models)

    def report(per_cell: dict[str, dict]) -> None:
        metrics = columns(per_cell, {"loss": "loss", "grad_norm": "grad_norm", "val_loss": "val"})
        metrics["seconds"] = config.seconds
        result.history.append(metrics)
        if on_step is not None:
            on_step(metrics)

    steps = config.max_steps if config.max_steps is not None else 10**9
    train = TrainConfig(steps=steps, batch_size=config.batch_size, lr=config.lr, clip=config.clip,
                        eval_every=config.eval_every, eval_batches=1, seed=config.seed,
                        time_budget_s=config.seconds, eval_first=True)
    fits = fit_many(models, get_batch, loss_fn, train, on_step=report, should_stop=should_stop)
    fitted = next(iter(fits.values()))
    result.steps = len(fitted.history)
    result.elapsed_s = fitted.elapsed_s
    result.stopped = {"done": "steps" if config.max_steps is not None else "done",
                      "time_budget": "done"}.get(fitted.stopped, fitted.stopped)
    for cell, fit_result in fits.items():  # the last step's validation, when fit made one, is the final one
        last = fit_result.history[-1] if fit_result.history else {}
        result.final[cell] = last["val_loss"] if "val_loss" in last else evaluate(models[cell], spec, *val)
    if result.history:
        result.history[-1].update({f"val_{cell}": loss for cell, loss in result.final.items()})
    return result


def verdict(result: RaceResult) -> dict[str, str]:
    """Per cell: 'solved' (under 30% of the baseline), 'learning' or 'at baseline'."""
    out = {}
    for cell, loss in result.final.items():
        ratio = loss / result.baseline if result.baseline else math.inf
        out[cell] = "solved" if ratio < 0.3 else ("learning" if ratio < 0.85 else "at baseline")
    return out
