"""The RNN forecaster: a linear-input SequenceModel trained on windows of one series."""

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import torch

from rnn_models.errors import UserInputError
from rnn_models.forecast.windows import (
    TARGETS,
    Scaler,
    check_target,
    feature_matrix,
    gather_windows,
    target_matrix,
    to_prices,
    window_starts,
)
from rnn_models.network import CELLS, ModelConfig, SequenceModel, check_choice
from rnn_models.training import TrainConfig, fit

STRATEGIES = ("recursive", "direct")


@dataclass(frozen=True)
class ForecastConfig:
    cell: str = "lstm"  # "rnn" | "lstm" | "gru"
    lookback: int = 30  # past steps the model reads before forecasting
    horizon: int = 5  # steps forecast from each origin
    target: str = "log_return"  # "price": the level; "log_return": log(p_t/p_{t-1}); "difference": p_t - p_{t-1}
    strategy: str = "recursive"  # "recursive": one step fed back H times; "direct": H outputs at once
    hidden_size: int = 32  # recurrent units
    num_layers: int = 1  # stacked layers
    dropout: float = 0.0  # between layers / before the head
    steps: int = 300  # optimisation steps
    batch_size: int = 64  # windows per step
    lr: float = 5e-3  # Adam learning rate
    seed: int = 0  # seeds weights and batch order

    def __post_init__(self):
        check_choice("cell", self.cell, CELLS)
        check_choice("strategy", self.strategy, STRATEGIES)
        check_choice("target", self.target, TARGETS)
        if self.lookback < 2 or self.horizon < 1:
            raise UserInputError("The lookback window must be at least 2 and the horizon at least 1.")

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Forecaster:
    model: SequenceModel
    scaler: Scaler  # fitted on training rows only
    config: ForecastConfig
    train_end: int  # rows [0, train_end) were used for fitting and scaling
    history: list  # fit() metrics, one dict per step

    @property
    def width(self) -> int:
        return self.config.horizon if self.config.strategy == "direct" else 1

    def predict(self, values: np.ndarray, covariates: np.ndarray, origins: np.ndarray) -> np.ndarray:
        """Price forecasts (N, horizon) for steps origin+1..origin+horizon, reading rows up to each origin only."""
        cfg = self.config
        first = 0 if cfg.target == "price" else 1
        origins = np.asarray(origins, dtype=np.int64)
        if len(origins) and origins.min() - cfg.lookback + 1 < first:
            raise UserInputError(f"Each forecast origin needs {cfg.lookback} earlier rows.")
        scaled = self.scaler.transform(feature_matrix(values, covariates, cfg.target))
        x = torch.tensor(gather_windows(scaled, origins - cfg.lookback + 1, cfg.lookback), dtype=torch.float32)
        self.model.eval()
        with torch.no_grad():
            out, state = self.model(x)  # (N, lookback, width)
            if cfg.strategy == "direct":
                steps = out[:, -1, :]  # (N, horizon)
            else:
                preds = [out[:, -1, 0]]
                held = x[:, -1, 1:]  # covariates held at their last known value
                for _ in range(cfg.horizon - 1):
                    step_in = torch.cat([preds[-1][:, None], held], dim=1)[:, None, :]  # (N, 1, F)
                    out, state = self.model(step_in, state)
                    preds.append(out[:, -1, 0])
                steps = torch.stack(preds, dim=1)
        steps = self.scaler.inverse(steps.double().numpy(), 0)
        return to_prices(steps, values[origins], cfg.target)


def train_forecaster(
    values: np.ndarray,
    covariates: np.ndarray,
    train_end: int,
    config: ForecastConfig,
    *,
    on_step: Callable[[dict], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Forecaster:
    """Fit scaler and model on rows [0, train_end) only; later rows are never read here."""
    check_target(values[:train_end], config.target)
    values, covariates = values[:train_end], covariates[:train_end]
    first = 0 if config.target == "price" else 1
    width = config.horizon if config.strategy == "direct" else 1
    raw = feature_matrix(values, covariates, config.target)
    scaler = Scaler.fit(raw[first:])
    scaled = scaler.transform(raw)
    targets = target_matrix(scaled[:, 0], width)  # (T, width)
    starts = window_starts(first, train_end, config.lookback, width)
    n_val = max(1, len(starts) // 10)
    split = {"train": starts[:-n_val] if len(starts) > n_val else starts, "val": starts[-n_val:]}
    # targets of inputs near a window's end may lie past the window but never past train_end
    x_all = torch.tensor(scaled, dtype=torch.float32)
    y_all = torch.tensor(np.nan_to_num(targets), dtype=torch.float32)
    mask_all = torch.tensor(~np.isnan(targets), dtype=torch.float32)
    offsets = torch.arange(config.lookback)

    def get_batch(name: str, gen: torch.Generator):
        pool = torch.as_tensor(split[name])
        pick = pool[torch.randint(len(pool), (config.batch_size,), generator=gen)]
        idx = pick[:, None] + offsets[None, :]  # (B, lookback)
        return x_all[idx], (y_all[idx], mask_all[idx])

    def loss_fn(model, x, y):
        target, mask = y
        out, _ = model(x)  # (B, lookback, width)
        return ((out - target) ** 2 * mask).sum() / mask.sum().clamp(min=1)

    torch.manual_seed(config.seed)
    model = SequenceModel(ModelConfig(
        cell=config.cell, input_size=scaled.shape[1], input_kind="linear", hidden_size=config.hidden_size,
        num_layers=config.num_layers, dropout=config.dropout, output_size=width))
    result = fit(model, get_batch, loss_fn, TrainConfig(
        steps=config.steps, batch_size=config.batch_size, lr=config.lr, clip=1.0,
        eval_every=max(1, config.steps // 10), eval_batches=2, seed=config.seed),
        on_step=on_step, should_stop=should_stop)
    return Forecaster(model, scaler, config, train_end, result.history)
