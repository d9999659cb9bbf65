"""Target transforms (level, log return or difference), a train-only scaler and lookback windows."""

from dataclasses import dataclass

import numpy as np

from rnn_models.errors import UserInputError

TARGETS = ("price", "log_return", "difference")
TARGET_LABELS = {"price": "levels (prices)", "log_return": "log returns", "difference": "differences"}


def check_target(values: np.ndarray, target: str, name: str = "target") -> None:
    """Refuse log returns of a series with zero or negative values."""
    if target not in TARGETS:
        raise UserInputError(f"Target must be one of {', '.join(TARGETS)}, not '{target}'.")
    if target == "log_return" and np.any(values <= 0):
        bad = int(np.sum(values <= 0))
        raise UserInputError(
            f"Log returns need every value above zero, but '{name}' has {bad} value(s) at or below zero. "
            f"Choose '{TARGET_LABELS['difference']}' or '{TARGET_LABELS['price']}' as the target for this column."
        )


def to_model_space(values: np.ndarray, target: str) -> np.ndarray:
    """(T,) prices -> (T,) modelled quantity: the price itself, log(p_t / p_{t-1}) or p_t - p_{t-1} (NaN at t=0)."""
    if target == "price":
        return values.astype(np.float64)
    out = np.full(len(values), np.nan)
    out[1:] = np.diff(np.log(values)) if target == "log_return" else np.diff(values)
    return out


def to_prices(steps: np.ndarray, last_price: np.ndarray, target: str) -> np.ndarray:
    """(N, H) modelled values after origins whose price is last_price (N,) -> (N, H) prices."""
    if target == "price":
        return steps
    if target == "difference":
        return last_price[:, None] + np.cumsum(steps, axis=1)
    return last_price[:, None] * np.exp(np.cumsum(steps, axis=1))


@dataclass(frozen=True)
class Scaler:
    mean: np.ndarray  # (F,) per-feature mean of the training rows
    std: np.ndarray  # (F,) per-feature standard deviation (1 where constant)

    @classmethod
    def fit(cls, features: np.ndarray) -> "Scaler":
        """Statistics of the given rows only: pass the training rows, never the test part."""
        mean = np.nanmean(features, axis=0)
        std = np.nanstd(features, axis=0)
        return cls(mean, np.where(std > 1e-12, std, 1.0))

    def transform(self, features: np.ndarray) -> np.ndarray:
        return (features - self.mean) / self.std

    def inverse(self, scaled: np.ndarray, column: int = 0) -> np.ndarray:
        return scaled * self.std[column] + self.mean[column]


def feature_matrix(values: np.ndarray, covariates: np.ndarray, target: str) -> np.ndarray:
    """(T,) target and (T, C) covariates -> (T, 1 + C) unscaled inputs; column 0 is the modelled target."""
    return np.column_stack([to_model_space(values, target), covariates.reshape(len(values), -1)])


def target_matrix(z: np.ndarray, width: int) -> np.ndarray:
    """(T,) scaled target -> (T, width): row t holds z[t+1], ..., z[t+width] (NaN past the end)."""
    out = np.full((len(z), width), np.nan)
    for k in range(width):
        out[: len(z) - k - 1, k] = z[k + 1:]
    return out


def window_starts(first: int, end: int, lookback: int, width: int) -> np.ndarray:
    """Start rows s with inputs [s, s+lookback) and every target row before `end` (no peeking past it)."""
    last = end - lookback - width
    if last < first:
        raise UserInputError(
            f"Too few training rows ({end - first}) for a lookback window of {lookback} and "
            f"{width} target step(s). Use a shorter window, a shorter horizon, or a longer series."
        )
    return np.arange(first, last + 1)


def gather_windows(matrix: np.ndarray, starts: np.ndarray, lookback: int) -> np.ndarray:
    """(T, F) rows and (N,) starts -> (N, lookback, F) windows."""
    idx = starts[:, None] + np.arange(lookback)[None, :]
    return matrix[idx]
