"""Figures for the RNN explorer page: activations over text, gradient flow, races (pure functions)."""

import html

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ui.charts import COLORS
from ui.charts import apply_theme as _house_theme

CELL_LABEL = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}


def apply_theme(fig: go.Figure, *, title: str | None = None, height: int = 380) -> go.Figure:
    """The house look, with room between a title and the legend above the plot."""
    _house_theme(fig, title=title, height=height)
    if title:
        fig.update_layout(margin=dict(t=95), title=dict(y=0.98, yanchor="top"), legend=dict(y=1.01))
    return fig


def shown_char(ch: str) -> str:
    """A visible stand-in for whitespace in axis labels."""
    return {"\n": "⏎", " ": "␣", "\t": "⇥"}.get(ch, ch)


def activation_heatmap(values: np.ndarray, text: str, *, title: str, zmin: float = -1.0, zmax: float = 1.0,
                       colorscale: str = "RdBu_r", unit_label: str = "unit") -> go.Figure:
    """Units (rows) × characters (columns) of a (T, U) array."""
    T, U = values.shape
    chars = [shown_char(c) for c in text[:T]]
    fig = go.Figure(go.Heatmap(
        z=values.T, x=list(range(T)), y=list(range(U)), zmin=zmin, zmax=zmax, colorscale=colorscale,
        customdata=np.array([chars] * U), hovertemplate="char %{customdata} (t=%{x})<br>"
                                                         + unit_label + " %{y}: %{z:.3f}<extra></extra>"))
    if T <= 150:
        fig.update_xaxes(tickmode="array", tickvals=list(range(T)), ticktext=chars, tickangle=0,
                         tickfont=dict(size=10, family="monospace"))
    else:
        fig.update_xaxes(title="character position")
    fig.update_yaxes(title=unit_label, autorange="reversed", tickfont=dict(size=10))
    return apply_theme(fig, title=title, height=max(300, min(820, 110 + 13 * U)))


def colored_text_html(text: str, values: np.ndarray, *, vmin: float = -1.0, vmax: float = 1.0) -> str:
    """The text as HTML, each character's background from blue (vmin) through white to red (vmax)."""
    span = max(vmax - vmin, 1e-9)
    parts = []
    for ch, v in zip(text, values):
        a = float(np.clip((v - vmin) / span * 2 - 1, -1, 1))  # -1..1
        r, g, b = (255, int(255 * (1 - a)), int(255 * (1 - a))) if a >= 0 else \
            (int(255 * (1 + a)), int(255 * (1 + a)), 255)
        shown = "⏎<br>" if ch == "\n" else ("&nbsp;" if ch == " " else html.escape(ch))
        parts.append(f'<span title="{v:.3f}" style="background:rgb({r},{g},{b})">{shown}</span>')
    return ('<div style="font-family:monospace;font-size:16px;line-height:1.7;white-space:normal;'
            'word-break:break-all;color:#111">' + "".join(parts) + "</div>")


def saturation_scatter(sat_layer: dict[str, dict[str, np.ndarray]], *, title: str) -> go.Figure:
    """Karpathy et al.'s plot: each gate unit at (fraction left-saturated, fraction right-saturated)."""
    fig = go.Figure()
    palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]
    for i, (name, fr) in enumerate(sat_layer.items()):
        fig.add_trace(go.Scatter(x=fr["left"], y=fr["right"], mode="markers", name=name,
                                 marker=dict(size=8, opacity=0.7, color=palette[i % 4])))
    fig.add_shape(type="line", x0=0, y0=1, x1=1, y1=0, line=dict(dash="dot", color="#999"))
    fig.update_xaxes(title="fraction of time left-saturated (< 0.1)", range=[-0.02, 1.02])
    fig.update_yaxes(title="fraction of time right-saturated (> 0.9)", range=[-0.02, 1.02])
    apply_theme(fig, title=title, height=460)
    fig.update_layout(legend=dict(orientation="v", x=1.02, y=1, yanchor="top"))
    return fig


