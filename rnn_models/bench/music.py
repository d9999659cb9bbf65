"""Music figures for `python -m rnn_models bench` (the work is in rnn_models.music.bench)."""

from rnn_models.music.bench import bench_figures

__all__ = ["bench_figures"]
