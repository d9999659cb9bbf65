"""The RNN forecaster and the backtest: no leakage, seeds, strategies, the pipeline and the CLI."""

import json

import numpy as np
import pandas as pd
import pytest
import torch

from rnn_models.errors import UserInputError
from rnn_models.forecast.backtest import BacktestConfig, run_backtest
from rnn_models.forecast.model import ForecastConfig, train_forecaster, window_level
from rnn_models.forecast.pipeline import run_forecast
from rnn_models.forecast.series import Frequency, Series
from rnn_models.forecast.windows import Scaler, target_matrix, to_model_space, to_prices, window_starts

TINY = dict(hidden_size=8, steps=3, batch_size=8, lookback=6, horizon=3)


def seasonal(n=120, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return 50 + 0.05 * t + 3 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 0.2, n)


def make_series(values, cov=None):
    idx = pd.date_range("2000-01-01", periods=len(values), freq="MS")
    cov = np.zeros((len(values), 0)) if cov is None else cov
    names = tuple(f"c{i}" for i in range(cov.shape[1]))
    return Series("y", idx, values, cov, names, Frequency("monthly", 12, "MS"))


def test_log_returns_round_trip():
    p = np.array([100.0, 110.0, 99.0, 120.0])
    z = to_model_space(p, "log_return")
    assert np.isnan(z[0])
    rebuilt = to_prices(z[None, 1:], np.array([100.0]), "log_return")
    assert rebuilt[0] == pytest.approx(p[1:])


def test_windows_never_reach_past_the_end():
    starts = window_starts(0, 20, lookback=5, width=3)
    assert starts.max() + 5 - 1 + 3 == 19  # last target row is end - 1
    tm = target_matrix(np.arange(6.0), 2)
    assert tm[0].tolist() == [1, 2] and np.isnan(tm[5]).all()
    with pytest.raises(UserInputError, match="Too few training rows"):
        window_starts(0, 6, lookback=5, width=3)


def test_scaler_statistics_come_from_training_rows_only():
    y = seasonal()
    planted = y.copy()
    planted[110] = 1e6  # an outlier in the test part
    for target in ("price", "log_return"):
        cfg = ForecastConfig(target=target, **TINY)
        a = train_forecaster(y, np.zeros((120, 0)), 90, cfg)
        b = train_forecaster(planted, np.zeros((120, 0)), 90, cfg)
        assert a.scaler.mean == pytest.approx(b.scaler.mean) and a.scaler.std == pytest.approx(b.scaler.std)
        start = 1 if target == "log_return" else 0
        assert a.scaler.mean[0] == pytest.approx(np.mean(to_model_space(y, target)[start:90]))
        wa = [p.detach().numpy() for p in a.model.parameters()]
        wb = [p.detach().numpy() for p in b.model.parameters()]
        assert all(np.array_equal(x, z) for x, z in zip(wa, wb))
    assert Scaler.fit(np.ones((4, 1))).std[0] == 1.0


