"""Forecast baselines: objects with fit/predict and a label, in one registry.

Adding a baseline is one class in one file of this folder, decorated with @register.
"""

from rnn_models.forecast.baselines import simple, statespace  # noqa: F401,E402  (registers the classes)
from rnn_models.forecast.baselines.base import REGISTRY, Baseline, Context, register  # noqa: F401


def names(slow: bool = True) -> list[str]:
    """Registered baseline names in registry order; slow=False leaves out the slow (model-fitting) ones."""
    return [name for name, cls in REGISTRY.items() if slow or not cls.slow]
