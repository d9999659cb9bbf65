"""Primer melody in, finished continuations out: events, notes in seconds, MIDI bytes and probabilities."""

from dataclasses import dataclass, field

import numpy as np

from rnn_models.errors import UserInputError
from rnn_models.music.encoding import Melody, events_to_notes
from rnn_models.music.generate import Key, continue_melody, detect_key, parse_key
from rnn_models.music.midi_io import melody_to_midi
from rnn_models.sampling import SamplingSettings

MAX_BARS = 64


@dataclass(frozen=True)
class ContinueSettings:
    bars: int = 8  # bars to add, in the primer's own metre
    sampling: SamplingSettings = field(default_factory=SamplingSettings)  # temperature <1 safer, >1 wilder
    seed: int = 0  # same seed, same continuation
    variations: int = 1  # 1-8 continuations sampled side by side
    key: str = "none"  # "none", "auto" (the primer's key) or e.g. "D minor"
    keep_primer: bool = True  # whether the MIDI files start with the primer


@dataclass
class Variation:
    """One continuation joined to its primer."""

    events: np.ndarray  # (primer + continuation steps,) all events
    probs: np.ndarray  # (same,) probability of each chosen event; NaN over the primer
    notes: list[tuple[int, float, float, float, bool]]  # pitch, start_s, end_s, prob, is_primer
    midi: bytes  # the output file (primer included or not, as asked)
    output_notes: list[tuple[int, float, float]]  # (pitch, start_s, end_s) as in the output file


@dataclass
class ContinuationResult:
    primer: Melody
    primer_steps: int
    primer_end: float  # seconds
    key: Key | None
    variations: list[Variation]
    keep_primer: bool  # whether output files start with the primer


def resolve_key(text: str, primer_events: np.ndarray) -> Key | None:
    """'auto' detects the primer's key; 'none' turns the constraint off; otherwise parse 'D minor'."""
    if text.strip().lower() == "auto":
        return detect_key(primer_events)
    return parse_key(text)


def continue_primer(model, primer: Melody, settings: ContinueSettings = ContinueSettings()) -> ContinuationResult:
    """Continue `primer` by `settings.bars` bars; each variation comes with a MIDI file."""
    if not 1 <= settings.bars <= MAX_BARS:
        raise UserInputError(f"Bars must be between 1 and {MAX_BARS}.")
    k = resolve_key(settings.key, primer.events)
    steps = settings.bars * primer.steps_per_bar
    conts = continue_melody(model, primer.events, steps, settings.sampling, settings.seed, settings.variations, k)
    keep_primer = settings.keep_primer
    n0 = len(primer.events)
    dt = primer.step_seconds
    out = []
    for c in conts:
        events = np.concatenate([primer.events, c.events])
        probs = np.concatenate([np.full(n0, np.nan, np.float32), c.probs])
        notes = [(p, s * dt, e * dt, float(probs[s]), s < n0) for p, s, e in events_to_notes(events)]
        midi_events = events if keep_primer else c.events
        shift = 0.0 if keep_primer else n0 * dt
        output = [(p, s - shift, e - shift) for p, s, e, _, prim in notes if keep_primer or not prim]
        out.append(Variation(events, probs, notes, melody_to_midi(primer, midi_events), output))
    return ContinuationResult(primer, n0, n0 * dt, k, out, keep_primer)