def trajectory_chart(coords: np.ndarray, colour: np.ndarray, hover: list[str], *, title: str,
                     colour_title: str, explained: np.ndarray) -> go.Figure:
    """The hidden-state path through PCA space (2D or 3D), points coloured by a per-step value."""
    dims = coords.shape[1]
    marker = dict(size=5 if dims == 3 else 8, color=colour, colorscale="Viridis", showscale=True,
                  colorbar=dict(title=colour_title))
    axis = [f"PC{i + 1} ({explained[i]:.0%})" for i in range(dims)]
    if dims == 3:
        fig = go.Figure(go.Scatter3d(x=coords[:, 0], y=coords[:, 1], z=coords[:, 2], mode="lines+markers",
                                     marker=marker, line=dict(color="#bbb", width=2), text=hover,
                                     hovertemplate="%{text}<extra></extra>"))
        fig.update_layout(scene=dict(xaxis_title=axis[0], yaxis_title=axis[1], zaxis_title=axis[2]))
        return apply_theme(fig, title=title, height=560)
    fig = go.Figure(go.Scatter(x=coords[:, 0], y=coords[:, 1] if dims > 1 else np.zeros(len(coords)),
                               mode="lines+markers", marker=marker, line=dict(color="#ccc", width=1),
                               text=hover, hovertemplate="%{text}<extra></extra>"))
    fig.update_xaxes(title=axis[0])
    fig.update_yaxes(title=axis[1] if dims > 1 else "")
    return apply_theme(fig, title=title, height=480)


def grad_norm_lines(flows: dict, *, title: str) -> go.Figure:
    """‖∂L/∂h_t‖ against t for each cell, log scale."""
    fig = go.Figure()
    for cell, f in flows.items():
        t = np.arange(1, len(f.grad_norms) + 1)
        y = np.where(f.grad_norms > 0, f.grad_norms, np.nan)
        fig.add_trace(go.Scatter(x=t, y=y, name=f"{CELL_LABEL[cell]} ({f.parameters:,} params)",
                                 mode="lines", line=dict(color=COLORS[cell], width=3)))
    fig.update_xaxes(title="time step t (the loss is at the last step)")
    fig.update_yaxes(title="‖∂L/∂h_t‖", type="log", exponentformat="power")
    return apply_theme(fig, title=title, height=420)


def grad_heatmaps(flows: dict) -> go.Figure:
    """log10 |∂L/∂h_t| per unit and step, one panel per cell."""
    cells = list(flows)
    fig = make_subplots(rows=1, cols=len(cells), subplot_titles=[CELL_LABEL[c] for c in cells],
                        horizontal_spacing=0.05)
    for i, c in enumerate(cells):
        z = np.log10(np.maximum(flows[c].grad_units.T, 1e-30))
        fig.add_trace(go.Heatmap(z=z, x=np.arange(1, z.shape[1] + 1), zmin=-12, zmax=2, colorscale="Magma",
                                 showscale=i == len(cells) - 1, colorbar=dict(title="log₁₀|∂L/∂h|"),
                                 hovertemplate="t=%{x} unit %{y}: 10^%{z:.1f}<extra></extra>"), row=1, col=i + 1)
        fig.update_xaxes(title="t", row=1, col=i + 1)
    fig.update_yaxes(title="hidden unit", row=1, col=1)
    return apply_theme(fig, title="Per-unit gradient |∂L/∂h_t| (first sequence)", height=360)


def jacobian_chart(jp, cell: str) -> go.Figure:
    """One-step Jacobian norms, their running product, and the norm of the actual product."""
    T = len(jp.product)
    t = np.arange(1, T + 1)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=t[1:], y=jp.norms, name="‖J_t‖ (one step)", mode="lines",
                             line=dict(color="#7f7f7f")))
    fig.add_trace(go.Scatter(x=t, y=np.where(jp.bound > 0, jp.bound, np.nan), name="∏ ‖J_k‖ (bound)",
                             mode="lines", line=dict(color="#ff7f0e", dash="dash", width=3)))
    fig.add_trace(go.Scatter(x=t, y=np.where(jp.product > 0, jp.product, np.nan), name="‖J_T ⋯ J_{t+1}‖ (actual)",
                             mode="lines", line=dict(color=COLORS[cell], width=3)))
    fig.update_xaxes(title="time step t")
    fig.update_yaxes(title="norm", type="log", exponentformat="power")
    return apply_theme(fig, title=f"{CELL_LABEL[cell]}: how far a change at step t reaches step T", height=400)