def test_backtest_forecasts_do_not_see_the_future():
    y = seasonal()
    bt, fc = run_backtest(y, np.zeros((120, 0)), ForecastConfig(**TINY), 12, BacktestConfig(with_arima=False))
    changed = y.copy()
    k = 10
    changed[bt.origins[k] + 1:] += 100.0  # rewrite everything after origin k
    bt2, _ = run_backtest(changed, np.zeros((120, 0)), ForecastConfig(**TINY), 12, BacktestConfig(with_arima=False))
    for name in bt.forecasts:
        assert np.allclose(bt.forecasts[name][: k + 1], bt2.forecasts[name][: k + 1]), name
    assert bt.origins[0] == bt.train_end - 1
    assert (bt.actual[:, 0] == y[bt.origins + 1]).all()
    cal, cal2 = bt.calibration, bt2.calibration  # the calibration window ends just before the test window
    assert cal.origins[-1] == bt.train_end - 2 and len(cal.origins) == min(len(y) - bt.train_end, bt.train_end // 3)
    assert np.array_equal(cal.forecast, cal2.forecast) and fc.config == _.config  # chosen without the test rows


def test_window_scaling_divides_each_window_by_its_level():
    y = seasonal()
    cfg = ForecastConfig(target="price", window_scaling=True, **TINY)
    origins = np.arange(80, 110)
    a = train_forecaster(y, np.zeros((120, 0)), 90, cfg).predict(y, np.zeros((120, 0)), origins)
    b = train_forecaster(1000 * y, np.zeros((120, 0)), 90, cfg).predict(1000 * y, np.zeros((120, 0)), origins)
    assert np.allclose(b, 1000 * a, rtol=1e-5)  # windows in units of their own level: same inputs, same seed
    shifted = train_forecaster(y + 50, np.zeros((120, 0)), 90, cfg).predict(y + 50, np.zeros((120, 0)), origins)
    assert not np.allclose(shifted - 50, a, rtol=1e-3)  # a level shift changes the scaled windows
    assert window_level(torch.tensor([[2.0, -4.0], [0.0, 0.0]])).tolist() == [3.0, 1.0]


def test_same_seed_same_forecast_and_strategies():
    y = seasonal()
    s = make_series(y, np.random.default_rng(2).normal(size=(120, 1)))
    for strategy in ("recursive", "direct"):
        cfg = ForecastConfig(strategy=strategy, cell="gru", **TINY)
        r1 = run_forecast(s, cfg, BacktestConfig(with_arima=False))
        r2 = run_forecast(s, cfg, BacktestConfig(with_arima=False))
        assert np.array_equal(r1.forecast["value"], r2.forecast["value"])
        assert r1.forecast.shape[0] == 3 and (r1.forecast["lower"] <= r1.forecast["upper"]).all()
    cfg3 = ForecastConfig(strategy="direct", cell="gru", seed=1, **TINY)
    r3 = run_forecast(s, cfg3, BacktestConfig(with_arima=False))
    assert not np.array_equal(r1.forecast["value"], r3.forecast["value"])


def test_pipeline_tables_and_lag_trap():
    run = run_forecast(make_series(seasonal()), ForecastConfig(cell="rnn", **TINY), BacktestConfig(with_arima=False))
    table = run.metrics_table()
    assert list(table.columns) == ["mae", "rmse", "smape", "mase", "directional_accuracy"]
    assert len(table) == 5
    assert run.one_step_frame().shape[0] == len(run.backtest.origins)
    assert run.backtest_frame().shape[0] == len(run.backtest.origins) * 3
    assert -1 <= run.lag_trap.corr_previous <= 1
    assert str(run.forecast["date"].iloc[0].date()) == "2010-01-01"


def test_intervals_of_a_series_never_below_zero_stop_at_zero():
    from rnn_models.forecast.pipeline import rnn_intervals

    rng = np.random.default_rng(3)
    t = np.arange(120)
    y = np.maximum(0.0, 20 * np.sin(2 * np.pi * t / 11) + rng.normal(0, 4, 120))  # counts that sit at 0 for a while
    cfg = ForecastConfig(target="difference", **TINY)
    run = run_forecast(make_series(y), cfg, BacktestConfig(with_arima=False))
    raw = rnn_intervals(y, run.backtest, 0.8)[0]  # the same intervals before the floor
    assert run.floor_at_zero and np.nanmin(raw.lower) < 0  # the floor had something to do
    fc, iv = run.backtest.forecasts["rnn"], run.intervals
    valid = iv.valid
    assert np.all(iv.lower[valid] >= np.minimum(fc, 0)[valid])
    assert np.all(iv.lower[valid & (fc >= 0)] >= 0)
    assert np.array_equal(iv.valid, raw.valid) and np.array_equal(iv.upper[valid], raw.upper[valid])
    assert iv.coverage == raw.coverage  # no actual is below 0, so raising a lower end below 0 never uncovers one
    f = run.forecast
    assert np.all(f["lower"] >= np.minimum(f["value"], 0)) and np.all(f["lower"] <= f["value"])

    below = run_forecast(make_series(y - 1.0), cfg, BacktestConfig(with_arima=False))  # one value below 0: no floor
    assert not below.floor_at_zero and np.nanmin(below.intervals.lower) < -1


def test_log_returns_refuse_non_positive_values():
    y = seasonal() - 60
    with pytest.raises(UserInputError, match="Log returns need every value above zero"):
        run_forecast(make_series(y), ForecastConfig(target="log_return", **TINY))


def test_cli_json(tmp_path, capsys):
    from rnn_models.cli import main

    y = seasonal()
    path = tmp_path / "s.csv"
    pd.DataFrame({"Date": pd.date_range("2000-01-01", periods=120, freq="MS").strftime("%Y-%m-%d"),
                  "value": y}).to_csv(path, index=False)
    out = tmp_path / "f.csv"
    code = main(["forecast", "--csv", str(path), "--horizon", "3", "--steps", "3", "--hidden", "8",
                 "--lookback", "6", "--no-arima", "--out", str(out), "--json"])
    assert code == 0
    info = json.loads(capsys.readouterr().out)
    assert len(info["forecast"]) == 3 and set(info["forecast"][0]) == {"date", "value", "lower", "upper"}
    assert {"rnn", "naive", "seasonal_naive", "drift", "moving_average"} <= set(info["backtest"])
    assert set(info["backtest"]["naive"]) == {"mae", "rmse", "smape", "mase", "directional_accuracy"}
    assert 0 <= info["coverage"] <= 1
    assert out.read_text().startswith("date,value,lower,upper")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"date,close\n")
    assert main(["forecast", "--csv", str(bad), "--horizon", "3"]) == 2
    assert "header row but no data rows" in capsys.readouterr().err
