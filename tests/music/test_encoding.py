import numpy as np
import pretty_midi
import pytest

from rnn_models.errors import UserInputError
from rnn_models.music.encoding import (
    HOLD,
    NOTE_OFFSET,
    REST,
    VOCAB_SIZE,
    events_to_notes,
    notes_to_events,
    pitch_token,
    transpose_events,
)
from rnn_models.music.midi_io import melody_from_midi, melody_to_midi, read_midi, skyline
from rnn_models.music.notation import parse_notes


def test_events_round_trip():
    notes = [(60, 0, 4), (62, 4, 6), (64, 8, 16)]
    ev = notes_to_events(notes)
    assert ev.tolist()[:9] == [pitch_token(60), HOLD, HOLD, HOLD, pitch_token(62), HOLD, REST, REST,
                               pitch_token(64)]
    assert events_to_notes(ev) == notes


def test_transpose_keeps_range():
    ev = notes_to_events([(60, 0, 2), (95, 2, 4)])
    assert transpose_events(ev, 1).tolist()[0] == pitch_token(61)
    assert transpose_events(ev, 2) is None  # 97 is outside the range
    assert VOCAB_SIZE - 1 == NOTE_OFFSET + 60


def _midi_bytes(tracks, tempo=100.0):
    pm = pretty_midi.PrettyMIDI(initial_tempo=tempo)
    for notes, drum in tracks:
        inst = pretty_midi.Instrument(0, is_drum=drum)
        step = 60 / tempo / 4
        inst.notes = [pretty_midi.Note(80, p, s * step, e * step) for p, s, e in notes]
        pm.instruments.append(inst)
    import io

    buf = io.BytesIO()
    pm.write(buf)
    return buf.getvalue()


def test_midi_round_trip_keeps_pitches_and_grid_onsets():
    notes = [(60, 0, 4), (67, 4, 5), (65, 6, 8), (64, 8, 16)]
    mel = melody_from_midi(read_midi(_midi_bytes([(notes, False)], tempo=90)))
    assert mel.notes() == notes
    assert abs(mel.tempo_bpm - 90) < 1e-6
    again = melody_from_midi(read_midi(melody_to_midi(mel)))
    assert again.notes() == notes


def test_highest_note_wins_and_drums_ignored():
    chord = [(48, 0, 8), (55, 0, 8), (64, 0, 4), (62, 4, 8)]
    drums = [(36, 0, 1), (38, 2, 3)]
    mel = melody_from_midi(read_midi(_midi_bytes([(chord, False), (drums, True)])))
    assert mel.notes() == [(64, 0, 4), (62, 4, 8)]
    assert skyline([(60, 0, 4), (72, 1, 2)], 4) == [(60, 0, 1), (72, 1, 2), (60, 2, 4)]


@pytest.mark.parametrize("data, msg", [
    (b"", "empty"), (b"hello world", "not a MIDI file"), (b"MThd\x00\x00", "could not be read")])
def test_bad_midi_messages(data, msg):
    with pytest.raises(UserInputError, match=msg):
        read_midi(data)


def test_drums_only_and_absurd_tempo():
    with pytest.raises(UserInputError, match="drum"):
        melody_from_midi(read_midi(_midi_bytes([([(36, 0, 1)], True)])))
    with pytest.raises(UserInputError, match="tempo"):
        melody_from_midi(read_midi(_midi_bytes([([(60, 0, 4)], False)], tempo=1000)))


def test_parse_notes_text():
    mel = parse_notes("C4 D4 E4/8 F4 G4/2 r/4 A#3")
    # default quarter; /8 an eighth; /2 a half; r a rest
    assert mel.notes() == [(60, 0, 4), (62, 4, 8), (64, 8, 10), (65, 10, 14), (67, 14, 22), (58, 26, 30)]
    with pytest.raises(UserInputError, match="H4"):
        parse_notes("C4 H4")
    with pytest.raises(UserInputError, match="no notes"):
        parse_notes("   ")
    assert np.all(parse_notes("c4 eb4. g4/16").events[:1] == pitch_token(60))


def test_empty_midi_and_too_long():
    with pytest.raises(UserInputError, match="contains no notes"):
        read_midi(_midi_bytes([]))
    with pytest.raises(UserInputError, match="the limit is 8192"):
        melody_from_midi(read_midi(_midi_bytes([([(60, 0, 9000)], False)])))
