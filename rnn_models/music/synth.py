"""Turn notes into sound: FluidSynth with pretty_midi's bundled soundfont when available, else a
numpy additive synthesizer (decaying harmonics, slight inharmonicity, attack and release)."""

import importlib.util
import io

import numpy as np
import soundfile as sf

SAMPLE_RATE = 22050
MAX_SECONDS = 600.0  # refuse to render longer audio
RELEASE_S = 0.12  # fade after a note ends


def fluidsynth_available() -> bool:
    """pyfluidsynth and its C library are both needed for pretty_midi.fluidsynth()."""
    if importlib.util.find_spec("fluidsynth") is None:
        return False
    try:
        import fluidsynth  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def render_notes(notes, sr: int = SAMPLE_RATE, program: int = 0,
                 engine: str = "auto") -> tuple[np.ndarray, int]:
    """(pitch, start_s, end_s) notes -> (mono float32 audio in [-1, 1], sample rate)."""
    notes = [(int(p), float(s), float(e)) for p, s, e in notes if e > s]
    end = max((e for _, _, e in notes), default=0.0) + RELEASE_S + 0.3
    if end > MAX_SECONDS:
        raise ValueError(f"refusing to render {end:.0f} s of audio (limit {MAX_SECONDS:.0f} s)")
    if engine in ("auto", "fluidsynth") and fluidsynth_available():
        return _fluidsynth(notes, sr, program), sr
    audio = np.zeros(int(end * sr) + 1, dtype=np.float64)
    for p, s, e in notes:
        tone = _tone(p, e - s, sr)
        i = int(s * sr)
        n = min(len(tone), len(audio) - i)
        audio[i : i + n] += tone[:n]
    peak = np.abs(audio).max()
    if peak > 0:
        audio *= 0.8 / peak
    return audio.astype(np.float32), sr


def _tone(pitch: int, dur: float, sr: int) -> np.ndarray:
    """One plucked/struck note: harmonics that decay faster the higher they are, like a piano or harp."""
    f0 = 440.0 * 2 ** ((pitch - 69) / 12)
    total = dur + RELEASE_S
    t = np.arange(int(total * sr)) / sr
    out = np.zeros_like(t)
    inharm = 2e-4  # stiff-string stretch of the upper partials
    decay0 = 0.6 + f0 / 500.0  # higher notes die away sooner
    for k in range(1, 13):
        fk = k * f0 * np.sqrt(1 + inharm * k * k)
        if fk > 0.45 * sr:
            break
        amp = (1.0 / k**1.4) * (1.0 if k != 2 else 0.7)
        out += amp * np.exp(-t * decay0 * (0.6 + 0.5 * k)) * np.sin(2 * np.pi * fk * t + 0.3 * k)
    out *= 0.35 + 0.65 * np.exp(-t * 1.5)  # body: quick fall to a sustained level
    attack = min(len(t), int(0.004 * sr))
    out[:attack] *= np.linspace(0, 1, attack, endpoint=False)
    rel_start = int(dur * sr)
    if rel_start < len(t):  # exponential release after the key is let go
        out[rel_start:] *= np.exp(-(t[rel_start:] - dur) / (RELEASE_S / 4))
    return out


def _fluidsynth(notes, sr: int, program: int) -> np.ndarray:
    import pretty_midi

    pm = pretty_midi.PrettyMIDI()
    inst = pretty_midi.Instrument(program=program)
    inst.notes = [pretty_midi.Note(90, p, s, e) for p, s, e in notes]
    pm.instruments.append(inst)
    audio = pm.fluidsynth(fs=sr)
    peak = np.abs(audio).max()
    return (audio * (0.8 / peak if peak > 0 else 1.0)).astype(np.float32)


def wav_bytes(audio: np.ndarray, sr: int = SAMPLE_RATE) -> bytes:
    """16-bit PCM WAV file bytes."""
    buf = io.BytesIO()
    sf.write(buf, np.asarray(audio, dtype=np.float32), sr, format="WAV", subtype="PCM_16")
    return buf.getvalue()
