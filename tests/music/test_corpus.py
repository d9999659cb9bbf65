import numpy as np
import torch

from rnn_models.music.corpus import IGNORE, WindowSampler, load_corpus
from rnn_models.music.encoding import NOTE_OFFSET, VOCAB_SIZE


def test_corpus_arrays_and_split_by_piece():
    c = load_corpus()
    assert len(c) > 1000 and c.offsets[-1] == len(c.events)
    assert set(np.unique(c.sources)) == {"essen", "chorale"}
    assert c.events.max() < VOCAB_SIZE
    names = {s: set(c.names[c.indices(s)]) for s in ("train", "val", "test")}
    assert not names["train"] & names["test"] and not names["train"] & names["val"]
    assert 0.03 < len(c.indices("test")) / len(c) < 0.08
    assert c.piece(0)[0] >= NOTE_OFFSET or c.piece(0)[0] in (0, 1)


def test_window_sampler_transposes_and_pads():
    a = np.array([2 + 24, 1, 2 + 26, 1, 0, 2 + 28] * 3, dtype=np.uint8)
    s = WindowSampler([a], [a[:5]], seq_len=32, batch_size=4, transpose=3)
    x, y = s("train", torch.Generator().manual_seed(0))
    assert x.shape == (4, 32) and (y[:, len(a) - 1 :] == IGNORE).all()
    shifts = {int(x[b, 0]) - (2 + 24) for b in range(4)}
    assert shifts <= set(range(-3, 4))
    xv, yv = s("val", torch.Generator().manual_seed(0))
    assert (xv[:, :4] == torch.as_tensor(a[:4].astype(np.int64))).all()  # no transposition in val
