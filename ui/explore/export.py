"""The explorer page's experiment file (set-up, gradient flow, race and fill-in-the-blank results) and
the URL parameter types its controls need beyond ui.share's."""

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

from ui.explore import charts as xc
from ui.share import Param


@dataclass(frozen=True)
class TextParam(Param):
    """The student's own text: any string up to the text box's 2,000 characters."""

    def parse(self, raw: str) -> str:
        if len(raw) > 2000:
            raise ValueError("longer than 2,000 characters")
        return raw


def _finite(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def gradient_metrics(g: dict, flows: dict) -> dict[str, Any]:
    """Per cell: ‖∂L/∂h_t‖ for every t, the first/last ratio and the spectrum of W_hh."""
    cells = {}
    for cell, f in flows.items():
        norms = [float(v) for v in f.grad_norms]
        cells[cell] = {"grad_norms": norms, "ratio_first_to_last": _finite(norms[0] / norms[-1]) if norms[-1] else None,
                       "singular_value": float(f.singular_value), "spectral_radius": float(f.spectral_radius),
                       "loss": float(f.loss), "parameters": int(f.parameters)}
    return {"settings": g, "cells": cells}


def race_metrics(saved: dict) -> dict[str, Any]:
    config, result = saved["config"], saved["result"]
    return {"config": dataclasses.asdict(config), "final": dict(result.final), "baseline": result.baseline,
            "baseline_label": result.baseline_label, "steps": result.steps, "elapsed_s": result.elapsed_s,
            "stopped": result.stopped, "history": result.history}


def blank_metrics(saved: dict) -> dict[str, Any]:
    config, result = saved["config"], saved["result"]
    return {"config": dataclasses.asdict(config), "final_accuracy": dict(result.final_accuracy),
            "chance": result.chance, "chance_label": result.chance_label, "steps": result.steps,
            "history": result.history}


def experiment_zip(setup: dict[str, str], g: dict, race: dict | None, blank: dict | None) -> bytes:
    """The zip: the set-up, gradient flow for the gradient settings, and the last race / fill-in-the-blank."""
    from rnn_models.explore.gradients import compare_cells
    from ui.experiment import build

    flows = compare_cells(g["length"], scale=g["scale"], nonlinearity=g["nonlinearity"], budget=g["budget"],
                          seed=g["seed"], chrono=g["chrono"])
    metrics = {"gradients": gradient_metrics(g, flows)}
    figures = {"gradient_flow": xc.grad_norm_lines(flows, title=f"‖∂L/∂h_t‖ for a loss at step T = {g['length']}"),
               "gradient_heatmaps": xc.grad_heatmaps(flows)}
    if race:
        r = race["result"]
        metrics["race"] = race_metrics(race)
        figures["race"] = xc.race_chart(r.history, race["config"].cells, r.baseline, "memoryless",
                                        y_title="MSE" if race["config"].task == "adding" else "nats/step")
    if blank:
        b = blank["result"]
        metrics["bidirectional"] = blank_metrics(blank)
        figures["fill_in_the_blank"] = xc.blank_accuracy_chart(b.history, b.chance, b.chance_label)
    return build("rnn_explorer", setup, metrics, figures)


def restore_race(metrics: dict) -> dict | None:
    """The race saved in an experiment's metrics, as the page keeps it (None if absent or unreadable)."""
    from rnn_models.explore.race import RaceConfig, RaceResult

    m = metrics.get("race")
    if not isinstance(m, dict):
        return None
    try:
        fields = {f.name for f in dataclasses.fields(RaceConfig)}
        cfg = {k: v for k, v in m["config"].items() if k in fields}
        cfg["cells"] = tuple(cfg.get("cells", ()))
        config = RaceConfig(**cfg)
        result = RaceResult(history=[dict(h) for h in m["history"]], final={str(k): float(v) for k, v in
                                                                             m["final"].items()},
                            baseline=float(m["baseline"]), baseline_label=str(m["baseline_label"]),
                            steps=int(m["steps"]), elapsed_s=float(m["elapsed_s"]), stopped=str(m["stopped"]))
        if set(result.final) - set(config.cells) or not result.final:
            return None
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return {"config": config, "result": result}
