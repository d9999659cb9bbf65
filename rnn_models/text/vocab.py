"""Character vocabulary: a list of single characters whose index is the token id."""

from collections import Counter

import torch

from ..errors import UserInputError

UNKNOWN_MODES = ("replace", "drop", "error")


def build_vocab(text: str, min_count: int = 1) -> list[str]:
    """Sorted distinct characters of `text` seen at least `min_count` times."""
    counts = Counter(text)
    vocab = sorted(ch for ch, n in counts.items() if n >= min_count)
    if len(vocab) < 2:
        raise UserInputError(f"the text needs at least 2 distinct characters to learn from; it has "
                             f"{len(vocab)}")
    return vocab


def check_vocab(vocab) -> list[str]:
    """Validate a vocabulary read from a checkpoint: a list of distinct single characters."""
    if not isinstance(vocab, list) or len(vocab) < 2:
        raise UserInputError("the checkpoint's vocab must be a list of at least 2 characters")
    if not all(isinstance(ch, str) and len(ch) == 1 for ch in vocab):
        raise UserInputError("the checkpoint's vocab must hold single characters only")
    if len(set(vocab)) != len(vocab):
        raise UserInputError("the checkpoint's vocab repeats a character")
    return vocab


def fallback_char(vocab: list[str]) -> str:
    """The character an unknown one becomes: a space if the model knows it, else its first."""
    for ch in (" ", "?", "\n"):
        if ch in vocab:
            return ch
    return vocab[0]


def unknown_chars(text: str, vocab: list[str]) -> list[str]:
    """Distinct characters of `text` outside the vocabulary, most frequent first."""
    known = set(vocab)
    return [ch for ch, _ in Counter(ch for ch in text if ch not in known).most_common()]


def map_unknown(text: str, vocab: list[str], unknown: str = "replace") -> str:
    """Make every character of `text` one the vocabulary has (see encode for the modes)."""
    if unknown not in UNKNOWN_MODES:
        raise ValueError(f"unknown mode {unknown!r}; valid: {', '.join(UNKNOWN_MODES)}")
    known = set(vocab)
    if all(ch in known for ch in text):
        return text
    if unknown == "error":
        bad = "".join(unknown_chars(text, vocab)[:10])
        raise UserInputError(f"the model does not know these characters: {bad!r}")
    if unknown == "drop":
        return "".join(ch for ch in text if ch in known)
    from .corpus import to_ascii

    fb = fallback_char(vocab)
    out = []
    for ch in text:
        if ch in known:
            out.append(ch)
            continue
        alt = to_ascii(ch)  # curly quote -> ', e acute -> e, ...
        out.append(alt if alt and all(c in known for c in alt) else fb)
    return "".join(out)


def encode(text: str, vocab: list[str], unknown: str = "replace") -> torch.Tensor:
    """Text -> LongTensor (len,) of token ids. Unknown characters are replaced by an ASCII look-alike
    or the fallback character ("replace"), left out ("drop"), or refused ("error")."""
    text = map_unknown(text, vocab, unknown)
    index = {ch: i for i, ch in enumerate(vocab)}
    return torch.tensor([index[ch] for ch in text], dtype=torch.long)


def decode(ids, vocab: list[str]) -> str:
    """Token ids (tensor or iterable of ints) -> text."""
    if isinstance(ids, torch.Tensor):
        ids = ids.reshape(-1).tolist()
    return "".join(vocab[int(i)] for i in ids)
