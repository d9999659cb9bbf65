"""BLEU and chrF (sacrebleu) on the fixed held-out set, overall and by source-sentence length."""

import time
from dataclasses import replace

from .data import Pair, load_pairs
from .decode import DecodeSettings, greedy_batch
from .lexicon import tables
from .train import pad
from .translator import Translator, load_translator
from .vocab import EOS, UNK, detokenize, tokenize

# Source length in words (whitespace-separated): 5-word buckets, the tail merged until it holds >= 50 of the 974
# held-out sentences (16-20 held 18 and 21+ none: too few for a corpus BLEU), decided before scoring the lexicon.
BUCKETS = ((1, 5), (6, 10), (11, 1000))
SYSTEMS = ("attention", "no_attention", "dictionary")  # the contract's keys; "attention_network" is added when
# the attention model consults the lexicon: the same network alone, so nothing is hidden


def bucket_name(lo: int, hi: int) -> str:
    return f"{lo}+" if hi >= 1000 else f"{lo}-{hi}"


def bucket_of(sentence: str) -> str:
    n = len(sentence.split())
    return next(bucket_name(lo, hi) for lo, hi in BUCKETS if lo <= n <= hi)


def translate_many(tr: Translator, sources: list[str], settings: DecodeSettings, batch: int = 64) -> list[str]:
    """Translations in input order; greedy runs batched, a wider beam one sentence at a time.

    Unknown output words are dropped (no copying from the source), so both networks are scored alike.
    """
    if settings.beam > 1:
        return [tr.translate(s, settings, copy_unknown=False).translation for s in sources]
    words = [tokenize(s)[:200] or ["."] for s in sources]
    encoded = [tr.src.encode(w) for w in words]
    order = sorted(range(len(sources)), key=lambda i: len(encoded[i]))
    out = [""] * len(sources)
    for start in range(0, len(order), batch):
        idx = order[start:start + batch]
        lex = tables(tr.lexicon, [words[i] for i in idx], tr.tgt, tr.gate, tr.method) if tr.consults_lexicon else None
        ids = greedy_batch(tr.model, pad([encoded[i] for i in idx]), settings.max_len, lex)
        words_of = lex.words(tr.tgt) if lex else tr.tgt.tokens
        for i, row in zip(idx, ids, strict=True):
            out[i] = detokenize([w for w in (words_of[j] for j in row) if w not in (UNK, EOS)])
    return out


def score(hyps: list[str], refs: list[str]) -> tuple[float, float]:
    """(BLEU, chrF), case-insensitive: the models read and write lowercase words."""
    import sacrebleu

    if not hyps:
        return 0.0, 0.0
    bleu = sacrebleu.corpus_bleu(hyps, [refs], lowercase=True).score
    chrf = sacrebleu.corpus_chrf([h.lower() for h in hyps], [[r.lower() for r in refs]]).score
    return round(bleu, 2), round(chrf, 2)


def score_systems(test: list[Pair], outputs: dict[str, list[str]]) -> dict:
    """The report: overall BLEU/chrF per system and BLEU per length bucket (shortest first)."""
    from .significance import lead_growth

    refs = [p.en for p in test]
    overall = {name: score(hyps, refs) for name, hyps in outputs.items()}
    by_length, chrf_by_length, members = [], [], []
    for lo, hi in BUCKETS:
        name = bucket_name(lo, hi)
        idx = [i for i, p in enumerate(test) if bucket_of(p.de) == name]
        scores = {system: score([hyps[i] for i in idx], [refs[i] for i in idx]) for system, hyps in outputs.items()}
        by_length.append({"bucket": name, "n": len(idx), **{k: v[0] for k, v in scores.items()}})
        chrf_by_length.append({"bucket": name, "n": len(idx), **{k: v[1] for k, v in scores.items()}})
        members.append(idx)
    members = [m for m in members if m]
    growth = {system: lead_growth(outputs, refs, members[0], members[-1], system)
              for system in ("attention", "attention_network") if system in outputs and len(members) > 1}
    return {"bleu": {k: v[0] for k, v in overall.items()}, "chrf": {k: v[1] for k, v in overall.items()},
            "by_length": by_length, "chrf_by_length": chrf_by_length, "lead_growth": growth}


