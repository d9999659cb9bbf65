"""Experiment files of the text generation page: what goes into the zip, and restoring from one."""

from typing import Any

import plotly.graph_objects as go

from rnn_models.checkpoints import Checkpoint
from ui.charts import apply_theme
from ui.text.render import SHOW

PAGE = "text_generation"


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


def sample_metrics(ckpt: Checkpoint, res: dict) -> tuple[dict[str, Any], dict[str, go.Figure]]:
    """Per sample: its bits per character under the model that wrote it (the prime read first), and a
    chart of each character's surprisal; plus the next-character chart after the prime."""
    from rnn_models.text.analysis import surprisal, top_candidates
    from rnn_models.text.generate import next_char_distribution
    from rnn_models.text.sampling import SamplingSettings

    vocab, prime, cfg = ckpt.meta["vocab"], res["prime"], res["cfg"]
    samples, figures = [], {}
    for i, text in enumerate(res["texts"]):
        s = surprisal(ckpt.model, vocab, prime + text)
        bits = s.bits[len(s.text) - len(text):]
        bpc = sum(bits) / len(bits) if bits else None
        samples.append({"seed": cfg["seed"] + i, "text": text, "bpc": bpc})
        figures[f"surprisal_sample_{i + 1}"] = surprisal_figure(
            text, bits, f"Sample {i + 1}: surprisal of each generated character ({bpc:.3f} bpc)")
    temp = cfg["temperature"] if cfg["method"] == "sample" and cfg["temperature"] > 0 else 1.0
    probs = next_char_distribution(ckpt.model, vocab, prime, SamplingSettings(temperature=temp))
    figures["next_character_after_prime"] = candidates_chart(top_candidates(probs, vocab, 12), temp)
    metrics = {"model": res["model"], "prime": prime, "settings": {k: v for k, v in cfg.items() if k != "prime"},
               "samples": samples, "model_metrics": {k: v for k, v in (ckpt.meta.get("metrics") or {}).items()
                                                     if k != "history"}}
    return metrics, figures


def experiment_zip(res: dict, setup: dict[str, str], ckpt: Checkpoint, user_model: Checkpoint | None,
                   quality_row: dict | None = None) -> bytes:
    from ui.experiment import build

    metrics, figures = sample_metrics(ckpt, res)
    if quality_row:
        metrics["quality_table_row"] = quality_row
    return build(PAGE, setup, metrics, figures, checkpoint=user_model)
