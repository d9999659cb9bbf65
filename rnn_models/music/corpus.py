"""The preprocessed melody corpus (assets/music/melodies.npz) and batches cut from it."""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from rnn_models.music.encoding import REST, Melody, transpose_range

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "assets" / "music" / "melodies.npz"
SPLITS = {"train": 0, "val": 1, "test": 2}
IGNORE = -100  # target id that the loss skips (padding)


@dataclass(frozen=True)
class Corpus:
    """Melodies as one token array cut by offsets, with names, sources, time signatures and splits."""

    events: np.ndarray  # (total_steps,) uint8
    offsets: np.ndarray  # (pieces+1,) int64
    names: np.ndarray  # (pieces,) str
    sources: np.ndarray  # (pieces,) "essen" | "chorale"
    time_signatures: np.ndarray  # (pieces, 2) int16
    splits: np.ndarray  # (pieces,) int8: 0 train, 1 val, 2 test

    def __len__(self) -> int:
        return len(self.names)

    def piece(self, i: int) -> np.ndarray:
        return self.events[self.offsets[i] : self.offsets[i + 1]]

    def indices(self, split: str, source: str | None = None) -> np.ndarray:
        keep = self.splits == SPLITS[split]
        if source is not None:
            keep &= self.sources == source
        return np.nonzero(keep)[0]

    def sequences(self, split: str, source: str | None = None) -> list[np.ndarray]:
        return [self.piece(i) for i in self.indices(split, source)]

    def melody(self, i: int) -> Melody:
        num, den = (int(v) for v in self.time_signatures[i])
        tempo = 80.0 if self.sources[i] == "chorale" else 110.0
        return Melody(self.piece(i).copy(), tempo, (num, den), str(self.names[i]),
                      {"source": str(self.sources[i])})


def load_corpus(path: str | Path = DEFAULT_CORPUS) -> Corpus:
    """Read the compact arrays written by scripts/prepare_music.py (no pickle)."""
    with np.load(path, allow_pickle=False) as z:
        return Corpus(z["events"], z["offsets"], z["names"], z["sources"], z["time_signatures"],
                      z["splits"])


class WindowSampler:
    """Random training windows from whole pieces, each shifted by a random in-range transposition."""

    def __init__(self, train: list[np.ndarray], val: list[np.ndarray], seq_len: int, batch_size: int,
                 transpose: int = 6):
        self.data = {"train": [np.asarray(s) for s in train if len(s) >= 2],
                     "val": [np.asarray(s) for s in val if len(s) >= 2]}
        if not self.data["train"]:
            raise ValueError("no training melody has two or more steps")
        if not self.data["val"]:
            self.data["val"] = self.data["train"]
        self.seq_len, self.batch_size, self.transpose = seq_len, batch_size, transpose
        self.weights = {k: _length_weights(v) for k, v in self.data.items()}

    def __call__(self, split: str, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """(x, y) LongTensors (batch, seq_len); padding in y is IGNORE."""
        seqs, w = self.data[split], self.weights[split]
        L = self.seq_len
        x = np.full((self.batch_size, L), REST, dtype=np.int64)
        y = np.full((self.batch_size, L), IGNORE, dtype=np.int64)
        picks = torch.multinomial(w, self.batch_size, replacement=True, generator=gen).tolist()
        for b, i in enumerate(picks):
            seq = seqs[i]
            start = int(torch.randint(0, max(1, len(seq) - L - 1) + 1, (1,), generator=gen)) \
                if len(seq) > L + 1 else 0
            chunk = seq[start : start + L + 1].astype(np.int64)
            if split == "train" and self.transpose:
                lo, hi = transpose_range(chunk)
                lo, hi = max(lo, -self.transpose), min(hi, self.transpose)
                if hi >= lo:
                    shift = int(torch.randint(lo, hi + 1, (1,), generator=gen))
                    chunk = np.where(chunk >= 2, chunk + shift, chunk)
            n = len(chunk) - 1
            x[b, :n] = chunk[:-1]
            y[b, :n] = chunk[1:]
        return torch.from_numpy(x), torch.from_numpy(y)


def _length_weights(seqs: list[np.ndarray]) -> torch.Tensor:
    """Pick pieces in proportion to their length, so every step is about equally likely."""
    return torch.tensor([float(len(s)) for s in seqs])
