"""Statistical baselines in state-space form: ARIMA (fixed and automatic order) and exponential smoothing.

Each is fitted once on the training rows; then the Kalman filter runs over the whole series with the
parameters fixed, and every origin forecasts from its own filtered state (no refits, no peeking).
"""

import warnings

import numpy as np

from rnn_models.forecast.baselines.base import Baseline, register

MAX_FIT_ROWS = 1500  # parameters are fitted on at most this many training rows (the latest)


def seasonal_acf(train: np.ndarray, season: int) -> float:
    """Autocorrelation at the seasonal lag of the differenced training rows (0 when there is no season)."""
    if not 2 <= season <= 24 or len(train) < 4 * season:
        return 0.0
    d = np.diff(train)
    d = d - d.mean()
    return float(np.dot(d[season:], d[:-season]) / max(np.dot(d, d), 1e-12))


def arima_order(train: np.ndarray, season: int) -> tuple[tuple, tuple]:
    """(p,d,q) and seasonal (P,D,Q,m): ARIMA(1,1,1), plus (0,1,1,m) when the differenced series is seasonal."""
    seasonal = (0, 1, 1, season) if seasonal_acf(train, season) > 0.3 else (0, 0, 0, 0)
    return (1, 1, 1), seasonal


def _fixed(matrix: np.ndarray) -> np.ndarray:
    """A time-invariant state-space matrix without its trailing time axis, if it has one."""
    matrix = np.asarray(matrix)
    return matrix[:, :, 0] if matrix.ndim == 3 else matrix


def filtered_forecasts(fitted, values: np.ndarray, lo: int, origins: np.ndarray, horizon: int) -> np.ndarray:
    """(N, H) forecasts from each origin's filtered state, the fitted parameters held fixed over values[lo:]."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        full = fitted.apply(values[lo:])
    ssm = full.model.ssm
    design, transition = _fixed(ssm["design"]), _fixed(ssm["transition"])  # (1, k), (k, k)
    obs_c, state_c = _fixed(ssm["obs_intercept"]).ravel(), _fixed(ssm["state_intercept"]).ravel()
    state = full.filter_results.predicted_state[:, origins - lo + 1]  # (k, N): state for origin+1 given rows <= origin
    out = np.empty((len(origins), horizon))
    for h in range(horizon):
        out[:, h] = (design @ state)[0] + obs_c[0]
        state = transition @ state + state_c[:, None]
    return out


class _StateSpace(Baseline):
    slow = True
    fit_rows = MAX_FIT_ROWS  # parameters are fitted on at most this many training rows (the latest)
    order_prefix = ""  # ARIMA kinds: the label is this prefix with the fitted (seasonal) order

    @property
    def label(self) -> str:
        if not self.order_prefix:
            return super().label
        return f"{self.order_prefix}{tuple(self.order)}" + (f"x{tuple(self.seasonal)}" if self.seasonal[3] else "")

    def fit(self, values, train_end):
        self.lo = max(0, train_end - self.fit_rows)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.fitted = self._fit(values[self.lo:train_end])
        return self

    def predict(self, values, origins, horizon):
        return filtered_forecasts(self.fitted, values, self.lo, origins, horizon)


def _sarimax(train: np.ndarray, order: tuple, seasonal: tuple):
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    return SARIMAX(train, order=order, seasonal_order=seasonal).fit(disp=False, maxiter=50)


@register
class Arima(_StateSpace):
    name, colour = "arima", "#17becf"
    order_prefix = "ARIMA"
    description = "ARIMA(1,1,1), seasonal when the data say so (statsmodels)"

    def _fit(self, train):
        self.order, self.seasonal = arima_order(train, self.context.season)
        return _sarimax(train, self.order, self.seasonal)


@register
class AutoArima(_StateSpace):
    name, colour = "auto_arima", "#1f77b4"
    order_prefix = "auto ARIMA"
    description = "ARIMA with its order chosen by AIC (pmdarima's stepwise search)"
    search_rows = 600  # the order is searched on the latest rows only (the search fits many models)

    def _fit(self, train):
        import pmdarima

        m = self.context.season
        seasonal = seasonal_acf(train, m) > 0.3
        # seasonal: search (p,d,q) on the seasonally differenced rows, with a (0,1,1) seasonal part
        # (a full seasonal search costs ~30 s a series on one core)
        search = train[m:] - train[:-m] if seasonal else train
        found = pmdarima.auto_arima(search[-self.search_rows:], seasonal=False, stepwise=True, max_p=3, max_q=3,
                                    maxiter=20, suppress_warnings=True, error_action="ignore")
        self.order = tuple(found.order)
        self.seasonal = (0, 1, 1, m) if seasonal else (0, 0, 0, 0)
        trend = "c" if found.with_intercept and self.order[1] + self.seasonal[1] == 0 else None
        from statsmodels.tsa.statespace.sarimax import SARIMAX

        return SARIMAX(train, order=self.order, seasonal_order=self.seasonal, trend=trend).fit(disp=False,
                                                                                               maxiter=50)


@register
class Ets(_StateSpace):
    name, colour = "ets", "#e377c2"
    description = "exponential smoothing, level/damped trend/season chosen by AIC (statsmodels)"
    fit_rows = 360  # parameters from the latest rows (the seasonal model has a state per season step)

    def _fit(self, train):
        from statsmodels.tsa.statespace.exponential_smoothing import ExponentialSmoothing

        season = self.context.season
        seasonal = season if seasonal_acf(train, season) > 0.3 and len(train) >= 3 * season else None
        best, self.form = None, ""
        for trend in (False, True):
            try:
                res = ExponentialSmoothing(train, trend=trend, damped_trend=trend, seasonal=seasonal).fit(
                    disp=False, maxiter=100)
            except (ValueError, np.linalg.LinAlgError):
                continue
            if best is None or res.aic < best.aic:
                best = res
                self.form = ("damped trend" if trend else "level") + (f", season {seasonal}" if seasonal else "")
        if best is None:
            raise ValueError("exponential smoothing could not be fitted")
        return best

    @property
    def label(self) -> str:
        return f"ETS ({self.form})"
