"""Attention that consults a dictionary (Arthur, Neubig & Nakamura 2016, "Incorporating Discrete Translation
Lexicons into Neural Machine Translation"), mixed in at decoding time.

p_lex(e | f) comes from the same Ding word/phrase pairs as the word-by-word baseline (dictionary.count_entries):
for each German word (lowercased, as the model's tokenizer writes it), the English words of its entries, weighted
by how often and how early they are listed. At each output step the decoder's attention a_tj picks which source
words to look up:

    p(y) = (1 - g) * p_model(y) + g * sum_j a_tj * p_lex(y | x_j)

A source word with no entry contributes p_model instead (so p still sums to 1). The lookup uses the source word's
surface form, so words outside the model's 5,000-word source vocabulary (read as <unk>) are still looked up, and
English words outside the 4,000-word target vocabulary join the output vocabulary for that sentence (ids from
len(tgt) on, as pointer/copy models do); fed back to the decoder, such a word is read as <unk>.
"""

import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import Tensor

from .data import DING_PATH, Pair, parse_ding_line, read_ding_lines, split_of
from .dictionary import CACHE_DIR, count_entries
from .vocab import PAD_ID, SPECIALS, UNK_ID, Vocab, tokenize

MAX_CANDIDATES = 8  # English words kept per German word (the likeliest)
PRIOR = 0.5  # added to each sense's count of training pairs holding both words (dictionary senses never seen count)
_ENDINGS = ("e", "en", "em", "er", "es", "n", "s", "t", "st", "et", "te", "ten")  # German inflections, tried in turn
_WORDLIKE = re.compile(r"\w")  # English candidates are words, not punctuation
_COPY = re.compile(r"\d+(?:[.,]\d+)*|[^\w\s]")  # numbers and punctuation translate as themselves


@dataclass(frozen=True)
class Lexicon:
    entries: dict[str, str]  # German word (lowercase) -> "english p english p ..." (p sums to 1), parsed on lookup

    def lookup(self, word: str) -> list[tuple[str, float]]:
        """p_lex(. | word) by surface form; numbers and punctuation copy themselves; [] when unknown."""
        key = self.entry_of(word)
        if key is not None:
            parts = self.entries[key].split(" ")
            return [(parts[i], float(parts[i + 1])) for i in range(0, len(parts) - 1, 2)]
        return [(word, 1.0)] if _COPY.fullmatch(word) else []

    def entry_of(self, word: str) -> str | None:
        """The entry a word is found under: itself, or for a word of 6+ letters the form without an inflection
        ending (or with -en/-n instead: *gestohlenes* -> *gestohlen*, *ausgeht* -> *ausgehen*), first found wins."""
        if word in self.entries:
            return word
        if len(word) < 6:
            return None  # short words are mostly function words, where stripping misleads (*muss* -> *mus*)
        for suffix in _ENDINGS:
            stem = word[:-len(suffix)]
            if word.endswith(suffix) and len(stem) >= 4:
                for key in (stem, stem + "en", stem + "n"):
                    if key in self.entries:
                        return key
        return None

    @classmethod
    def from_table(cls, table: dict[str, list[tuple[str, float]]]) -> "Lexicon":
        return cls({f: " ".join(f"{e} {p:.5g}" for e, p in cands) for f, cands in table.items()})


def cooccurrences(train: list[Pair], merged: dict[str, Counter]) -> dict[tuple[str, str], int]:
    """(German word, English candidate) -> training sentence pairs holding both: which sense the sentences use."""
    counts: Counter = Counter()
    for p in train:
        en = set(tokenize(p.en))
        for f in set(tokenize(p.de)):
            for e in merged.get(f, ()):
                if e in en:
                    counts[f, e] += 1
    return counts


def build_lexicon(lines: list[str], train: list[Pair] | None = None, max_candidates: int = MAX_CANDIDATES,
                  prior: float = PRIOR) -> Lexicon:
    """Single German words of the dictionary; a multi-word English entry shares its weight among its words.

    With training sentence pairs, each dictionary sense is weighted by (training pairs holding both words + prior):
    "Hund" is listed as "canine; dog; mine (cart)", and the training sentences say which one is meant."""
    merged: dict[str, Counter] = defaultdict(Counter)
    for src, counts in count_entries(lines).items():
        words = tokenize(src)
        if len(words) != 1 or words[0] in SPECIALS:
            continue
        for english, weight in counts.items():
            toks = [t for t in tokenize(english) if t not in SPECIALS and _WORDLIKE.search(t)]
            for t in toks:
                merged[words[0]][t] += weight / len(toks)
    cooc = cooccurrences(train, merged) if train else Counter()
    table = {}
    for word, counts in merged.items():
        total = sum(counts.values())
        counts = {e: w / total * (cooc[word, e] + prior) for e, w in counts.items()}
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:max_candidates]
        total = sum(w for _, w in top)
        table[word] = [(t, w / total) for t, w in top]
    return Lexicon.from_table(table)


