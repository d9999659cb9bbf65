"""Forecast figures for `python -m rnn_models bench` (the work is in rnn_models.forecast.bench)."""

from rnn_models.forecast.bench import bench_figures

__all__ = ["bench_figures"]
