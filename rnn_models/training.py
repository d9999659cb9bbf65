"""fit(): the one training loop. It reports through callbacks and never prints or plots."""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
import torch.distributed as dist
from torch import Tensor, nn

Batch = tuple[Tensor, ...]  # (inputs, targets, ...): loss_fn(model, *batch)


OPTIMIZERS = {  # name -> (parameters, config) -> optimiser
    "adam": lambda params, c: torch.optim.Adam(params, lr=c.lr, weight_decay=c.weight_decay),
    "sgd": lambda params, c: torch.optim.SGD(params, lr=c.lr, weight_decay=c.weight_decay),
}
# what models trained in lockstep must share: they take the same steps on the same batches
LOCKSTEP = ("steps", "batch_size", "eval_every", "eval_batches", "seed", "time_budget_s", "eval_first")


@dataclass(frozen=True)
class TrainConfig:
    steps: int = 1000  # optimisation steps (upper bound if a time budget ends it first)
    batch_size: int = 64  # sequences per step (get_batch decides how to honour it)
    lr: float = 2e-3  # learning rate
    clip: float | None = 1.0  # max global gradient norm; None turns clipping off
    weight_decay: float = 0.0  # the optimiser's weight decay
    eval_every: int = 100  # steps between validation passes (0: only at the end)
    eval_batches: int = 8  # validation batches per pass
    seed: int = 0  # seeds torch (init is the caller's; batches via the generator passed to get_batch)
    time_budget_s: float | None = None  # stop after this many seconds of training
    optimizer: str = "adam"  # "adam" | "sgd" (plain SGD shows the explosions Adam's scaling hides)
    eval_first: bool = False  # also validate after the first step (a live chart's first point)

    def __post_init__(self):
        if self.steps < 1 or self.batch_size < 1:
            raise ValueError("steps and batch_size must be at least 1")
        if not (self.lr > 0 and math.isfinite(self.lr)):
            raise ValueError(f"lr must be a positive number, got {self.lr}")
        if self.clip is not None and self.clip <= 0:
            raise ValueError(f"clip must be positive or None, got {self.clip}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {self.optimizer!r}; choose one of: {', '.join(OPTIMIZERS)}")


@dataclass
class FitResult:
    history: list[dict] = field(default_factory=list)  # one metrics dict per step
    final_val_loss: float | None = None
    stopped: str = "done"  # "done" | "stopped" | "time_budget"
    elapsed_s: float = 0.0


def world() -> tuple[int, int]:
    """(rank, world size) under torch.distributed, else (0, 1)."""
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def _shard(batch: Batch, rank: int, size: int) -> Batch:
    """This rank's slice of the global batch (every rank draws the same global batch)."""
    if batch[0].shape[0] % size:
        raise ValueError(f"batch size {batch[0].shape[0]} does not split evenly over {size} processes")
    n = batch[0].shape[0] // size
    return tuple(t[rank * n:(rank + 1) * n] for t in batch)


def _mean_over_ranks(value: float, size: int) -> float:
    if size == 1:
        return value
    t = torch.tensor([value], dtype=torch.float64)
    dist.all_reduce(t)
    return float(t) / size


def model_device(model: nn.Module) -> torch.device:
    """Where the model's parameters live (the CPU for a model without any)."""
    return next((p.device for p in model.parameters()), torch.device("cpu"))


def to_device(batch: Batch, device: torch.device) -> Batch:
    """The batch's tensors on `device` (no copy when they are there already)."""
    return tuple(t.to(device, non_blocking=True) for t in batch)


def sequence_cross_entropy(model: nn.Module, x: Tensor, y: Tensor) -> Tensor:
    """Mean next-token cross-entropy in nats; y holds class ids shaped like the outputs' leading dims."""
    logits, _ = model(x)
    return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))


