"""The word-by-word baseline: every German word or short phrase replaced by its commonest dictionary entry.

Built from the same Ding dictionary's word and phrase pairs (not its example sentences), at run time;
a JSON cache under ~/.cache/rnn-studio keeps the second build instant.
"""

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from .data import DING_PATH, read_ding_lines
from .vocab import detokenize

CACHE_DIR = Path.home() / ".cache" / "rnn-studio"
MAX_PHRASE = 3  # longest German phrase looked up, in words
_NOTE = re.compile(r"\{[^}]*\}|\[[^\]]*\]|\([^)]*\)")
_WORD = re.compile(r"\w+(?:'\w+)?|[^\w\s]", re.UNICODE)
_PUNCT = re.compile(r"[^\w\s]")


def _alternatives(text: str) -> list[str]:
    out = []
    for alt in text.split(";"):
        if "{" in alt or "[" in alt or "(" in alt:
            alt = _NOTE.sub(" ", alt)
        alt = " ".join(alt.split())
        if alt and "/" not in alt and "…" not in alt and not alt.endswith((".", "!", "?")):
            out.append(alt)
    return out


def count_entries(lines: list[str]) -> dict[str, Counter]:
    """German word/phrase (as written) -> Counter of English translations, over every aligned sub-entry."""
    table: dict[str, Counter] = defaultdict(Counter)
    for line in lines:
        if line.startswith("#") or " :: " not in line:
            continue
        de, en = line.split(" :: ", 1)
        des, ens = de.split(" | "), en.split(" | ")
        if len(des) != len(ens):
            continue
        for d, e in zip(des, ens, strict=True):
            targets = [t[3:] if t.startswith("to ") else t for t in _alternatives(e)]
            targets = [t for t in targets if len(t.split()) <= 2][:3]
            if not targets:
                continue
            for src in _alternatives(d):
                if len(src.split()) <= MAX_PHRASE:
                    for rank, t in enumerate(targets):
                        table[src][t] += 3 - rank  # the first-listed sense weighs most
    return table


@dataclass(frozen=True)
class Dictionary:
    entries: dict[str, str]  # German word or phrase (case as written) -> English

    def lookup(self, words: list[str], i: int) -> tuple[str | None, int]:
        """Longest entry starting at word i: (English, words used), or (None, 1)."""
        for n in range(min(MAX_PHRASE, len(words) - i), 0, -1):
            phrase = " ".join(words[i:i + n])
            for key in (phrase, phrase.lower(), phrase[:1].upper() + phrase[1:].lower()):
                if key in self.entries:
                    return self.entries[key], n
        return None, 1

    def translate(self, text: str) -> str:
        """Word by word, left to right; unknown words are dropped, punctuation kept."""
        words, out, i = _WORD.findall(text), [], 0
        while i < len(words):
            if _PUNCT.fullmatch(words[i]):
                out.append(words[i])
                i += 1
                continue
            english, n = self.lookup(words, i)
            if english:
                out.extend(english.lower().split())
            i += n
        return detokenize(out)


def build_dictionary(lines: list[str]) -> Dictionary:
    return Dictionary({src: c.most_common(1)[0][0] for src, c in count_entries(lines).items()})


def load_dictionary(path: Path = DING_PATH, cache_dir: Path | None = CACHE_DIR) -> Dictionary:
    """The baseline for the installed dictionary, from the JSON cache when it matches the file."""
    stat = path.stat() if path.is_file() else None
    cache = cache_dir / "translate_dictionary.json" if cache_dir else None
    key = f"{stat.st_size}-{int(stat.st_mtime)}" if stat else None
    if cache and key and cache.is_file():
        try:
            doc = json.loads(cache.read_text(encoding="utf-8"))
            if doc.get("key") == key and isinstance(doc.get("entries"), dict):
                return Dictionary(doc["entries"])
        except (OSError, ValueError):
            pass  # a broken cache is rebuilt
    d = build_dictionary(read_ding_lines(path))
    if cache and key:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_text(json.dumps({"key": key, "entries": d.entries}, ensure_ascii=False), encoding="utf-8")
        except OSError:
            pass  # a read-only home: rebuild next time
    return d
