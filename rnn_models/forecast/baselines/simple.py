"""Baselines with no fitted parameters: naive, seasonal naive, drift, moving average."""

import numpy as np

from rnn_models.forecast.baselines.base import Baseline, register


@register
class Naive(Baseline):
    name, colour = "naive", "#7f7f7f"
    description = "the last observed value, repeated"

    title = "naive (last value)"

    def predict(self, values, origins, horizon):
        return np.repeat(values[origins][:, None], horizon, axis=1)


@register
class SeasonalNaive(Baseline):
    name, colour = "seasonal_naive", "#9467bd"
    description = "the value one season before each target step"

    title = "seasonal naive (m={season})"

    def predict(self, values, origins, horizon):
        season = self.context.season
        h = np.arange(1, horizon + 1)
        back = season * np.ceil(h / season).astype(int)  # (H,) steps back from the target
        idx = origins[:, None] + h[None, :] - back[None, :]
        return values[np.maximum(idx, 0)]


@register
class Drift(Baseline):
    name, colour = "drift", "#8c564b"
    description = "the last value plus h times the average step since the first row"

    def predict(self, values, origins, horizon):
        slope = (values[origins] - values[0]) / np.maximum(origins, 1)
        return values[origins][:, None] + slope[:, None] * np.arange(1, horizon + 1)[None, :]


@register
class MovingAverage(Baseline):
    name, colour = "moving_average", "#bcbd22"
    description = "the mean of the last lookback values, repeated"

    title = "moving average ({lookback})"

    def predict(self, values, origins, horizon):
        window = self.context.lookback
        csum = np.concatenate([[0.0], np.cumsum(values)])
        lo = np.maximum(origins + 1 - window, 0)
        mean = (csum[origins + 1] - csum[lo]) / (origins + 1 - lo)
        return np.repeat(mean[:, None], horizon, axis=1)
