"""Pure functions: arrays and metric histories -> plotly figures in the house look."""

import plotly.graph_objects as go
import plotly.io as pio

from ui import projector

# the house template, set once: naming it per figure makes plotly rebuild it (tens of ms a chart)
pio.templates.default = "plotly_white"

FONT_SIZE = 15  # readable when projected
COLORS = {"rnn": "#d62728", "lstm": "#1f77b4", "gru": "#2ca02c", "baseline": "#7f7f7f",
          "train": "#1f77b4", "val": "#ff7f0e", "primer": "#1f77b4", "continuation": "#ff7f0e"}


def apply_theme(fig: go.Figure, *, title: str | None = None, height: int = 380) -> go.Figure:
    """Shared look: white background, large fonts, legend on top, tight margins."""
    fig.update_layout(font=dict(size=FONT_SIZE), height=height,
                      margin=dict(l=10, r=10, t=60 if title else 20, b=10),
                      # with a title (top left) the legend sits at the top right, clear of it
                      legend=dict(orientation="h", yanchor="bottom", y=1.02,
                                  x=1 if title else 0, xanchor="right" if title else "left"),
                      title=title)
    return projector.figure(fig)  # larger font and a taller plot in projector mode


def loss_chart(history: list[dict], keys: dict[str, str] | None = None, *, title: str = "Loss",
               y_title: str = "loss", scale: float = 1.0, log_y: bool = False) -> go.Figure:
    """Lines of metric histories against step; keys maps metric name -> legend label.

    scale converts units (e.g. 1/ln 2 turns nats into bits).
    """
    keys = keys or {"loss": "train", "val_loss": "validation"}
    fig = go.Figure()
    for key, label in keys.items():
        pts = [(m["step"], m[key] * scale) for m in history if key in m and m[key] is not None]
        if not pts:
            continue
        xs, ys = zip(*pts)
        fig.add_trace(go.Scatter(x=xs, y=ys, name=label, mode="lines+markers" if len(pts) < 30 else "lines",
                                 line=dict(color=COLORS.get(label, COLORS.get(key)))))
    fig.update_xaxes(title="training step")
    fig.update_yaxes(title=y_title, type="log" if log_y else "linear")
    return apply_theme(fig, title=title)


def multi_loss_chart(histories: dict[str, list[dict]], key: str = "loss", *, title: str = "Loss",
                     y_title: str = "loss", scale: float = 1.0, baseline: float | None = None,
                     baseline_label: str = "baseline", log_y: bool = False) -> go.Figure:
    """One line per run (e.g. per cell) of the same metric, with an optional dashed baseline."""
    fig = go.Figure()
    for name, hist in histories.items():
        pts = [(m["step"], m[key] * scale) for m in hist if m.get(key) is not None]
        if pts:
            xs, ys = zip(*pts)
            fig.add_trace(go.Scatter(x=xs, y=ys, name=name, mode="lines",
                                     line=dict(color=COLORS.get(name.lower()))))
    if baseline is not None:
        fig.add_hline(y=baseline * scale, line_dash="dash", line_color=COLORS["baseline"],
                      annotation_text=baseline_label, annotation_position="top right")
    fig.update_xaxes(title="training step")
    fig.update_yaxes(title=y_title, type="log" if log_y else "linear")
    return apply_theme(fig, title=title)