@torch.no_grad()
def evaluate(model: nn.Module, get_batch: Callable, loss_fn: Callable, batches: int,
             generator: torch.Generator) -> float:
    """Mean loss over `batches` validation batches, in eval mode, on the model's device."""
    was_training = model.training
    model.eval()
    device = model_device(model)
    total = 0.0
    for _ in range(batches):
        total += float(loss_fn(model, *to_device(get_batch("val", generator), device)))
    model.train(was_training)
    return total / max(1, batches)


def fit(model: nn.Module, get_batch: Callable[[str, torch.Generator], Batch],
        loss_fn: Callable[..., Tensor] = sequence_cross_entropy,
        config: TrainConfig = TrainConfig(), *, on_step: Callable[[dict], None] | None = None,
        should_stop: Callable[[], bool] | None = None, validate: bool = True,
        val_fn: Callable[[nn.Module], dict[str, float]] | None = None) -> FitResult:
    """Train one model; calls on_step(metrics) after every step. fit_many() with a single model.

    Under torchrun (torch.distributed initialised) each process takes its slice of the same
    global batch and gradients are averaged, so the loss follows the one-process trajectory.
    """
    report = None if on_step is None else (lambda per_model: on_step(per_model["model"]))
    return fit_many({"model": model}, get_batch, loss_fn, config, on_step=report, should_stop=should_stop,
                    validate=validate, val_fn=val_fn)["model"]


def columns(per_model: dict[str, dict], names: dict[str, str]) -> dict:
    """Lockstep metrics {model: {metric: value}} as one row: step, elapsed_s and `<names[metric]>_<model>`."""
    first = next(iter(per_model.values()))
    row = {"step": first["step"], "elapsed_s": first["elapsed_s"]}
    for model, m in per_model.items():
        row.update({f"{prefix}_{model}": m[key] for key, prefix in names.items() if key in m})
    return row


@dataclass
class _Run:
    """One model being trained: its optimiser, settings, random stream and results."""

    model: nn.Module
    net: nn.Module  # the model, or its DistributedDataParallel wrapper
    opt: torch.optim.Optimizer
    config: TrainConfig
    rng: tuple | None = None  # its own torch random state between steps (lockstep only)
    result: FitResult = field(default_factory=FitResult)


def _rng_state() -> tuple:
    return torch.get_rng_state(), (torch.cuda.get_rng_state_all() if torch.cuda.is_initialized() else None)


def _set_rng_state(state: tuple) -> None:
    torch.set_rng_state(state[0])
    if state[1] is not None:
        torch.cuda.set_rng_state_all(state[1])


def _runs(models: dict[str, nn.Module], config, size: int) -> dict[str, _Run]:
    configs = config if isinstance(config, dict) else {name: config for name in models}
    if set(configs) != set(models):
        raise ValueError("give one TrainConfig, or one for every model")
    first = next(iter(configs.values()))
    for name, c in configs.items():
        if any(getattr(c, f) != getattr(first, f) for f in LOCKSTEP):
            raise ValueError(f"models trained in lockstep must share {', '.join(LOCKSTEP)}; {name!r} differs")
    runs = {}
    for name, model in models.items():
        net = model
        if size > 1:
            from torch.nn.parallel import DistributedDataParallel

            for p in model.parameters():  # start from rank 0's weights everywhere
                dist.broadcast(p.data, src=0)
            net = DistributedDataParallel(model)
        opt = OPTIMIZERS[configs[name].optimizer](model.parameters(), configs[name])
        runs[name] = _Run(model, net, opt, configs[name])
    return runs


def _step(run: _Run, batch: Batch, loss_fn: Callable) -> tuple[Tensor, Tensor]:
    """One optimiser step; -> (loss, gradient norm before clipping), both still tensors on the device."""
    params = [p for p in run.model.parameters() if p.requires_grad]
    loss = loss_fn(run.net, *to_device(batch, model_device(run.model)))
    run.opt.zero_grad(set_to_none=True)
    loss.backward()  # DDP averages gradients across ranks here
    if run.config.clip is not None:
        norm = nn.utils.clip_grad_norm_(params, run.config.clip)
    else:
        norm = torch.linalg.vector_norm(torch.stack([p.grad.norm() for p in params if p.grad is not None]))
    run.opt.step()
    return loss.detach(), norm


