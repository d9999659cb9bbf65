"""Continue a melody with any next-event model: the shared sampler, a seed, variations and an optional key."""

from dataclasses import dataclass

import numpy as np
import torch

from rnn_models.errors import UserInputError
from rnn_models.music.encoding import HOLD, MIN_PITCH, NOTE_NAMES, NOTE_OFFSET, REST, VOCAB_SIZE
from rnn_models.sampling import SamplingSettings, sample
from rnn_models.stepper import Stepper
from rnn_models.training import model_device

SCALES = {  # semitones above the tonic
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10, 11),  # natural minor plus the leading tone
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "pentatonic": (0, 2, 4, 7, 9),
}
# Krumhansl-Kessler key profiles (major, minor), tonic first
_KK_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
_KK_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


@dataclass(frozen=True)
class Key:
    """A tonic pitch class (0 = C) and a scale name from SCALES."""

    tonic: int
    scale: str

    @property
    def name(self) -> str:
        return f"{NOTE_NAMES[self.tonic]} {self.scale}"

    def pitch_classes(self) -> set[int]:
        return {(self.tonic + s) % 12 for s in SCALES[self.scale]}


@dataclass
class Continuation:
    """One sampled continuation: its events and the probability the model gave each chosen event."""

    events: np.ndarray  # (steps,) uint8
    probs: np.ndarray  # (steps,) float32


def parse_key(text: str) -> Key | None:
    """'none' -> None; 'D minor', 'F# major', 'Bb dorian' -> Key."""
    t = text.strip()
    if t.lower() in ("", "none", "off"):
        return None
    parts = t.split()
    if len(parts) != 2 or parts[1].lower() not in SCALES:
        raise UserInputError(f"Key {text!r} not understood; write e.g. 'D minor' with a scale from "
                             f"{', '.join(SCALES)}, or 'none'.")
    name = parts[0][0].upper() + parts[0][1:]
    flats = {"Db": "C#", "Eb": "D#", "Gb": "F#", "Ab": "G#", "Bb": "A#", "Cb": "B", "Fb": "E"}
    name = flats.get(name, name)
    if name not in NOTE_NAMES:
        raise UserInputError(f"Unknown tonic {parts[0]!r}; use C, C#, Db, D, ... B.")
    return Key(NOTE_NAMES.index(name), parts[1].lower())


def detect_key(events: np.ndarray) -> Key:
    """Krumhansl-Schmuckler: correlate the duration-weighted pitch-class histogram with 24 key profiles."""
    hist = np.zeros(12)
    current = None
    for tok in np.asarray(events).tolist():
        if tok >= NOTE_OFFSET:
            current = (tok - NOTE_OFFSET + MIN_PITCH) % 12
        elif tok == REST:
            current = None
        if current is not None:
            hist[current] += 1
    if hist.sum() == 0:
        return Key(0, "major")
    best, best_r = Key(0, "major"), -2.0
    for tonic in range(12):
        for scale, prof in (("major", _KK_MAJOR), ("minor", _KK_MINOR)):
            r = np.corrcoef(hist, np.roll(prof, tonic))[0, 1]
            if r > best_r:
                best, best_r = Key(tonic, scale), r
    return best


def allowed_mask(key: Key | None) -> torch.Tensor:
    """(V,) bool: which events may be sampled under the key constraint."""
    mask = torch.ones(VOCAB_SIZE, dtype=torch.bool)
    if key is not None:
        pcs = key.pitch_classes()
        for tok in range(NOTE_OFFSET, VOCAB_SIZE):
            mask[tok] = (tok - NOTE_OFFSET + MIN_PITCH) % 12 in pcs
    return mask


def continue_melody(model, primer: np.ndarray, steps: int, sampling: SamplingSettings = SamplingSettings(),
                    seed: int = 0, variations: int = 1, key: Key | None = None) -> list[Continuation]:
    """Sample `variations` continuations of `steps` events after the primer; same seed, same result."""
    # One token at a time is hundreds of tiny ops: extra intra-op threads only add synchronisation
    # (3-5x slower on a busy 2-core machine), so the loop runs single-threaded.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return _continue(model, primer, steps, sampling, seed, variations, key)
    finally:
        torch.set_num_threads(threads)


@torch.no_grad()
def _continue(model, primer, steps, sampling: SamplingSettings, seed, variations, key) -> list[Continuation]:
    if not 1 <= variations <= 8:
        raise UserInputError("Variations must be between 1 and 8.")
    if not sampling.greedy and not 0.05 <= sampling.temperature <= 5.0:
        raise UserInputError("Temperature must be between 0.05 and 5.")
    if not 1 <= steps <= 4096:
        raise UserInputError("The continuation must be 1-4096 sixteenth-note steps long.")
    model.eval()
    gen = torch.Generator().manual_seed(int(seed))
    primer = np.asarray(primer, dtype=np.int64)
    if primer.size == 0:
        primer = np.array([REST])
    dev = model_device(model)
    x = torch.as_tensor(primer)[None].to(dev)  # (1, T)
    logits, state = model(x)
    last = logits[:, -1].float().expand(variations, -1)  # (B, V)
    h = state.h.expand(-1, variations, -1).contiguous()
    c = None if state.c is None else state.c.expand(-1, variations, -1).contiguous()
    state = type(state)(h, c)
    key_mask = allowed_mask(key).to(dev)
    stepper = Stepper(model)
    prev = torch.full((variations,), int(primer[-1]), device=dev)
    out = torch.zeros(variations, steps, dtype=torch.long, device=dev)
    probs = torch.zeros(variations, steps, device=dev)
    for t in range(steps):
        mask = key_mask.expand(variations, -1).clone()  # (B, V)
        mask[:, HOLD] &= prev != REST  # a hold needs a sounding note
        tok, p = sample(last, sampling, gen, mask)  # (B,), (B,)
        out[:, t] = tok
        probs[:, t] = p
        prev = tok
        logits, state = stepper.step(tok, state)  # (B, V): the scripted one-token step text uses too
        last = logits.float()
    out, probs = out.cpu(), probs.cpu()
    return [Continuation(out[b].numpy().astype(np.uint8), probs[b].numpy().astype(np.float32))
            for b in range(variations)]
