"""Greedy and beam-search decoding for any Seq2Seq; each keeps the attention and top-k of every step."""

from dataclasses import dataclass, field

import torch
from torch import Tensor

from .lexicon import LexiconTables, mix
from .model import Seq2Seq
from .vocab import BOS_ID, EOS_ID, PAD_ID, UNK_ID

MAX_BEAM = 16  # wider beams are refused
MAX_OUTPUT = 100  # most output tokens


@dataclass(frozen=True)
class DecodeSettings:
    beam: int = 1  # beam width; 1 is greedy
    max_len: int = 40  # most output tokens before stopping
    top_k: int = 5  # next-token alternatives kept per step
    length_penalty: float = 1.0  # beam score = log p / length ** this (0: raw log p)

    def __post_init__(self):
        if not 1 <= self.beam <= MAX_BEAM:
            raise ValueError(f"beam width must be 1 to {MAX_BEAM}, got {self.beam}")
        if not 1 <= self.max_len <= MAX_OUTPUT:
            raise ValueError(f"maximum length must be 1 to {MAX_OUTPUT} words, got {self.max_len}")
        if not 1 <= self.top_k <= 20:
            raise ValueError(f"top_k must be 1 to 20, got {self.top_k}")


@dataclass
class Hypothesis:
    ids: list[int]  # output ids, without <s>, ending with </s> when finished
    logp: float = 0.0  # sum of log-probabilities
    attention: list[Tensor] = field(default_factory=list)  # per step: (src_time,)
    top: list[tuple[list[int], list[float]]] = field(default_factory=list)  # per step: top-k ids, probs

    def score(self, penalty: float) -> float:
        return self.logp / max(1, len(self.ids)) ** penalty


def next_logp(model: Seq2Seq, last: Tensor, state, lexicon: LexiconTables | None = None,
              used: Tensor | None = None):
    """log p of the next word for each row: the network's, or mixed with the lexicon (extended vocabulary).

    last (rows, 1): the previous output ids; a word outside the target vocabulary is fed back as <unk>;
    used (rows, src_time): source words the lexicon has already translated."""
    vocab = model.config.tgt_vocab
    logits, state = model(last.masked_fill(last >= vocab, UNK_ID), state)
    logp = torch.log_softmax(logits[:, -1].float(), -1)  # (rows, vocab)
    logp[:, PAD_ID] = logp[:, BOS_ID] = float("-inf")
    if lexicon is not None and model.config.attention != "none":
        logp = mix(logp, state.attention[:, -1], lexicon, used, lexicon.rows_of(len(last)))
        logp[:, PAD_ID] = logp[:, BOS_ID] = float("-inf")
    return logp, state


def without_unk(logp: Tensor, capped: list[bool]) -> Tensor:
    """log p with <unk> forbidden in the capped rows, renormalised there (the other rows unchanged)."""
    rows = torch.tensor(capped)
    if not bool(rows.any()):
        return logp
    logp = logp.clone()
    logp[rows, UNK_ID] = float("-inf")
    logp[rows] = torch.log_softmax(logp[rows], -1)
    return logp


@torch.no_grad()
def beam_search(model: Seq2Seq, src: list[int], settings: DecodeSettings = DecodeSettings(),
                lexicon: LexiconTables | None = None, max_unk: int | None = None,
                copies: frozenset[int] = frozenset()) -> Hypothesis:
    """The best hypothesis for one source sentence (ids); beam 1 is greedy decoding. With a lexicon (tables for
    this one sentence), ids from the target vocabulary's size on are the lexicon's extra words. With max_unk, a
    hypothesis that has written <unk> max_unk times may not write it again (its next-word distribution is
    renormalised without it): a decoder that keeps choosing <unk> must name a word or stop. `copies`: lexicon ids
    that pass an unknown source word through, counted like <unk>."""
    model.eval()
    state = model.encode(torch.tensor([src], dtype=torch.long))
    live = [Hypothesis([])]
    done: list[Hypothesis] = []
    used = lexicon.start(1) if lexicon is not None else None
    for _ in range(settings.max_len):
        last = torch.tensor([[h.ids[-1] if h.ids else BOS_ID] for h in live])
        logp, state = next_logp(model, last, state, lexicon, used)  # (live, vocab [+ extra])
        if max_unk is not None:
            logp = without_unk(logp, [sum(i == UNK_ID or i in copies for i in h.ids) >= max_unk for h in live])
        probs = logp.exp()
        top_p, top_i = probs.topk(settings.top_k, -1)
        cand_lp, cand_i = logp.topk(settings.beam, -1)  # (live, beam)
        cands = []
        for b, h in enumerate(live):
            for lp, i in zip(cand_lp[b].tolist(), cand_i[b].tolist(), strict=True):
                cands.append((h.logp + lp, b, i))
        cands.sort(key=lambda c: -c[0])
        nxt, rows = [], []
        for total, b, i in cands:
            h = live[b]
            child = Hypothesis(h.ids + [i], total, h.attention + [state.attention[b, -1]],
                               h.top + [(top_i[b].tolist(), top_p[b].tolist())])
            if i == EOS_ID:
                done.append(child)
            else:
                nxt.append(child)
                rows.append(b)
            if len(nxt) == settings.beam:
                break
        if len(done) >= settings.beam or not nxt:
            break
        live = nxt
        state = state.select(torch.tensor(rows))
        if lexicon is not None:
            used = lexicon.used_after(used[rows], torch.tensor([h.ids[-1] for h in live]),
                                      torch.stack([h.attention[-1] for h in live]), lexicon.rows_of(len(live)))
    pool = done or live
    return max(pool, key=lambda h: h.score(settings.length_penalty))


@torch.no_grad()
def greedy_batch(model: Seq2Seq, src: Tensor, max_len: int = 40,
                 lexicon: LexiconTables | None = None) -> list[list[int]]:
    """Greedy output ids (without <s> and </s>) for a padded batch of sources, for fast evaluation; with a
    lexicon (tables for the same batch, same order), ids from the target vocabulary's size on are its extra words."""
    model.eval()
    state = model.encode(src)
    x = torch.full((src.shape[0], 1), BOS_ID, dtype=torch.long)
    outs = torch.zeros(src.shape[0], 0, dtype=torch.long)
    finished = torch.zeros(src.shape[0], dtype=torch.bool)
    used = lexicon.start(src.shape[0]) if lexicon is not None else None
    for _ in range(max_len):
        logp, state = next_logp(model, x, state, lexicon, used)
        x = logp.argmax(-1, keepdim=True)  # (batch, 1)
        if lexicon is not None:
            used = lexicon.used_after(used, x[:, 0], state.attention[:, -1])
        outs = torch.cat((outs, x), 1)
        finished |= x[:, 0] == EOS_ID
        if bool(finished.all()):
            break
    result = []
    for row in outs.tolist():
        result.append(row[:row.index(EOS_ID)] if EOS_ID in row else row)
    return result
