"""Held-out quality of the text models: bits per character on the test plays (or test files).

Fits the character n-gram baseline on the same training text (order picked on validation),
scores every pretrained text checkpoint on the test split with the state carried through,
prints the table and writes it to assets/models/text_quality.json for the page.

With --adaptive it also measures reading that keeps learning, where each model may learn from the
test text it has already read (never from a character before scoring it): the LSTMs with dynamic
evaluation (rnn_models/text/dynamic.py) against the same n-gram with a cache
(ngram.cached_log2_probs). Both sets of settings are the ones picked on the validation text; the
run prints the validation bpc beside the test bpc.

    python benchmarks/text_quality.py [--corpus shakespeare|python|all] [--reuse-ngram] [--adaptive]
    python benchmarks/text_quality.py --tune   # the validation grids that picked those settings (~25 min)
"""

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from rnn_models.checkpoints import load  # noqa: E402
from rnn_models.network import count_parameters  # noqa: E402
from rnn_models.text import MODELS_DIR  # noqa: E402
from rnn_models.text.corpus import load_corpus  # noqa: E402
from rnn_models.text.dynamic import DynamicSettings, dynamic_log2_losses  # noqa: E402
from rnn_models.text.ngram import NGramModel, cached_log2_probs, pick_order  # noqa: E402
from rnn_models.text.train import bits_per_char  # noqa: E402
from rnn_models.text.vocab import encode  # noqa: E402

OUT = MODELS_DIR / "text_quality.json"
MODELS = {"shakespeare": ["text_shakespeare_rnn", "text_shakespeare_gru", "text_shakespeare_lstm"],
          "python": ["text_python_lstm"]}


def corpus_table(name: str, recompute: bool = False, previous: dict | None = None) -> dict:
    corpus = load_corpus(name)
    rows = []
    vocab = None
    for stem in MODELS[name]:
        path = MODELS_DIR / f"{stem}.json"
        if not path.is_file():
            print(f"  (missing {path.name}, skipped)")
            continue
        ckpt = load(path)
        vocab = ckpt.meta["vocab"]
        m = ckpt.meta.get("metrics", {})
        t = time.perf_counter()
        if recompute or "test_bpc" not in m:
            test = bits_per_char(ckpt.model, encode(corpus.test, vocab))
        else:  # measured by the same bits_per_char right after training (see the JSON's bpc_method)
            test = m["test_bpc"]
        rows.append({"model": stem, "cell": ckpt.model.config.cell, "parameters": count_parameters(ckpt.model),
                     "hidden": ckpt.model.config.hidden_size, "layers": ckpt.model.config.num_layers,
                     "train_seconds": m.get("train_seconds_total", m.get("train_seconds")),
                     "steps": m.get("steps_total", m.get("steps_done")), "test_bpc": test,
                     "eval_seconds": round(time.perf_counter() - t, 1)})
    if vocab is None:
        from rnn_models.text.vocab import build_vocab

        vocab = build_vocab(corpus.train)
    old = [r for r in (previous or {}).get("rows", []) if r["cell"] == "n-gram"]
    if old and old[0].get("vocab") == "".join(vocab):  # --reuse-ngram: same text, same vocabulary
        rows.append(old[0])
    else:
        t = time.perf_counter()
        tr, va, te = (encode(s, vocab).numpy() for s in (corpus.train, corpus.val, corpus.test))
        ngram, scores = pick_order(tr, va, len(vocab))
        rows.append({"model": f"char {ngram.order}-gram (Kneser-Ney)", "cell": "n-gram", "parameters": None,
                     "order": ngram.order, "test_bpc": ngram.bpc(te), "val_bpc": scores[ngram.order],
                     "val_bpc_by_order": scores, "fit_seconds": round(time.perf_counter() - t, 1),
                     "vocab": "".join(vocab)})
    best_ngram = rows[-1]["test_bpc"]
    for r in rows:
        r["vs_ngram"] = r["test_bpc"] / best_ngram - 1.0  # negative: better than the n-gram
    return {"corpus": name, "test_documents": corpus.split["test"], "test_characters": len(corpus.test),
            "rows": rows}


def adaptive_rows(name: str, order: int) -> list[dict]:
    """Both models keep learning from the text they have read: every checkpoint by dynamic evaluation
    (its cell's settings), the n-gram (same order as the static row) through its cache."""
    corpus = load_corpus(name)
    rows, vocab = [], None
    for stem in MODELS[name]:
        ckpt = load(MODELS_DIR / f"{stem}.json")
        settings = DynamicSettings.for_cell(ckpt.model.config.cell)
        vocab = ckpt.meta["vocab"]
        t = time.perf_counter()
        bpc = {split: float(dynamic_log2_losses(ckpt.model, encode(getattr(corpus, split), vocab), settings).mean())
               for split in ("val", "test")}
        rows.append({"model": f"{stem} + dynamic evaluation", "cell": ckpt.model.config.cell, "test_bpc": bpc["test"],
                     "val_bpc": bpc["val"], "settings": {"optimizer": settings.optimizer, "lr": settings.lr,
                                                          "segment": settings.segment, "clip": settings.clip},
                     "eval_seconds": round(time.perf_counter() - t, 1)})
    t = time.perf_counter()
    tr, va, te = (encode(s, vocab).numpy() for s in (corpus.train, corpus.val, corpus.test))
    ngram = NGramModel(tr, len(vocab), order)
    bpc = {split: float(cached_log2_probs(ngram, ids[1:], ids[:1]).mean())
           for split, ids in (("val", va), ("test", te))}
    rows.append({"model": f"char {order}-gram (Kneser-Ney) + cache", "cell": "n-gram", "test_bpc": bpc["test"],
                 "val_bpc": bpc["val"], "eval_seconds": round(time.perf_counter() - t, 1)})
    for r in rows:
        r["vs_ngram"] = r["test_bpc"] / bpc["test"] - 1.0
    return rows


