"""Pure functions: arrays and metric histories -> plotly figures in the house look."""

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from ui import projector

# the house template, set once: naming it per figure makes plotly rebuild it (tens of ms a chart)
pio.templates.default = "plotly_white"

FONT_SIZE = 15  # readable when projected
MAX_LINE_POINTS = 1000  # points of one line sent to the browser: about two per pixel of a wide chart
MAX_HEAT_COLUMNS = 400  # columns of a heat map sent to the browser (neighbours averaged)
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
    return projector.figure(lean(fig))  # larger font and a taller plot in projector mode


def peaks_kept(n: int, y: np.ndarray, most: int) -> np.ndarray:
    """Indices of at most `most` of n points: each of most // 2 buckets keeps its lowest and highest
    point, in order, so a thinned line looks the same (its spikes stay) at a chart's resolution."""
    if n <= most:
        return np.arange(n)
    edges = np.linspace(0, n, most // 2 + 1).astype(int)
    y = np.asarray(y, dtype=float)
    keep = []
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        part = y[a:b]
        keep += sorted({a + int(np.argmin(np.where(np.isnan(part), np.inf, part))),
                        a + int(np.argmax(np.where(np.isnan(part), -np.inf, part)))})
    return np.asarray(keep)


def lean(fig: go.Figure) -> go.Figure:
    """Send the browser only what it can show: long plain lines thinned (peaks kept), wide heat maps
    averaged to MAX_HEAT_COLUMNS columns, float arrays as float32. Markers, fills and stacks are left as
    they are: each of their points means something."""
    for tr in fig.data:
        if tr.type == "scatter" and tr.mode in (None, "lines") and tr.fill in (None, "none") \
                and not tr.stackgroup and tr.y is not None and len(tr.y) > MAX_LINE_POINTS:
            idx = peaks_kept(len(tr.y), tr.y, MAX_LINE_POINTS)
            if tr.x is not None and len(tr.x) == len(tr.y):
                tr.x = np.asarray(tr.x)[idx]
            tr.y = np.asarray(tr.y, dtype=np.float32)[idx]
        elif tr.type == "heatmap" and tr.z is not None and np.ndim(tr.z) == 2 \
                and np.shape(tr.z)[1] > MAX_HEAT_COLUMNS and np.asarray(tr.z).dtype.kind == "f":
            z = np.asarray(tr.z, dtype=np.float32)
            groups = np.array_split(np.arange(z.shape[1]), MAX_HEAT_COLUMNS)
            tr.z = np.stack([z[:, g].mean(1) for g in groups], axis=1)
            if tr.x is not None and len(tr.x) == z.shape[1]:
                tr.x = np.asarray([np.asarray(tr.x)[g[len(g) // 2]] for g in groups])
    return fig


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
