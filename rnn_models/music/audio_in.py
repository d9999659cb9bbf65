"""Audio -> notes: YIN pitch tracking and spectral-flux onsets in torch/torchaudio, then quantisation.

Monophonic only: one pitch per frame. Reading uses soundfile (wav, flac, ogg, mp3).
"""

import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf
import torch
import torchaudio

from rnn_models.errors import UserInputError
from rnn_models.music.encoding import Melody, notes_to_events
from rnn_models.music.note_confidence import note_confidence, trim_unsure

ANALYSIS_SR = 16000
HOP = 160  # 10 ms frames
WINDOW = 1024  # YIN integration window (64 ms)
FMIN, FMAX = 60.0, 1600.0  # about B1 to G6
MAX_AUDIO_BYTES = 20 * 1024 * 1024
MAX_SECONDS = 60.0  # longer recordings are refused
FORMATS = {".wav": "WAV", ".flac": "FLAC", ".ogg": "OGG", ".oga": "OGG", ".mp3": "MP3"}


def builtin_recording() -> Path:
    """music21's bundled 20 s recording of a played melody."""
    import importlib.util

    spec = importlib.util.find_spec("music21")
    if spec is None or not spec.origin:
        raise FileNotFoundError("music21 is not installed, so its test recording is missing")
    return Path(spec.origin).parent / "audioSearch" / "test_audio.wav"


@dataclass
class AudioAnalysis:
    """What was heard: the pitch track, onsets, a log-frequency spectrogram and the notes."""

    times: np.ndarray  # (frames,) seconds
    f0_midi: np.ndarray  # (frames,) fractional MIDI pitch, NaN where unvoiced
    onsets: np.ndarray  # (k,) seconds
    spec_db: np.ndarray  # (pitch_bins, frames) magnitude in dB on a semitone/2 grid
    spec_pitches: np.ndarray  # (pitch_bins,) fractional MIDI pitch of each row
    notes: list[tuple[int, float, float]]  # detected (pitch, start_s, end_s), unquantised
    bpm: float  # tempo used for the 16th grid
    melody: Melody  # the notes on the grid
    duration: float  # seconds of audio
    dropped: list = field(default_factory=list)  # unsure (pitch, start_s, end_s) notes trimmed (note_confidence)


def read_audio(data: bytes, filename: str = "audio.wav") -> tuple[np.ndarray, int]:
    """Bytes of a wav/flac/ogg/mp3 file -> (mono float32, sample rate), with clear errors.

    The content decides, not the name: a WAV called `take.dat` is read; the name only helps the message.
    """
    ext = Path(filename).suffix.lower()
    if not data:
        raise UserInputError("The audio file is empty (0 bytes).")
    if len(data) > MAX_AUDIO_BYTES:
        raise UserInputError(f"The audio file is {len(data) / 2**20:.1f} MB; the limit is "
                             f"{MAX_AUDIO_BYTES // 2**20} MB.")
    try:
        info = sf.info(io.BytesIO(data))
        if info.frames / max(1, info.samplerate) > MAX_SECONDS:
            raise UserInputError(f"The recording is {info.frames / info.samplerate:.0f} s long; the "
                                 f"limit is {MAX_SECONDS:.0f} s. Trim it and try again.")
        audio, sr = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except UserInputError:
        raise
    except Exception:
        named = f" ({ext} files are not supported)" if ext and ext not in FORMATS else ""
        raise UserInputError(f"This file could not be decoded as audio{named}; use WAV, FLAC, OGG or MP3."
                             ) from None
    if audio.shape[0] == 0:
        raise UserInputError("The audio file holds no samples.")
    return audio.mean(axis=1), int(sr)


