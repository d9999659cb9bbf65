"""Metrics against values worked out by hand."""

import numpy as np
import pytest

from rnn_models.forecast.metrics import all_metrics, directional_accuracy, mae, mase, naive_scale, rmse, smape

A = np.array([10.0, 12.0, 11.0, 13.0])
P = np.array([11.0, 12.0, 9.0, 13.0])


def test_mae_rmse():
    assert mae(A, P) == pytest.approx((1 + 0 + 2 + 0) / 4)
    assert rmse(A, P) == pytest.approx(np.sqrt((1 + 0 + 4 + 0) / 4))


def test_smape():
    # |10-11|/10.5 + 0 + |11-9|/10 + 0 = 0.095238 + 0.2 ; mean * 100
    assert smape(A, P) == pytest.approx(100 * (1 / 10.5 + 2 / 10) / 4)
    assert smape(np.zeros(2), np.zeros(2)) == 0.0


def test_mase():
    train = np.array([1.0, 3.0, 2.0, 5.0])  # naive steps 2, 1, 3 -> scale 2
    assert naive_scale(train) == pytest.approx(2.0)
    assert mase(A, P, 2.0) == pytest.approx(0.75 / 2)
    assert naive_scale(np.array([1.0, 2.0, 1.0, 2.0, 9.0]), m=2) == pytest.approx((0 + 0 + 8) / 3)


def test_directional_accuracy():
    last = np.array([11.0, 11.0, 10.0, 13.0])  # actual moves: -, +, +, 0 (skipped)
    # forecast moves: 0 (wrong), +, -, 0 -> 1 right of 3
    assert directional_accuracy(A, P, last) == pytest.approx(1 / 3)
    assert np.isnan(directional_accuracy(last, P, last))


def test_all_metrics_keys():
    m = all_metrics(A, P, A, 1.0)
    assert list(m) == ["mae", "rmse", "smape", "mase", "directional_accuracy"]


def test_paired_t():
    from rnn_models.forecast.metrics import paired_t

    a, b = np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 5.0])  # d = -1, 0, -2: mean -1, sd 1
    assert paired_t(a, b) == pytest.approx(-1 / (1 / np.sqrt(3)))
    assert paired_t(a, a) == 0.0