def load_lexicon(path: Path = DING_PATH, cache_dir: Path | None = CACHE_DIR) -> Lexicon:
    """The lexicon of the installed dictionary, from a text cache when it matches the file (a build takes ~10-40 s;
    the cache, one "word<TAB>entry" line each, loads in well under a second since entries are parsed on lookup)."""
    stat = path.stat() if path.is_file() else None
    cache = cache_dir / "translate_lexicon.tsv" if cache_dir else None
    key = f"{stat.st_size}-{int(stat.st_mtime)}-{MAX_CANDIDATES}-{PRIOR}-train" if stat else None
    if cache and key and cache.is_file():
        try:
            lines = cache.read_text(encoding="utf-8").split("\n")
            if lines[0] == key:
                return Lexicon(dict(line.split("\t", 1) for line in lines[1:] if "\t" in line))
        except (OSError, ValueError):
            pass  # a broken cache is rebuilt
    lines = read_ding_lines(path)
    train = [p for line in lines for p in parse_ding_line(line) if split_of(p.de) == "train"]
    lex = build_lexicon(lines, train)
    if cache and key:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            body = "\n".join(f"{f}\t{e}" for f, e in lex.entries.items() if "\t" not in f and "\n" not in f)
            tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")  # whole or absent: another process may read it
            tmp.write_text(key + "\n" + body, encoding="utf-8")
            os.replace(tmp, cache)
        except OSError:
            pass  # a read-only home: rebuild next time
    return lex


METHODS = ("linear", "bias")  # how p_lex enters: Arthur et al.'s linear interpolation or their bias


@dataclass
class LexiconTables:
    """One batch of sources looked up: what the decoder mixes in at every step."""

    table: Tensor  # (batch, src_time, tgt + extra): p_lex(y | x_j); zero rows where x_j has no entry
    known: Tensor  # (batch, src_time) True where x_j has an entry
    extra: list[str]  # output words outside the target vocabulary, ids len(tgt), len(tgt) + 1, ...
    gate: float  # linear: g, the lexicon's share of the output distribution; bias: eps in p_model * (p_lex + eps)
    method: str = "linear"  # one of METHODS

    def words(self, tgt: Vocab) -> list[str]:
        """Id -> word over the extended output vocabulary."""
        return list(tgt.tokens) + self.extra

    def rows_of(self, n: int) -> Tensor | None:
        """Which source each of n decoder rows reads: all the one source in beam search, else row b itself."""
        return torch.zeros(n, dtype=torch.long) if self.table.shape[0] == 1 and n != 1 else None

    def start(self, n: int) -> Tensor:
        """No source word used yet: (n, src_time) False."""
        return torch.zeros(n, self.known.shape[1], dtype=torch.bool)

    def used_after(self, used: Tensor, chosen: Tensor, attention: Tensor, rows: Tensor | None = None) -> Tensor:
        """Coverage: when an output word came from the lexicon, the source word that offered it most (attention
        times p_lex) counts as translated and its entry is not offered again (without this, attention lingering
        on a word repeats its translation). used (rows, src_time); chosen (rows,); attention (rows, src_time)."""
        table = self.table if rows is None else self.table[rows]
        p_lex = table.gather(2, chosen.view(-1, 1, 1).expand(-1, table.shape[1], 1))[..., 0]  # (rows, src_time)
        offered = attention[:, :table.shape[1]] * p_lex * (self.known if rows is None else self.known[rows]) * ~used
        best = offered.argmax(-1)
        hit = torch.zeros_like(used)
        hit[torch.arange(len(best)), best] = offered.amax(-1) > 0
        return used | hit


