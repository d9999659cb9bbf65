"""Where models run and how many CPU threads they may use."""

import contextlib
import os
from collections.abc import Iterator

import torch


def default_device() -> torch.device:
    """CUDA when available (under torchrun: this process's GPU, LOCAL_RANK), else the CPU."""
    if torch.cuda.is_available():
        return torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")) % torch.cuda.device_count())
    return torch.device("cpu")


def resolve_device(name: str | torch.device | None = "auto") -> torch.device:
    """"auto" (or None) -> default_device(); otherwise the device named ("cpu", "cuda:1", "meta", ...)."""
    if name is None or name == "auto":
        return default_device()
    return torch.device(name)


@contextlib.contextmanager
def shapes_only() -> Iterator[None]:
    """Build modules on the meta device, for their shapes only: no memory, and no initialiser runs.
    On meta, `normal_` (nn.Embedding's initialiser) loads torch's symbolic-shape machinery (sympy and
    ~900 modules: about 2 CPU-seconds and tens of MB) for weights that are never read; it is skipped here
    for meta tensors only, so a thread building a real model at the same moment is unaffected."""
    init = torch.nn.init
    real_normal = init.normal_

    def normal_(tensor, *args, **kwargs):
        return tensor if tensor.is_meta else real_normal(tensor, *args, **kwargs)

    init.normal_ = normal_
    try:
        with torch.device("meta"):
            yield
    finally:
        init.normal_ = real_normal


def limit_threads(n: int | None = None) -> int:
    """Bound torch's intra-op threads so one job cannot take every core; returns the number set."""
    if n is None:
        n = int(os.environ.get("RNN_STUDIO_THREADS", "0")) or max(1, (os.cpu_count() or 2) // 2)
    torch.set_num_threads(max(1, n))
    return torch.get_num_threads()


KEEP_FREED_BYTES = 1 << 30  # a training process keeps up to this much freed memory for reuse


def keep_freed_memory(limit: int = KEEP_FREED_BYTES) -> bool:
    """For a training process only (a job's child, a CLI run, the bench): glibc hands large freed blocks back
    to the OS, so every training step maps its big tensors afresh and the kernel zeroes each page again
    (GRU hidden 256, batch 64: ~15,000 page faults and ~40 ms of system time a step, measured). Keep blocks
    up to `limit` in the heap instead. Never in the server, whose freed memory would stay resident.
    False where the C library is not glibc or refuses the setting."""
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    # -3: M_MMAP_THRESHOLD (older glibc caps it at 32 MB), -1: M_TRIM_THRESHOLD
    mapped = any(libc.mallopt(-3, size) for size in (limit, 32 << 20))
    return bool(mapped and libc.mallopt(-1, limit))


def init_distributed() -> bool:
    """Join the process group when started by torchrun (gloo on CPU, nccl on GPU); True if joined."""
    import torch.distributed as dist

    if int(os.environ.get("WORLD_SIZE", "1")) <= 1 or not dist.is_available() or dist.is_initialized():
        return dist.is_available() and dist.is_initialized()
    backend = "nccl" if torch.cuda.is_available() else "gloo"
    if backend == "nccl":
        torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
    dist.init_process_group(backend)
    return True
