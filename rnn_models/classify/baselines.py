"""Honest baselines, a registry of objects sharing fit(items, labels) / predict(items)."""

from dataclasses import dataclass, field

import numpy as np

BASELINES: dict[str, type] = {}  # name -> class; every baseline registers itself


def register(cls):
    BASELINES[cls.name] = cls
    return cls


def for_kind(kind: str) -> list[str]:
    """Names of the baselines that apply to "text" or "audio" examples."""
    return [name for name, cls in BASELINES.items() if kind in cls.kinds]


def make(name: str, seed: int = 0):
    if name not in BASELINES:
        raise ValueError(f"unknown baseline {name!r}; valid: {', '.join(BASELINES)}")
    return BASELINES[name](seed=seed)


@register
@dataclass
class Majority:
    """Always the most common training class."""

    name = "majority class"
    kinds = ("text", "audio")
    seed: int = 0  # unused: nothing random
    label: int = 0  # the most common training class

    def fit(self, items: list, labels: np.ndarray) -> "Majority":
        self.label = int(np.bincount(labels).argmax())
        return self

    def predict(self, items: list) -> np.ndarray:
        return np.full(len(items), self.label, dtype=int)


@dataclass
class _Sklearn:
    """A scikit-learn pipeline over features(items): subclasses give make_pipeline() and features()."""

    seed: int = 0  # the solver's random state
    pipeline: object = field(default=None, repr=False)

    def features(self, items: list):
        return items

    def fit(self, items: list, labels: np.ndarray):
        self.pipeline = self.make_pipeline()
        self.pipeline.fit(self.features(items), labels)
        return self

    def predict(self, items: list) -> np.ndarray:
        return self.pipeline.predict(self.features(items))


@register
class CharNgrams(_Sklearn):
    """Logistic regression on tf-idf bags of character 1- to 4-grams (order inside 4 characters only)."""

    name = "char n-grams + logistic regression"
    kinds = ("text",)

    def make_pipeline(self):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        return make_pipeline(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), min_df=2, sublinear_tf=True,
                            max_features=100_000),
            LogisticRegression(C=5.0, max_iter=1000, random_state=self.seed))


@register
class MeanLogMel(_Sklearn):
    """Logistic regression on each clip's time-averaged log-mel spectrum (no order at all)."""

    name = "mean log-mel + logistic regression"
    kinds = ("audio",)

    def features(self, items: list) -> np.ndarray:
        return np.stack([np.asarray(x, np.float32).mean(0) for x in items])

    def make_pipeline(self):
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000, random_state=self.seed))
