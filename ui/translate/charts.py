"""Plotly figures of the translation page: the attention heatmap and BLEU by sentence length."""

import plotly.graph_objects as go

from ui.charts import apply_theme

SYSTEM_STYLE = {  # report key -> (name, colour, dash); "attention_network" only when attention consults the lexicon
    "attention": ("With attention", "#1f77b4", "solid"),
    "attention_network": ("Attention network alone (no dictionary lookup)", "#1f77b4", "dot"),
    "no_attention": ("Without attention", "#ff7f0e", "solid"),
    "dictionary": ("Word-by-word dictionary", "#7f7f7f", "solid")}


def system_name(key: str, report: dict) -> str:
    """The legend name; the attention model says that it consults the dictionary when it does."""
    if key == "attention" and "attention_network" in report.get("bleu", {}):
        return "With attention + dictionary lookup"
    return SYSTEM_STYLE[key][0]


def _label(tokens: list[str], unknown: list[bool]) -> list[str]:
    """Unique axis labels (plotly merges equal ones); unknown words are marked."""
    return [f"{t} ⟨unknown⟩ ·{i}" if u else f"{t} ·{i}" for i, (t, u) in enumerate(zip(tokens, unknown, strict=True))]


def attention_heatmap(result) -> go.Figure:
    """Rows: output words; columns: input words; colour: attention weight (each row sums to 1)."""
    x = _label(result.source_tokens, result.source_unknown)
    y = [f"{t} ·{i}" for i, t in enumerate(result.target_tokens)]
    fig = go.Figure(go.Heatmap(z=result.attention, x=x, y=y, colorscale="Blues", zmin=0, zmax=1,
                               colorbar={"title": "weight"},
                               hovertemplate="output %{y}<br>input %{x}<br>weight %{z:.2f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", title="output word (English)")
    fig.update_xaxes(title="input word (German)", tickangle=-45)
    height = 160 + 24 * len(y)
    return apply_theme(fig, title="Where the decoder looked for each output word", height=min(900, height))


def bleu_by_length(report: dict) -> go.Figure:
    """BLEU per source-length bucket, one line per system; a bucket without sentences is left out (not a 0)."""
    buckets = [b for b in report["by_length"] if b.get("n", 1) > 0]
    x = [f"{b['bucket']} words (n={b['n']})" for b in buckets]
    fig = go.Figure()
    for key, (_, colour, dash) in SYSTEM_STYLE.items():
        if key in report["bleu"]:
            fig.add_trace(go.Scatter(x=x, y=[b[key] for b in buckets], name=system_name(key, report),
                                     mode="lines+markers", line={"color": colour, "width": 3, "dash": dash}))
    fig.update_yaxes(title="BLEU (held-out sentences)", rangemode="tozero")
    fig.update_xaxes(title="German sentence length")
    return apply_theme(fig, title="Translation quality by sentence length", height=420)
