"""Pure functions: beliefs, spectrograms, confusion matrices and accuracies -> plotly figures / HTML."""

import html

import numpy as np
import plotly.graph_objects as go

from ui.charts import COLORS, apply_theme

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd"]
TOP_CLASSES = 6  # the chart shows the classes that were ever most believed, the rest summed as "other"


def belief_chart(steps: np.ndarray, labels: list[str], ticks: list[str] | None = None, *,
                 x: np.ndarray | None = None, x_title: str = "step", height: int = 340) -> go.Figure:
    """Stacked class probabilities after every step; ticks label the steps (the characters of a text)."""
    steps = np.asarray(steps)
    order = np.argsort(-steps.max(0))
    shown = sorted(order[:TOP_CLASSES]) if len(labels) > TOP_CLASSES else list(range(len(labels)))
    xs = x if x is not None else np.arange(1, len(steps) + 1)
    fig = go.Figure()
    for k in shown:
        fig.add_trace(go.Scatter(x=xs, y=steps[:, k], name=labels[k], stackgroup="belief", mode="lines",
                                 line=dict(width=0.5, color=PALETTE[k % len(PALETTE)]),
                                 hovertemplate=f"{html.escape(labels[k])}: %{{y:.1%}}<extra></extra>"))
    rest = [k for k in range(len(labels)) if k not in shown]
    if rest:
        fig.add_trace(go.Scatter(x=xs, y=steps[:, rest].sum(1), name="other", stackgroup="belief", mode="lines",
                                 line=dict(width=0.5, color="#cccccc")))
    if ticks is not None:
        fig.update_xaxes(tickmode="array", tickvals=list(xs), ticktext=[t if t.strip() else "␣" for t in ticks])
    fig.update_xaxes(title=x_title)
    fig.update_yaxes(title="belief", range=[0, 1], tickformat=".0%")
    return apply_theme(fig, title="What the network believes after each step", height=height)


def moved(steps: np.ndarray, prior: np.ndarray, k: int) -> np.ndarray:
    """(steps,) change of the probability of class k made by each step (the first from the prior)."""
    p = np.concatenate([[prior[k]], np.asarray(steps)[:, k]])
    return np.diff(p)


def char_html(text: str, deltas: np.ndarray, label: str) -> str:
    """Each character on a background: green where it raised the belief in `label`, red where it lowered it."""
    # scaled to the 90th percentile, not the largest move: one big step (often the first, which a mean over
    # the steps read so far weighs fully) would otherwise leave every other character blank
    scale = max(1e-6, float(np.quantile(np.abs(deltas), 0.9))) if len(deltas) else 1.0
    spans = []
    for ch, d in zip(text, deltas):
        a = min(1.0, abs(float(d)) / scale)
        rgb = "44,160,44" if d >= 0 else "214,39,40"
        spans.append(f'<span title="{d:+.1%}" style="background: rgba({rgb},{a:.2f}); padding: 2px 1px; '
                     f'border-radius: 3px">{html.escape(ch) if ch != " " else "&nbsp;"}</span>')
    legend = (f'<div style="font-size:0.85rem;color:#555;margin-top:6px">green: the character raised the belief '
              f'in <b>{html.escape(label)}</b>; red: lowered it (hover for the change)</div>')
    return ('<div style="font-family: monospace; font-size: 1.6rem; line-height: 2.4rem; word-wrap: break-word">'
            + "".join(spans) + "</div>" + legend)


def spectrogram_chart(feats: np.ndarray, seconds_per_frame: float, height: int = 220) -> go.Figure:
    """(frames, mels) log-mel energies as a heat map, time on the same axis as the belief chart."""
    xs = (np.arange(len(feats)) + 1) * seconds_per_frame
    fig = go.Figure(go.Heatmap(z=np.asarray(feats).T, x=xs, colorscale="Magma", showscale=False,
                               hovertemplate="%{x:.2f} s, mel band %{y}<extra></extra>"))
    fig.update_xaxes(title="seconds")
    fig.update_yaxes(title="mel band")
    return apply_theme(fig, title="What it hears: log-mel spectrogram (low pitches at the bottom)", height=height)


def confusion_chart(confusion: list[list[int]], labels: list[str], title: str) -> go.Figure:
    """Rows: true class; columns: predicted class; each row as a share of that class's examples."""
    m = np.asarray(confusion, dtype=float)
    share = m / np.maximum(1, m.sum(1, keepdims=True))
    fig = go.Figure(go.Heatmap(z=share, x=labels, y=labels, colorscale="Blues", zmin=0, zmax=1,
                               text=m.astype(int), texttemplate="%{text}" if len(labels) <= 16 else None,
                               hovertemplate="true %{y}, predicted %{x}: %{z:.0%}<extra></extra>"))
    fig.update_xaxes(title="predicted")
    fig.update_yaxes(title="true", autorange="reversed")
    return apply_theme(fig, title=title, height=max(320, 28 * len(labels) + 140))


def accuracy_chart(accuracy: dict[str, float], baselines: list[str]) -> go.Figure:
    """One bar per model and baseline, baselines grey, best first."""
    names = sorted(accuracy, key=lambda n: -accuracy[n])
    colors = [COLORS["baseline"] if n in baselines else COLORS["lstm"] for n in names]
    fig = go.Figure(go.Bar(x=[accuracy[n] for n in names], y=names, orientation="h", marker_color=colors,
                           text=[f"{accuracy[n]:.1%}" for n in names], textposition="auto"))
    fig.update_xaxes(title="held-out accuracy", range=[0, 1], tickformat=".0%")
    fig.update_yaxes(autorange="reversed")
    return apply_theme(fig, title="Held-out accuracy (grey: baselines)", height=120 + 45 * len(names))


def variants_chart(variants: dict[str, dict], accuracy: dict[str, float], baselines: list[str]) -> go.Figure:
    """RNN, GRU and LSTM, forward and bidirectional, as grouped bars; each baseline as a dashed line."""
    fig = go.Figure()
    for bi, pattern in ((False, ""), (True, "/")):
        names = {v["cell"]: n for n, v in variants.items() if v["bidirectional"] == bi}
        cells = [c for c in ("rnn", "gru", "lstm") if c in names]
        fig.add_trace(go.Bar(x=[c.upper() for c in cells], y=[accuracy[names[c]] for c in cells],
                             name="bidirectional" if bi else "forward only",
                             marker=dict(color=[COLORS[c] for c in cells], pattern_shape=pattern,
                                         opacity=1.0 if bi else 0.75),
                             text=[f"{accuracy[names[c]]:.1%}" for c in cells], textposition="outside",
                             hovertemplate="%{x} " + ("bidirectional" if bi else "forward") +
                             ": %{y:.1%}<extra></extra>"))
    for name, dash in zip(sorted(baselines, key=lambda n: -accuracy[n]), ("dash", "dot", "dashdot", "longdash")):
        fig.add_hline(y=accuracy[name], line_dash=dash, line_color=COLORS["baseline"], line_width=2)
        # the line's name goes in the legend (a label on the plot would sit on the bars)
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=f"{name} {accuracy[name]:.1%}",
                                 line=dict(dash=dash, color=COLORS["baseline"], width=2)))
    fig.update_layout(barmode="group")
    fig.update_yaxes(title="held-out accuracy", range=[0, 1], tickformat=".0%")
    fig = apply_theme(fig, title="Held-out accuracy, the same training steps each (grey lines: baselines)",
                      height=460)
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.12, x=0, xanchor="left"),
                      margin=dict(b=70))
    return fig
