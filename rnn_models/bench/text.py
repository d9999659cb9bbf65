"""Text figures: streaming generation vs re-feeding, characters/s, first-character latency, and
training throughput of the default model itself beside the matmul ceiling."""

import time
from collections.abc import Callable

import torch

from .core import matmul_ceiling, training_throughput
from .generation import one_core_figures
from .report import Figure

PRIME = "ROMEO:\n"


def bench_figures(quick: bool, log: Callable[[str], None]) -> list[Figure]:
    from ..checkpoints import load
    from ..sampling import SamplingSettings
    from ..stepper import Stepper, compile_steps
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
        compile_steps()
        compile_ms = (time.perf_counter() - t0) * 1e3
        t0 = time.perf_counter()
        Stepper(model)  # this model's fp16 packs, made once per model (kept until a weight changes)
        pack_ms = (time.perf_counter() - t0) * 1e3
        t0 = time.perf_counter()
        next(iter(stream(model, vocab, PRIME, s)))
        first_ms = (time.perf_counter() - t0) * 1e3
        t0 = time.perf_counter()
        streamed = "".join(stream(model, vocab, PRIME, s))
        stream_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        refed = generate_refeed(model, vocab, PRIME, s)
        refeed_s = time.perf_counter() - t0
        cfg = model.config
        figs = [
            Figure(f"first character ({cfg.cell} {cfg.hidden_size}, 1 thread)", first_ms, "ms", target="< 50 ms",
                   met=first_ms < 50, note=f"after the one-off TorchScript compile ({compile_ms:.0f} ms) and this "
                   f"model's fp16 packs ({pack_ms:.0f} ms), which the server's warm-up pays (checkpoints.warm_up, "
                   "ui/text/warm.py)"),
            Figure(f"generation, carried state, {length} chars", length / stream_s, "chars/s", "re-feeding the prefix",
                   length / refeed_s, "ratio >= 20", (refeed_s / stream_s) >= 20,
                   "" if streamed == refed else "streamed and re-fed texts differ"),
            *one_core_figures(model, vocab, 600 if quick else 3000),
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
