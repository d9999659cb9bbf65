"""The oracle of benchmarks/coverage_noise.py: its intervals hold exactly 80% of errors, and the chance spread of a
cell's coverage is the binomial one for independent errors and wider when overlapping forecasts share shocks."""

import numpy as np

from benchmarks.coverage_noise import covered, origin_count


def test_oracle_interval_holds_eighty_percent_at_every_step():
    rng = np.random.default_rng(0)
    for model in ("independent", "random walk"):
        cov = covered(rng, 3000, 20, 6, model)
        per_step = cov.mean((0, 1))
        assert np.all(np.abs(per_step - 0.8) < 0.01), (model, per_step)


def test_shared_shocks_widen_the_spread_of_a_pooled_cell():
    rng = np.random.default_rng(1)
    origins, horizon = 34, 8
    ind = covered(rng, 3000, origins, horizon, "independent").mean((1, 2))
    walk = covered(rng, 3000, origins, horizon, "random walk").mean((1, 2))
    binomial = np.sqrt(0.8 * 0.2 / (origins * horizon))
    assert abs(ind.std() / binomial - 1) < 0.08, (ind.std(), binomial)
    assert walk.std() > 2.5 * ind.std(), (walk.std(), ind.std())


def test_origin_count_matches_the_backtest_split():
    origins, longest = origin_count("macro_realgdp")  # 203 quarters, 41 test rows, horizon 8
    assert (origins, longest) == (34, 8)
