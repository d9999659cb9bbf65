"""fit(): the one training loop. It reports through callbacks and never prints or plots."""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
import torch.distributed as dist
from torch import Tensor, nn

Batch = tuple[Tensor, Tensor]


@dataclass(frozen=True)
class TrainConfig:
    steps: int = 1000  # optimisation steps (upper bound if a time budget ends it first)
    batch_size: int = 64  # sequences per step (get_batch decides how to honour it)
    lr: float = 2e-3  # Adam learning rate
    clip: float | None = 1.0  # max global gradient norm; None turns clipping off
    weight_decay: float = 0.0  # Adam weight decay
    eval_every: int = 100  # steps between validation passes (0: only at the end)
    eval_batches: int = 8  # validation batches per pass
    seed: int = 0  # seeds torch (init is the caller's; batches via the generator passed to get_batch)
    time_budget_s: float | None = None  # stop after this many seconds of training

    def __post_init__(self):
        if self.steps < 1 or self.batch_size < 1:
            raise ValueError("steps and batch_size must be at least 1")
        if not (self.lr > 0 and math.isfinite(self.lr)):
            raise ValueError(f"lr must be a positive number, got {self.lr}")
        if self.clip is not None and self.clip <= 0:
            raise ValueError(f"clip must be positive or None, got {self.clip}")


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
    x, y = batch
    if x.shape[0] % size:
        raise ValueError(f"batch size {x.shape[0]} does not split evenly over {size} processes")
    n = x.shape[0] // size
    return x[rank * n:(rank + 1) * n], y[rank * n:(rank + 1) * n]


def _mean_over_ranks(value: float, size: int) -> float:
    if size == 1:
        return value
    t = torch.tensor([value], dtype=torch.float64)
    dist.all_reduce(t)
    return float(t) / size


def sequence_cross_entropy(model: nn.Module, x: Tensor, y: Tensor) -> Tensor:
    """Mean next-token cross-entropy in nats; y holds class ids shaped like the outputs' leading dims."""
    logits, _ = model(x)
    return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))


@torch.no_grad()
def evaluate(model: nn.Module, get_batch: Callable, loss_fn: Callable, batches: int,
             generator: torch.Generator) -> float:
    """Mean loss over `batches` validation batches, in eval mode."""
    was_training = model.training
    model.eval()
    total = 0.0
    for _ in range(batches):
        x, y = get_batch("val", generator)
        total += float(loss_fn(model, x, y))
    model.train(was_training)
    return total / max(1, batches)


def fit(model: nn.Module, get_batch: Callable[[str, torch.Generator], Batch],
        loss_fn: Callable[[nn.Module, Tensor, Tensor], Tensor] = sequence_cross_entropy,
        config: TrainConfig = TrainConfig(), *, on_step: Callable[[dict], None] | None = None,
        should_stop: Callable[[], bool] | None = None, validate: bool = True) -> FitResult:
    """Train with Adam and gradient-norm clipping; calls on_step(metrics) after every step.

    Under torchrun (torch.distributed initialised) each process takes its slice of the same
    global batch and gradients are averaged, so the loss follows the one-process trajectory.
    """
    torch.manual_seed(config.seed)
    gen = torch.Generator().manual_seed(config.seed)  # same on every rank: same global batches
    val_gen_seed = config.seed + 1  # the same validation batches at every pass
    rank, size = world()
    net = model
    if size > 1:
        from torch.nn.parallel import DistributedDataParallel

        for p in model.parameters():  # start from rank 0's weights everywhere
            dist.broadcast(p.data, src=0)
        net = DistributedDataParallel(model)
    opt = torch.optim.Adam(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    params = [p for p in model.parameters() if p.requires_grad]
    result = FitResult()
    start = time.perf_counter()
    model.train()
    for step in range(1, config.steps + 1):
        stop = should_stop is not None and should_stop()
        if size > 1:
            stop = _mean_over_ranks(float(stop), size) > 0
        if stop:
            result.stopped = "stopped"
            break
        x, y = get_batch("train", gen)
        if size > 1:
            x, y = _shard((x, y), rank, size)
        loss = loss_fn(net, x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()  # DDP averages gradients across ranks here
        if config.clip is not None:
            norm = float(nn.utils.clip_grad_norm_(params, config.clip))
        else:
            norm = float(torch.linalg.vector_norm(
                torch.stack([p.grad.norm() for p in params if p.grad is not None])))
        opt.step()
        elapsed = time.perf_counter() - start
        metrics = {"step": step, "steps": config.steps, "loss": _mean_over_ranks(float(loss.detach()), size),
                   "grad_norm": norm,
                   "lr": config.lr, "elapsed_s": elapsed}
        last = step == config.steps
        over_budget = config.time_budget_s is not None and elapsed >= config.time_budget_s
        if size > 1:  # every rank must stop at the same step
            over_budget = _mean_over_ranks(float(over_budget), size) > 0
        if validate and ((config.eval_every and step % config.eval_every == 0) or last or over_budget):
            metrics["val_loss"] = evaluate(model, get_batch, loss_fn, config.eval_batches,
                                           torch.Generator().manual_seed(val_gen_seed))
            result.final_val_loss = metrics["val_loss"]
        result.history.append(metrics)
        if on_step is not None:
            on_step(metrics)
        if over_budget and not last:
            result.stopped = "time_budget"
            break
    model.eval()
    result.elapsed_s = time.perf_counter() - start
    return result
