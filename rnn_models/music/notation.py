"""Typed notes -> Melody: `C4 D4 E4/8 F4 G4/2 r/4` (pitch + octave, optional /duration, '.' dots).

A duration is the note value (1 whole, 2 half, 4 quarter, 8 eighth, 16 sixteenth), a quarter
when left out; a trailing '.' makes it dotted; 'r' is a rest; '#' and 'b' alter the pitch.
"""

import re

from rnn_models.errors import UserInputError
from rnn_models.music.encoding import MAX_PITCH, MIN_PITCH, NOTE_NAMES, Melody, notes_to_events

_TOKEN = re.compile(r"^(?:(?P<rest>[rR])|(?P<name>[A-Ga-g])(?P<acc>#|b)?(?P<oct>-?\d))"
                    r"(?:/(?P<dur>1|2|4|8|16))?(?P<dot>\.)?$")
MAX_TOKENS = 512


def parse_notes(text: str, tempo: float = 100.0, meter: tuple[int, int] = (4, 4)) -> Melody:
    """Parse space-separated notes; errors name the first token that is not understood."""
    tokens = text.replace(",", " ").split()
    if not tokens:
        raise UserInputError("There are no notes: type e.g. 'C4 D4 E4/8 F4 G4/2'.")
    if len(tokens) > MAX_TOKENS:
        raise UserInputError(f"At most {MAX_TOKENS} notes can be typed.")
    notes, step = [], 0
    for tok in tokens:
        m = _TOKEN.match(tok)
        if not m:
            raise UserInputError(f"Cannot read the note {tok!r}: write a letter A-G, an optional # or b, "
                                 "an octave number and an optional /2, /4, /8 or /16, e.g. 'F#4/8'.")
        steps = 16 // int(m["dur"] or 4)
        if m["dot"]:
            steps += steps // 2
        if not m["rest"]:
            pc = NOTE_NAMES.index(m["name"].upper()) + {"#": 1, "b": -1, None: 0}[m["acc"]]
            pitch = 12 * (int(m["oct"]) + 1) + pc
            if not MIN_PITCH <= pitch <= MAX_PITCH:
                raise UserInputError(f"{tok} is outside the range C2-C7.")
            notes.append((pitch, step, step + steps))
        step += steps
    if not notes:
        raise UserInputError("There are only rests: type at least one note.")
    return Melody(notes_to_events(notes, step), tempo, meter, "typed notes", {"source": "text"})
