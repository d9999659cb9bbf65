"""Generation on one core: the scripted path beside a Python-per-character loop and the bare recurrent
matmul, all measured in the same run (the caller sets one torch thread)."""

import statistics
import time

import torch

from ..network import SequenceModel
from ..sampling import SamplingSettings, pick
from .report import Figure

PRIME = "ROMEO:\n"
TARGET = 5000  # characters per second on one core (issue #20)


def _per_character(model: SequenceModel, vocab: list[str], length: int, sampling: SamplingSettings,
                   seed: int) -> str:
    """The loop without the scripted path: one model call and one pick() per character."""
    from ..text.generate import prime_state, start_ids

    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        logits, state = prime_state(model, start_ids(PRIME, vocab))
        out = []
        for _ in range(length):
            out.append(pick(logits, sampling, gen))
            step, state = model(torch.tensor([out[-1:]]), state)
            logits = step[0, -1]
    return "".join(vocab[i] for i in out)


def _median_rate(fn, chars: int, repeat: int = 3) -> tuple[float, float, float]:
    """(median, min, max) characters per second over `repeat` runs of fn()."""
    rates = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        rates.append(chars / (time.perf_counter() - t0))
    return statistics.median(rates), min(rates), max(rates)


def _matmul_alone(model: SequenceModel, repeat: int = 1000) -> tuple[float, str]:
    """Steps per second of the recurrent product W_hh h + b_hh alone (one row), in the fastest of its torch
    forms (interleaved, best of 3 rounds each), fbgemm's fp16 product among them where it is lossless (the
    form generation then uses): reading the weights is the floor under every character. -> (steps/s, form)."""
    from ..stepper import fp16_packs

    w = model.rnn.weight_hh_l0.detach()  # (rows*hidden, hidden)
    w_t = w.t().contiguous()
    b = model.rnn.bias_hh_l0.detach()
    h = torch.zeros(w.shape[1])
    forms = {"addmv(b, W, h)": lambda: torch.addmv(b, w, h),
             "addmm(b, h, W^T contiguous)": lambda: torch.addmm(b, h[None], w_t)}
    packed = fp16_packs([w])
    if packed:
        forms["fbgemm fp16 W (lossless here) + b"] = lambda: torch.ops.quantized.linear_dynamic_fp16(
            h[None], packed[0])[0] + b
    best = {name: float("inf") for name in forms}
    for _ in range(3):
        for name, fn in forms.items():
            for _ in range(50):
                fn()
            t0 = time.perf_counter()
            for _ in range(repeat):
                fn()
            best[name] = min(best[name], (time.perf_counter() - t0) / repeat)
    name = min(best, key=best.get)
    return 1 / best[name], name


def one_core_figures(model: SequenceModel, vocab: list[str], length: int) -> list[Figure]:
    from ..stepper import Stepper
    from ..text.generate import GenerationSettings, generate

    sampling = SamplingSettings(temperature=0.8)
    s = GenerationSettings(length=length, sampling=sampling, seed=0)
    text = generate(model, vocab, PRIME, s)
    fast, lo, hi = _median_rate(lambda: generate(model, vocab, PRIME, s), length)
    short = max(50, length // 10)
    slow_text = _per_character(model, vocab, short, sampling, 0)
    slow, _, _ = _median_rate(lambda: _per_character(model, vocab, short, sampling, 0), short)
    same = generate(model, vocab, PRIME, s) == text and text[:short] == slow_text
    cfg = model.config
    name = f"generation on one core ({cfg.cell} {cfg.hidden_size}, {length} chars, temperature 0.8)"
    fp16 = ("; W_hh read as fp16 by fbgemm (its values are fp16 numbers: the same weights, fp32 sums)"
            if Stepper(model).packed else "")
    figs = [Figure(name, fast, "chars/s", "model call + pick() per character", slow, f">= {TARGET} chars/s",
                   fast >= TARGET, f"median of 3 (min {lo:.0f}, max {hi:.0f}); "
                   + ("same seed, same text; equal to the per-character loop's (fp32 torch.nn)" if same else
                      "TEXTS DIFFER between runs or from the per-character loop") + fp16)]
    if isinstance(model.rnn, torch.nn.RNNBase):
        floor, form = _matmul_alone(model)
        figs.append(Figure("generation on one core vs its recurrent matmul alone", fast, "chars/s",
                           "W_hh h alone per character (reading the weights)", floor,
                           note=f"the floor is {form}, the fastest form measured; the ratio is the share of each "
                           "character's time spent in that one product"))
    return figs
