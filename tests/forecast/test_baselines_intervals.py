"""Baselines by hand, ARIMA against statsmodels' own forecasts, conformal intervals and CSV export."""

import warnings

import numpy as np
import pandas as pd
import pytest

from rnn_models.forecast import baselines
from rnn_models.forecast.export import inert, safe_csv
from rnn_models.forecast.intervals import anomalies, conformal_quantile, final_radius, rolling_intervals

Y = np.array([1.0, 2.0, 4.0, 3.0, 5.0, 6.0, 8.0, 7.0])


def test_naive_seasonal_drift_moving_average():
    o = np.array([3, 5])
    assert baselines.naive(Y, o, 2).tolist() == [[3, 3], [6, 6]]
    # season 4: target rows 4,5 use rows 0,1; target rows 6,7 use rows 2,3
    assert baselines.seasonal_naive(Y, o, 2, 4).tolist() == [[1, 2], [4, 3]]
    assert baselines.seasonal_naive(Y, np.array([3]), 5, 2).tolist() == [[4, 3, 4, 3, 4]]
    assert baselines.drift(Y, np.array([4]), 2)[0].tolist() == pytest.approx([5 + 1, 5 + 2])
    assert baselines.moving_average(Y, o, 1, 3).tolist() == [[3.0], [14 / 3]]


def test_arima_matches_statsmodels_forecast_from_each_origin():
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    rng = np.random.default_rng(0)
    y = np.cumsum(rng.normal(0.1, 1, 160)) + 50
    origins = np.array([119, 130, 150])
    out, name = baselines.arima(y, origins, 3, train_end=120, season=1)
    assert name == "ARIMA(1, 1, 1)"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = SARIMAX(y[:120], order=(1, 1, 1)).fit(disp=False, maxiter=50)
        for i, t in enumerate(origins):
            ref = fit.apply(y[: t + 1]).forecast(3)
            assert out[i] == pytest.approx(ref, abs=1e-6)


def test_conformal_quantile_rank():
    r = np.arange(1.0, 10.0)  # 9 residuals; level 0.8 -> ceil(10*0.8)=8th smallest
    assert conformal_quantile(r, 0.8) == 8.0
    assert conformal_quantile(r, 0.99) == 9.0


def test_rolling_intervals_use_only_known_residuals():
    rng = np.random.default_rng(1)
    n = 400
    origins = np.arange(n)
    actual = rng.normal(size=(n, 2))
    forecast = np.zeros((n, 2))
    iv = rolling_intervals(origins, actual, forecast, 0.8, window=100, min_calibration=20)
    # origin i may use step-1 residuals of origins j with j + 1 <= i: origin 20 is the first with 20 of them
    assert np.isnan(iv.lower[19, 0]) and not np.isnan(iv.lower[20, 0])
    assert np.isnan(iv.lower[20, 1]) and not np.isnan(iv.lower[21, 1])
    # a huge error at origin 300 must not widen the interval at origin 300 itself
    actual[300, 0] = 1e6
    iv2 = rolling_intervals(origins, actual, forecast, 0.8, window=100, min_calibration=20)
    assert iv2.upper[300, 0] == iv.upper[300, 0]
    assert 0.7 <= iv.coverage <= 0.9
    flags = anomalies(actual[:, 0], iv2.lower[:, 0], iv2.upper[:, 0])
    assert flags[300] and not flags[0]
    assert final_radius(actual, forecast, 0.8).shape == (2,)


def test_export_makes_formulas_inert():
    frame = pd.DataFrame({"=cmd": ["=1+2", "+A1", "-2+3", "@SUM(A1)", "plain"], "v": [-1.5, 2.0, 3.0, 4.0, 5.0]})
    text = safe_csv(frame).decode()
    lines = text.splitlines()
    assert lines[0] == "'=cmd,v"
    assert lines[1] == "'=1+2,-1.5"  # a negative number stays a number
    assert [line.split(",")[0] for line in lines[2:]] == ["'+A1", "'-2+3", "'@SUM(A1)", "plain"]
    assert inert(3) == 3
