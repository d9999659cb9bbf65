"""The default target and its reason, differences, scale-aware adaptive intervals, ensembles and saving."""

import numpy as np
import pytest

from rnn_models.checkpoints import CheckpointError
from rnn_models.errors import UserInputError
from rnn_models.forecast.intervals import local_scale, rolling_intervals
from rnn_models.forecast.model import ForecastConfig, train_forecaster
from rnn_models.forecast.saving import load_forecaster, save_forecaster
from rnn_models.forecast.targets import choose_target
from rnn_models.forecast.windows import check_target, to_model_space, to_prices

TINY = dict(hidden_size=8, steps=2, batch_size=8, lookback=6, horizon=3)


def test_default_target_follows_the_series():
    rng = np.random.default_rng(0)
    walk = 100 * np.exp(np.cumsum(rng.normal(0.001, 0.02, 400)))  # a price
    assert choose_target(walk, 5, 30)[0] == "log_return"
    with_zeros = np.cumsum(rng.normal(0, 1, 400))  # crosses zero, carries on from its last value
    target, reason = choose_target(with_zeros, 5, 30)
    assert target == "difference" and "at or below zero rule out log returns" in reason
    cycle = 50 + 40 * np.sin(np.arange(300) * 2 * np.pi / 11) + rng.normal(0, 5, 300)
    cycle[::11] = 0.0  # sunspot-like zeros in a series that swings around its mean
    target, reason = choose_target(cycle, 4, 24)
    assert target == "price" and reason.startswith("levels (prices): on the later training rows")


def test_differences_round_trip_and_the_log_return_message_names_the_options():
    p = np.array([3.0, 0.0, -2.0, 5.0])
    z = to_model_space(p, "difference")
    assert to_prices(z[None, 1:], np.array([3.0]), "difference")[0] == pytest.approx(p[1:])
    with pytest.raises(UserInputError) as err:
        check_target(p, "log_return", "spots")
    assert str(err.value) == ("Log returns need every value above zero, but 'spots' has 2 value(s) at or below zero. "
                              "Choose 'differences' or 'levels (prices)' as the target for this column.")


def test_scale_aware_adaptive_intervals_keep_coverage_when_the_noise_grows():
    rng = np.random.default_rng(3)
    n = 600
    level = np.exp(np.linspace(0, 3, n))  # the noise grows twenty-fold with the level
    values = np.cumsum(rng.normal(0, 1, n) * level * 0.05) + 1000
    origins = np.arange(100, n - 1)
    actual = values[origins + 1][:, None]
    forecast = values[origins][:, None]  # naive forecasts: errors are the (growing) steps
    plain = rolling_intervals(origins, actual, forecast, 0.8)
    aware = rolling_intervals(origins, actual, forecast, 0.8, scale=local_scale(values, origins), eta=1.0)
    assert plain.coverage < 0.75  # a fixed-width interval from old residuals is too narrow later
    assert 0.75 <= aware.coverage <= 0.85
    assert aware.final_factor.shape == (1,)


def test_tracked_radius_keeps_the_promised_share_of_misses_when_the_errors_jump():
    rng = np.random.default_rng(5)
    n = 120
    errors = rng.standard_t(3, n) * np.where(np.arange(n) < 60, 1.0, 4.0)  # heavy tails, then 4x larger
    origins, actual, forecast = np.arange(n), errors[:, None], np.zeros((n, 1))
    eta = 1.0
    iv = rolling_intervals(origins, actual, forecast, 0.8, min_calibration=5, eta=eta)
    fed = iv.valid[:, 0]  # every point's miss is fed back by the next forecast's origin (one tracker at step 1)
    misses = ~iv.covered[:, 0][fed]
    # the log factor moves by eta * (miss - 0.2) per known point: the share of misses follows from where it ends
    assert misses.mean() - 0.2 == pytest.approx(np.log(iv.final_factor[0]) / (eta * fed.sum()))
    assert 0.75 <= iv.coverage <= 0.85
    fixed = rolling_intervals(origins, actual, forecast, 0.8, min_calibration=5)
    assert fixed.coverage < 0.75  # without tracking, the quantile of the calm first half is too narrow later
    scored = iv.after(60)
    assert scored.lower.shape == (60, 1) and scored.valid.all()


