"""Melodies as events on a 16th-note grid: one token per 16th (rest, hold, or note-on of a pitch)."""

from dataclasses import dataclass, field

import numpy as np

from rnn_models.errors import UserInputError

REST = 0  # nothing sounds during this 16th
HOLD = 1  # the previous note keeps sounding
NOTE_OFFSET = 2  # token = NOTE_OFFSET + (pitch - MIN_PITCH) starts a new note
MIN_PITCH = 36  # C2
MAX_PITCH = 96  # C7
VOCAB_SIZE = NOTE_OFFSET + MAX_PITCH - MIN_PITCH + 1
STEPS_PER_QUARTER = 4  # the grid is a 16th note
NOTE_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")


@dataclass(frozen=True)
class Melody:
    """A monophonic melody: one event per 16th note plus the timing needed to play it."""

    events: np.ndarray  # (steps,) uint8 tokens in [0, VOCAB_SIZE)
    tempo_bpm: float = 100.0  # quarter notes per minute
    time_signature: tuple[int, int] = (4, 4)  # numerator, denominator
    name: str = ""  # where it came from, shown to people
    meta: dict = field(default_factory=dict)  # anything else (source, key, ...)

    @property
    def steps_per_bar(self) -> int:
        num, den = self.time_signature
        return max(1, round(num * 16 / den))

    @property
    def step_seconds(self) -> float:
        return 60.0 / self.tempo_bpm / STEPS_PER_QUARTER

    def notes(self) -> list[tuple[int, int, int]]:
        """The notes as (pitch, start_step, end_step)."""
        return events_to_notes(self.events)


def pitch_token(pitch: int) -> int:
    """The note-on token of a MIDI pitch, folded by octaves into the model's range."""
    p = int(pitch)
    while p < MIN_PITCH:
        p += 12
    while p > MAX_PITCH:
        p -= 12
    return NOTE_OFFSET + p - MIN_PITCH


def token_pitch(token: int) -> int | None:
    """The MIDI pitch of a note-on token, or None for rest/hold."""
    return None if token < NOTE_OFFSET else int(token) - NOTE_OFFSET + MIN_PITCH


def pitch_name(pitch: int) -> str:
    """MIDI pitch -> scientific name, 60 -> 'C4'."""
    return f"{NOTE_NAMES[pitch % 12]}{pitch // 12 - 1}"


def notes_to_events(notes, length: int | None = None) -> np.ndarray:
    """(pitch, start_step, end_step) notes -> event tokens; overlaps keep the later note (monophonic)."""
    notes = sorted((int(p), int(s), int(e)) for p, s, e in notes)
    end = max((e for _, _, e in notes), default=0)
    length = end if length is None else length
    events = np.full(length, REST, dtype=np.uint8)
    for pitch, start, stop in notes:
        if start >= length or stop <= start:
            continue
        events[start] = pitch_token(pitch)
        events[start + 1 : min(stop, length)] = HOLD
    return events


def events_to_notes(events) -> list[tuple[int, int, int]]:
    """Event tokens -> (pitch, start_step, end_step); a hold after a rest is treated as a rest."""
    notes: list[tuple[int, int, int]] = []
    current: list[int] | None = None  # [pitch, start]
    for step, token in enumerate(np.asarray(events).tolist()):
        if token == HOLD and current is not None:
            continue
        if current is not None:
            notes.append((current[0], current[1], step))
            current = None
        if token >= NOTE_OFFSET:
            current = [token_pitch(token), step]
    if current is not None:
        notes.append((current[0], current[1], len(events)))
    return notes


def transpose_events(events: np.ndarray, semitones: int) -> np.ndarray | None:
    """Shift every note; None when a note would leave the model's pitch range."""
    events = np.asarray(events)
    is_note = events >= NOTE_OFFSET
    shifted = events.astype(np.int16) + np.where(is_note, semitones, 0)
    if is_note.any() and (shifted[is_note].min() < NOTE_OFFSET or shifted[is_note].max() >= VOCAB_SIZE):
        return None
    return shifted.astype(np.uint8)


def transpose_range(events: np.ndarray) -> tuple[int, int]:
    """The smallest and largest semitone shift that keeps every note inside the range."""
    notes = np.asarray(events)[np.asarray(events) >= NOTE_OFFSET].astype(int)
    if notes.size == 0:
        return 0, 0
    return NOTE_OFFSET - notes.min(), VOCAB_SIZE - 1 - notes.max()


def describe_token(token: int) -> str:
    """Human name of a token: 'rest', 'hold' or a pitch name."""
    if token == REST:
        return "rest"
    if token == HOLD:
        return "hold"
    return pitch_name(token_pitch(token))


def check_events(events) -> np.ndarray:
    """Validate a token array, raising UserInputError for anything outside the vocabulary."""
    arr = np.asarray(events)
    if arr.ndim != 1 or arr.size == 0:
        raise UserInputError("A melody needs at least one 16th-note step.")
    if arr.min() < 0 or arr.max() >= VOCAB_SIZE:
        raise UserInputError(f"Melody tokens must lie in 0..{VOCAB_SIZE - 1}.")
    return arr.astype(np.uint8)
