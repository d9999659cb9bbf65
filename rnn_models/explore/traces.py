"""Hidden states and gates of a character model on a piece of text, and gate saturation."""

from dataclasses import dataclass

import numpy as np
import torch

from rnn_models.errors import UserInputError
from rnn_models.network import SequenceModel

MAX_TRACE_CHARS = 2000  # longer text is refused: the transparent cells are a Python loop over time
SATURATION = 0.1  # a sigmoid gate below 0.1 is left-saturated, above 0.9 right-saturated (Karpathy et al.)


@dataclass
class TextTrace:
    """What a model computed on `text`, as numpy arrays (time first)."""

    text: str  # the characters fed in, after unknown ones were replaced
    cell: str  # "rnn" | "lstm" | "gru"
    hidden: list[np.ndarray]  # per layer (T, dirs*H)
    memory: list[np.ndarray] | None  # LSTM cell state per layer (T, dirs*H)
    gates: list[dict[str, np.ndarray]]  # per layer: gate name -> (T, dirs*H)
    next_probs: np.ndarray  # (T, V) the model's distribution for the character after each one
    replaced: list[str]  # characters of the typed text the vocabulary lacked (replaced)

    @property
    def layers(self) -> int:
        return len(self.hidden)


def encode_text(text: str, vocab: list[str]) -> tuple[str, torch.Tensor, list[str]]:
    """Map text onto the vocabulary (rnn_models.text's rules: look-alike or fallback character)."""
    from rnn_models.text.vocab import encode, map_unknown, unknown_chars

    missing = unknown_chars(text, vocab)
    mapped = map_unknown(text, vocab, "replace")
    return mapped, encode(mapped, vocab, "replace"), missing


def trace_text(model: SequenceModel, vocab: list[str], text: str) -> TextTrace:
    """Run the model's transparent cells over `text` (one sequence) and keep every activation."""
    if not text:
        raise UserInputError("type some text to look at (at least 2 characters)")
    if len(text) > MAX_TRACE_CHARS:
        raise UserInputError(f"the text is {len(text)} characters; the explorer looks at up to "
                             f"{MAX_TRACE_CHARS} at a time. Paste a shorter piece.")
    if model.config.input_kind != "embedding" or model.config.input_size != len(vocab):
        raise UserInputError("this model does not read characters from this vocabulary")
    mapped, ids, missing = encode_text(text, vocab)
    if len(ids) < 2:
        raise UserInputError("type some text to look at (at least 2 characters)")
    model.eval()
    with torch.no_grad():
        logits, _, trace = model.forward_traced(ids.unsqueeze(0), per_step=False)  # (1, T, V)
    probs = torch.softmax(logits[0].float(), dim=-1).numpy()
    return TextTrace(
        text=mapped,
        cell=model.config.cell,
        hidden=[h[0].numpy() for h in trace.hidden],
        memory=None if trace.cell is None else [c[0].numpy() for c in trace.cell],
        gates=[{k: v[0].numpy() for k, v in layer.items()} for layer in trace.gates],
        next_probs=probs,
        replaced=missing,
    )


def as_unit_interval(name: str, values: np.ndarray) -> np.ndarray:
    """Sigmoid gates are already in [0, 1]; tanh candidates in [-1, 1] are mapped onto it."""
    return (values + 1) / 2 if name in ("cell_candidate", "candidate") else values


def saturation(trace: TextTrace, threshold: float = SATURATION) -> list[dict[str, dict[str, np.ndarray]]]:
    """Per layer and gate: the fraction of time each unit is left (< t) and right (> 1-t) saturated."""
    out = []
    for layer in trace.gates:
        per_gate = {}
        for name, vals in layer.items():
            v = as_unit_interval(name, vals)
            per_gate[name] = {"left": (v < threshold).mean(axis=0), "right": (v > 1 - threshold).mean(axis=0)}
        out.append(per_gate)
    return out


def saturation_summary(trace: TextTrace, threshold: float = SATURATION) -> list[dict]:
    """One row per layer and gate: mean left- and right-saturated fractions over units and time."""
    rows = []
    for i, layer in enumerate(saturation(trace, threshold)):
        for name, fr in layer.items():
            rows.append({"layer": i + 1, "gate": name, "left_saturated": float(fr["left"].mean()),
                         "right_saturated": float(fr["right"].mean()),
                         "unsaturated": float(1 - fr["left"].mean() - fr["right"].mean())})
    return rows
