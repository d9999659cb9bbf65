"""The page's "Which network?" panel: RNN vs GRU vs LSTM, forward vs bidirectional, beside the baselines,
read from the report benchmarks/classify_benchmark.py writes (assets/models/classify_quality.json)."""

import json

import streamlit as st

from ui.classify import charts
from ui.classify.results import _big

REPORT = "classify_quality.json"


@st.cache_data(show_spinner=False)
def report() -> dict:
    """The measured report, or {} if it was never written."""
    from rnn_models.classify.pipeline import MODELS_DIR

    path = MODELS_DIR / REPORT
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def verdict_box(entry: dict) -> None:
    """The shipped network against the strongest baseline, said plainly, then the best of all networks."""
    acc, shipped, base = entry["accuracy"], entry["shipped"], entry["best_baseline"]
    name = shipped.removeprefix("shipped ")
    if acc[shipped] >= acc[base]:
        st.success(f"The shipped network ({name}, {acc[shipped]:.1%}) beats the strongest baseline "
                   f"({base}, {acc[base]:.1%}) on {entry['n_test']:,} held-out examples.")
    else:
        st.warning(f"**The baseline wins here.** The strongest baseline ({base}) reaches {acc[base]:.1%} on "
                   f"{entry['n_test']:,} held-out examples; the shipped network ({name}) {acc[shipped]:.1%}.")
    best = entry["best_model"]
    if best != shipped:
        beats = "beats" if acc[best] >= acc[base] else "does not reach"
        st.caption(f"Best network in this run: {best}, {acc[best]:.1%}; it {beats} the strongest baseline.")


def show(task: str) -> None:
    """The comparison for one built-in task, with how and when it was measured."""
    rep = report()
    entry = (rep.get("tasks") or {}).get(task)
    st.subheader("Which network? RNN vs GRU vs LSTM, forward vs bidirectional")
    if not entry:
        st.info("Not measured yet: run `python benchmarks/classify_benchmark.py` to fill this in.")
        return
    verdict_box(entry)
    if entry.get("variants"):
        st.plotly_chart(_big(charts.variants_chart(entry["variants"], entry["accuracy"], entry["baselines"])),
                        key="cl_variants")
        secs = {n: v["seconds"] for n, v in entry["variants"].items()}
        fastest, slowest = min(secs, key=secs.get), max(secs, key=secs.get)
        st.caption(f"Each network was trained from the same seed on the same training examples for "
                   f"{entry['variant_steps']} steps (one CPU thread; {fastest} took {secs[fastest]:.0f} s, "
                   f"{slowest} {secs[slowest]:.0f} s), then scored on the same {entry['n_test']:,} held-out "
                   f"examples as the baselines, fitted in the same run.{_fewer(entry)} Measured "
                   f"{entry.get('measured', '')} by `{entry.get('command') or rep.get('command')}`.")
    else:
        st.caption("The cell variants were not measured in the last run of the benchmark.")



def _fewer(entry: dict) -> str:
    shipped = entry.get("shipped_steps") or 0
    if entry["variant_steps"] < shipped:
        return (f" That is fewer than the shipped model's {shipped:,} steps, so this compares the cells on an equal "
                f"budget, not each at its best.")
    return ""
