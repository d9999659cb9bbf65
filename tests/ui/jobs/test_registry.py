"""Jobs register themselves: the pool runs only registered functions, the fork server preloads their modules."""

from functools import partial

import pytest

from ui.jobs import registry


def test_every_feature_jobs_module_is_found_and_registers_its_jobs():
    jobs = registry.discover()
    modules = {name.rsplit(".", 1)[0] for name in jobs}
    # each page with training has a jobs module next to its code, found without any list naming it
    assert {"ui.text.jobs", "ui.music.jobs", "ui.forecast.jobs", "ui.explore.jobs"} <= modules
    assert set(registry.feature_job_modules()) == modules


def test_preload_names_torch_and_every_module_holding_a_job():
    pre = registry.preload_modules()
    assert pre[0] == "torch"
    assert {fn.__module__ for fn in registry.discover().values()} <= set(pre)


def test_registered_jobs_and_their_partials_pass_the_check():
    from ui.forecast.jobs import forecast_job

    registry.check(forecast_job)
    registry.check(partial(forecast_job, series=None))


def not_a_job(ctx):
    return 1


def test_an_unregistered_function_is_refused_with_its_name():
    with pytest.raises(ValueError, match="not_a_job is not a registered job"):
        registry.check(partial(not_a_job))


def test_a_function_with_a_registered_name_but_another_identity_is_refused():
    def forecast_job(ctx):  # same qualname as nothing registered; different module anyway
        return None

    assert not registry.is_registered(forecast_job)
