"""The RNN forecaster: a linear-input SequenceModel trained on windows of one series."""

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import torch

from rnn_models.errors import UserInputError
from rnn_models.forecast.windows import (
    SEASONAL,
    TARGETS,
    Scaler,
    check_target,
    feature_matrix,
    first_row,
    gather_windows,
    seasonal_to_levels,
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
    target: str = "log_return"  # "price": the level; "log_return": log(p_t/p_{t-1}); "difference": p_t - p_{t-1};
    # "seasonal_difference" / "seasonal_log_difference": the same one season (m steps) apart
    strategy: str = "recursive"  # "recursive": one step fed back H times; "direct": H outputs at once
    hidden_size: int = 32  # recurrent units
    num_layers: int = 1  # stacked layers
    dropout: float = 0.0  # between layers / before the head
    steps: int = 200  # optimisation steps (per network)
    batch_size: int = 64  # windows per step
    lr: float = 2e-3  # Adam learning rate (5e-3 over 300 steps overfits short series: benchmarks/forecast_benchmark.py)
    seed: int = 0  # seeds weights and batch order
    ensemble: int = 1  # networks trained with seeds seed, seed+1, ...; their forecasts are averaged
    season: int = 1  # seasonal period in steps, used by the seasonal targets
    window_scaling: bool = False  # divide each window's target column by its own mean absolute value (its level,
    # or its typical change) instead of one scale for the whole series; the forecast is multiplied back

    def __post_init__(self):
        check_choice("cell", self.cell, CELLS)
        check_choice("strategy", self.strategy, STRATEGIES)
        check_choice("target", self.target, TARGETS)
        if self.lookback < 2 or self.horizon < 1:
            raise UserInputError("The lookback window must be at least 2 and the horizon at least 1.")
        if self.target in SEASONAL and self.season < 2:
            raise UserInputError("Seasonal targets need a seasonal period of at least 2 steps.")
        if not 1 <= self.ensemble <= 10:
            raise UserInputError(f"The ensemble must have 1 to 10 networks, not {self.ensemble}.")

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Forecaster:
    models: list[SequenceModel]  # config.ensemble networks; their forecasts are averaged
    scaler: Scaler  # fitted on training rows only
    config: ForecastConfig
    train_end: int  # rows [0, train_end) were used for fitting and scaling
    history: list  # fit() metrics, one dict per step, the networks one after another

    @property
    def model(self) -> SequenceModel:
        """The first network (the only one unless config.ensemble > 1)."""
        return self.models[0]

    @property
    def width(self) -> int:
        return self.config.horizon if self.config.strategy == "direct" else 1

    def predict(self, values: np.ndarray, covariates: np.ndarray, origins: np.ndarray) -> np.ndarray:
        """Price forecasts (N, horizon) for steps origin+1..origin+horizon, reading rows up to each origin only."""
        cfg = self.config
        first = first_row(cfg.target, cfg.season)
        origins = np.asarray(origins, dtype=np.int64)
        if len(origins) and origins.min() - cfg.lookback + 1 < first:
            raise UserInputError(f"Each forecast origin needs {cfg.lookback} earlier rows.")
        raw = feature_matrix(values, covariates, cfg.target, cfg.season)
        scaled = model_inputs(raw, self.scaler, cfg.window_scaling)
        x = torch.tensor(gather_windows(scaled, origins - cfg.lookback + 1, cfg.lookback), dtype=torch.float32)
        if cfg.window_scaling:
            level = window_level(x[:, :, 0])  # (N,)
            x[:, :, 0] /= level[:, None]
        steps = torch.stack([self._steps(model, x) for model in self.models]).mean(dim=0)  # (N, horizon)
        if cfg.window_scaling:
            steps = (steps * level[:, None]).double().numpy()
        else:
            steps = self.scaler.inverse(steps.double().numpy(), 0)
        if cfg.target in SEASONAL:
            return seasonal_to_levels(steps, values, origins, cfg.target, cfg.season)
        return to_prices(steps, values[origins], cfg.target)

    def _steps(self, model: SequenceModel, x: torch.Tensor) -> torch.Tensor:
        """(N, lookback, F) scaled windows -> (N, horizon) scaled modelled steps from one network."""
        model.eval()
        with torch.no_grad():
            out, state = model(x)  # (N, lookback, width)
            if self.config.strategy == "direct":
                return out[:, -1, :]
            preds = [out[:, -1, 0]]
            held = x[:, -1, 1:]  # covariates held at their last known value
            for _ in range(self.config.horizon - 1):
                step_in = torch.cat([preds[-1][:, None], held], dim=1)[:, None, :]  # (N, 1, F)
                out, state = model(step_in, state)
                preds.append(out[:, -1, 0])
            return torch.stack(preds, dim=1)


def model_inputs(raw: np.ndarray, scaler: Scaler, window_scaling: bool) -> np.ndarray:
    """(T, F) unscaled features -> network inputs: every column standardised by the training scaler, except the
    target column under window scaling (left raw here and divided by each window's level later)."""
    scaled = scaler.transform(raw)
    if window_scaling:
        scaled[:, 0] = raw[:, 0]
    return scaled


def window_level(z: torch.Tensor) -> torch.Tensor:
    """(N, lookback) raw target windows -> (N,) their mean absolute value (1 where a window is all zeros)."""
    level = z.abs().mean(dim=1)
    return torch.where(level > 1e-12, level, torch.ones_like(level))


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
    first = first_row(config.target, config.season)
    width = config.horizon if config.strategy == "direct" else 1
    raw = feature_matrix(values, covariates, config.target, config.season)
    scaler = Scaler.fit(raw[first:])
    scaled = model_inputs(raw, scaler, config.window_scaling)
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
        x, y = x_all[idx], y_all[idx]
        if config.window_scaling:  # each window in units of its own level: (B, lookback, F), (B, lookback, width)
            level = window_level(x[:, :, 0])
            x = torch.cat([x[:, :, :1] / level[:, None, None], x[:, :, 1:]], dim=2)
            y = y / level[:, None, None]
        return x, (y, mask_all[idx])

    def loss_fn(model, x, y):
        target, mask = y
        out, _ = model(x)  # (B, lookback, width)
        return ((out - target) ** 2 * mask).sum() / mask.sum().clamp(min=1)

    models, history = [], []
    for k in range(config.ensemble):
        def report(m, k=k):
            history.append(dict(m, step=k * config.steps + m["step"], steps=config.ensemble * config.steps))
            if on_step:
                on_step(history[-1])

        torch.manual_seed(config.seed + k)
        model = SequenceModel(ModelConfig(
            cell=config.cell, input_size=scaled.shape[1], input_kind="linear", hidden_size=config.hidden_size,
            num_layers=config.num_layers, dropout=config.dropout, output_size=width))
        result = fit(model, get_batch, loss_fn, TrainConfig(
            steps=config.steps, batch_size=config.batch_size, lr=config.lr, clip=1.0,
            eval_every=max(1, config.steps // 10), eval_batches=2, seed=config.seed + k),
            on_step=report, should_stop=should_stop)
        models.append(model)
        if result.stopped != "done":
            break
    return Forecaster(models, scaler, config, train_end, history)
