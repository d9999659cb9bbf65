import io

import numpy as np
import pytest
import soundfile as sf

from rnn_models.classify.features import N_MELS, clip_features
from rnn_models.errors import UserInputError


def _wav(seconds=1.0, sr=16000, amp=0.3, fmt="WAV"):
    t = np.arange(int(seconds * sr)) / sr
    buf = io.BytesIO()
    sf.write(buf, (amp * np.sin(2 * np.pi * 220 * t)).astype(np.float32), sr, format=fmt)
    return buf.getvalue()


def test_log_mel_frames_fifty_a_second():
    feats, seconds = clip_features(_wav(2.0, 44100), "tone.wav")
    assert feats.shape[1] == N_MELS and abs(feats.shape[0] - 101) <= 1 and abs(seconds - 2.0) < 1e-6
    renamed, _ = clip_features(_wav(2.0, 44100), "tone.dat")  # the content decides, not the name
    np.testing.assert_allclose(renamed, feats)


@pytest.mark.parametrize("data,message", [
    (_wav(1.0, amp=0.0), "The clip is silent"),
    (_wav(0.2), "it needs at least 0.3 s"),
    (_wav(61, sr=8000), "limit is 60 s"),
    (_wav(1.0, sr=2000), "sample rate is 2000 Hz"),
    (b"RIFF\x00\x00garbage" * 10, "could not be decoded as audio"),
    (b"", "empty"),
])
def test_bad_clips_are_refused_with_the_fix(data, message):
    with pytest.raises(UserInputError, match=message):
        clip_features(data, "clip.wav")
