"""The melody LSTM: config, masked loss, training on melodies, and scoring against the baselines."""

from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from torch import nn

from rnn_models import checkpoints
from rnn_models.device import resolve_device
from rnn_models.music.baselines import MarkovChain, RepeatBaseline, score
from rnn_models.music.corpus import IGNORE, WindowSampler
from rnn_models.music.encoding import VOCAB_SIZE
from rnn_models.network import ModelConfig, SequenceModel
from rnn_models.training import FitResult, TrainConfig, fit, model_device

MODELS_DIR = Path(__file__).resolve().parents[2] / "assets" / "models"
DEFAULT_MODEL = MODELS_DIR / "music_lstm.json"
TASK = "melody"


def melody_config(cell: str = "lstm", hidden: int = 256, layers: int = 2, embed: int = 48,
                  dropout: float = 0.2) -> ModelConfig:
    """A next-event model over the melody vocabulary."""
    return ModelConfig(cell=cell, input_size=VOCAB_SIZE, input_kind="embedding", embed_size=embed,
                       hidden_size=hidden, num_layers=layers, dropout=dropout,
                       output_size=VOCAB_SIZE)


def masked_cross_entropy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean next-event cross-entropy in nats, skipping padded targets."""
    logits, _ = model(x)
    return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1),
                                       ignore_index=IGNORE)


def train_melody_model(train: list[np.ndarray], val: list[np.ndarray], config: ModelConfig,
                       train_config: TrainConfig, seq_len: int = 128, transpose: int = 6,
                       on_step: Callable | None = None,
                       should_stop: Callable | None = None,
                       device: str | torch.device = "auto") -> tuple[SequenceModel, FitResult]:
    """Fit a fresh model on random transposed windows of the training melodies, on `device`
    ("auto": rnn_models.device.default_device())."""
    torch.manual_seed(train_config.seed)
    dev = resolve_device(device)
    model = SequenceModel(config).to(dev)
    sampler = WindowSampler(train, val, seq_len, train_config.batch_size, transpose)  # fit() moves batches
    result = fit(model, sampler, masked_cross_entropy, train_config, on_step=on_step,
                 should_stop=should_stop)
    return model, result


@torch.no_grad()
def model_log_probs(model: SequenceModel, seq: np.ndarray) -> np.ndarray:
    """(len-1, V) log-probabilities of each next event given the whole past, for one melody."""
    model.eval()
    x = torch.as_tensor(np.asarray(seq[:-1], dtype=np.int64))[None].to(model_device(model))
    logits, _ = model(x)
    return torch.log_softmax(logits[0].float(), -1).cpu().numpy()


def evaluate_melodies(sequences: list[np.ndarray], model: SequenceModel | None = None,
                      markov: MarkovChain | None = None,
                      repeat: RepeatBaseline | None = None) -> dict[str, dict]:
    """Next-event NLL (nats per event and per note) and accuracy of each given predictor."""
    predictors = {"lstm": model and (lambda s: model_log_probs(model, s)),
                  "markov3": markov and markov.log_probs,
                  "repeat": repeat and repeat.log_probs}
    table = {}
    for name, fn in predictors.items():
        if fn is None:
            continue
        tot = {"nll_sum": 0.0, "events": 0, "correct": 0, "notes": 0}
        for seq in sequences:
            if len(seq) < 2:
                continue
            s = score(fn(seq), np.asarray(seq[1:]))
            for k in tot:
                tot[k] += s[k]
        ev = max(1, tot["events"])
        table[name] = {"nll_per_event": tot["nll_sum"] / ev, "accuracy": tot["correct"] / ev,
                       "nll_per_note": tot["nll_sum"] / max(1, tot["notes"]),
                       "events": tot["events"], "notes": tot["notes"]}
    return table


def load_melody_model(path: str | Path = DEFAULT_MODEL) -> checkpoints.Checkpoint:
    """Load a melody checkpoint and check it predicts over the melody vocabulary."""
    ckpt = checkpoints.load(path)
    cfg = ckpt.model.config
    if ckpt.meta.get("task") != TASK or cfg.output_size != VOCAB_SIZE or cfg.input_size != VOCAB_SIZE:
        raise checkpoints.CheckpointError(
            f"{Path(path).name} is not a melody model (task {ckpt.meta.get('task')!r}); "
            "train one with `python -m rnn_models train melody`")
    return ckpt


def finish_meta(model, data, result, command: str) -> dict:
    """Checkpoint metadata with the held-out table of the model and both baselines."""
    table = evaluate_melodies(data.test, model, data.markov(), data.repeat())
    return {"task": TASK, "command": command, "data": data.description,
            "vocab": {"size": VOCAB_SIZE, "encoding": "16th grid: 0 rest, 1 hold, 2+ note-on MIDI 36-96"},
            "metrics": {"heldout": table, "heldout_pieces": len(data.test),
                        "train_steps": len(result.history), "stopped": result.stopped,
                        "final_val_loss": result.final_val_loss,
                        "train_seconds": round(result.elapsed_s, 1)},
            "history": [{k: round(v, 5) for k, v in h.items() if k in ("step", "loss", "val_loss")}
                        for h in result.history[:: max(1, len(result.history) // 200)]]}
