"""German-English sentence pairs from Debian's trans-de-en (the Ding dictionary), read at run time.

Each line is `German :: English`; ` | ` separates aligned sub-entries, `;` alternatives, ` / `
alternatives of one word; `{n}`, `[geogr.]` and `(...)` are annotations. Whole sentences on both
sides become pairs; a hash of the German sentence puts each one in train, val or test for good.
"""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserInputError

DING_PATH = Path("/usr/share/trans/de-en")  # installed by Debian's trans-de-en package
SPLITS = ("train", "val", "test")
TEST_PERCENT = 5  # share of sentences held out for the fixed test set
VAL_PERCENT = 3  # share held out for validation during training

_ANNOTATION = re.compile(r"\{[^}]*\}|\[[^\]]*\]|\([^)]*\)")  # {n} [geogr.] (away)
_SLASH_ALT = re.compile(r"\s+/\s+[^\s.,;:!?]+")  # "early / betimes" -> "early"
_SENTENCE_END = re.compile(r"[.!?]$")
_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "–": "-"})


@dataclass(frozen=True)
class Pair:
    de: str  # German sentence, cleaned
    en: str  # English sentence, cleaned (first alternative)


def clean(text: str) -> str:
    """Drop annotations and `/` alternatives; keep the first `;` alternative; tidy spaces."""
    text = text.translate(_QUOTES)
    text = text.split(";")[0]
    text = _ANNOTATION.sub(" ", text)
    text = _SLASH_ALT.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    return re.sub(r"\s+([.,!?:])", r"\1", text)


def _is_sentence(text: str) -> bool:
    return bool(text) and text[0].isupper() and bool(_SENTENCE_END.search(text)) and len(text.split()) >= 2


def aligned_entries(line: str) -> list[tuple[str, str]]:
    """One dictionary line's aligned (German, English) sub-entries; none for comments or misaligned lines."""
    if line.startswith("#") or " :: " not in line:
        return []
    de, en = line.split(" :: ", 1)
    des, ens = de.split(" | "), en.split(" | ")
    return list(zip(des, ens, strict=True)) if len(des) == len(ens) else []


def parse_ding_line(line: str) -> list[Pair]:
    """The whole-sentence pairs among one dictionary line's aligned sub-entries."""
    pairs = []
    for d, e in aligned_entries(line):
        d, e = clean(d), clean(e)
        if _is_sentence(d) and _is_sentence(e):
            pairs.append(Pair(d, e))
    return pairs


def word_pairs_from_line(line: str) -> list[tuple[str, str]]:
    """Aligned single words/short phrases (not sentences) with every `;` alternative, for the dictionary."""
    out = []
    for d, e in aligned_entries(line):
        d_alts = [clean(a) for a in d.split(";")]
        e_alts = [clean(a) for a in e.split(";")]
        e_alts = [a for a in e_alts if a and not _SENTENCE_END.search(a)]
        for da in d_alts:
            if da and not _SENTENCE_END.search(da) and len(da.split()) <= 3:
                out.extend((da, ea) for ea in e_alts[:3])
    return out


def read_ding_lines(path: Path = DING_PATH) -> list[str]:
    """The dictionary's lines; a clear message when the Debian package is missing."""
    if not path.is_file():
        raise UserInputError(f"{path} not found: install Debian's trans-de-en package "
                             "(scripts/setup_data.sh), or train on your own pairs file")
    return path.read_text(encoding="utf-8").splitlines()


def split_of(de: str) -> str:
    """A sentence's split, fixed forever by a hash of its German side."""
    bucket = int(hashlib.md5(de.lower().encode("utf-8")).hexdigest()[:8], 16) % 100
    if bucket < TEST_PERCENT:
        return "test"
    return "val" if bucket < TEST_PERCENT + VAL_PERCENT else "train"


def load_pairs(path: Path = DING_PATH) -> dict[str, list[Pair]]:
    """All sentence pairs, deduplicated by German sentence, split into train/val/test."""
    seen: set[str] = set()
    out: dict[str, list[Pair]] = {s: [] for s in SPLITS}
    for line in read_ding_lines(path):
        for p in parse_ding_line(line):
            key = p.de.lower()
            if key in seen:
                continue
            seen.add(key)
            out[split_of(p.de)].append(p)
    return out


def dictionary_pairs(path: Path = DING_PATH, max_words: int = 4) -> list[Pair]:
    """Word and short-phrase pairs (first-listed senses) from dictionary lines whose sentences are all in
    train: a line holding a val or test sentence gives nothing, so the held-out set stays unseen."""
    out, seen = [], set()
    for line in read_ding_lines(path):
        if any(split_of(p.de) != "train" for p in parse_ding_line(line)):
            continue
        for de, en in word_pairs_from_line(line):
            en = en[3:] if en.startswith("to ") else en  # "to bite" -> "bite", as sentences use verbs
            key = (de.lower(), en.lower())
            if key not in seen and len(en.split()) <= max_words:
                seen.add(key)
                out.append(Pair(de, en))
    return out


def date_pairs(limit: int = 3000, locales: tuple[str, str] = ("en", "de")) -> dict[str, list[Pair]]:
    """Fallback/warm-up: a date written out in one locale -> the same date in another (babel), split by hash.

    "Wednesday, March 3, 2021" -> "Mittwoch, 3. März 2021": the day moves in front of the month.
    """
    import datetime

    from babel.dates import format_date

    out: dict[str, list[Pair]] = {s: [] for s in SPLITS}
    start = datetime.date(1900, 1, 1)
    for i in range(limit):
        day = start + datetime.timedelta(days=(i * 7919) % 73000)  # spread over 200 years, no repeats
        src = format_date(day, "full", locale=locales[0])
        out[split_of(src)].append(Pair(src, format_date(day, "full", locale=locales[1])))
    return out


def number_pairs(limit: int = 3000) -> dict[str, list[Pair]]:
    """Fallback where trans-de-en is missing: English number words -> German (num2words), split by hash."""
    from num2words import num2words

    out: dict[str, list[Pair]] = {s: [] for s in SPLITS}
    for n in range(limit):
        en = num2words(n, lang="en")
        out[split_of(en)].append(Pair(en, num2words(n, lang="de")))
    return out


CORPORA = {  # name -> pairs split into train/val/test
    "ding": load_pairs,  # German -> English sentences (Debian trans-de-en)
    "numbers": number_pairs,  # English number words -> German (num2words): fallback and warm-up
    "dates": date_pairs,  # English dates -> German dates (babel): fallback and warm-up
}


def corpus(name: str = "ding") -> dict[str, list[Pair]]:
    """A built-in corpus by name (see CORPORA)."""
    if name not in CORPORA:
        raise ValueError(f"unknown corpus {name!r}; valid: {', '.join(CORPORA)}")
    return CORPORA[name]()
