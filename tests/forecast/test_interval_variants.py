"""benchmarks/interval_variants.py: its "kept" variant rebuilds exactly the page's intervals, so the variants are
compared with the method the page uses."""

import numpy as np

from benchmarks.interval_variants import VARIANTS, build
from rnn_models.forecast.intervals import local_scale, rolling_intervals


def test_kept_variant_is_the_pages_method():
    rng = np.random.default_rng(5)
    n, horizon = 160, 4
    values = np.cumsum(rng.normal(size=n + horizon + 40)) + 100
    origins = np.arange(40, 40 + n)
    actual = values[origins[:, None] + np.arange(1, horizon + 1)]
    forecast = values[origins][:, None] + rng.normal(0, 0.5, (n, horizon))
    actual[90:96] += 8.0  # a burst, so the trackers move
    page = rolling_intervals(origins, actual, forecast, 0.8, scale=local_scale(values, origins), min_calibration=5,
                             eta=2.0, now=len(values) - 1)
    covered, valid, radius = build(origins, actual, forecast, values, len(values) - 1, 60, VARIANTS["kept"][1])
    assert np.array_equal(valid, page.valid) and np.array_equal(covered, page.covered)
    assert np.allclose(radius[valid], (page.upper - forecast)[valid])
    other, _, _ = build(origins, actual, forecast, values, len(values) - 1, 60, VARIANTS["eta4"][1])
    assert not np.array_equal(other, covered)  # a variant really changes the intervals
