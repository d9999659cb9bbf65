"""Figures of a benchmark run: each value beside its baseline or ceiling, as a ratio."""

from dataclasses import asdict, dataclass


@dataclass
class Figure:
    name: str  # what was measured
    value: float
    unit: str
    baseline_name: str = ""  # what it is compared with (measured in the same run)
    baseline: float | None = None
    target: str = ""  # the goal, in words ("ratio >= 0.5", "< 10 s")
    met: bool | None = None  # None: no target
    note: str = ""  # what limits it, when a target is missed

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline

    def to_dict(self) -> dict:
        d = asdict(self)
        d["ratio"] = self.ratio
        return d


def format_table(figures: list[Figure]) -> str:
    """A plain-text table: name, value, baseline, ratio, target, verdict."""
    rows = [("figure", "value", "baseline", "ratio", "target", "")]
    for f in figures:
        base = f"{f.baseline:.4g} ({f.baseline_name})" if f.baseline is not None else "-"
        ratio = f"{f.ratio:.3g}" if f.ratio is not None else "-"
        verdict = {True: "met", False: "NOT met", None: ""}[f.met]
        rows.append((f.name, f"{f.value:.4g} {f.unit}", base, ratio, f.target, verdict))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    notes = [f"  - {f.name}: {f.note}" for f in figures if f.note]
    return "\n".join(lines + (["notes:"] + notes if notes else []))
