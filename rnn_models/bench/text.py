"""Text figures: streaming generation vs re-feeding, characters/s, first-character latency, and
training throughput of the default model itself beside the matmul ceiling."""

import time
from collections.abc import Callable

import torch

from .core import matmul_ceiling, training_throughput
from .report import Figure

PRIME = "ROMEO:\n"


def bench_figures(quick: bool, log: Callable[[str], None]) -> list[Figure]:
    from ..checkpoints import load
    from ..sampling import SamplingSettings
    from ..text import DEFAULT_CHECKPOINT
    from ..text.generate import GenerationSettings, generate_refeed, stream

    if not DEFAULT_CHECKPOINT.exists():
        return [Figure("text figures", 0, "", note="skipped: no default text checkpoint")]
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # the targets are per core
    try:
        log("text generation")
        ckpt = load(DEFAULT_CHECKPOINT)
        model, vocab = ckpt.model, ckpt.meta["vocab"]
        length = 200 if quick else 500
        s = GenerationSettings(length=length, sampling=SamplingSettings(temperature=0.8), seed=0)
        t0 = time.perf_counter()
        next(iter(stream(model, vocab, PRIME, s)))
        first_ms = (time.perf_counter() - t0) * 1e3
        t0 = time.perf_counter()
        streamed = "".join(stream(model, vocab, PRIME, s))
        stream_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        refed = generate_refeed(model, vocab, PRIME, s)
        refeed_s = time.perf_counter() - t0
        cps = length / stream_s
        cfg = model.config
        figs = [
            Figure(f"first character ({cfg.cell} {cfg.hidden_size}, 1 thread)", first_ms, "ms", target="< 50 ms",
                   met=first_ms < 50),
            Figure(f"generation, carried state, {length} chars", cps, "chars/s", "re-feeding the prefix",
                   length / refeed_s, "ratio >= 20", (refeed_s / stream_s) >= 20,
                   "" if streamed == refed else "streamed and re-fed texts differ"),
            Figure("generation speed on one core", cps, "chars/s", target=">= 2000 chars/s", met=cps >= 2000,
                   note="" if cps >= 2000 else f"each character costs one {cfg.hidden_size}-unit LSTM step "
                   f"(~{8 * cfg.hidden_size * (cfg.embed_size + cfg.hidden_size) / 1e6:.1f} MFLOP) plus Python "
                   "overhead; a smaller default model would reach the target"),
        ]
    finally:
        torch.set_num_threads(threads)
    log("training throughput of the default text model")
    ceiling = matmul_ceiling(repeat=5)
    for batch in (64, 128):
        t = training_throughput(cfg.cell, cfg.hidden_size, vocab=len(vocab), embed=cfg.embed_size,
                                layers=cfg.num_layers, batch=batch, seq_len=128, steps=3 if quick else 6,
                                ceiling=ceiling)
        figs.append(Figure(f"train default text model b{batch} (fp32)", t.flops_per_s / 1e9, "GFLOP/s",
                           "matmul ceiling", ceiling / 1e9, "ratio >= 0.5", t.fraction_of_ceiling >= 0.5))
        figs.append(Figure(f"train default text model b{batch} characters/s", t.tokens_per_s, "chars/s"))
    return figs