def clipping_chart(runs: dict[str, list[dict]]) -> go.Figure:
    """Loss and pre-clip gradient norm per step for each run (gaps where the value blew up)."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=["loss (MSE)", "gradient norm before clipping"])
    colors = ["#d62728", "#2ca02c"]
    for i, (label, hist) in enumerate(runs.items()):
        steps = [m["step"] for m in hist]
        for col, key in ((1, "loss"), (2, "grad_norm")):
            ys = [np.nan if m[key] is None else m[key] for m in hist]
            fig.add_trace(go.Scatter(x=steps, y=ys, name=label, legendgroup=label, showlegend=col == 1,
                                     mode="lines", line=dict(color=colors[i % 2])), row=1, col=col)
    fig.update_yaxes(type="log", exponentformat="power")
    fig.update_xaxes(title="SGD step")
    apply_theme(fig, height=420)
    fig.update_layout(legend=dict(orientation="h", y=-0.25, yanchor="top", x=0), margin=dict(t=40, b=20))
    return fig


def race_chart(metrics: list[dict], cells, baseline: float, baseline_label: str, *, y_title: str) -> go.Figure:
    """Held-out loss of each racer against seconds, with the memoryless baseline dashed."""
    fig = go.Figure()
    for cell in cells:
        pts = [(m["elapsed_s"], m[f"val_{cell}"]) for m in metrics if f"val_{cell}" in m]
        if pts:
            xs, ys = zip(*pts)
            fig.add_trace(go.Scatter(x=xs, y=ys, name=CELL_LABEL[cell], mode="lines",
                                     line=dict(color=COLORS[cell], width=3)))
    fig.add_hline(y=baseline, line_dash="dash", line_color=COLORS["baseline"],
                  annotation_text=f"baseline: {baseline_label}", annotation_position="top right")
    fig.update_xaxes(title="seconds of training (all three together)")
    fig.update_yaxes(title=y_title, type="log", exponentformat="power")
    return apply_theme(fig, title="Held-out loss during the race", height=420)


def blank_accuracy_chart(metrics: list[dict], chance: float | None, chance_label: str = "chance") -> go.Figure:
    """Accuracy on held-out blanks for forward-only vs bidirectional."""
    fig = go.Figure()
    for label, color in (("forward only", "#d62728"), ("bidirectional", "#1f77b4")):
        pts = [(m["step"], m[f"acc_{label}"]) for m in metrics if f"acc_{label}" in m]
        if pts:
            xs, ys = zip(*pts)
            fig.add_trace(go.Scatter(x=xs, y=ys, name=label, mode="lines", line=dict(color=color, width=3)))
    if chance is not None:
        fig.add_hline(y=chance, line_dash="dash", line_color=COLORS["baseline"], annotation_text=chance_label)
    fig.update_xaxes(title="training step")
    fig.update_yaxes(title="accuracy on the blank", range=[0, 1.02], tickformat=".0%")
    return apply_theme(fig, title="Filling the blank", height=380)


def sensitivity_chart(example: dict, *, twin: bool = True) -> go.Figure:
    """How strongly each model's answer depends on each input position."""
    seq = example["sequence"]
    fig = go.Figure()
    for label, color in (("forward only", "#d62728"), ("bidirectional", "#1f77b4")):
        s = example["models"][label]["sensitivity"]
        fig.add_trace(go.Bar(x=list(range(len(seq))), y=s / max(float(s.max()), 1e-12), name=label,
                             marker_color=color))
    fig.add_vline(x=example["blank"], line_dash="dot", annotation_text="blank")
    if twin:
        fig.add_vline(x=len(seq) - 1 - example["blank"], line_dash="dot", annotation_text="its twin")
    fig.update_xaxes(tickmode="array", tickvals=list(range(len(seq))), ticktext=[shown_char(c) for c in seq],
                     title="input sequence")
    fig.update_yaxes(title="influence on the answer (scaled)")
    return apply_theme(fig, title="Which inputs the answer depends on (‖∂score/∂input‖)", height=360)