def test_each_step_h_tracker_sees_its_own_misses_so_a_burst_does_not_compound():
    rng = np.random.default_rng(2)
    n, horizon, eta = 300, 4, 1.0
    origins = np.arange(n)
    actual, forecast = rng.normal(size=(n, horizon)), np.zeros((n, horizon))
    actual[150:154] = 30.0  # one shock shared by 4 overlapping forecasts
    iv = rolling_intervals(origins, actual, forecast, 0.8, min_calibration=20, eta=eta, now=n + 10)
    radius = (iv.upper - iv.lower)[:, 3] / 2
    # |N(0,1)| has its 80% quantile at 1.28; one tracker for step 4 reached 430 here (4 misses judged 4 rows late,
    # compounding exp(0.8) each while the next intervals were already issued); 4 interleaved trackers stay sane
    assert np.nanmax(radius) < 10
    assert 0.75 <= iv.coverage <= 0.85
    # the tracker of the next forecast's row class (n + 10 = 2 mod 4) moved only with the points of that class
    mine = iv.valid[:, 3] & (origins % 4 == (n + 10) % 4)
    misses = ~iv.covered[mine, 3]
    assert misses.mean() - 0.2 == pytest.approx(np.log(iv.final_factor[3]) / (eta * mine.sum()))
    # the future forecast's steadier factor: the geometric mean of the four step-4 trackers, each by the same identity
    logs = []
    for r in range(4):
        own = iv.valid[:, 3] & (origins % 4 == r)
        logs.append(eta * ((~iv.covered[own, 3]).sum() - 0.2 * own.sum()))
    assert np.log(iv.steady_factor[3]) == pytest.approx(np.mean(logs))
    assert iv.steady_factor[0] == pytest.approx(iv.final_factor[0])  # step 1 has one tracker


def test_local_scale_reads_only_rows_up_to_the_origin():
    v = np.array([0.0, 1.0, 3.0, 6.0, 100.0])
    assert local_scale(v, np.array([3]), window=3).tolist() == [2.0]  # |1|,|2|,|3| -> 2; row 4 unseen


def test_ensemble_is_seeded_and_averages_its_networks():
    y = 50 + np.sin(np.arange(120) / 3) + np.arange(120) * 0.05
    cov = np.zeros((120, 0))
    origins = np.arange(89, 110)
    one = train_forecaster(y, cov, 90, ForecastConfig(seed=4, **TINY))
    two = train_forecaster(y, cov, 90, ForecastConfig(seed=5, **TINY))
    both = train_forecaster(y, cov, 90, ForecastConfig(seed=4, ensemble=2, **TINY))
    again = train_forecaster(y, cov, 90, ForecastConfig(seed=4, ensemble=2, **TINY))
    assert len(both.models) == 2 and len(both.history) == 2 * TINY["steps"]
    assert np.array_equal(both.predict(y, cov, origins), again.predict(y, cov, origins))  # same seed, same result
    steps = [to_model_space(f.predict(y, cov, origins)[:, :1].ravel(), "price") for f in (one, two, both)]
    assert steps[2] == pytest.approx((steps[0] + steps[1]) / 2, rel=1e-4, abs=1e-6)


def test_forecaster_saves_and_loads_through_checkpoints(tmp_path):
    y = 50 + np.sin(np.arange(120) / 3)
    cov = np.zeros((120, 0))
    f = train_forecaster(y, cov, 90, ForecastConfig(seed=1, ensemble=2, target="difference", **TINY))
    files = save_forecaster(f, tmp_path / "fc", meta={"series": "sine"})
    assert [p.name for p in files] == ["fc.safetensors", "fc-1.safetensors"]
    back = load_forecaster(tmp_path / "fc.json")
    assert back.config == f.config and back.train_end == 90
    origins = np.arange(89, 110)
    assert np.array_equal(back.predict(y, cov, origins), f.predict(y, cov, origins))
    (tmp_path / "fc-1.json").unlink()
    with pytest.raises(CheckpointError, match="missing checkpoint file fc-1.json"):
        load_forecaster(tmp_path / "fc")


def test_seasonal_targets_round_trip_and_are_chosen_for_seasonal_series():
    from rnn_models.forecast.windows import seasonal_to_levels

    rng = np.random.default_rng(2)
    t = np.arange(240)
    y = 100 + 0.2 * t + 10 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 0.5, 240)
    for target in ("seasonal_difference", "seasonal_log_difference"):
        z = to_model_space(y, target, 12)
        assert np.isnan(z[:12]).all() and not np.isnan(z[12:]).any()
        origins = np.array([100, 150])
        steps = z[origins[:, None] + np.arange(1, 16)]  # the true changes over 15 steps (> one season)
        truth = y[origins[:, None] + np.arange(1, 16)]
        assert seasonal_to_levels(steps, y, origins, target, 12) == pytest.approx(truth)
    target, reason = choose_target(y, 12, 24, season=12)
    assert target == "seasonal_log_difference" and "one season (12 steps)" in reason
    with pytest.raises(UserInputError, match="Seasonal targets need a seasonal period of at least 2 steps"):
        ForecastConfig(target="seasonal_difference", season=1)
