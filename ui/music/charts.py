"""Pure functions for the music page: notes -> piano roll, audio analysis -> spectrogram with notes."""

import numpy as np
import plotly.graph_objects as go

from ui.charts import COLORS, apply_theme

NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")


def _name(p: int) -> str:
    return f"{NAMES[p % 12]}{p // 12 - 1}"


def piano_roll(notes, primer_end: float | None = None, *, title: str | None = None,
               height: int = 360) -> go.Figure:
    """notes: (pitch, start_s, end_s, prob, is_primer) -> horizontal bars, primer and continuation coloured."""
    fig = go.Figure()
    for is_primer, label in ((True, "primer"), (False, "continuation")):
        sel = [n for n in notes if bool(n[4]) == is_primer]
        if not sel:
            continue
        hover = [f"{_name(p)} · {s:.2f}-{e:.2f} s"
                 + ("" if is_primer or not np.isfinite(pr) else f"<br>probability {pr:.1%}")
                 for p, s, e, pr, _ in sel]
        fig.add_trace(go.Bar(
            y=[p for p, *_ in sel], x=[e - s for _, s, e, *_ in sel], base=[s for _, s, *_ in sel],
            orientation="h", name=label, width=0.8, marker_color=COLORS[label],
            marker_line_width=0, hovertext=hover, hoverinfo="text",
            marker_opacity=[0.55 + 0.45 * (1 if is_primer or not np.isfinite(pr) else pr) for *_, pr, _ in sel]))
    if primer_end is not None:
        fig.add_vline(x=primer_end, line_dash="dash", line_color="#555",
                      annotation_text="continuation starts", annotation_position="top right")
    pitches = [p for p, *_ in notes] or [60]
    lo, hi = min(pitches) - 2, max(pitches) + 2
    naturals = (0, 2, 4, 5, 7, 9, 11)
    ticks = [p for p in range(lo, hi + 1) if (p % 12 in naturals if hi - lo <= 24 else p % 12 in (0, 7))]
    fig.update_yaxes(title="pitch", range=[lo - 0.5, hi + 0.5], tickvals=ticks,
                     ticktext=[_name(p) for p in ticks])
    fig.update_xaxes(title="time (s)")
    fig.update_layout(barmode="overlay", bargap=0)
    return apply_theme(fig, title=title, height=height)


def spectrogram_with_notes(times, spec_pitches, spec_db, f0_midi, notes, onsets=(), *,
                           height: int = 380) -> go.Figure:
    """Log-frequency spectrogram (pitch axis), the pitch track and the detected notes as boxes."""
    step = max(1, len(times) // 1500)  # keep the heatmap light in the browser
    fig = go.Figure(go.Heatmap(x=times[::step], y=spec_pitches, z=spec_db[:, ::step],
                               colorscale="Greys", showscale=False,
                               zmin=-60, zmax=0, hoverinfo="skip", name="spectrogram"))
    fig.add_trace(go.Scatter(x=times, y=f0_midi, mode="markers", name="pitch track",
                             marker=dict(color="#2ca02c", size=3), hoverinfo="skip"))
    for i, (p, s, e) in enumerate(notes):
        fig.add_trace(go.Scatter(x=[s, e, e, s, s], y=[p - 0.5, p - 0.5, p + 0.5, p + 0.5, p - 0.5],
                                 mode="lines", fill="toself", line=dict(color=COLORS["continuation"]),
                                 fillcolor="rgba(255,127,14,0.25)", name="detected notes",
                                 legendgroup="notes", showlegend=i == 0,
                                 hovertext=f"{_name(p)} {s:.2f}-{e:.2f} s", hoverinfo="text"))
    for t in list(onsets)[:200]:
        fig.add_vline(x=float(t), line_width=1, line_dash="dot", line_color="#1f77b4", opacity=0.5)
    pitches = [p for p, *_ in notes] or [60]
    lo, hi = min(pitches) - 5, max(pitches) + 14  # room for the first overtone above the melody
    ticks = [p for p in range(lo, hi + 1) if p % 12 == 0]
    fig.update_yaxes(title="pitch", range=[lo, hi], tickvals=ticks, ticktext=[_name(p) for p in ticks])
    fig.update_xaxes(title="time (s)")
    return apply_theme(fig, height=height)


def quality_table(heldout: dict) -> list[dict]:
    """Rows for st.dataframe from a checkpoint's held-out table."""
    labels = {"lstm": "LSTM (this model)", "markov3": "3rd-order Markov chain",
              "repeat": "repeat the last note"}
    return [{"predictor": labels.get(k, k), "nats per 16th-note event": round(r["nll_per_event"], 4),
             "nats per note": round(r["nll_per_note"], 3), "next-event accuracy": round(r["accuracy"], 3)}
            for k, r in heldout.items()]


def experiment_metrics(res) -> dict:
    """Per variation: the continuation's notes and how likely the model found them (NLL per event)."""
    out = []
    for v in res.variations:
        probs = np.asarray(v.probs, dtype=float)[res.primer_steps:]
        probs = probs[np.isfinite(probs)]
        nll = float(-np.log(np.clip(probs, 1e-12, 1)).mean()) if len(probs) else None
        out.append({"nll_per_event": nll, "mean_probability": float(probs.mean()) if len(probs) else None,
                    "events": len(probs),
                    "notes": [{"pitch": _name(int(p)), "start_s": round(float(s), 4), "end_s": round(float(e), 4),
                               "probability": None if not np.isfinite(pr) else round(float(pr), 5)}
                              for p, s, e, pr, prim in v.notes if not prim]})
    key = res.key.name if res.key else None
    return {"primer_steps": res.primer_steps, "primer_end_s": res.primer_end, "key": key,
            "tempo_bpm": res.primer.tempo_bpm, "variations": out}


def experiment_zip(res, setup: dict, checkpoint=None) -> bytes:
    """The experiment file: set-up, metrics, one piano roll per variation, the student's model if used."""
    from ui.experiment import build

    figures = {f"piano_roll_{i + 1}": piano_roll(v.notes, res.primer_end, title=f"Variation {i + 1}")
               for i, v in enumerate(res.variations)}
    return build("music_continuation", setup, experiment_metrics(res), figures, checkpoint)
