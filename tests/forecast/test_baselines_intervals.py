"""Baselines by hand, ARIMA against statsmodels' own forecasts, conformal intervals and CSV export."""

import warnings

import numpy as np
import pandas as pd
import pytest

from rnn_models.forecast import baselines
from rnn_models.forecast.export import inert, safe_csv
from rnn_models.forecast.intervals import anomalies, conformal_quantile, final_radius, rolling_intervals

Y = np.array([1.0, 2.0, 4.0, 3.0, 5.0, 6.0, 8.0, 7.0])


def predict(name: str, values, origins, horizon, season=1, lookback=3, train_end=None):
    """One registered baseline, fitted on rows before train_end and forecasting from origins."""
    model = baselines.REGISTRY[name](baselines.Context(season=season, lookback=lookback, horizon=horizon))
    return model.fit(values, train_end or len(values)).predict(values, origins, horizon), model.label


def test_naive_seasonal_drift_moving_average():
    o = np.array([3, 5])
    assert predict("naive", Y, o, 2)[0].tolist() == [[3, 3], [6, 6]]
    # season 4: target rows 4,5 use rows 0,1; target rows 6,7 use rows 2,3
    assert predict("seasonal_naive", Y, o, 2, season=4)[0].tolist() == [[1, 2], [4, 3]]
    assert predict("seasonal_naive", Y, np.array([3]), 5, season=2)[0].tolist() == [[4, 3, 4, 3, 4]]
    assert predict("drift", Y, np.array([4]), 2)[0][0].tolist() == pytest.approx([5 + 1, 5 + 2])
    assert predict("moving_average", Y, o, 1, lookback=3)[0].tolist() == [[3.0], [14 / 3]]


def test_registry_holds_every_baseline_once_with_a_label_and_colour():
    assert baselines.names() == ["naive", "seasonal_naive", "drift", "moving_average", "arima", "auto_arima", "ets"]
    assert baselines.names(slow=False) == ["naive", "seasonal_naive", "drift", "moving_average"]
    for cls in baselines.REGISTRY.values():
        assert cls.colour.startswith("#") and cls.description
    with pytest.raises(ValueError, match="taken"):
        baselines.register(baselines.REGISTRY["naive"])


def test_ets_and_auto_arima_forecast_from_fixed_parameters():
    rng = np.random.default_rng(1)
    y = np.cumsum(rng.normal(0.2, 1, 150)) + 50
    origins = np.array([99, 120, 140])
    for name in ("ets", "auto_arima"):
        out, label = predict(name, y, origins, 3, train_end=100)
        assert out.shape == (3, 3) and np.all(np.isfinite(out))
        assert np.all(np.abs(out[:, 0] - y[origins]) < 5)  # near the last value of a random walk
        assert label.startswith("ETS" if name == "ets" else "auto ARIMA")


def test_arima_matches_statsmodels_forecast_from_each_origin():
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    rng = np.random.default_rng(0)
    y = np.cumsum(rng.normal(0.1, 1, 160)) + 50
    origins = np.array([119, 130, 150])
    out, name = predict("arima", y, origins, 3, train_end=120)
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
