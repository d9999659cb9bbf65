"""Speed of the text models on one CPU thread: streaming generation and training throughput.

Prints ratios, not pass/fail: streaming with the carried state vs re-feeding the prefix,
characters per second, time to the first character, and training characters per second beside
this machine's measured fp32 matrix-multiply rate.

    python benchmarks/text_speed.py [--model PATH.json] [--length 500] [--threads 1]
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from rnn_models.checkpoints import load  # noqa: E402
from rnn_models.sampling import SamplingSettings  # noqa: E402
from rnn_models.text import DEFAULT_CHECKPOINT  # noqa: E402
from rnn_models.text.generate import GenerationSettings, generate_refeed, stream  # noqa: E402
from rnn_models.text.train import make_get_batch, make_loss  # noqa: E402

PRIME = "ROMEO:\n"


def matmul_gflops(n: int = 1024, repeats: int = 10) -> float:
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    t = time.perf_counter()
    for _ in range(repeats):
        a @ b
    return 2 * n**3 * repeats / (time.perf_counter() - t) / 1e9


def train_flops_per_char(cfg) -> float:
    """Multiply-adds x 2 (FLOPs) x 3 (forward + backward) per character, recurrent layers + head."""
    gates = {"rnn": 1, "gru": 3, "lstm": 4}[cfg.cell]
    flops, width = 0, cfg.embed_size
    for _ in range(cfg.num_layers):
        flops += 2 * gates * cfg.hidden_size * (width + cfg.hidden_size)
        width = cfg.hidden_size
    flops += 2 * cfg.hidden_size * cfg.output_size
    return 3.0 * flops


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=str(DEFAULT_CHECKPOINT))
    ap.add_argument("--length", type=int, default=500)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--train-steps", type=int, default=10, help="0: skip the training measurement")
    ap.add_argument("--no-refeed", action="store_true", help="skip the (slow) re-feeding loop")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)

    t0 = time.perf_counter()
    ckpt = load(args.model)
    load_s = time.perf_counter() - t0
    model, vocab = ckpt.model, ckpt.meta["vocab"]
    s = GenerationSettings(length=args.length, sampling=SamplingSettings(temperature=0.8), seed=0)

    t = time.perf_counter()
    it = stream(model, vocab, PRIME, s)
    next(it)
    first_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    streamed = "".join(stream(model, vocab, PRIME, s))
    stream_s = time.perf_counter() - t
    refeed_s, refed = None, None
    if not args.no_refeed:
        t = time.perf_counter()
        refed = generate_refeed(model, vocab, PRIME, s)
        refeed_s = time.perf_counter() - t

    cfg = model.config
    print(f"model {Path(args.model).name}: {cfg.cell} {cfg.num_layers}x{cfg.hidden_size}, "
          f"{args.threads} thread(s), loaded in {load_s * 1000:.0f} ms")
    print(f"first character after the model is loaded: {first_ms:.1f} ms")
    print(f"streaming (carried state): {args.length} chars in {stream_s:.2f} s = "
          f"{args.length / stream_s:,.0f} chars/s")
    if refeed_s is not None:
        print(f"re-feeding the prefix:     {args.length} chars in {refeed_s:.2f} s = "
              f"{args.length / refeed_s:,.0f} chars/s")
        print(f"speed-up of streaming: {refeed_s / stream_s:.1f}x  (same text: {streamed == refed})")
    if args.train_steps < 1:
        return 0

    # training throughput on random windows of real-sized batches
    train_model = load(args.model).model.train()
    ids = torch.randint(0, len(vocab), (200_000,))
    get_batch = make_get_batch(ids, ids, 128, 64)
    for bf16 in (False, True):
        loss_fn = make_loss(bf16)
        opt = torch.optim.Adam(train_model.parameters(), 1e-4)
        gen = torch.Generator().manual_seed(0)
        for step in range(args.train_steps + 1):
            if step == 1:
                t = time.perf_counter()
            x, y = get_batch("train", gen)
            loss = loss_fn(train_model, x, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        cps = args.train_steps * x.numel() / (time.perf_counter() - t)
        achieved = cps * train_flops_per_char(cfg) / 1e9
        peak = matmul_gflops()
        print(f"training ({'bf16 autocast' if bf16 else 'fp32'}): {cps:,.0f} chars/s = {achieved:.1f} GFLOP/s; "
              f"fp32 1024x1024 matmul: {peak:.1f} GFLOP/s; fraction {achieved / peak:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
