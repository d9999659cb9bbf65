"""Text subcommands: `generate`, `train text`, `evaluate text`."""

import json
import sys
import tempfile
from pathlib import Path

from ..cli import add_network_args, command_line
from ..errors import UserInputError
from .checkpoint import load_text_checkpoint
from .textio import read_text_file


def register(sub) -> None:
    from ..cli import register_evaluate, register_train

    p = sub.add_parser("generate", help="sample text from a character model")
    p.add_argument("--model", default=None, help="checkpoint .json (default: the Shakespeare LSTM)")
    p.add_argument("--prime", default="", help="text the model continues")
    p.add_argument("--length", type=int, default=300, help="characters to generate")
    p.add_argument("--temperature", type=float, default=1.0)
    p.add_argument("--top-k", type=int, default=0, help="0: off")
    p.add_argument("--top-p", type=float, default=1.0, help="1.0: off")
    p.add_argument("--greedy", action="store_true", help="always the most likely character")
    p.add_argument("--beam", type=int, default=0, help="beam width (0: sample instead)")
    p.add_argument("--samples", type=int, default=1, help="independent samples")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true", help="print {'text': ...} as JSON")
    p.set_defaults(func=generate_cmd)
    register_train("text", add_train_args, train_cmd)
    register_evaluate("text", add_evaluate_args, evaluate_cmd)


# ---------------------------------------------------------------- generate


def generate_cmd(args) -> int:
    ckpt = load_text_checkpoint(args.model, "auto")  # first: a bad checkpoint is refused before heavy imports
    from ..sampling import SamplingSettings
    from .generate import GenerationSettings, beam_search, stream

    vocab = ckpt.meta["vocab"]
    sampling = SamplingSettings(args.temperature, args.top_k, args.top_p, args.greedy)
    texts = []
    for i in range(max(1, args.samples)):
        if args.beam:
            texts.append(beam_search(ckpt.model, vocab, args.prime, args.length, args.beam))
            continue
        s = GenerationSettings(length=args.length, sampling=sampling, seed=args.seed + i)
        out = []
        for ch in stream(ckpt.model, vocab, args.prime, s):
            out.append(ch)
            if not args.json:
                sys.stdout.write(ch)
                sys.stdout.flush()
        if not args.json:
            sys.stdout.write("\n")
        texts.append("".join(out))
    if args.beam and not args.json:
        print("\n\n".join(texts))
    if args.json:
        print(json.dumps({"text": texts[0], "samples": texts, "prime": args.prime}))
    return 0


# ---------------------------------------------------------------- train


def add_train_args(p) -> None:
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--input", help="a UTF-8 or latin-1 text file (last 10%% held out)")
    src.add_argument("--corpus", choices=("shakespeare", "python"), help="a built-in corpus")
    add_network_args(p, cell="lstm", hidden=256, embed=64, dropout=0.0)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--weight-drop", type=float, default=0.0, help="DropConnect on recurrent weights (training)")
    p.add_argument("--embed-dropout", type=float, default=0.0, help="dropout on character embeddings")
    p.add_argument("--weight-decay", type=float, default=0.0, help="Adam weight decay")
    p.add_argument("--stateful", action="store_true",
                   help="read the text as long streams, carrying the state from one step to the next")
    p.add_argument("--seq-len", type=int, default=128)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--anneal", type=float, default=0.0, help="share of training at lr/4 at the end")
    budget = p.add_mutually_exclusive_group()
    budget.add_argument("--steps", type=int, default=None)
    budget.add_argument("--minutes", type=float, default=None)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--bf16", action="store_true", help="bfloat16 autocast (faster on recent CPUs)")
    p.add_argument("--half", action="store_true", help="store weights as fp16")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--device", default="auto", help="auto (CUDA when available, else CPU), cpu, cuda, cuda:1")
    p.add_argument("--resume", default=None, help="checkpoint .json to keep training (same vocab)")
    p.add_argument("--name", default=None, help="checkpoint file stem (default: text_<source>_<cell>)")
    p.add_argument("--out", required=True, help="folder for <name>.json + <name>.safetensors")
    p.add_argument("--json", action="store_true")