def tables(lexicon: Lexicon, sources: list[list[str]], tgt: Vocab, gate: float,
           method: str = "linear") -> LexiconTables:
    """Look up every source word (by surface form) of a batch; sources shorter than the longest are padded."""
    if method not in METHODS:
        raise ValueError(f"unknown lexicon method {method!r}; valid: {', '.join(METHODS)}")
    if not 0.0 <= gate <= 1.0 and method == "linear" or gate < 0:
        raise ValueError(f"the lexicon gate must be in [0, 1], got {gate}")
    entries = [[lexicon.lookup(w) for w in words] for words in sources]
    extra: dict[str, int] = {}
    for row in entries:
        for cands in row:
            for t, _ in cands:
                if not tgt.known(t) and t not in extra:
                    extra[t] = len(tgt) + len(extra)
    width = max((len(s) for s in sources), default=0)
    table = torch.zeros(len(sources), max(1, width), len(tgt) + len(extra))
    known = torch.zeros(len(sources), max(1, width), dtype=torch.bool)
    for b, row in enumerate(entries):
        for j, cands in enumerate(row):
            for t, p in cands:
                table[b, j, extra[t] if t in extra else tgt.encode([t])[0]] += p
            known[b, j] = bool(cands)
    return LexiconTables(table, known, list(extra), gate, method)


def unknown_to_lexicon(p_model: Tensor, looked_up: Tensor) -> Tensor:
    """p_model with its <unk> probability shared among the words the lexicon offers at this step (in proportion to
    what it offers); unchanged where it offers nothing. (batch, tgt + extra) each; rows still sum to 1."""
    offered = looked_up.sum(-1, keepdim=True)
    share = torch.where(offered > 0, looked_up / offered.clamp_min(1e-30), torch.zeros_like(looked_up))
    unk = p_model[:, UNK_ID:UNK_ID + 1] * (offered > 0)
    p_model = p_model + unk * share
    p_model[:, UNK_ID] -= unk[:, 0]
    return p_model


def mix(logp_model: Tensor, attention: Tensor, lex: LexiconTables, used: Tensor | None = None,
        rows: Tensor | None = None) -> Tensor:
    """log p over the extended vocabulary. logp_model (batch, tgt); attention (batch, src_time); used (batch,
    src_time): source words already translated (their entries are not offered again); rows: which source of the
    tables each batch row decodes (beam search repeats one).

    First p_model's <unk> ("a word I cannot write") goes to the entries of the words being looked up, pointer-style.
    linear: (1 - g) p_model + g sum_j a_j p_lex(. | x_j), where a word without an entry (or used) hands its
    attention share back to p_model; bias: p_model * (sum_j a_j p_lex(. | x_j) + eps), renormalised (an extra
    word gets no eps: it exists only through the lexicon)."""
    table = lex.table if rows is None else lex.table[rows]
    known = lex.known if rows is None else lex.known[rows]
    if used is not None:
        known = known & ~used
    vocab = logp_model.shape[-1]
    p_model = torch.nn.functional.pad(logp_model.exp(), (0, table.shape[-1] - vocab))
    a = attention[:, :table.shape[1]]
    looked_up = torch.bmm((a * known)[:, None], table)[:, 0]  # (batch, tgt + extra)
    p_model = unknown_to_lexicon(p_model, looked_up)
    if lex.method == "bias":
        looked_up[:, :vocab] += lex.gate  # an extra word (id >= vocab) exists only through the lexicon
        p = p_model * looked_up
        p = p / p.sum(-1, keepdim=True).clamp_min(1e-30)
    else:
        rest = (a * ~known).sum(-1, keepdim=True)  # attention on words without an entry
        p = (1 - lex.gate) * p_model + lex.gate * (looked_up + rest * p_model)
    return torch.log(p.clamp_min(1e-30))


def lexicon_loss(model, src: Tensor, tgt: Tensor, table: Tensor, eps: float) -> Tensor:
    """Teacher forcing with the lexicon in the loss (the bias method): p(y) ∝ p_model(y) * (sum_j a_j p_lex(y | x_j)
    + eps) over the target vocabulary; table (batch, src_time, tgt) from make_get_batch. The attention learns to
    point at the word worth looking up; mean cross-entropy over real tokens."""
    logits, state = model(tgt[:, :-1], model.encode(src))
    looked_up = torch.bmm(state.attention, table[:, :state.attention.shape[-1]].to(logits.dtype))
    logp = torch.log_softmax(logits, -1) + torch.log(looked_up + eps)
    logp = logp - torch.logsumexp(logp, -1, keepdim=True)
    return torch.nn.functional.nll_loss(logp.reshape(-1, logp.shape[-1]), tgt[:, 1:].reshape(-1),
                                        ignore_index=PAD_ID)
