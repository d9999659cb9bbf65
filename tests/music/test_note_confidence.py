"""Unsure notes at a recording's edges are trimmed: music21's test recording (a played C-major scale)."""

import numpy as np

from rnn_models.music.note_confidence import note_confidence, trim_unsure


def test_builtin_recording_keeps_the_scale_and_drops_the_stray_notes():
    from rnn_models.music.audio_in import analyse, builtin_recording, read_audio
    from rnn_models.music.generate import detect_key

    audio, sr = read_audio(builtin_recording().read_bytes(), "test_audio.wav")
    a = analyse(audio, sr)
    dropped = {p for p, _s, _e in a.dropped}
    assert {44, 38, 80} <= dropped  # G#2, D2, G#5
    kept = [p for p, _s, _e in a.notes]
    assert kept[:9] == [60, 60, 62, 64, 65, 67, 69, 71, 72]  # the scale is untouched
    assert all(48 <= p <= 84 for p in kept)
    assert detect_key(a.melody.events).name == "C major"


def test_trim_peels_only_unsure_edges_and_far_strays():
    notes = [(40, 0.0, 0.1), (60, 0.2, 0.6), (62, 0.6, 1.0), (30, 1.0, 1.1), (64, 1.1, 1.5), (90, 1.6, 1.7)]
    conf = np.array([0.3, 0.9, 0.9, 0.4, 0.9, 0.5])
    kept, dropped = trim_unsure(notes, conf)
    assert [p for p, *_ in kept] == [60, 62, 64]
    assert [p for p, *_ in dropped] == [40, 30, 90]
    one, _ = trim_unsure([(60, 0.0, 0.1)], np.array([0.1]))
    assert one == [(60, 0.0, 0.1)]  # at least one note stays


def test_confidence_rewards_long_periodic_notes():
    times = np.arange(200) * 0.01
    aper = np.full(200, 0.05)
    aper[150:] = 0.5
    conf = note_confidence([(60, 0.0, 0.5), (60, 0.5, 0.6), (60, 1.5, 1.9)], times, aper)
    assert conf[0] > 0.9 and conf[1] < 0.4 and conf[2] < 0.6
