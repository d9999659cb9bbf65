"""Text-page figures: next-character candidates, surprisal, learning while reading, training curves."""

import plotly.graph_objects as go

from ui.charts import apply_theme, loss_chart, multi_loss_chart
from ui.text.render import SHOW


def candidates_chart(top: list[tuple[str, float]], temperature: float) -> go.Figure:
    labels = [SHOW.get(c, c) for c, _ in top]
    fig = go.Figure(go.Bar(x=labels, y=[p for _, p in top], text=[f"{p:.1%}" for _, p in top],
                           textposition="outside", marker_color="#1f77b4"))
    fig.update_xaxes(title="next character", type="category")
    fig.update_yaxes(title="probability", range=[0, 1.05])
    return apply_theme(fig, title=f"Most likely next characters at temperature {temperature:g}")


def surprisal_figure(text: str, bits: list[float], title: str) -> go.Figure:
    fig = go.Figure(go.Bar(x=list(range(len(bits))), y=bits, hovertext=[SHOW.get(c, c) for c in text],
                           marker_color="#d62728"))
    fig.update_xaxes(title="position in the generated text")
    fig.update_yaxes(title="bits (surprisal)")
    return apply_theme(fig, title=title)


def learning_figure(frozen: list[float], learning: list[float], window: int = 300) -> go.Figure:
    """Bits per character over the last `window` characters, as the text is read: the model as trained
    against the same model learning while it reads."""
    import numpy as np

    fig = go.Figure()
    for name, bits, color in (("as trained", frozen, "#7f7f7f"), ("learning while reading", learning, "#d62728")):
        c = np.cumsum(np.concatenate([[0.0], bits]))
        n = np.arange(1, len(bits) + 1)
        rolling = (c[n] - c[np.maximum(n - window, 0)]) / np.minimum(n, window)
        skip = min(100, len(bits) // 2)  # the first characters' mean is too noisy to read
        fig.add_trace(go.Scatter(x=n[skip:], y=rolling[skip:], name=name, mode="lines", line=dict(color=color)))
    fig.update_xaxes(title="characters read")
    fig.update_yaxes(title=f"bits per character, last {window}", rangemode="tozero")
    return apply_theme(fig, title="Bits per character as the text goes on: as trained vs learning while reading")


def compare_chart(metrics: list[dict]) -> go.Figure:
    hist = {}
    for m in metrics:
        hist.setdefault(m["cell"].upper(), []).append(dict(m, step=m["cell_step"]))
    return multi_loss_chart(hist, "val_bpc", title="Validation bits per character", y_title="bits per character")


def train_chart(metrics: list[dict]) -> go.Figure:
    return loss_chart(metrics, {"bpc": "train", "val_bpc": "validation"}, title="Bits per character",
                      y_title="bits per character")