def train_cmd(args) -> int:
    import torch

    from .. import checkpoints
    from ..progress import TerminalProgress
    from .corpus import load_corpus
    from .train import TextTrainSpec, bits_per_char, spec_meta, split_text, train_text
    from .vocab import build_vocab, encode

    torch.set_num_threads(max(1, args.threads))
    steps = args.steps or (10**7 if args.minutes else 1000)
    spec = TextTrainSpec(cell=args.cell, hidden_size=args.hidden, num_layers=args.layers,
                         embed_size=args.embed, dropout=args.dropout,
                         weight_drop=args.weight_drop, embed_dropout=args.embed_dropout,
                         weight_decay=args.weight_decay, stateful=args.stateful, seq_len=args.seq_len,
                         batch_size=args.batch_size, lr=args.lr, anneal=args.anneal, steps=steps,
                         time_budget_s=args.minutes * 60 if args.minutes else None, seed=args.seed,
                         bf16=args.bf16, eval_every=200, eval_batches=16, device=args.device)
    if args.corpus:
        corpus = load_corpus(args.corpus)
        train, val, test = corpus.train, corpus.val, corpus.test
        data = corpus.as_meta()
        source = args.corpus
        vocab = build_vocab(train)
    else:
        text = read_text_file(args.input)
        train, val = split_text(text)
        test = None
        source = Path(args.input).stem
        data = {"description": f"text file {Path(args.input).name}", "characters":
                {"train": len(train), "val": len(val)}, "split": "first 90% train, last 10% validation"}
        vocab = build_vocab(text)
    bar = TerminalProgress(spec.steps if not args.minutes else int(args.minutes * 60), "training")

    name = args.name or f"text_{source}_{args.cell}"
    partial = Path(tempfile.gettempdir()) / f"{name}_partial"  # saved every 5 min: --resume it
    last_save = {"t": 0.0}

    def on_step(m):
        if m["elapsed_s"] - last_save["t"] > 300:
            last_save["t"] = m["elapsed_s"]
            checkpoints.save(start_model, partial, {
                "task": "text", "vocab": vocab, "data": data,
                "metrics": {"steps_total": earlier.get("steps_total", earlier.get("steps_done", 0)) + m["step"],
                            "train_seconds_total": round(earlier.get("train_seconds_total", earlier.get(
                                "train_seconds", 0.0)) + m["elapsed_s"], 1)},
                "command": f"{history_cmd}{command_line(args, 'train text')} (stopped after {m['step']} steps, "
                           f"{m['elapsed_s'] / 60:.1f} min)"}, half=False)
        if args.minutes:
            bar.update(int(m["elapsed_s"]), bpc=m["bpc"], **({"val_bpc": m["val_bpc"]} if "val_bpc" in m else {}))
        else:
            bar.update(m["step"], bpc=m["bpc"], **({"val_bpc": m["val_bpc"]} if "val_bpc" in m else {}))

    from .train import build_model

    start_model = build_model(spec, len(vocab))
    history_cmd, earlier = "", {}  # the run this one continues (--resume)
    if args.resume:
        ckpt = load_text_checkpoint(args.resume, args.device)
        if ckpt.meta["vocab"] != vocab:
            raise UserInputError("--resume: that checkpoint was trained with a different vocabulary")
        start_model = ckpt.model
        history_cmd = f"{ckpt.meta.get('command', '?')} && "
        earlier = ckpt.meta.get("metrics") or {}
    model, vocab, result = train_text(train, val, spec, vocab=vocab, on_step=on_step, model=start_model)
    bar.close()
    if test is not None:  # a corpus: the held-out test documents (validation picked nothing here)
        metrics = {"test_bpc": bits_per_char(model, encode(test, vocab))}
    else:
        metrics = {"val_bpc": bits_per_char(model, encode(val, vocab))}
    metrics["bpc_method"] = "streaming with carried state, text cut into 32 pieces read side by side, fp32"
    metrics.update(spec_meta(spec, model, result))
    if earlier:  # totals over this run and the run it continued
        metrics["steps_total"] = earlier.get("steps_total", earlier.get("steps_done", 0)) + metrics["steps_done"]
        metrics["train_seconds_total"] = round(earlier.get("train_seconds_total", earlier.get(
            "train_seconds", 0.0)) + metrics["train_seconds"], 1)
    metrics["history"] = [{k: round(v, 4) if isinstance(v, float) else v for k, v in m.items()
                           if k in ("step", "bpc", "val_bpc", "elapsed_s", "chars")}
                          for m in result.history if "val_bpc" in m or m["step"] % 50 == 0]
    meta = {"task": "text", "vocab": vocab, "metrics": metrics, "data": data,
            "command": history_cmd + command_line(args, "train text")}
    checkpoints.save(model, Path(args.out) / name, meta, half=args.half)
    summary = {k: metrics[k] for k in ("val_bpc", "test_bpc", "parameters", "steps_done") if k in metrics}
    summary["checkpoint"] = str(Path(args.out) / f"{name}.json")
    print(json.dumps(summary) if args.json else "\n".join(f"{k}: {v}" for k, v in summary.items()))
    return 0


# ---------------------------------------------------------------- evaluate


def add_evaluate_args(p) -> None:
    p.add_argument("--model", default=None, help="checkpoint .json (default: the Shakespeare LSTM)")
    p.add_argument("--input", required=True, help="a text file to score")
    p.add_argument("--dynamic", action="store_true",
                   help="keep learning while reading (dynamic evaluation): each character is scored first, "
                        "then the model trains on it")
    p.add_argument("--json", action="store_true")


def evaluate_cmd(args) -> int:
    text = read_text_file(args.input)  # first: a bad file is refused before the model and training code load
    ckpt = load_text_checkpoint(args.model, "auto")  # generation and evaluation run on default_device()
    from .train import bits_per_char
    from .vocab import encode, unknown_chars

    vocab = ckpt.meta["vocab"]
    unknown = unknown_chars(text, vocab)
    if args.dynamic:
        from ..progress import TerminalProgress
        from .dynamic import dynamic_bits_per_char

        bar = TerminalProgress(len(text), "reading and learning")
        bpc = dynamic_bits_per_char(ckpt.model, encode(text, vocab), on_progress=lambda done, _: bar.update(done))
        bar.close()
    else:
        bpc = bits_per_char(ckpt.model, encode(text, vocab))
    how = "dynamic evaluation" if args.dynamic else "static"
    out = {"bpc": bpc, "characters": len(text), "unknown_characters": "".join(unknown), "evaluation": how}
    print(json.dumps(out) if args.json else f"bits per character: {bpc:.4f} over {len(text)} characters ({how})")
    return 0
