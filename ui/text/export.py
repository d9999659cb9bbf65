"""Experiment files of the text generation page: what goes into the zip, and restoring from one."""

from typing import Any

import plotly.graph_objects as go

from rnn_models.checkpoints import Checkpoint
from ui.text.charts import candidates_chart, surprisal_figure

PAGE = "text_generation"


def sample_metrics(ckpt: Checkpoint, res: dict) -> tuple[dict[str, Any], dict[str, go.Figure]]:
    """Per sample: its bits per character under the model that wrote it (the prime read first), and a
    chart of each character's surprisal; plus the next-character chart after the prime."""
    from rnn_models.sampling import SamplingSettings
    from rnn_models.text.analysis import surprisal, top_candidates
    from rnn_models.text.generate import next_char_distribution

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