def tune(name: str = "shakespeare") -> None:
    """Print validation bpc over the grids the adaptive settings were picked from."""
    from rnn_models.text import CHECKPOINTS
    from rnn_models.text.train import log2_losses

    corpus = load_corpus(name)
    ckpt = load(MODELS_DIR / f"{MODELS[name][-1]}.json")
    vocab = ckpt.meta["vocab"]
    va = encode(corpus.val, vocab)
    print(f"{name} validation text, {len(corpus.val):,} characters")
    for opt, lrs in (("sgd", (0.3, 0.6, 1.0)), ("rmsprop", (1e-4, 3e-4, 5e-4, 1e-3))):
        for lr in lrs:
            s = DynamicSettings(lr=lr, optimizer=opt)
            print(f"  LSTM dynamic evaluation {opt:<8} lr {lr:<7g} segment {s.segment}: "
                  f"{float(dynamic_log2_losses(ckpt.model, va, s).mean()):.4f}", flush=True)
    head = 60_000  # the GRU and the RNN (page only, not in the table) were tuned on the first 60,000 characters
    for label in ("Shakespeare GRU", "Shakespeare vanilla RNN"):
        other = load(CHECKPOINTS[label])
        ids = encode(corpus.val[:head], other.meta["vocab"])
        print(f"  {label}, first {head:,} validation characters, frozen: "
              f"{float(log2_losses(other.model, ids).mean()):.4f}")
        for opt, lr in (("rmsprop", 5e-4), ("adam", 5e-4), ("adam", 2e-4), ("adam", 1e-4)):
            bpc = float(dynamic_log2_losses(other.model, ids, DynamicSettings(lr=lr, optimizer=opt)).mean())
            print(f"    {opt:<8} lr {lr:<7g}: {bpc:.4f}", flush=True)
    static = [r for r in (json.loads(OUT.read_text()).get(name, {}).get("rows", []) if OUT.is_file() else [])
              if r["cell"] == "n-gram"]
    order = static[0]["order"] if static else 7
    ngram = NGramModel(encode(corpus.train, vocab).numpy(), len(vocab), order)
    ids = va.numpy()
    print(f"  n-gram ({order}-gram) static: {ngram.bpc(ids[1:], ids[:1]):.4f}")
    for lo, hi in ((3, 8), (4, 8), (4, 10), (4, 12), (5, 10)):
        for strength in (32, 96, 256):
            bpc = cached_log2_probs(ngram, ids[1:], ids[:1], lo, hi, strength).mean()
            print(f"  n-gram + cache, contexts {lo}-{hi}, strength {strength:<4}: {bpc:.4f}", flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="all", choices=("shakespeare", "python", "all"))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--reuse-ngram", action="store_true",
                    help="take the n-gram row from the last run's JSON (same corpus and vocabulary)")
    ap.add_argument("--adaptive", action="store_true",
                    help="also measure reading that keeps learning (dynamic evaluation vs the n-gram with a cache)")
    ap.add_argument("--recompute", action="store_true",
                    help="score the checkpoints again instead of reading test_bpc from their JSON")
    ap.add_argument("--tune", action="store_true", help="only print the validation grids for --adaptive")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    if args.tune:
        tune()
        return 0
    names = ["shakespeare", "python"] if args.corpus == "all" else [args.corpus]
    doc = json.loads(OUT.read_text()) if OUT.is_file() else {}
    for name in names:
        previous = doc.get(name) or {}
        table = corpus_table(name, args.recompute, previous if args.reuse_ngram else None)
        static_ngram = table["rows"][-1]
        if args.adaptive:
            table["adaptive_rows"] = adaptive_rows(name, static_ngram["order"])
        elif previous.get("adaptive_rows") and static_ngram.get("vocab") == previous["rows"][-1].get("vocab"):
            table["adaptive_rows"] = previous["adaptive_rows"]  # same text and vocabulary: still valid
        doc[name] = table
        print(f"\n{name}: bits per character on {table['test_characters']:,} held-out test characters "
              f"({', '.join(table['test_documents'][:6])})")
        print(f"{'model':<34}{'params':>10}{'steps':>7}{'test bpc':>10}{'vs n-gram':>11}")
        for r in table["rows"]:
            params = f"{r['parameters']:,}" if r["parameters"] else "-"
            steps = r.get("steps") or "-"
            print(f"{r['model']:<34}{params:>10}{steps:>7}{r['test_bpc']:>10.3f}{r['vs_ngram']:>+11.1%}")
        if table.get("adaptive_rows"):
            print("\nreading that keeps learning from the text already read (settings picked on the Shakespeare "
                  "validation plays):")
            print(f"{'model':<52}{'val bpc':>9}{'test bpc':>10}{'vs n-gram+cache':>17}{'vs static n-gram':>18}")
            for r in table["adaptive_rows"]:
                vs_static = r["test_bpc"] / static_ngram["test_bpc"] - 1.0
                print(f"{r['model']:<52}{r['val_bpc']:>9.3f}{r['test_bpc']:>10.3f}{r['vs_ngram']:>+17.1%}"
                      f"{vs_static:>+18.1%}")
    doc["command"] = "python benchmarks/text_quality.py " + " ".join(argv if argv is not None else sys.argv[1:])
    OUT.write_text(json.dumps(doc, indent=1))
    print(f"\nwritten {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