def fit_many(models: dict[str, nn.Module], get_batch: Callable[[str, torch.Generator], Batch],
             loss_fn: Callable[..., Tensor] = sequence_cross_entropy,
             config: TrainConfig | dict[str, TrainConfig] = TrainConfig(), *,
             on_step: Callable[[dict[str, dict]], None] | None = None,
             should_stop: Callable[[], bool] | None = None, validate: bool = True,
             val_fn: Callable[[nn.Module], dict[str, float]] | None = None) -> dict[str, FitResult]:
    """Train several models in lockstep: each step draws one batch and every model takes its own
    optimiser step on it. on_step({name: metrics}) follows every step; should_stop() is asked before.

    Each model ends exactly as fit() alone would leave it: the same batches, and its own random
    stream (dropout) kept apart from the others'. A config per model may change lr, clip, weight
    decay and optimiser; what lockstep needs (LOCKSTEP) must agree. val_fn(model) -> metrics
    replaces the default validation {"val_loss": mean loss over eval_batches "val" batches}.
    """
    rank, size = world()
    runs = _runs(models, config, size)
    cfg = next(iter(runs.values())).config
    torch.manual_seed(cfg.seed)
    gen = torch.Generator().manual_seed(cfg.seed)  # same on every rank: same global batches
    if len(runs) > 1:
        for run in runs.values():
            run.rng = _rng_state()
    if val_fn is None:
        def val_fn(model: nn.Module) -> dict[str, float]:  # the same validation batches at every pass
            return {"val_loss": evaluate(model, get_batch, loss_fn, cfg.eval_batches,
                                         torch.Generator().manual_seed(cfg.seed + 1))}
    start = time.perf_counter()
    for run in runs.values():
        run.model.train()
    stopped = "done"
    for step in range(1, cfg.steps + 1):
        stop = should_stop is not None and should_stop()
        if size > 1:
            stop = _mean_over_ranks(float(stop), size) > 0
        if stop:
            stopped = "stopped"
            break
        batch = get_batch("train", gen)
        if size > 1:
            batch = _shard(batch, rank, size)
        stepped = {}
        for name, run in runs.items():
            if run.rng is not None:
                _set_rng_state(run.rng)
            stepped[name] = _step(run, batch, loss_fn)
            if run.rng is not None:
                run.rng = _rng_state()
        elapsed = time.perf_counter() - start
        metrics = {name: {"step": step, "steps": cfg.steps, "loss": _mean_over_ranks(float(loss), size),
                          "grad_norm": float(norm), "lr": runs[name].config.lr, "elapsed_s": elapsed}
                   for name, (loss, norm) in stepped.items()}
        last = step == cfg.steps
        over_budget = cfg.time_budget_s is not None and elapsed >= cfg.time_budget_s
        if size > 1:  # every rank must stop at the same step
            over_budget = _mean_over_ranks(float(over_budget), size) > 0
        due = (cfg.eval_every and step % cfg.eval_every == 0) or (cfg.eval_first and step == 1)
        for name, run in runs.items():
            if validate and (due or last or over_budget):
                metrics[name].update(val_fn(run.model))
                run.result.final_val_loss = metrics[name].get("val_loss")
            run.result.history.append(metrics[name])
        if on_step is not None:
            on_step(metrics)
        if over_budget and not last:
            stopped = "time_budget"
            break
    for run in runs.values():
        run.model.eval()
        run.result.stopped = stopped
        run.result.elapsed_s = time.perf_counter() - start
    return {name: run.result for name, run in runs.items()}
