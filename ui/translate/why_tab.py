"""The "Why attention" tab: BLEU and chrF by sentence length on the held-out set, three systems (four lines when
the attention model consults the dictionary: the attention network alone is drawn too, so nothing is hidden)."""

import re

import pandas as pd
import streamlit as st

from rnn_models.translate.evaluation import verdict
from ui.translate import models
from ui.translate.charts import SYSTEM_STYLE, quality_by_length, system_name


def why_tab() -> None:
    report = models.quality()
    if report is None:
        st.info("No held-out report yet: run `python benchmarks/translate_benchmark.py`.")
        return
    st.markdown(
        "Bahdanau, Cho and Bengio (2014) noticed that an encoder–decoder that squeezes a whole sentence into "
        "**one fixed-size vector** translates short sentences well and long ones badly, and that letting the "
        "decoder **look back at every source word** (attention) fixes it. Here are the same two networks (same "
        "size, same data, same training time), and a word-by-word dictionary, on "
        f"{report['sentences']} German sentences none of them saw in training.")
    lexicon_note(report)
    verdict_box(report)
    st.plotly_chart(quality_by_length(report), key="tr_why_chart")
    rows = [{"system": system_name(k, report), "BLEU": report["bleu"][k], "chrF": report["chrf"][k]}
            for k in SYSTEM_STYLE if k in report["bleu"]]
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    st.caption(f"Measured by `{report.get('command', 'python benchmarks/translate_benchmark.py')}` "
               f"(sacrebleu, case-insensitive; {decoding(report)}; BLEU per bucket is computed over that "
               "bucket's sentences; the longest bucket holds every sentence from 11 words on, because the "
               "16-20 bucket had only 18 sentences and 21+ none).")
    budget = report.get("training", {})
    if budget:
        st.caption("Training: " + "; ".join(
            f"{SYSTEM_STYLE[k][0]} {v['steps']:,} steps, {v['minutes']:.0f} CPU-minutes" for k, v in budget.items())
            + ". The commands are in the checkpoints' JSON (`python -m rnn_models inspect --model "
            "assets/models/translate_attention.json`).")
    with st.expander("Example translations from the held-out set"):
        st.dataframe(pd.DataFrame(report.get("examples", [])), hide_index=True)


def decoding(report: dict) -> str:
    """How every network decoded the held-out sentences; a wider beam was chosen on the validation sentences."""
    beam = report.get("beam", 1)
    if beam == 1:
        return "greedy decoding"
    return f"beam {beam} for every network, the width chosen with the dictionary's share on the validation sentences"


def lexicon_note(report: dict) -> None:
    """How the attention model uses the dictionary, from the saved report (nothing is recomputed here)."""
    lx = report.get("lexicon")
    if not lx:
        return
    how = (f"its share is g = {lx['gate']}" if lx["method"] == "linear"
           else f"the network's probabilities are multiplied by (p_dictionary + {lx['gate']})")
    st.markdown(
        "**The attention model consults the dictionary** (Arthur, Neubig and Nakamura, 2016): at every step it "
        "looks up the German words it is attending to in the same dictionary the baseline uses, and mixes "
        f"their English entries into its own prediction ({lx['method']} method; {how}, chosen on the "
        "validation sentences, never on these). Without attention there is nothing to look up: the decoder "
        "does not know which German word it is translating. The dotted line is the same attention network "
        "without the lookup." + (" Its last training run had the lookup inside the loss, so the attention learned to "
                                 "point at the word worth looking up; the network without attention trained as long."
                                 if trained_with_lexicon(report) else ""))


def trained_with_lexicon(report: dict) -> bool:
    """Whether the attention checkpoint's training history includes a run with the lexicon in its loss."""
    command = report.get("training", {}).get("attention", {}).get("command") or ""
    return bool(re.search(r"--lexicon-bias (?!0(\.0*)?(\s|$))", command))


def verdict_box(report: dict) -> None:
    """The issue's target, checked on these figures and said plainly, met or not; one point per line."""
    v = verdict(report)
    bleu = report["bleu"]
    points = [f"BLEU: {system_name('attention', report).lower()} {bleu['attention']:.2f}, no attention "
              f"{bleu['no_attention']:.2f}, dictionary {bleu['dictionary']:.2f}. Its lead over no attention by "
              f"length: {leads_text(v['leads'])}."]
    if "network" in v:
        net = v["network"]
        points.append(f"The attention network alone scores {bleu['attention_network']:.2f} (lead over no attention: "
                      + leads_text(net["leads"])
                      + f"); alone it {'beats' if net['beats_dictionary'] else 'does not beat'} the dictionary.")
    points += growth_points(v)
    text = "".join(f"\n- {p}" for p in points)
    if v["met"]:
        sure = v.get("growth", {}).get("bleu", {}).get("ci95", [1])[0] > 0
        st.success("**Target met:** attention beats both, and its BLEU lead is larger on the longest sentences than "
                   "on the shortest" + ("." if sure else ", though these sentences cannot confirm that it grows "
                                        "(the interval below holds 0).") + text)
        return
    missed = [why for ok, why in ((v["beats_no_attention"], "attention does not beat no attention"),
                                  (v["beats_dictionary"], "the word-by-word dictionary beats attention"),
                                  (v["lead_grows"], "attention's BLEU lead does not grow from short to long sentences"))
              if not ok]
    st.warning("**Target not reached:** " + "; ".join(missed) + "." + text)


NAMES = {"bleu": "BLEU", "chrf": "chrF"}


def leads_text(leads: dict[str, float]) -> str:
    """'1-5: +2.63, 6-10: +4.19, 11+: +4.12': a lead over no attention per length bucket."""
    return ", ".join(f"{k}: {d:+.2f}" for k, d in leads.items())


def growth_points(v: dict) -> list[str]:
    """The chrF leads, and how sure these sentences can be about each growth (bootstrap intervals)."""
    points = []
    if "chrf" in v:
        points.append(f"In chrF its lead by length is {leads_text(v['chrf']['leads'])}.")
    g = v.get("growth")
    if g:
        def said(metric: str) -> str:
            lo, hi = g[metric]["ci95"]
            sure = ("it grows" if lo > 0 else "it shrinks" if hi < 0
                    else "the interval holds 0: these sentences cannot tell whether it grows")
            return f"{NAMES[metric]} {g[metric]['growth']:+.2f} ({lo:+.2f} to {hi:+.2f}: {sure})"

        points.append("Growth of the lead from the shortest to the longest bucket, with a 95% interval from "
                      "resampling the held-out sentences (paired bootstrap): "
                      + "; ".join(said(m) for m in ("bleu", "chrf") if m in g) + ".")
    return points
