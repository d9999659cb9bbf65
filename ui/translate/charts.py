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


SHOWN = {"</s>": "⟨end⟩", "<unk>": "⟨unknown⟩"}  # the model's own tokens, as a student reads them
ROW_PX = 26  # height of one output word's row, so every row keeps its label
MIN_HEIGHT, MAX_HEIGHT = 400, 1800  # the whole figure (60 output words fit)


def shown(token: str, html: bool = True) -> str:
    """A token for a chart label (html) or a table: </s> and <unk> in words; in a label no "<" that plotly would
    read as HTML."""
    if token in SHOWN or not html:
        return SHOWN.get(token, token)
    return token.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _label(tokens: list[str], unknown: list[bool]) -> list[str]:
    """Unique axis labels (plotly merges equal ones); unknown words are marked."""
    return [f"{shown(t)} ⟨unknown⟩ ·{i}" if u else f"{shown(t)} ·{i}"
            for i, (t, u) in enumerate(zip(tokens, unknown, strict=True))]


def attention_heatmap(result) -> go.Figure:
    """Rows: output words; columns: input words; colour: attention weight (each row sums to 1). Every row and
    column keeps its label (a minimum row height; smaller, steeper column labels for a long sentence)."""
    x = _label(result.source_tokens, result.source_unknown)
    y = [f"{shown(t)} ·{i}" for i, t in enumerate(result.target_tokens)]
    fig = go.Figure(go.Heatmap(z=result.attention, x=x, y=y, colorscale="Blues", zmin=0, zmax=1,
                               colorbar={"title": {"text": "weight", "side": "top"}, "len": 1, "thickness": 14,
                                         "tickvals": [0, 0.5, 1]},
                               hovertemplate="output %{y}<br>input %{x}<br>weight %{z:.2f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", title="output word (English)", tickmode="array", tickvals=y,
                     ticktext=y, tickfont={"size": 12 if len(y) > 20 else 13}, automargin=True)
    fig.update_xaxes(title="input word (German)", tickmode="array", tickvals=x, ticktext=x, automargin=True,
                     tickangle=-60 if len(x) > 12 else -45, tickfont={"size": 11 if len(x) > 15 else 13})
    height = 200 + ROW_PX * len(y) + (60 if len(x) > 12 else 0)
    return apply_theme(fig, title="Where the decoder looked for each output word",
                       height=max(MIN_HEIGHT, min(MAX_HEIGHT, height)))


def quality_by_length(report: dict) -> go.Figure:
    """BLEU (left) and chrF (right) per source-length bucket, one line per system in both panels; a bucket without
    sentences is left out (not a 0). A report saved before chrF was scored by length draws BLEU alone."""
    from plotly.subplots import make_subplots

    panels = [("BLEU", "by_length")] + ([("chrF", "chrf_by_length")] if report.get("chrf_by_length") else [])
    fig = make_subplots(rows=1, cols=len(panels), subplot_titles=[f"{name} (higher is better)" for name, _ in panels],
                        horizontal_spacing=0.1)
    for col, (name, key) in enumerate(panels, start=1):
        buckets = [b for b in report[key] if b.get("n", 1) > 0]
        x = [f"{b['bucket']} words<br>n={b['n']}" for b in buckets]  # the ticks say it: no axis title to collide
        for system, (_, colour, dash) in SYSTEM_STYLE.items():
            if system in report["bleu"]:
                fig.add_trace(go.Scatter(x=x, y=[b[system] for b in buckets], name=system_name(system, report),
                                         legendgroup=system, showlegend=col == 1, mode="lines+markers",
                                         line={"color": colour, "width": 3, "dash": dash},
                                         hovertemplate=f"%{{x}}<br>{name} %{{y:.2f}}<extra>%{{fullData.name}}</extra>"),
                              row=1, col=col)
        fig.update_yaxes(rangemode="tozero", row=1, col=col)  # the panel's title names the score
        fig.update_xaxes(tickangle=0, row=1, col=col)  # with the legend below
    fig = apply_theme(fig, title="Translation quality on held-out sentences, by sentence length", height=520)
    fig.update_layout(legend={"y": -0.22, "yanchor": "top", "x": 0, "xanchor": "left"}, margin={"b": 10})
    return fig
