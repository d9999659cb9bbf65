import io

import numpy as np
import pytest
import soundfile as sf

from rnn_models.errors import UserInputError
from rnn_models.music.audio_in import analyse, builtin_recording, read_audio
from rnn_models.music.synth import render_notes, wav_bytes


def test_pitch_tracking_c3_to_c6_within_50_cents():
    errors, octave_errors = [], 0
    pitches = range(48, 85)  # C3..C6
    for p in pitches:
        audio, sr = render_notes([(p, 0.1, 0.8)])
        a = analyse(audio, sr, bpm=120)
        voiced = a.f0_midi[(a.times > 0.2) & (a.times < 0.7)]
        voiced = voiced[~np.isnan(voiced)]
        assert voiced.size > 10, f"pitch {p} not heard"
        est = float(np.median(voiced))
        if abs(est - p) > 6:
            octave_errors += 1
        else:
            errors.append(abs(est - p) * 100)
        assert len(a.notes) >= 1
    assert octave_errors / len(pitches) < 0.05
    assert max(errors) < 50, max(errors)


def test_melody_from_synthesized_audio_is_quantised():
    step = 60 / 120 / 4
    notes = [(60, 0, 4), (64, 4, 8), (67, 8, 12), (72, 12, 20)]
    audio, sr = render_notes([(p, s * step + 0.2, e * step + 0.2) for p, s, e in notes])
    a = analyse(audio, sr, bpm=120)
    assert [p for p, *_ in a.melody.notes()] == [60, 64, 67, 72]
    assert [s for _, s, _ in a.melody.notes()] == [0, 4, 8, 12]


def test_real_recording_gives_plausible_notes():
    audio, sr = read_audio(builtin_recording().read_bytes(), "test_audio.wav")
    a = analyse(audio, sr)
    pitches = [p for p, *_ in a.notes]
    assert 15 <= len(pitches) <= 80
    assert 55 <= np.median(pitches) <= 75  # a played melody around middle C
    # the recording opens with a rising C major line: C D E F G A B C
    firsts = []
    for p in pitches:
        if not firsts or firsts[-1] != p:
            firsts.append(p)
    assert firsts[:6] == [60, 62, 64, 65, 67, 69]
    assert 40 <= a.bpm <= 200


def test_bad_audio_messages():
    sr = 16000
    with pytest.raises(UserInputError, match="silent"):
        analyse(np.zeros(sr, np.float32), sr)
    noise = np.random.default_rng(0).normal(0, 0.3, sr * 2).astype(np.float32)
    with pytest.raises(UserInputError, match="No clear notes"):
        analyse(noise, sr)
    with pytest.raises(UserInputError, match=r"could not be decoded as audio \(\.m4a files are not supported\)"):
        read_audio(b"abc", "song.m4a")
    audio, rate = read_audio(wav_bytes(np.zeros(800, np.float32) + 0.1, 8000), "take.dat")  # content decides
    assert rate == 8000 and len(audio) == 800
    with pytest.raises(UserInputError, match="could not be decoded"):
        read_audio(b"RIFF1234WAVEjunk", "x.wav")
    with pytest.raises(UserInputError, match="empty"):
        read_audio(b"", "x.wav")
    long = wav_bytes(np.zeros(8000 * 61, np.float32), 8000)
    with pytest.raises(UserInputError, match="limit is 60 s"):
        read_audio(long, "long.wav")


def test_read_flac_and_ogg():
    audio, sr = render_notes([(69, 0.0, 0.5)])
    for fmt in ("FLAC", "OGG"):
        buf = io.BytesIO()
        sf.write(buf, audio, sr, format=fmt)
        back, sr2 = read_audio(buf.getvalue(), f"a.{fmt.lower()}")
        assert sr2 == sr and abs(len(back) - len(audio)) < sr // 10


def test_synth_is_not_a_bare_sine():
    audio, sr = render_notes([(57, 0.0, 1.0)])
    spec = np.abs(np.fft.rfft(audio[: sr // 2]))
    f = np.fft.rfftfreq(sr // 2, 1 / sr)
    fund = spec[np.argmin(abs(f - 220))]
    second = spec[np.argmin(abs(f - 440.1)) - 3 : np.argmin(abs(f - 440.1)) + 4].max()
    assert second > 0.1 * fund  # harmonics present
    env_start, env_end = np.abs(audio[: sr // 10]).max(), np.abs(audio[int(0.8 * sr) : sr]).max()
    assert env_end < env_start  # decays like a struck string
