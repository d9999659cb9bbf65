"""Word tokens and vocabularies: lowercase words and punctuation, the rarest words become <unk>."""

import re
from collections import Counter
from dataclasses import dataclass

PAD, UNK, BOS, EOS = "<pad>", "<unk>", "<s>", "</s>"
SPECIALS = (PAD, UNK, BOS, EOS)  # ids 0..3 in every vocabulary
PAD_ID, UNK_ID, BOS_ID, EOS_ID = range(4)
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+(?:'\w+)?|[^\w\s]", re.UNICODE)


def tokenize(text: str) -> list[str]:
    """'Ich bin müde.' -> ['ich', 'bin', 'müde', '.']."""
    return _TOKEN.findall(text.lower().replace("’", "'"))


def detokenize(tokens: list[str]) -> str:
    """Words back to a sentence: no space before punctuation, first letter capitalised."""
    out = ""
    for t in tokens:
        if out and not (re.fullmatch(r"[.,!?;:)]", t) or t.startswith("'")) and not out.endswith(("(", "-")):
            out += " "
        out += t
    return out[:1].upper() + out[1:]


@dataclass(frozen=True)
class Vocab:
    """Token <-> id; ids 0..3 are <pad> <unk> <s> </s>."""

    tokens: tuple[str, ...]  # id -> token

    def __post_init__(self):
        object.__setattr__(self, "_index", {t: i for i, t in enumerate(self.tokens)})

    def __len__(self) -> int:
        return len(self.tokens)

    def encode(self, tokens: list[str]) -> list[int]:
        return [self._index.get(t, UNK_ID) for t in tokens]

    def decode(self, ids: list[int]) -> list[str]:
        return [self.tokens[i] if 0 <= i < len(self.tokens) else UNK for i in ids]

    def known(self, token: str) -> bool:
        return token in self._index and self._index[token] >= len(SPECIALS)

    @classmethod
    def build(cls, sentences: list[list[str]], max_size: int, min_count: int = 1) -> "Vocab":
        """The max_size most frequent tokens (ties broken alphabetically, so the same data gives the same ids)."""
        counts = Counter(t for s in sentences for t in s)
        ranked = sorted((t for t, c in counts.items() if c >= min_count), key=lambda t: (-counts[t], t))
        return cls(SPECIALS + tuple(ranked[:max(0, max_size - len(SPECIALS))]))

    @classmethod
    def from_list(cls, tokens) -> "Vocab":
        """From a checkpoint's JSON list; refuses anything that is not a list of strings starting with the specials."""
        if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens) \
                or tuple(tokens[:4]) != SPECIALS or len(set(tokens)) != len(tokens):
            raise ValueError("a translation vocabulary must be a list of distinct strings starting with "
                             + " ".join(SPECIALS))
        return cls(tuple(tokens))
