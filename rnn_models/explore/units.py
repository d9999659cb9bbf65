"""Find hidden units that track a property of the text (inside quotes, brackets, line position, ...)."""

import re

import numpy as np

from rnn_models.errors import UserInputError

PROPERTIES = ("inside quotes", "inside brackets", "position in line", "vowel", "capital letter", "regex")
OPENERS, CLOSERS = "([{", ")]}"
MAX_PATTERN = 100
# (…+)+ style nesting can take exponential time in Python's re; we refuse it rather than hang the server
_NESTED = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]")


def inside_quotes(text: str, quote: str = '"') -> np.ndarray:
    """1 after an opening quote has been read, until (and not including) the closing one."""
    out, inside = np.zeros(len(text)), False
    for i, ch in enumerate(text):
        if ch == quote:
            inside = not inside
        out[i] = inside
    return out


def inside_brackets(text: str) -> np.ndarray:
    """1 while at least one ( [ or { is open (after reading the character)."""
    out, depth = np.zeros(len(text)), 0
    for i, ch in enumerate(text):
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            depth = max(0, depth - 1)
        out[i] = depth > 0
    return out


def position_in_line(text: str) -> np.ndarray:
    """Characters since the last newline (the newline itself is 0)."""
    out, pos = np.zeros(len(text)), 0
    for i, ch in enumerate(text):
        pos = 0 if ch == "\n" else pos + 1
        out[i] = pos
    return out


def regex_mask(text: str, pattern: str) -> np.ndarray:
    """1 on every character covered by a match of `pattern`."""
    if not pattern:
        raise UserInputError("type a regular expression, e.g. [aeiou]+ or \\bthe\\b")
    if len(pattern) > MAX_PATTERN:
        raise UserInputError(f"the regular expression is longer than {MAX_PATTERN} characters")
    if _NESTED.search(pattern):
        raise UserInputError("nested repetition such as (a+)+ can take forever to match; "
                             "rewrite it without repeating a repeated group")
    try:
        rx = re.compile(pattern)
    except re.error as e:
        raise UserInputError(f"that is not a valid regular expression: {e}") from None
    out = np.zeros(len(text))
    for m in rx.finditer(text):
        out[m.start():m.end()] = 1
    return out


def property_values(text: str, name: str, pattern: str = "") -> np.ndarray:
    """The property's value at each character, (T,) floats."""
    if name == "inside quotes":
        return inside_quotes(text)
    if name == "inside brackets":
        return inside_brackets(text)
    if name == "position in line":
        return position_in_line(text)
    if name == "vowel":
        return np.array([ch in "aeiouAEIOU" for ch in text], dtype=float)
    if name == "capital letter":
        return np.array([ch.isupper() for ch in text], dtype=float)
    if name == "regex":
        return regex_mask(text, pattern)
    raise UserInputError(f"unknown property {name!r}; choose one of: {', '.join(PROPERTIES)}")


def correlations(hidden: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Pearson correlation of every unit (column of hidden (T, U)) with values (T,); 0 for constant units."""
    if np.ptp(values) == 0:
        raise UserInputError("the property has the same value at every character of this text (for example "
                             "no quotes at all), so nothing can correlate with it; use text that has both")
    h = hidden - hidden.mean(axis=0)
    v = values - values.mean()
    denom = np.sqrt((h ** 2).sum(axis=0) * (v ** 2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (h * v[:, None]).sum(axis=0) / denom
    return np.nan_to_num(r)


def rank_units(hidden: np.ndarray, values: np.ndarray, top: int = 10) -> list[tuple[int, float]]:
    """The `top` units with the largest |correlation|, as (unit, r), strongest first."""
    r = correlations(hidden, values)
    order = np.argsort(-np.abs(r), kind="stable")[:top]
    return [(int(u), float(r[u])) for u in order]
