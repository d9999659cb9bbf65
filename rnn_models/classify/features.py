"""Audio -> log-mel frames (torchaudio): the sequence the voice classifier reads, 50 frames a second.

Audio is read by rnn_models.music.audio_in.read_audio (soundfile, content-checked); here the
classifier's own checks are added: too short, silent, odd sample rates.
"""

from dataclasses import dataclass

import numpy as np
import torch
import torchaudio

from rnn_models.errors import UserInputError
from rnn_models.music.audio_in import MAX_SECONDS, read_audio

SAMPLE_RATE = 16000
N_FFT = 512  # 32 ms window
HOP = 320  # 20 ms between frames
N_MELS = 40
MIN_SECONDS = 0.3
MIN_RATE, MAX_RATE = 4000, 192000  # sample rates outside this are refused, the rest resampled
SILENCE_PEAK = 1e-3  # a clip whose loudest sample is below this (-60 dB) is silent


@dataclass(frozen=True)
class FeatureConfig:
    sample_rate: int = SAMPLE_RATE  # audio is resampled to this
    n_mels: int = N_MELS  # mel bands per frame (the features per step)
    hop: int = HOP  # samples between frames
    n_fft: int = N_FFT  # analysis window in samples


def check_clip(audio: np.ndarray, sr: int) -> None:
    """Refuse clips a classifier cannot use; the message says how to fix it."""
    if not MIN_RATE <= sr <= MAX_RATE:
        raise UserInputError(f"The clip's sample rate is {sr} Hz; use audio between {MIN_RATE} and "
                             f"{MAX_RATE} Hz (e.g. 16000, 44100 or 48000).")
    seconds = len(audio) / sr
    if seconds < MIN_SECONDS:
        raise UserInputError(f"The clip is {seconds:.2f} s long; it needs at least {MIN_SECONDS} s. "
                             "Record a little longer.")
    if seconds > MAX_SECONDS:
        raise UserInputError(f"The clip is {seconds:.0f} s long; the limit is {MAX_SECONDS:.0f} s. Trim it.")
    if not np.isfinite(audio).all():
        raise UserInputError("The clip holds invalid samples (NaN or infinity); re-export it.")
    if float(np.abs(audio).max()) < SILENCE_PEAK:
        raise UserInputError("The clip is silent (nothing above -60 dB). Check the microphone and record again.")


def log_mel(audio: np.ndarray, sr: int, config: FeatureConfig = FeatureConfig()) -> np.ndarray:
    """Mono samples -> (frames, n_mels) float32 log-mel energies, after the checks of check_clip."""
    check_clip(audio, sr)
    x = torch.as_tensor(np.ascontiguousarray(audio, dtype=np.float32))
    if sr != config.sample_rate:
        x = torchaudio.functional.resample(x, sr, config.sample_rate)
    x = x / x.abs().max().clamp_min(1e-6)  # loudness is not the speaker: peak-normalise
    mel = _mel(config)(x)  # (n_mels, frames)
    return torch.log(mel + 1e-6).T.contiguous().numpy().astype(np.float32)


def _mel(config: FeatureConfig) -> torchaudio.transforms.MelSpectrogram:
    return torchaudio.transforms.MelSpectrogram(sample_rate=config.sample_rate, n_fft=config.n_fft,
                                                hop_length=config.hop, n_mels=config.n_mels, power=2.0)


def clip_features(data: bytes, filename: str = "clip.wav",
                  config: FeatureConfig = FeatureConfig()) -> tuple[np.ndarray, float]:
    """Bytes of an audio file -> ((frames, n_mels) log-mel, duration in seconds)."""
    audio, sr = read_audio(data, filename)
    return log_mel(audio, sr, config), len(audio) / sr


def frame_seconds(config: FeatureConfig = FeatureConfig()) -> float:
    return config.hop / config.sample_rate
