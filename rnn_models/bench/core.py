"""Core figures: the machine's matmul ceiling, training throughput, the price of transparent cells."""

import time
from dataclasses import dataclass

import torch
from torch import nn

from ..network import ModelConfig, SequenceModel

GATE_ROWS = {"rnn": 1, "gru": 3, "lstm": 4}


def _timeit(fn, repeat: int, warmup: int = 2) -> float:
    """Median seconds of fn() over `repeat` runs after `warmup` runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]


_CEILINGS: dict[tuple[int, int], float] = {}  # (n, threads) -> FLOP/s, measured once per process


def matmul_ceiling(n: int = 1024, repeat: int = 10) -> float:
    """fp32 FLOP/s of an n×n by n×n matrix multiply: the ceiling training is compared with.

    The best of `repeat` runs (a ceiling is a peak; a median is at the mercy of a busy moment),
    measured once per process and thread count, so every figure of one run uses the same ceiling.
    """
    key = (n, torch.get_num_threads())
    if key not in _CEILINGS:
        a, b = torch.randn(n, n), torch.randn(n, n)
        for _ in range(3):
            a @ b
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            a @ b
            best = min(best, time.perf_counter() - t0)
        _CEILINGS[key] = 2 * n**3 / best
    return _CEILINGS[key]


def training_flops_per_token(cfg: ModelConfig) -> float:
    """Model FLOPs for one token of training: forward matmuls × 3 (backward costs about twice forward)."""
    rows = GATE_ROWS[cfg.cell] * cfg.hidden_size
    dirs = 2 if cfg.bidirectional else 1
    fwd = 0.0
    for layer in range(cfg.num_layers):
        in_size = (cfg.embed_size if cfg.input_kind == "embedding" else cfg.input_size) if layer == 0 \
            else cfg.hidden_size * dirs
        fwd += dirs * 2 * rows * (in_size + cfg.hidden_size)
    fwd += 2 * cfg.hidden_size * dirs * cfg.output_size  # the head
    return 3 * fwd


@dataclass
class Throughput:
    cell: str
    hidden: int
    batch: int
    seq_len: int
    tokens_per_s: float
    flops_per_s: float
    fraction_of_ceiling: float


def training_throughput(cell: str, hidden: int, *, vocab: int = 96, embed: int = 64, layers: int = 1,
                        batch: int = 64, seq_len: int = 100, steps: int = 12, ceiling: float,
                        stock: bool = False) -> Throughput:
    """Characters per second of full training steps (forward, backward, clip, Adam) on random text, under a
    training process's memory policy (device.keep_freed_memory, as a job's child and `train` apply it).
    stock=True: the plain torch.nn layer instead of the model's (FastGRU/FastRNN train through fused.py)."""
    from ..device import keep_freed_memory

    keep_freed_memory()
    torch.manual_seed(0)
    cfg = ModelConfig(cell=cell, input_size=vocab, embed_size=embed, hidden_size=hidden, num_layers=layers,
                      output_size=vocab)
    model = SequenceModel(cfg)
    if stock:
        plain = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell](embed, hidden, layers, batch_first=True)
        plain.load_state_dict(model.rnn.state_dict())
        model.rnn = plain
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randint(0, vocab, (batch, seq_len))
    y = torch.randint(0, vocab, (batch, seq_len))

    def step():
        logits, _ = model(x)
        loss = nn.functional.cross_entropy(logits.reshape(-1, vocab), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    sec = _timeit(step, steps, warmup=3)
    tokens = batch * seq_len / sec
    flops = tokens * training_flops_per_token(cfg)
    return Throughput(cell, hidden, batch, seq_len, tokens, flops, flops / ceiling)


@dataclass
class CellPrice:
    cell: str
    torch_ms: float
    transparent_ms: float  # step-by-step transparent cells (per-step gradients available)
    ratio: float
    fast_ms: float  # fast trace: torch.nn kernels, gates recomputed for all steps at once
    fast_ratio: float


def transparent_price(cell: str, *, hidden: int = 128, batch: int = 32, seq_len: int = 100,
                      repeat: int = 5) -> CellPrice:
    """Forward + backward time of the gate-exposing cells vs torch.nn on the same weights."""
    torch.manual_seed(0)
    cfg = ModelConfig(cell=cell, input_size=96, embed_size=64, hidden_size=hidden, num_layers=1, output_size=96)
    ref = SequenceModel(cfg)
    mine = SequenceModel(ModelConfig(**{**cfg.to_dict(), "transparent": True}))
    mine.load_state_dict(ref.state_dict())
    x = torch.randint(0, 96, (batch, seq_len))
    t_ref = _timeit(lambda: ref(x)[0].sum().backward(), repeat)
    t_mine = _timeit(lambda: mine(x)[0].sum().backward(), repeat)

    def fast():
        out, _, trace = ref.forward_traced(x, per_step=False)
        (out.sum() + sum(g.sum() for g in trace.gates[0].values())).backward()

    t_fast = _timeit(fast, repeat)
    return CellPrice(cell, t_ref * 1e3, t_mine * 1e3, t_mine / t_ref, t_fast * 1e3, t_fast / t_ref)
