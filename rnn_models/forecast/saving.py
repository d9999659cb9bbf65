"""A trained Forecaster saved and loaded through rnn_models.checkpoints (safetensors + JSON), like every model.

Network k of an ensemble is <stem>.safetensors for k = 0, else <stem>-k.safetensors; the JSON beside
each holds the forecast config, the scaler and the training split, so load() needs nothing else.
"""

from pathlib import Path

import numpy as np

from rnn_models import checkpoints
from rnn_models.checkpoints import CheckpointError
from rnn_models.forecast.model import ForecastConfig, Forecaster
from rnn_models.forecast.windows import Scaler


def _member(stem: Path, k: int) -> Path:
    return stem if k == 0 else stem.with_name(f"{stem.name}-{k}")


def save_forecaster(forecaster: Forecaster, path_stem: str | Path, meta: dict | None = None) -> list[Path]:
    """Write every network of the forecaster with its config, scaler and split; returns the weight files."""
    stem = Path(path_stem).with_suffix("") if Path(path_stem).suffix in (".json", ".safetensors") else Path(path_stem)
    doc = dict(meta or {})
    doc["forecast"] = {"config": forecaster.config.to_dict(), "train_end": int(forecaster.train_end),
                       "scaler": {"mean": forecaster.scaler.mean.tolist(), "std": forecaster.scaler.std.tolist()},
                       "members": len(forecaster.models)}
    return [checkpoints.save(model, _member(stem, k), doc)[0] for k, model in enumerate(forecaster.models)]


def load_forecaster(path_stem: str | Path) -> Forecaster:
    """Rebuild a saved forecaster from its files alone; CheckpointError says what is missing or wrong."""
    stem = Path(path_stem).with_suffix("") if Path(path_stem).suffix in (".json", ".safetensors") else Path(path_stem)
    first = checkpoints.load(stem)
    info = first.meta.get("forecast")
    if not isinstance(info, dict):
        raise CheckpointError("this checkpoint is not a forecaster (its JSON has no 'forecast' section)")
    try:
        config = ForecastConfig(**info["config"])
        scaler = Scaler(np.asarray(info["scaler"]["mean"], float), np.asarray(info["scaler"]["std"], float))
        members = int(info["members"])
        train_end = int(info["train_end"])
    except (KeyError, TypeError, ValueError) as exc:
        raise CheckpointError(f"the forecaster's JSON is incomplete or invalid ({exc})") from None
    models = [first.model] + [checkpoints.load(_member(stem, k)).model for k in range(1, members)]
    return Forecaster(models, scaler, config, train_end, history=[])
