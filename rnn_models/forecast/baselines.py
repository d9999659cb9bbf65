"""Classical baselines, each forecasting `horizon` steps from many origins at once using rows <= origin."""

import warnings

import numpy as np

BASELINES = ("naive", "seasonal_naive", "drift", "moving_average", "arima")


def naive(values: np.ndarray, origins: np.ndarray, horizon: int) -> np.ndarray:
    """(N, H): the last observed value, repeated."""
    return np.repeat(values[origins][:, None], horizon, axis=1)


def seasonal_naive(values: np.ndarray, origins: np.ndarray, horizon: int, season: int) -> np.ndarray:
    """(N, H): the value one season before each target step (naive when season is 1)."""
    h = np.arange(1, horizon + 1)
    back = season * np.ceil(h / season).astype(int)  # (H,) steps back from the target
    idx = origins[:, None] + h[None, :] - back[None, :]
    return values[np.maximum(idx, 0)]


def drift(values: np.ndarray, origins: np.ndarray, horizon: int) -> np.ndarray:
    """(N, H): the last value plus h times the average step since the first row."""
    slope = (values[origins] - values[0]) / np.maximum(origins, 1)
    return values[origins][:, None] + slope[:, None] * np.arange(1, horizon + 1)[None, :]


def moving_average(values: np.ndarray, origins: np.ndarray, horizon: int, window: int) -> np.ndarray:
    """(N, H): the mean of the last `window` values, repeated."""
    csum = np.concatenate([[0.0], np.cumsum(values)])
    lo = np.maximum(origins + 1 - window, 0)
    mean = (csum[origins + 1] - csum[lo]) / (origins + 1 - lo)
    return np.repeat(mean[:, None], horizon, axis=1)


def arima_order(train: np.ndarray, season: int) -> tuple[tuple, tuple]:
    """(p,d,q) and seasonal (P,D,Q,m): ARIMA(1,1,1), plus (0,1,1,m) when the differenced series is seasonal."""
    seasonal = (0, 0, 0, 0)
    if 2 <= season <= 24 and len(train) >= 4 * season:
        d = np.diff(train)
        d = d - d.mean()
        acf = float(np.dot(d[season:], d[:-season]) / max(np.dot(d, d), 1e-12))
        if acf > 0.3:
            seasonal = (0, 1, 1, season)
    return (1, 1, 1), seasonal


def arima(values: np.ndarray, origins: np.ndarray, horizon: int, train_end: int, season: int,
          max_fit_rows: int = 1500) -> tuple[np.ndarray, str]:
    """(N, H) ARIMA forecasts: parameters fitted once on training rows, then the Kalman filter runs
    over the series with fixed parameters and each origin forecasts from its own filtered state."""
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    order, seasonal = arima_order(values[:train_end], season)
    lo = max(0, train_end - max_fit_rows)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = SARIMAX(values[lo:train_end], order=order, seasonal_order=seasonal).fit(disp=False, maxiter=50)
        full = fitted.apply(values[lo:])
    ssm = full.model.ssm
    design, transition = _fixed(ssm["design"]), _fixed(ssm["transition"])  # (1, k), (k, k)
    obs_c, state_c = _fixed(ssm["obs_intercept"]).ravel(), _fixed(ssm["state_intercept"]).ravel()
    state = full.filter_results.predicted_state[:, origins - lo + 1]  # (k, N): state for origin+1 given rows <= origin
    out = np.empty((len(origins), horizon))
    for h in range(horizon):
        out[:, h] = (design @ state)[0] + obs_c[0]
        state = transition @ state + state_c[:, None]
    name = f"ARIMA{order}" + (f"x{seasonal}" if seasonal[3] else "")
    return out, name


def _fixed(matrix: np.ndarray) -> np.ndarray:
    """A time-invariant state-space matrix without its trailing time axis, if it has one."""
    matrix = np.asarray(matrix)
    if matrix.ndim == 3:
        return matrix[:, :, 0]
    return matrix
