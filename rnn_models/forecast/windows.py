"""Target transforms (level, log return or difference), a train-only scaler and lookback windows."""

from dataclasses import dataclass

import numpy as np

from rnn_models.errors import UserInputError

TARGETS = ("price", "log_return", "difference", "seasonal_difference", "seasonal_log_difference")
TARGET_LABELS = {"price": "levels (prices)", "log_return": "log returns", "difference": "differences",
                 "seasonal_difference": "seasonal differences", "seasonal_log_difference": "seasonal log differences"}
SEASONAL = ("seasonal_difference", "seasonal_log_difference")  # y_t - y_{t-m}, log y_t - log y_{t-m}


def first_row(target: str, season: int = 1) -> int:
    """The first row whose modelled value exists (0 for levels, 1 for changes, m for seasonal changes)."""
    return 0 if target == "price" else season if target in SEASONAL else 1


def check_target(values: np.ndarray, target: str, name: str = "target") -> None:
    """Refuse log returns of a series with zero or negative values."""
    if target not in TARGETS:
        raise UserInputError(f"Target must be one of {', '.join(TARGETS)}, not '{target}'.")
    if target in ("log_return", "seasonal_log_difference") and np.any(values <= 0):
        bad = int(np.sum(values <= 0))
        raise UserInputError(
            f"{TARGET_LABELS[target].capitalize()} need every value above zero, but '{name}' has {bad} value(s) "
            "at or below zero. "
            f"Choose '{TARGET_LABELS['difference']}' or '{TARGET_LABELS['price']}' as the target for this column."
        )


def to_model_space(values: np.ndarray, target: str, season: int = 1) -> np.ndarray:
    """(T,) prices -> (T,) modelled quantity: the price itself, log(p_t / p_{t-1}) or p_t - p_{t-1} (NaN at t=0),
    or the same one season apart (NaN for the first season)."""
    if target == "price":
        return values.astype(np.float64)
    out = np.full(len(values), np.nan)
    if target in SEASONAL:
        g = np.log(values) if target == "seasonal_log_difference" else values.astype(np.float64)
        out[season:] = g[season:] - g[:-season]
        return out
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


def seasonal_to_levels(steps: np.ndarray, values: np.ndarray, origins: np.ndarray, target: str,
                       season: int) -> np.ndarray:
    """(N, H) forecast seasonal changes after each origin -> (N, H) levels: y_{t+k} = y_{t+k-m} + d_{t+k},
    reading observed rows up to the origin and the forecasts themselves beyond it."""
    logs = target == "seasonal_log_difference"
    g = np.log(values) if logs else values.astype(np.float64)
    n, horizon = steps.shape
    out = np.empty((n, horizon))
    for k in range(horizon):
        back = k - season  # column of the forecast one season earlier, or < 0: an observed row
        base = out[:, back] if back >= 0 else g[origins + 1 + back]
        out[:, k] = base + steps[:, k]
    return np.exp(out) if logs else out


def feature_matrix(values: np.ndarray, covariates: np.ndarray, target: str, season: int = 1) -> np.ndarray:
    """(T,) target and (T, C) covariates -> (T, 1 + C) unscaled inputs; column 0 is the modelled target."""
    return np.column_stack([to_model_space(values, target, season), covariates.reshape(len(values), -1)])


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
