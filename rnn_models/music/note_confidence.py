"""How sure the pitch tracker is of each note, and trimming the unsure ones a recording starts or ends with.

A recording's first and last moments hold breaths, clicks and the note dying away: short, noisy notes
far from the melody (in music21's test recording, G#2, D2 and G#5 after a C-major scale). Left in, the
last of them decides what a model continues with, so they are trimmed before the melody is built.
"""

import numpy as np

FULL_LENGTH = 0.3  # seconds: a note this long or longer gets full duration credit
EDGE_THRESHOLD = 0.7  # notes at the edges below this confidence are trimmed
STRAY_THRESHOLD = 0.6  # anywhere, a note below this confidence more than an octave from the melody is dropped


def note_confidence(notes: list[tuple[int, float, float]], times: np.ndarray, aperiodicity: np.ndarray) -> np.ndarray:
    """(len(notes),) in [0, 1]: the note's median periodicity (1 - YIN aperiodicity) times a duration credit."""
    hop = times[1] - times[0] if len(times) > 1 else 0.01
    out = []
    for _p, start, end in notes:
        i, j = int(round(start / hop)), max(int(round(end / hop)), int(round(start / hop)) + 1)
        periodic = 1.0 - float(np.median(np.clip(aperiodicity[i:j], 0.0, 1.0))) if j <= len(aperiodicity) else 0.5
        out.append(periodic * min(1.0, (end - start) / FULL_LENGTH))
    return np.array(out, dtype=np.float64)


def trim_unsure(notes: list[tuple[int, float, float]], confidence: np.ndarray, edge: float = EDGE_THRESHOLD,
                stray: float = STRAY_THRESHOLD) -> tuple[list, list]:
    """(kept, dropped): unsure notes peeled off both ends, then unsure notes more than an octave from the
    median pitch of the sure ones. The middle of the recording is otherwise left alone; at least one note stays."""
    if not notes:
        return [], []
    lo, hi = 0, len(notes)
    while hi - lo > 1 and confidence[lo] < edge:
        lo += 1
    while hi - lo > 1 and confidence[hi - 1] < edge:
        hi -= 1
    sure = [p for (p, _s, _e), c in zip(notes[lo:hi], confidence[lo:hi]) if c >= edge]
    centre = float(np.median(sure)) if sure else None
    kept, dropped = [], list(notes[:lo]) + list(notes[hi:])
    for n, c in zip(notes[lo:hi], confidence[lo:hi]):
        if centre is not None and c < stray and abs(n[0] - centre) > 12:
            dropped.append(n)
        else:
            kept.append(n)
    return kept, sorted(dropped, key=lambda n: n[1])