def yin(x: torch.Tensor, sr: int = ANALYSIS_SR, threshold: float = 0.15) -> tuple[torch.Tensor, torch.Tensor]:
    """YIN pitch per hop: (f0 Hz (frames,), aperiodicity (frames,)); low aperiodicity = clearly pitched."""
    tau_min, tau_max = int(sr / FMAX), int(sr / FMIN) + 2
    span = WINDOW + tau_max
    x = torch.nn.functional.pad(x, (WINDOW // 2, span))
    frames = x.unfold(0, span, HOP)  # (F, span)
    n_fft = 1 << int(np.ceil(np.log2(span + WINDOW)))
    a = torch.fft.rfft(frames[:, :WINDOW], n_fft)
    b = torch.fft.rfft(frames, n_fft)
    r = torch.fft.irfft(a.conj() * b, n_fft)[:, : tau_max + 1]  # (F, tau) cross terms
    sq = torch.nn.functional.pad(frames.pow(2).cumsum(1), (1, 0))
    e0 = sq[:, WINDOW : WINDOW + 1]
    taus = torch.arange(tau_max + 1)
    e_tau = sq[:, taus + WINDOW] - sq[:, taus]
    d = (e0 + e_tau - 2 * r).clamp_min(0)  # difference function (F, tau)
    cum = d[:, 1:].cumsum(1)
    cmnd = torch.ones_like(d)
    cmnd[:, 1:] = d[:, 1:] * taus[1:] / cum.clamp_min(1e-12)
    cmnd[:, :tau_min] = 2.0
    below = cmnd < threshold
    first = torch.where(below.any(1), below.float().argmax(1), cmnd.argmin(1))
    tau = first.clone()
    for _ in range(tau_max):  # walk down to the local minimum after the first dip
        nxt = (tau + 1).clamp_max(tau_max)
        better = cmnd.gather(1, nxt[:, None])[:, 0] < cmnd.gather(1, tau[:, None])[:, 0]
        if not better.any():
            break
        tau = torch.where(better, nxt, tau)
    # parabolic interpolation around the minimum
    t0, t2 = (tau - 1).clamp_min(1), (tau + 1).clamp_max(tau_max)
    y0, y1, y2 = (cmnd.gather(1, t[:, None])[:, 0] for t in (t0, tau, t2))
    denom = y0 - 2 * y1 + y2
    shift = torch.where(denom.abs() > 1e-9, 0.5 * (y0 - y2) / denom, torch.zeros_like(denom))
    f0 = sr / (tau.float() + shift.clamp(-1, 1))
    return f0, y1


def onset_strength(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Spectral flux of the log-magnitude spectrogram: (flux (frames,), magnitude (freq, frames))."""
    spec = torchaudio.transforms.Spectrogram(n_fft=2048, hop_length=HOP, power=1.0)(x)
    logmag = torch.log1p(100 * spec)
    flux = torch.relu(logmag[:, 1:] - logmag[:, :-1]).sum(0)
    return torch.cat([torch.zeros(1), flux]), spec


def pick_peaks(env: np.ndarray, min_gap: int = 6, delta: float = 0.3) -> np.ndarray:
    """Frames where the envelope is a local maximum above a moving median plus delta*std."""
    if env.size < 3 or env.max() <= 0:
        return np.zeros(0, dtype=np.int64)
    env = env / env.max()
    k = 25
    padded = np.pad(env, k, mode="edge")
    med = np.array([np.median(padded[i : i + 2 * k + 1]) for i in range(env.size)])
    thr = med + delta * env.std()
    peaks = []
    for i in range(1, env.size - 1):
        if env[i] >= env[i - 1] and env[i] > env[i + 1] and env[i] > thr[i]:
            if not peaks or i - peaks[-1] >= min_gap:
                peaks.append(i)
            elif env[i] > env[peaks[-1]]:
                peaks[-1] = i
    return np.array(peaks, dtype=np.int64)


def segment_notes(times: np.ndarray, midi: np.ndarray, onset_frames: np.ndarray,
                  rms: np.ndarray | None = None, min_dur: float = 0.06) -> list[tuple[int, float, float]]:
    """Voiced runs split where the rounded pitch changes for a while, or at an onset where the
    level jumps (a repeated note) -> notes."""
    if rms is None:
        rms = np.ones(len(midi))
    onset_set = {i for i in onset_frames.tolist()
                 if rms[min(len(rms) - 1, i + 3)] > 1.25 * rms[max(0, i - 3)]}
    notes, cur, cur_p = [], None, []
    hop_s = times[1] - times[0] if len(times) > 1 else HOP / ANALYSIS_SR

    def close(end_i):
        if cur is not None and (end_i - cur) * hop_s >= min_dur:
            notes.append((int(round(float(np.median(cur_p)))), float(times[cur]), float(times[end_i - 1] + hop_s)))

    i = 0
    while i < len(midi):
        v = midi[i]
        if np.isnan(v):
            close(i)
            cur, cur_p = None, []
        elif cur is None:
            cur, cur_p = i, [v]
        else:
            ref = np.median(cur_p)
            ahead = midi[i : i + 3]
            moved = np.all(np.abs(ahead[~np.isnan(ahead)] - ref) > 0.6) and not np.isnan(ahead).all()
            if moved or (i in onset_set and i - cur >= 4):
                close(i)
                cur, cur_p = i, [v]
            else:
                cur_p.append(v)
        i += 1
    close(len(midi))
    return drop_glitches(notes)


def drop_glitches(notes: list[tuple[int, float, float]], max_dur: float = 0.12,
                  jump: int = 7) -> list[tuple[int, float, float]]:
    """Remove very short notes that leap far from both neighbours (octave slips, note transitions)."""
    keep = []
    for i, (p, s, e) in enumerate(notes):
        prev = notes[i - 1][0] if i > 0 else None
        nxt = notes[i + 1][0] if i + 1 < len(notes) else None
        near = [q for q in (prev, nxt) if q is not None]
        if e - s < max_dur and near and all(abs(p - q) >= jump for q in near):
            continue
        keep.append((p, s, e))
    return keep


def estimate_bpm(flux: np.ndarray, fps: float) -> float:
    """Tempo from the autocorrelation of the onset envelope, weighted towards ~110 bpm."""
    env = flux - flux.mean()
    if not np.any(env):
        return 100.0
    ac = np.correlate(env, env, mode="full")[len(env) - 1 :]
    best, best_score = 100.0, -np.inf
    for bpm in np.arange(50.0, 200.0, 1.0):
        lag = 60.0 / bpm * fps
        lo = int(np.floor(lag))
        if lo + 1 >= len(ac):
            continue
        val = ac[lo] + (ac[lo + 1] - ac[lo]) * (lag - lo)
        prior = np.exp(-0.5 * (np.log2(bpm / 110.0) / 0.5) ** 2)
        if val * prior > best_score:
            best, best_score = float(bpm), val * prior
    return best


def quantise(notes: list[tuple[int, float, float]], bpm: float) -> list[tuple[int, int, int]]:
    """Seconds -> 16th steps from the first onset; collisions move later, overlaps are cut."""
    step = 60.0 / bpm / 4
    t0 = notes[0][1]
    out: list[tuple[int, int, int]] = []
    for p, s, e in notes:
        qs, qe = round((s - t0) / step), round((e - t0) / step)
        if out and qs <= out[-1][1]:
            qs = out[-1][1] + 1
        qe = max(qe, qs + 1)
        if out and out[-1][2] > qs:
            out[-1] = (out[-1][0], out[-1][1], qs)
        out.append((p, qs, qe))
    return out


def analyse(audio: np.ndarray, sr: int, bpm: float | None = None, name: str = "recording") -> AudioAnalysis:
    """Pitch-track, segment and quantise a mono recording; UserInputError when nothing is heard."""
    duration = len(audio) / sr
    if duration > MAX_SECONDS:
        raise UserInputError(f"The recording is {duration:.0f} s long; the limit is {MAX_SECONDS:.0f} s.")
    if duration < 0.25:
        raise UserInputError("The recording is shorter than a quarter of a second.")
    if bpm is not None and not 30 <= bpm <= 300:
        raise UserInputError("Tempo must be between 30 and 300 bpm.")
    x = torch.as_tensor(np.asarray(audio, dtype=np.float32))
    if sr != ANALYSIS_SR:
        x = torchaudio.functional.resample(x, sr, ANALYSIS_SR)
    # a DC offset or sub-audio drift is no pitch: remove it before measuring loudness and pitch
    x = torchaudio.functional.highpass_biquad(x - x.mean(), ANALYSIS_SR, 30.0)
    peak = float(x.abs().max())
    if peak < 1e-3:
        raise UserInputError("The recording is silent: no sound above -60 dB.")
    x = x / peak
    f0, aper = yin(x)
    flux, spec = onset_strength(x)
    n = min(len(f0), spec.shape[1])
    f0, aper, flux, spec = f0[:n], aper[:n], flux[:n], spec[:, :n]
    frames = x.unfold(0, WINDOW, HOP) if len(x) >= WINDOW else x[None]
    rms = torch.nn.functional.pad(frames.pow(2).mean(1).sqrt(), (WINDOW // HOP // 2, n))[:n]
    voiced = (aper < 0.25) & (rms > 0.05 * rms.max()) & (f0 >= FMIN) & (f0 <= FMAX)
    midi = 69 + 12 * torch.log2(f0 / 440.0)
    midi = torch.where(voiced, midi, torch.full_like(midi, float("nan"))).numpy().astype(np.float64)
    midi = _median_smooth(midi)
    times = np.arange(n) * HOP / ANALYSIS_SR
    flux_np = flux.numpy().astype(np.float64)
    onset_frames = pick_peaks(flux_np)
    notes = segment_notes(times, midi, onset_frames, rms.numpy().astype(np.float64))
    notes, dropped = trim_unsure(notes, note_confidence(notes, times, aper.numpy()))
    if not notes:
        raise UserInputError("No clear notes were heard: the recording seems to be noise, speech or "
                             "chords. Play or sing one note at a time.")
    tempo = float(bpm) if bpm else estimate_bpm(flux_np, ANALYSIS_SR / HOP)
    grid = quantise(notes, tempo)
    melody = Melody(notes_to_events(grid), tempo, (4, 4), name, {"source": "audio"})
    spec_db, spec_pitches = _pitch_spectrogram(spec)
    return AudioAnalysis(times, midi, times[onset_frames], spec_db, spec_pitches, notes, tempo,
                         melody, duration, dropped)


def _median_smooth(midi: np.ndarray, k: int = 2) -> np.ndarray:
    """Median over +-k frames, ignoring NaN; unvoiced frames stay NaN."""
    out = midi.copy()
    for i in np.nonzero(~np.isnan(midi))[0]:
        w = midi[max(0, i - k) : i + k + 1]
        out[i] = np.median(w[~np.isnan(w)])
    return out


def _pitch_spectrogram(spec: torch.Tensor, lo: int = 36, hi: int = 96) -> tuple[np.ndarray, np.ndarray]:
    """Resample STFT magnitudes onto a half-semitone pitch axis (lo..hi), in dB."""
    n_freq = spec.shape[0]
    freqs = np.linspace(0, ANALYSIS_SR / 2, n_freq)
    pitches = np.arange(lo, hi + 0.5, 0.5)
    target = 440.0 * 2 ** ((pitches - 69) / 12)
    idx = np.interp(target, freqs, np.arange(n_freq))
    i0 = np.floor(idx).astype(int)
    w = torch.as_tensor(idx - i0, dtype=spec.dtype)[:, None]
    mag = spec[i0] * (1 - w) + spec[np.minimum(i0 + 1, n_freq - 1)] * w
    db = 20 * torch.log10(mag + 1e-6)
    db = db - db.max()
    return db.clamp_min(-80).numpy().astype(np.float32), pitches
