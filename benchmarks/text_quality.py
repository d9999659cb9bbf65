"""Held-out quality of the text models: bits per character on the test plays (or test files).

Fits the character n-gram baseline on the same training text (order picked on validation),
scores every pretrained text checkpoint on the test split with the state carried through,
prints the table and writes it to assets/models/text_quality.json for the page.

    python benchmarks/text_quality.py [--corpus shakespeare|python|all]
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
from rnn_models.text.ngram import pick_order  # noqa: E402
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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="all", choices=("shakespeare", "python", "all"))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--reuse-ngram", action="store_true",
                    help="take the n-gram row from the last run's JSON (same corpus and vocabulary)")
    ap.add_argument("--recompute", action="store_true",
                    help="score the checkpoints again instead of reading test_bpc from their JSON")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    names = ["shakespeare", "python"] if args.corpus == "all" else [args.corpus]
    doc = json.loads(OUT.read_text()) if OUT.is_file() else {}
    for name in names:
        table = corpus_table(name, args.recompute, doc.get(name) if args.reuse_ngram else None)
        doc[name] = table
        print(f"\n{name}: bits per character on {table['test_characters']:,} held-out test characters "
              f"({', '.join(table['test_documents'][:6])})")
        print(f"{'model':<34}{'params':>10}{'steps':>7}{'test bpc':>10}{'vs n-gram':>11}")
        for r in table["rows"]:
            params = f"{r['parameters']:,}" if r["parameters"] else "-"
            steps = r.get("steps") or "-"
            print(f"{r['model']:<34}{params:>10}{steps:>7}{r['test_bpc']:>10.3f}{r['vs_ngram']:>+11.1%}")
    doc["command"] = "python benchmarks/text_quality.py " + " ".join(argv if argv is not None else sys.argv[1:])
    OUT.write_text(json.dumps(doc, indent=1))
    print(f"\nwritten {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
