"""A terminal progress bar for CLI training (stderr, so --json output on stdout stays clean)."""

import sys
import time


class TerminalProgress:
    def __init__(self, total: int, label: str = "training", stream=None):
        self.total, self.label = max(1, total), label
        self.stream = stream or sys.stderr
        self.start = time.perf_counter()

    def update(self, step: int, **metrics) -> None:
        frac = min(1.0, step / self.total)
        elapsed = time.perf_counter() - self.start
        eta = elapsed / frac - elapsed if frac > 0 else 0.0
        bar = "#" * int(30 * frac)
        shown = " ".join(f"{k}={v:.4g}" for k, v in metrics.items() if isinstance(v, (int, float)))
        self.stream.write(f"\r{self.label} [{bar:<30}] {step}/{self.total} {shown} eta {eta:4.0f}s")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()
