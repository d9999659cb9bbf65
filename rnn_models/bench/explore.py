"""The explorer's benchmark figures live with the explorer (rnn_models.explore.bench)."""

from rnn_models.explore.bench import bench_figures

__all__ = ["bench_figures"]
