"""The registry of training jobs: each feature declares its jobs in its own `jobs` module.

A feature folder (ui/text, ui/music, ...) marks its job functions with @job. The pool runs only
registered functions, and the fork server preloads the modules that hold them, found by walking
the feature folders for a `jobs` module: adding a page's job is one decorated function in that
page's folder, and no list anywhere names it.
"""

import functools
import importlib
import pkgutil
from collections.abc import Callable

_JOBS: dict[str, Callable] = {}  # "module.qualname" -> job function (per process; filled on import)


def _name(fn: Callable) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def job(fn: Callable) -> Callable:
    """Register a job function: fn(ctx, **kwargs) -> result, picklable (module level)."""
    _JOBS[_name(fn)] = fn
    return fn


def _unwrap(fn: Callable) -> Callable:
    while isinstance(fn, functools.partial):
        fn = fn.func
    return fn


def is_registered(fn: Callable) -> bool:
    """True for a registered job function, or a functools.partial of one."""
    inner = _unwrap(fn)
    return _JOBS.get(_name(inner)) is inner


def check(fn: Callable) -> None:
    """Raise ValueError unless fn (or the function a partial wraps) is a registered job."""
    if not is_registered(fn):
        raise ValueError(f"{_name(_unwrap(fn))} is not a registered job; mark it with @ui.jobs.registry.job")


def feature_job_modules() -> list[str]:
    """The `jobs` module of every feature folder under ui/ (ui/text/jobs.py, ui/music/jobs.py, ...)."""
    import ui

    names = []
    for pkg in pkgutil.iter_modules(ui.__path__, "ui."):
        if not pkg.ispkg:
            continue
        sub = importlib.import_module(pkg.name)
        if any(m.name == "jobs" for m in pkgutil.iter_modules(sub.__path__)):
            names.append(f"{pkg.name}.jobs")
    return names


def discover() -> dict[str, Callable]:
    """Import every feature's jobs module (each registers its jobs) and return the registry."""
    for name in feature_job_modules():
        importlib.import_module(name)
    return dict(_JOBS)


def preload_modules() -> list[str]:
    """What the fork server imports once: torch, the model package's trainer, and every module that
    holds a registered job. torch._dynamo too: torch's optimisers import it when first made (seconds), so
    every job would pay for it again; the server process itself never needs it (ui/text/models.py)."""
    modules = {fn.__module__ for fn in discover().values()}
    return ["torch", "torch._dynamo", "rnn_models.training", "rnn_models.checkpoints", *sorted(modules)]
