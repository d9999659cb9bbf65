"""Training/validation/test melodies for a model: the built-in corpus or a set of uploaded MIDI files."""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rnn_models.errors import UserInputError
from rnn_models.music.baselines import MarkovChain, RepeatBaseline
from rnn_models.music.corpus import DEFAULT_CORPUS, load_corpus
from rnn_models.music.encoding import transpose_events

MAX_FILES = 64


@dataclass
class TrainingData:
    train: list[np.ndarray]
    val: list[np.ndarray]
    test: list[np.ndarray]
    description: str
    _fitted: dict = field(default_factory=dict, repr=False)

    def markov(self, order: int = 3, augment: bool = False) -> MarkovChain:
        """A Markov chain on the training melodies (augment: also on their transpositions)."""
        key = ("markov", order, augment)
        if key not in self._fitted:
            seqs = augmented(self.train) if augment else self.train
            self._fitted[key] = MarkovChain.fit(seqs, order)
        return self._fitted[key]

    def repeat(self) -> RepeatBaseline:
        if "repeat" not in self._fitted:
            self._fitted["repeat"] = RepeatBaseline.fit(self.train)
        return self._fitted["repeat"]


def augmented(seqs: list[np.ndarray], max_shift: int = 6) -> list[np.ndarray]:
    """Every melody in every in-range transposition of -max_shift..+max_shift semitones."""
    out = []
    for s in seqs:
        for shift in range(-max_shift, max_shift + 1):
            t = transpose_events(s, shift)
            if t is not None:
                out.append(t)
    return out


_CORPUS_CACHE: dict = {}


def corpus_data(path: str | Path = DEFAULT_CORPUS) -> TrainingData:
    """The corpus's fixed split by piece (cached per process)."""
    key = str(path)
    if key not in _CORPUS_CACHE:
        c = load_corpus(path)
        n = {s: len(c.indices(s)) for s in ("train", "val", "test")}
        n_essen, n_bach = int((c.sources == "essen").sum()), int((c.sources == "chorale").sum())
        desc = (f"music21 corpus: {n_essen} Essen folk songs + {n_bach} Bach chorale sopranos "
                f"({len(c)} melodies), split by piece {n['train']}/{n['val']}/{n['test']} "
                f"(train/val/test), {Path(path).name}")
        _CORPUS_CACHE[key] = TrainingData(c.sequences("train"), c.sequences("val"),
                                          c.sequences("test"), desc)
    return _CORPUS_CACHE[key]


def midi_data(files: list[tuple[str, bytes]], track: int | None = None) -> TrainingData:
    """Melodies from uploaded MIDI files; about one file in ten is held out (at least one of two+)."""
    from rnn_models.music.midi_io import melody_from_midi, read_midi

    if not files:
        raise UserInputError("Give at least one MIDI file to train on.")
    if len(files) > MAX_FILES:
        raise UserInputError(f"At most {MAX_FILES} MIDI files at once.")
    seqs = []
    for name, data in files:
        try:
            seqs.append(melody_from_midi(read_midi(data), track, name).events)
        except UserInputError as e:
            raise UserInputError(f"{name}: {e}") from None
    if sum(len(s) for s in seqs) < 32:
        raise UserInputError("These files hold fewer than 32 sixteenth notes of melody: too little to learn from.")
    n_held = max(1, len(seqs) // 10) if len(seqs) >= 2 else 0
    train, held = seqs[: len(seqs) - n_held], seqs[len(seqs) - n_held :]
    if not held:  # one file: hold out its last fifth
        s = seqs[0]
        cut = int(len(s) * 0.8)
        train, held = [s[:cut]], [s[cut:]]
    names = ", ".join(n for n, _ in files[:5]) + (" ..." if len(files) > 5 else "")
    desc = f"{len(files)} MIDI file(s): {names}; {len(held)} held out"
    return TrainingData(train, held, held, desc)
