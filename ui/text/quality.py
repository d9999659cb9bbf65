"""The text page's "How good is it?" tab: held-out bits per character of each model against the n-gram,
in plain names, with each model's training budget read from its checkpoint; the raw numbers as a download."""

import json

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import rnn_models.text as text_pkg
from rnn_models.checkpoints import Checkpoint
from ui.charts import COLORS, apply_theme
from ui.text.models import quality_table

CORPORA = (("shakespeare", "Shakespeare (held-out plays)"), ("python", "Python (held-out files)"))
CELL = {"rnn": "vanilla RNN", "lstm": "LSTM", "gru": "GRU", "n-gram": "n-gram"}


def plain_name(model: str) -> str:
    """'text_shakespeare_rnn' -> 'Shakespeare vanilla RNN'; 'char 7-gram (Kneser-Ney)' -> '7-character n-gram'."""
    base, plus = (model.split(" + ", 1) + [""])[:2]
    for name, path in text_pkg.CHECKPOINTS.items():
        if base == path.stem:
            base = name
    if base.startswith("char ") and "-gram" in base:
        base = base.split()[1].replace("-gram", "-character n-gram (counts, no network)")
    return base + (f" + {plus}" if plus else "")


def budget(model: str) -> tuple[float | None, int | None]:
    """(training minutes, training steps) from the checkpoint's JSON meta, over every resumed session."""
    for path in text_pkg.CHECKPOINTS.values():
        if path.stem == model and path.is_file():
            m = json.loads(path.read_text()).get("metrics") or {}
            secs = m.get("train_seconds_total", m.get("train_seconds"))
            steps = m.get("steps_total", m.get("steps_done"))
            return (secs / 60 if secs else None), steps
    return None, None


def budget_text(row: dict) -> str:
    if row.get("cell") == "n-gram":
        fit = row.get("fit_seconds")
        return f"counted in {fit / 60:.0f} min" if fit else "counted once"
    minutes, steps = budget(row["model"])
    if minutes is None:
        return "not recorded"
    return f"{minutes:.0f} min, {steps:,} steps" if steps else f"{minutes:.0f} min"


def bpc_chart(rows: list[dict], adaptive: list[dict], title: str) -> go.Figure:
    """Horizontal bars of held-out bits per character: as trained, and (where measured) learning while reading."""
    fig = go.Figure()
    names = [plain_name(r["model"]) for r in rows]
    fig.add_trace(go.Bar(y=names, x=[r["test_bpc"] for r in rows], orientation="h", name="as trained",
                         marker_color=[COLORS["baseline"] if r.get("cell") == "n-gram" else COLORS.get(r.get("cell"),
                                       COLORS["rnn"]) for r in rows],
                         text=[f"{r['test_bpc']:.3f}" for r in rows], textposition="auto"))
    if adaptive:
        by_base = {r["model"].split(" + ")[0]: r for r in adaptive}
        fig.add_trace(go.Bar(y=names, x=[by_base.get(r["model"], {}).get("test_bpc") for r in rows], orientation="h",
                             name="learning while reading (dynamic evaluation / cache)", marker_color="#bcbd22",
                             text=[f"{by_base[r['model']]['test_bpc']:.3f}" if r["model"] in by_base else ""
                                   for r in rows], textposition="auto"))
    ngram = next((r["test_bpc"] for r in rows if r.get("cell") == "n-gram"), None)
    if ngram is not None:
        fig.add_vline(x=ngram, line_dash="dash", line_color=COLORS["baseline"])
    fig.update_xaxes(title="held-out bits per character (lower is better)", rangemode="tozero")
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_layout(barmode="group")
    return apply_theme(fig, title=title, height=140 + 70 * len(rows))


def corpus_section(corpus_name: str, title: str, t: dict) -> None:
    docs = ", ".join(t["test_documents"][:5]) + ("…" if len(t["test_documents"]) > 5 else "")
    st.markdown(f"**{title}**: {t['test_characters']:,} characters the models never trained on ({docs}).")
    st.plotly_chart(bpc_chart(t["rows"], t.get("adaptive_rows") or [], f"{title}: bits per character"),
                    key=f"text_quality_{corpus_name}")
    st.table(pd.DataFrame([{"model": plain_name(r["model"]), "cell": CELL.get(r.get("cell"), r.get("cell", "")),
                   "parameters": f"{r['parameters'] / 1e6:.2f} M" if r.get("parameters") else "— (a table of counts)",
                   "training budget": budget_text(r), "held-out bits/char": round(r["test_bpc"], 3),
                   "vs the n-gram": f"{r['vs_ngram']:+.1%}" if r.get("cell") != "n-gram" else "(the yardstick)"}
                  for r in t["rows"]]).set_index("model"))


def quality_tab(name: str, ckpt: Checkpoint) -> None:
    doc = quality_table()
    st.markdown("Bits per character: how many yes/no questions the model needs, on average, to pin down the "
                "next character of text it never saw. Fewer is better; the dashed line is a 7-character n-gram, "
                "a table of counts with no network at all.")
    for corpus_name, title in CORPORA:
        if doc.get(corpus_name):
            corpus_section(corpus_name, title, doc[corpus_name])
    if doc:
        st.caption(f"Measured by `{doc.get('command', 'python benchmarks/text_quality.py')}`. The networks were "
                   "trained for different lengths of time (the budget column), so compare with that in mind.")
    this_model(name, ckpt)
    st.download_button("Download the raw numbers (JSON)", json.dumps(doc, indent=2), "text_quality.json",
                       "application/json", key="text_quality_json", on_click="ignore")


def this_model(name: str, ckpt: Checkpoint) -> None:
    """The chosen model in one plain sentence, its checkpoint's JSON behind a download."""
    cfg, m = ckpt.model.config, ckpt.meta.get("metrics") or {}
    params = sum(p.numel() for p in ckpt.model.parameters())
    secs = m.get("train_seconds_total", m.get("train_seconds"))
    trained = f"trained for {secs / 60:.0f} minutes" if secs else "training time not recorded"
    bpc = f"; held-out {m['test_bpc']:.3f} bits per character" if m.get("test_bpc") else ""
    st.markdown(f"**This model, {name}**: a {CELL.get(cfg.cell, cfg.cell)} with {cfg.num_layers} layer(s) of "
                f"{cfg.hidden_size} units, {params / 1e6:.2f} M parameters, {trained}{bpc}.")
    meta = {k: v for k, v in ckpt.meta.items() if k != "vocab"}
    st.download_button("Download this model's record (JSON)", json.dumps(meta, indent=2, default=str),
                       f"{name.lower().replace(' ', '_')}_meta.json", "application/json", key="text_model_json",
                       on_click="ignore")