def evaluate_all(attention=None, no_attention=None, beam: int | None = None, limit: int = 0,
                 max_len: int = 60, dictionary=None, lexicon=None) -> dict:
    """Score both pretrained (or given) networks and the dictionary on the held-out Ding sentences; dictionary and
    lexicon replace the installed package's (the benchmark's check without the held-out sentences' lines).
    beam None: the width chosen on the validation sentences with the lexicon's share (scripts/choose_lexicon_gate.py),
    used for every network alike; 1 where no choice was saved."""
    from .dictionary import load_dictionary

    test = load_pairs()["test"]
    test = test[:limit] if limit else test
    translators = {name: load_translator(path, name) for name, path in (("attention", attention),
                                                                        ("no_attention", no_attention))}
    beam = beam or chosen_beam(translators["attention"].meta)
    settings = DecodeSettings(beam=beam, max_len=max_len)
    outputs, seconds, training, lexicon_meta = {}, {}, {}, None
    for name, tr in translators.items():
        t = time.perf_counter()
        tr = replace(tr, lexicon=lexicon) if lexicon is not None and tr.consults_lexicon else tr
        outputs[name] = translate_many(tr, [p.de for p in test], settings)
        seconds[name] = round(time.perf_counter() - t, 2)
        training[name] = training_budget(tr.meta)
        if tr.consults_lexicon:
            lexicon_meta = {k: v for k, v in tr.meta["lexicon"].items() if k != "grid"}
            t = time.perf_counter()
            outputs["attention_network"] = translate_many(replace(tr, gate=None), [p.de for p in test], settings)
            seconds["attention_network"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    dictionary = dictionary or load_dictionary()
    outputs["dictionary"] = [dictionary.translate(p.de) for p in test]
    seconds["dictionary"] = round(time.perf_counter() - t, 2)
    report = score_systems(test, outputs)
    report.update({"sentences": len(test), "beam": beam, "seconds": seconds, "training": training,
                   "lexicon": lexicon_meta,
                   "examples": [{"de": p.de, "en": p.en, **{k: v[i] for k, v in outputs.items()}}
                                for i, p in enumerate(test[:12])]})
    return report


def chosen_beam(meta: dict) -> int:
    """The beam width saved with the attention checkpoint's lexicon choice (1: greedy, also when none was saved)."""
    return int((meta.get("lexicon") or {}).get("beam", 1))


def training_budget(meta: dict) -> dict:
    """Steps and minutes a checkpoint was trained for (all --init rounds together), and the command."""
    m = meta.get("metrics", {})
    return {"steps": m.get("steps_total", m.get("steps")),
            "minutes": round(m.get("elapsed_s_total", m.get("elapsed_s", 0.0)) / 60, 1),
            "command": meta.get("command")}


def verdict(report: dict) -> dict:
    """The issue's target, checked on a report: attention beats both others in BLEU, and its lead over
    no attention grows from the shortest to the longest bucket that has sentences."""
    bleu = report["bleu"]
    buckets = [b for b in report["by_length"] if b.get("n", 1) > 0]
    leads = lead_by_bucket(buckets, "attention")
    out = {"beats_no_attention": bleu["attention"] > bleu["no_attention"],
           "beats_dictionary": bleu["attention"] > bleu["dictionary"],
           "leads": leads, "lead_grows": grows(leads)}
    out["met"] = out["beats_no_attention"] and out["beats_dictionary"] and out["lead_grows"]
    chrf = [b for b in report.get("chrf_by_length", []) if b.get("n", 1) > 0]
    if chrf:  # the same lead in chrF, and (when measured) the bootstrap intervals of both growths
        c_leads = lead_by_bucket(chrf, "attention")
        out["chrf"] = {"leads": c_leads, "lead_grows": grows(c_leads)}
    if "attention" in report.get("lead_growth", {}):
        out["growth"] = report["lead_growth"]["attention"]
    if "attention_network" in bleu:  # the same figures for the attention network alone, without the lexicon
        net = lead_by_bucket(buckets, "attention_network")
        out["network"] = {"beats_no_attention": bleu["attention_network"] > bleu["no_attention"],
                          "beats_dictionary": bleu["attention_network"] > bleu["dictionary"],
                          "leads": net, "lead_grows": grows(net),
                          "growth": report.get("lead_growth", {}).get("attention_network")}
    return out


def lead_by_bucket(buckets: list[dict], system: str) -> dict[str, float]:
    """Bucket name -> system's score minus no attention's, shortest bucket first."""
    return {b["bucket"]: round(b[system] - b["no_attention"], 2) for b in buckets}


def grows(leads: dict[str, float]) -> bool:
    """Whether the lead in the longest bucket is above the lead in the shortest."""
    values = list(leads.values())
    return len(values) > 1 and values[-1] > values[0]
