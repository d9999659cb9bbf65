"""MIDI in and out with pretty_midi: track listing, one melody line (highest note), tempo and metre kept."""

import io
import warnings

import numpy as np
import pretty_midi

from rnn_models.errors import UserInputError
from rnn_models.music.encoding import Melody, notes_to_events

MAX_MIDI_BYTES = 2 * 1024 * 1024  # larger uploads are refused
MAX_STEPS = 8192  # 16th-note steps (about 17 minutes at 120 bpm)
MIN_TEMPO, MAX_TEMPO = 20.0, 400.0  # quarter notes per minute


def read_midi(data: bytes) -> pretty_midi.PrettyMIDI:
    """Bytes -> PrettyMIDI, with a clear UserInputError for anything that is not a usable MIDI file."""
    if not data:
        raise UserInputError("The MIDI file is empty (0 bytes).")
    if len(data) > MAX_MIDI_BYTES:
        raise UserInputError(f"The MIDI file is {len(data) / 2**20:.1f} MB; the limit is "
                             f"{MAX_MIDI_BYTES // 2**20} MB.")
    if data[:4] != b"MThd":
        raise UserInputError("This is not a MIDI file: it does not start with the 'MThd' header. "
                             "Upload a .mid or .midi file.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pm = pretty_midi.PrettyMIDI(io.BytesIO(data))
    except Exception as exc:  # mido/pretty_midi raise many types for broken files
        raise UserInputError(f"This MIDI file could not be read ({type(exc).__name__}: {exc}).") \
            from None
    if not any(inst.notes for inst in pm.instruments):
        raise UserInputError("This MIDI file contains no notes.")
    return pm


def midi_tracks(pm: pretty_midi.PrettyMIDI) -> list[dict]:
    """One dict per instrument track: index, name, program, drum flag, note count and pitch range."""
    out = []
    for i, inst in enumerate(pm.instruments):
        pitches = [n.pitch for n in inst.notes]
        label = inst.name.strip() or pretty_midi.program_to_instrument_name(inst.program)
        out.append({"index": i, "name": label, "program": int(inst.program), "is_drum": bool(inst.is_drum),
                    "notes": len(inst.notes), "low": min(pitches, default=0),
                    "high": max(pitches, default=0)})
    return out


def tempo_and_meter(pm: pretty_midi.PrettyMIDI) -> tuple[float, tuple[int, int]]:
    """The first tempo (bpm) and time signature; refuses absurd tempi."""
    _, tempi = pm.get_tempo_changes()
    tempo = round(float(tempi[0]), 2) if len(tempi) else 120.0
    if not MIN_TEMPO <= tempo <= MAX_TEMPO:
        raise UserInputError(f"The MIDI tempo is {tempo:.0f} bpm; only {MIN_TEMPO:.0f}-"
                             f"{MAX_TEMPO:.0f} bpm is supported.")
    ts = pm.time_signature_changes
    meter = (int(ts[0].numerator), int(ts[0].denominator)) if ts else (4, 4)
    if meter[0] < 1 or meter[1] not in (1, 2, 4, 8, 16, 32):
        meter = (4, 4)
    return tempo, meter


def skyline(notes: list[tuple[int, int, int]], length: int) -> list[tuple[int, int, int]]:
    """Reduce overlapping (pitch, start, end) notes to one line: at each step the highest sounding note."""
    top = np.full(length, -1, dtype=np.int64)  # index of the highest note sounding at each step
    top_pitch = np.full(length, -1, dtype=np.int64)
    for k, (p, s, e) in enumerate(notes):
        seg = slice(s, min(e, length))
        higher = p > top_pitch[seg]
        top[seg] = np.where(higher, k, top[seg])
        top_pitch[seg] = np.where(higher, p, top_pitch[seg])
    line: list[tuple[int, int, int]] = []
    for step in range(length):
        k = int(top[step])
        if k < 0:
            continue
        if line and line[-1][3] == k and line[-1][2] == step:
            line[-1][2] = step + 1  # the same note continues
        else:
            line.append([notes[k][0], step, step + 1, k])
    return [(p, s, e) for p, s, e, _ in line]


def melody_from_midi(pm: pretty_midi.PrettyMIDI, track: int | None = None, name: str = "") -> Melody:
    """One melody line from a track (or from all non-drum tracks), quantised to 16ths by MIDI ticks."""
    tracks = pm.instruments
    if track is not None:
        if not 0 <= track < len(tracks):
            raise UserInputError(f"Track {track} does not exist; this file has tracks 0-{len(tracks) - 1}.")
        if tracks[track].is_drum:
            raise UserInputError(f"Track {track} is a drum track; pick a melodic track.")
        chosen = [tracks[track]]
    else:
        chosen = [t for t in tracks if not t.is_drum]
    if not any(t.notes for t in chosen):
        raise UserInputError("Only drum notes here: drums are ignored, so there is no melody to use."
                             if any(t.notes for t in tracks) else "This track has no notes.")
    tempo, meter = tempo_and_meter(pm)
    ticks_per_step = pm.resolution / 4.0
    notes = []
    for inst in chosen:
        for n in inst.notes:
            s = round(pm.time_to_tick(n.start) / ticks_per_step)
            e = max(s + 1, round(pm.time_to_tick(n.end) / ticks_per_step))
            notes.append((n.pitch, s, e))
    length = max(e for _, _, e in notes)
    if length > MAX_STEPS:
        raise UserInputError(f"This melody is {length} 16th notes long ({length / 16:.0f} bars of 4/4); "
                             f"the limit is {MAX_STEPS} (use a shorter excerpt).")
    line = skyline(sorted(notes), length)
    return Melody(notes_to_events(line, length), tempo, meter, name,
                  {"source": "midi", "track": track})


def notes_to_midi(notes_s: list[tuple[int, float, float]], tempo: float = 120.0,
                  meter: tuple[int, int] = (4, 4), program: int = 0, name: str = "melody") -> bytes:
    """(pitch, start_s, end_s) notes -> Standard MIDI File bytes with one instrument."""
    pm = pretty_midi.PrettyMIDI(initial_tempo=float(tempo))
    pm.time_signature_changes.append(pretty_midi.TimeSignature(meter[0], meter[1], 0.0))
    inst = pretty_midi.Instrument(program=program, name=name)
    for p, s, e in notes_s:
        inst.notes.append(pretty_midi.Note(velocity=90, pitch=int(p), start=float(s), end=float(e)))
    pm.instruments.append(inst)
    buf = io.BytesIO()
    pm.write(buf)
    return buf.getvalue()


def melody_seconds(melody: Melody, events: np.ndarray | None = None) -> list[tuple[int, float, float]]:
    """Notes of (events or melody.events) as (pitch, start_s, end_s) at the melody's tempo."""
    from rnn_models.music.encoding import events_to_notes

    dt = melody.step_seconds
    ev = melody.events if events is None else events
    return [(p, s * dt, e * dt) for p, s, e in events_to_notes(ev)]


def melody_to_midi(melody: Melody, events: np.ndarray | None = None, program: int = 0) -> bytes:
    """A melody (or other events at its tempo and metre) as MIDI bytes."""
    return notes_to_midi(melody_seconds(melody, events), melody.tempo_bpm, melody.time_signature,
                         program, melody.name or "melody")
