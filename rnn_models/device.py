"""Where models run and how many CPU threads they may use."""

import os

import torch


def default_device() -> torch.device:
    """CUDA when available, else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def limit_threads(n: int | None = None) -> int:
    """Bound torch's intra-op threads so one job cannot take every core; returns the number set."""
    if n is None:
        n = int(os.environ.get("RNN_STUDIO_THREADS", "0")) or max(1, (os.cpu_count() or 2) // 2)
    torch.set_num_threads(max(1, n))
    return torch.get_num_threads()
