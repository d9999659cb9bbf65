"""The layout and the cells of a text table: separator, header line, numbers in any local style, missing markers."""

import csv
import re

import numpy as np
import pandas as pd

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "`,`", ";": "`;`", "\t": "tab", "|": "`|`"}
MISSING_TOKENS = {"", ".", "..", "na", "n/a", "n.a.", "nan", "null", "none", "-", "--", "—", "#n/a", "#nv", "?",
                  "k.a.", "#value!", "#div/0!"}
_MINUS = "[\u2212\u2012\u2013\ufe63\uff0d]"  # minus sign, figure and en dash, small and full-width hyphen-minus
_US = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?$")
_EU = re.compile(r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)?(?:,\d+)?$")


def _counts(lines: list[str], delim: str) -> list[int]:
    try:
        return [len(row) for row in csv.reader(lines, delimiter=delim)]
    except csv.Error:
        return [1] * len(lines)


def sniff_delimiter(lines: list[str]) -> str:
    """The separator giving the most fields on a consistent count over the last part of the sample
    (preamble lines above the header do not count); on a tie, the one that also splits the first lines (the header)
    that way: in `Quartal;Wert` over `1959Q1;1707,4` both `;` and a decimal comma give two fields per data row."""
    sample = lines[-200:] if len(lines) > 200 else lines
    best, best_score = ",", (False, 0, 0.0, 0.0)
    for delim in DELIMITERS:
        counts = _counts(sample, delim)
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        share = counts.count(mode) / len(counts)
        head = _counts(lines[:5], delim)
        score = (share >= 0.8, mode, share, head.count(mode) / len(head))
        if score > best_score:
            best, best_score = delim, score
    return best


def header_line(lines: list[str], delim: str) -> int:
    """Index of the header: the first line with the table's usual field count whose following lines mostly
    have it too and that names more than its first field (title and source lines that statistics offices put
    above a table are skipped, also when a spreadsheet padded them with separators to the table's width)."""
    counts = _counts(lines, delim)
    body = counts[len(counts) // 2:] or counts
    mode = max(set(body), key=body.count)
    for i, c in enumerate(counts[:50]):
        rest = counts[i:]
        if c == mode and rest.count(mode) >= 0.8 * len(rest) and all(n == mode for n in counts[i + 1:i + 6]) \
                and not (mode > 1 and _padded(lines[i], delim)):
            return i  # a title line with a comma in it is not followed by rows of the table's width
    return 0


def _padded(line: str, delim: str) -> bool:
    """A line with text in its first field only ('Title;;', as spreadsheets save a title above a table)."""
    try:
        fields = next(csv.reader([line], delimiter=delim))
    except (csv.Error, StopIteration):
        return False
    return bool(fields) and not any(f.strip() for f in fields[1:])


def parse_numeric(col: pd.Series, decimal: str) -> tuple[np.ndarray, str | None, int] | None:
    """(values, style, unreadable cells) from text cells, or None when under 90% of the filled cells are numbers.
    Negatives may be written -1.5, with a Unicode minus (−1.5) or as accountants do, in parentheses: (1.5).

    decimal: "auto" picks per column between 1,234.5 and 1.234,5 (a tie goes to ',' after ';'
    separators: pass "auto;"), "." or "," forces one style.
    """
    cells = col.astype(str).str.strip().str.strip('"').str.replace(r"[$€£¥%\s\u00a0'’]", "", regex=True)
    cells = cells.str.replace(_MINUS, "-", regex=True).str.replace(r"^\((.+)\)$", r"-\1", regex=True)  # (1.5): -1.5
    missing = cells.str.lower().isin(MISSING_TOKENS)
    filled = cells[~missing]
    if len(filled) == 0:
        return np.full(len(col), np.nan), None, 0  # every cell missing: reported by the caller
    us, eu = filled.str.match(_US), filled.str.match(_EU)
    if decimal in (".", ","):
        use_eu = decimal == ","
    else:
        n_us, n_eu = int(us.sum()), int(eu.sum())
        use_eu = n_eu > n_us or (n_eu == n_us and decimal == "auto;")
    ok = eu if use_eu else us
    if ok.sum() < 0.9 * len(filled) or not filled[ok].str.contains(r"\d").all():
        return None
    good = filled[ok]
    if use_eu:
        converted = good.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        style = "decimal comma" if good.str.contains(",").any() else (
            "thousands separators" if good.str.contains(".", regex=False).any() else None)
    else:
        converted = good.str.replace(",", "", regex=False)
        style = "thousands separators" if good.str.contains(",").any() else None
    values = np.full(len(col), np.nan)
    positions = np.flatnonzero(~missing.to_numpy())[ok.to_numpy()]
    values[positions] = converted.astype(float).to_numpy()
    return values, style, int(len(filled) - ok.sum())
