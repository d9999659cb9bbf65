"""Translation benchmark: BLEU and chrF by sentence length on the held-out Ding sentences (attention,
no attention, word-by-word dictionary), and the time to translate one sentence on one core.

    .venv/bin/python benchmarks/translate_benchmark.py [--limit N] [--speed-only] [--json]

Writes the quality report to assets/models/translate_quality.json (the page's "Why attention" chart).
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from rnn_models.translate.translator import MODELS_DIR  # noqa: E402

GREEDY_LIMIT_S, BEAM_LIMIT_S = 0.3, 1.0  # targets for one sentence, one core
OUT = MODELS_DIR / "translate_quality.json"


def speed(sentences: list[str]) -> dict:
    """Median seconds per sentence: greedy and beam 5 (attention model), dictionary as the baseline."""
    from rnn_models.translate.decode import DecodeSettings
    from rnn_models.translate.dictionary import load_dictionary
    from rnn_models.translate.translator import load_translator

    tr, dictionary = load_translator(), load_dictionary()
    tr.translate(sentences[0])  # warm-up
    out = {}
    for name, fn in (("greedy", lambda s: tr.translate(s, DecodeSettings(beam=1))),
                     ("beam5", lambda s: tr.translate(s, DecodeSettings(beam=5))),
                     ("dictionary", dictionary.translate)):
        times = []
        for s in sentences:
            t = time.perf_counter()
            fn(s)
            times.append(time.perf_counter() - t)
        out[name] = {"median_s": statistics.median(times), "max_s": max(times)}
    out["sentences"] = len(sentences)
    out["mean_words"] = round(sum(len(s.split()) for s in sentences) / len(sentences), 1)
    return out


def by_length_line(report: dict, key: str = "by_length") -> str:
    return "; ".join(f"{b['bucket']}: " + ", ".join(f"{k} {b[k]:.2f}" for k in report["bleu"]) for b in report[key])


def decoding(beam: int) -> str:
    return "greedy decoding" if beam == 1 else f"beam {beam}"


def greedy_too(limit: int) -> dict:
    """The main figures with greedy decoding, for comparison when the width chosen on validation is wider."""
    from rnn_models.translate.evaluation import evaluate_all

    report = evaluate_all(limit=limit, beam=1)
    return {k: report[k] for k in ("bleu", "chrf", "by_length", "chrf_by_length", "lead_growth")}


def without_held_out_lines(limit: int) -> dict:
    """The same scores with the dictionary and the lexicon rebuilt from the dictionary lines that hold no validation
    or test sentence: a held-out sentence's line also lists its headword (*Anbeißen* :: *biteable*), which both
    the baseline and the lexicon would otherwise look up."""
    from rnn_models.translate.data import parse_ding_line, read_ding_lines, split_of
    from rnn_models.translate.dictionary import build_dictionary
    from rnn_models.translate.evaluation import evaluate_all
    from rnn_models.translate.lexicon import build_lexicon

    lines = read_ding_lines()
    parsed = [(line, parse_ding_line(line)) for line in lines]
    clean = [line for line, pairs in parsed if all(split_of(p.de) == "train" for p in pairs)]
    train = [p for _, pairs in parsed for p in pairs if split_of(p.de) == "train"]
    report = evaluate_all(limit=limit, dictionary=build_dictionary(clean), lexicon=build_lexicon(clean, train))
    return {"lines_kept": len(clean), "lines": len(lines), "bleu": report["bleu"], "chrf": report["chrf"],
            "by_length": report["by_length"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=0, help="first N held-out sentences only (0: all)")
    ap.add_argument("--speed-sentences", type=int, default=40)
    ap.add_argument("--speed-only", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--beam", type=int, default=None,
                    help="beam width for every network (default: the width chosen on the validation split)")
    ap.add_argument("--without-held-out-lines", action="store_true",
                    help="also score with the dictionary and lexicon built without the held-out sentences' lines")
    args = ap.parse_args()
    torch.set_num_threads(1)
    from rnn_models.translate.data import load_pairs
    from rnn_models.translate.evaluation import evaluate_all, verdict

    result = {}
    if not args.speed_only:
        report = evaluate_all(limit=args.limit, beam=args.beam)
        limit = f" --limit {args.limit}" if args.limit else ""
        report["command"] = "python benchmarks/translate_benchmark.py" + limit
        if report["beam"] > 1:
            report["greedy"] = greedy_too(args.limit)
        if args.without_held_out_lines:
            report["without_held_out_lines"] = without_held_out_lines(args.limit)
            report["command"] += " --without-held-out-lines"
        OUT.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
        result["quality"] = report
    test = load_pairs()["test"]
    result["speed"] = speed([p.de for p in test[:args.speed_sentences]])
    if args.json:
        print(json.dumps(result, indent=1, ensure_ascii=False))
        return 0
    if "quality" in result:
        q = result["quality"]
        print(f"held-out sentences: {q['sentences']} ({decoding(q['beam'])}, every network alike)")
        print(f"{'system':<18} {'BLEU':>6} {'chrF':>6}")
        for k in q["bleu"]:
            print(f"{k:<18} {q['bleu'][k]:>6.2f} {q['chrf'][k]:>6.2f}")
        print(f"attention / no-attention BLEU: {q['bleu']['attention'] / max(q['bleu']['no_attention'], 1e-9):.2f}; "
              f"attention / dictionary BLEU: {q['bleu']['attention'] / max(q['bleu']['dictionary'], 1e-9):.2f}")
        net = "attention_network" in q["bleu"]
        print(f"{'bucket':<8} {'n':>4} {'attention':>9} {'no_att':>7} {'dict':>6} {'lead':>6}"
              + (f" {'network':>8} {'lead':>6}" if net else ""))
        for b in q["by_length"]:
            print(f"{b['bucket']:<8} {b['n']:>4} {b['attention']:>9.2f} {b['no_attention']:>7.2f} "
                  f"{b['dictionary']:>6.2f} {b['attention'] - b['no_attention']:>6.2f}"
                  + (f" {b['attention_network']:>8.2f} {b['attention_network'] - b['no_attention']:>6.2f}"
                     if net else ""))
        print("chrF by length: " + by_length_line(q, "chrf_by_length"))
        for system, growth in q["lead_growth"].items():
            print(f"lead over no attention, longest minus shortest bucket ({system}; 95% paired bootstrap over "
                  "the held-out sentences): " + "; ".join(
                      f"{m} {g['growth']:+.2f} ({g['ci95'][0]:+.2f} to {g['ci95'][1]:+.2f})"
                      for m, g in growth.items()))
        v = verdict(q)
        if q.get("lexicon"):
            lx = q["lexicon"]
            print(f"attention = the attention network consulting the Ding lexicon ({lx['method']}, {lx['gate']}: "
                  f"{lx['chosen_by']}); 'network' = the same network without the lexicon")
        print(f"target (attention beats no attention and the dictionary; its lead grows with length): "
              f"{'met' if v['met'] else 'NOT met'} (beats no attention: {v['beats_no_attention']}, beats the "
              f"dictionary: {v['beats_dictionary']}, lead grows: {v['lead_grows']})")
        if "network" in v:
            n = v["network"]
            print(f"the attention network alone: beats no attention: {n['beats_no_attention']}, beats the "
                  f"dictionary: {n['beats_dictionary']}, lead grows: {n['lead_grows']}")
        if "greedy" in q:
            g = q["greedy"]
            growth = g["lead_growth"]["attention"]["bleu"]
            print("the same with greedy decoding: " + ", ".join(
                f"{k} {g['bleu'][k]:.2f} / {g['chrf'][k]:.2f}" for k in g["bleu"]) + " (BLEU / chrF); BLEU by length: "
                + by_length_line(g) + f"; BLEU lead growth {growth['growth']:+.2f} ({growth['ci95'][0]:+.2f} to "
                f"{growth['ci95'][1]:+.2f})")
        if "without_held_out_lines" in q:
            w = q["without_held_out_lines"]
            print(f"dictionary and lexicon without the {w['lines'] - w['lines_kept']} lines holding a validation or "
                  "test sentence: " + ", ".join(f"{k} {w['bleu'][k]:.2f} / {w['chrf'][k]:.2f}" for k in w["bleu"])
                  + " (BLEU / chrF); by length: " + by_length_line(w))
        for name, t in q.get("training", {}).items():
            print(f"{name}: {t['steps']} steps, {t['minutes']} minutes: {t['command']}")
    s = result["speed"]
    print(f"\none sentence, one core ({s['sentences']} held-out sentences, mean {s['mean_words']} words):")
    print(f"greedy: {s['greedy']['median_s'] * 1000:.1f} ms median (target < {GREEDY_LIMIT_S * 1000:.0f} ms; "
          f"{GREEDY_LIMIT_S / s['greedy']['median_s']:.1f}x under), max {s['greedy']['max_s'] * 1000:.1f} ms")
    print(f"beam 5: {s['beam5']['median_s'] * 1000:.1f} ms median (target < {BEAM_LIMIT_S * 1000:.0f} ms; "
          f"{BEAM_LIMIT_S / s['beam5']['median_s']:.1f}x under), max {s['beam5']['max_s'] * 1000:.1f} ms")
    print(f"ratio to the word-by-word dictionary in the same run: greedy "
          f"{s['greedy']['median_s'] / s['dictionary']['median_s']:.0f}x, beam 5 "
          f"{s['beam5']['median_s'] / s['dictionary']['median_s']:.0f}x slower")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
