"""The baseline contract and its registry."""

from dataclasses import dataclass

import numpy as np

REGISTRY: dict[str, type["Baseline"]] = {}


@dataclass(frozen=True)
class Context:
    season: int  # seasonal period in steps (1 = none)
    lookback: int  # the RNN's lookback window (the moving average uses it too)
    horizon: int  # steps forecast from each origin


class Baseline:
    """fit() on rows [0, train_end) only, then predict() from any origins reading rows <= each origin."""

    name = ""  # registry key, also the column name in exports
    colour = "#7f7f7f"  # line colour in the charts
    slow = False  # fits a statistical model (seconds, not milliseconds); can be left out
    description = ""  # one plain sentence for the page
    title = ""  # display name; {season} and {lookback} are filled in from the context ("": the name)

    def __init__(self, context: Context):
        self.context = context

    @property
    def label(self) -> str:
        """Display name, e.g. with the season or the fitted order."""
        return self.title.format(season=self.context.season, lookback=self.context.lookback) if self.title \
            else self.name.replace("_", " ")

    def fit(self, values: np.ndarray, train_end: int) -> "Baseline":
        return self

    def predict(self, values: np.ndarray, origins: np.ndarray, horizon: int) -> np.ndarray:
        """(N, horizon) forecasts of rows origin+1..origin+horizon."""
        raise NotImplementedError


def register(cls: type[Baseline]) -> type[Baseline]:
    """Class decorator: add a baseline to REGISTRY under cls.name."""
    if not cls.name or cls.name in REGISTRY:
        raise ValueError(f"baseline name '{cls.name}' is empty or taken")
    REGISTRY[cls.name] = cls
    return cls
