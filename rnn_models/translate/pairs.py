"""A user's sentence-pairs file (two columns, CSV or TSV), checked by content, never by name."""

import csv
import io

from ..errors import UserInputError
from .data import SPLITS, Pair, split_of

MAX_PAIRS_BYTES = 20 * 1024 * 1024  # a larger pairs file is refused
MAX_SENTENCE_CHARS = 1000  # a longer cell is refused (a paste gone wrong, not a sentence)
MIN_PAIRS = 10  # fewer pairs cannot train anything
MAX_PAIRS = 200_000  # rows beyond this are refused


def decode_pairs_bytes(data: bytes, name: str = "the file") -> str:
    """UTF-8 (with or without BOM); one encoding per file: a mix of UTF-8 and Latin-1 lines is refused."""
    if len(data) > MAX_PAIRS_BYTES:
        raise UserInputError(f"{name} is {len(data) / 2**20:.1f} MB; the limit is {MAX_PAIRS_BYTES // 2**20} MB")
    if b"\x00" in data[:4096]:
        raise UserInputError(f"{name} is not a text file (it contains NUL bytes); upload a two-column "
                             "CSV or TSV of sentence pairs saved as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        has_utf8 = any(b >= 0xC2 for b in data[:e.start])
        why = "mixes encodings (UTF-8 and something else)" if has_utf8 else "is not UTF-8"
        raise UserInputError(f"{name} {why}: line {line} has bytes that are not UTF-8; save the whole file "
                             "as UTF-8 and upload it again") from None


def _delimiter(lines: list[str]) -> str:
    sample = [ln for ln in lines[:50] if ln.strip()]
    if sample and all("\t" in ln for ln in sample):
        return "\t"
    if sample and all("," in ln or ";" in ln for ln in sample):
        return "," if sum(ln.count(",") for ln in sample) >= sum(ln.count(";") for ln in sample) else ";"
    raise UserInputError("the file has one column: each line needs a source sentence and its translation, "
                         "separated by a tab (TSV) or a comma (CSV)")


def parse_pairs_text(text: str) -> list[Pair]:
    """Rows of exactly two non-empty cells; a header row (source,target) is skipped."""
    lines = text.splitlines()
    delim = _delimiter(lines)
    rows = list(csv.reader(io.StringIO(text), delimiter=delim))
    pairs, bad = [], []
    for i, row in enumerate(rows, 1):
        if not any(c.strip() for c in row):
            continue
        if len(row) != 2 or not row[0].strip() or not row[1].strip():
            bad.append(i)
            continue
        src, tgt = row[0].strip(), row[1].strip()
        if max(len(src), len(tgt)) > MAX_SENTENCE_CHARS:
            raise UserInputError(f"row {i} has a cell longer than {MAX_SENTENCE_CHARS} characters; "
                                 "one row is one sentence and its translation")
        pairs.append(Pair(src, tgt))
    if bad:
        shown = ", ".join(map(str, bad[:5])) + (" ..." if len(bad) > 5 else "")
        raise UserInputError(f"{len(bad)} row(s) do not have exactly two filled columns (rows {shown}); "
                             "every row needs a source sentence and its translation")
    if pairs and pairs[0].de.lower() in ("source", "german", "de", "src"):
        pairs = pairs[1:]
    if len(pairs) < MIN_PAIRS:
        raise UserInputError(f"the file has {len(pairs)} sentence pairs; at least {MIN_PAIRS} are needed")
    if len(pairs) > MAX_PAIRS:
        raise UserInputError(f"the file has {len(pairs)} sentence pairs; the limit is {MAX_PAIRS}")
    return pairs


def read_pairs(data: bytes, name: str = "the file") -> dict[str, list[Pair]]:
    """Bytes of a pairs file -> train/val/test split by a hash of each source sentence."""
    out: dict[str, list[Pair]] = {s: [] for s in SPLITS}
    for p in parse_pairs_text(decode_pairs_bytes(data, name)):
        out[split_of(p.de)].append(p)
    if not out["train"]:
        out["train"] = out["val"] + out["test"]
    return out
