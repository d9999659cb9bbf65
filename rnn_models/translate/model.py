"""Encoder-decoder with additive (Bahdanau) or dot (Luong) attention, or none: one fixed-size context.

The encoder is a bidirectional SequenceModel over source words; the decoder a SequenceModel over
target words whose state starts as the encoded source. Both attention and no-attention models share
every other part, so the comparison shows what attention alone changes.
"""

from dataclasses import asdict, dataclass, fields, replace

import torch
from torch import Tensor, nn

from ..network import ModelConfig, SequenceModel, State, check_choice
from .vocab import PAD_ID

ATTENTIONS = ("additive", "dot", "none")


@dataclass(frozen=True)
class Seq2SeqConfig:
    cell: str = "gru"  # "rnn" | "lstm" | "gru", encoder and decoder
    src_vocab: int = 6000  # source (German) vocabulary size, specials included
    tgt_vocab: int = 5000  # target (English) vocabulary size, specials included
    embed_size: int = 128  # word embedding width, both sides
    hidden_size: int = 256  # encoder units per direction and decoder units
    attention: str = "additive"  # "additive" (Bahdanau) | "dot" (Luong) | "none" (fixed context vector)
    attn_size: int = 128  # additive attention's hidden width
    combine_size: int = 128  # width of tanh(W [query; context]) before the output layer
    dropout: float = 0.3  # on embeddings and before the output layer, training only
    transparent: bool = False  # run the gate-exposing cells (same weights and results)

    def __post_init__(self):
        check_choice("attention", self.attention, ATTENTIONS)
        for name in ("src_vocab", "tgt_vocab", "embed_size", "hidden_size", "attn_size", "combine_size"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.src_vocab < 5 or self.tgt_vocab < 5:
            raise ValueError("a vocabulary needs the 4 special tokens and at least one word")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")
        ModelConfig(cell=self.cell)  # checks the cell name

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Seq2SeqConfig":
        unknown = sorted(set(d) - {f.name for f in fields(cls)})
        if unknown:
            raise ValueError(f"unknown model config keys: {', '.join(unknown)}")
        return cls(**d)


@dataclass
class DecoderState:
    """The encoded source plus the decoder's recurrent state; what forward() carries between calls."""

    memory: Tensor  # (batch, src_time, hidden): encoder annotations, the attention's values
    keys: Tensor  # (batch, src_time, attn_size or hidden): the attention's keys, precomputed
    mask: Tensor  # (batch, src_time) True on real source tokens
    context: Tensor  # (batch, hidden): the fixed-size summary of the source (the no-attention context)
    rnn: State  # decoder recurrent state
    attention: Tensor | None = None  # (batch, tgt_time, src_time) weights from the last call

    def select(self, rows: Tensor) -> "DecoderState":
        """Rows picked (and repeated) for beam search."""
        rnn = State(self.rnn.h[:, rows], None if self.rnn.c is None else self.rnn.c[:, rows])
        return DecoderState(self.memory[rows], self.keys[rows], self.mask[rows], self.context[rows], rnn,
                            None if self.attention is None else self.attention[rows])


class Seq2Seq(nn.Module):
    """encode(src) -> DecoderState; forward(tgt_in, state) -> (logits, state), like every model here."""

    def __init__(self, config: Seq2SeqConfig):
        super().__init__()
        self.config = c = config
        self.encoder = SequenceModel(ModelConfig(
            cell=c.cell, input_size=c.src_vocab, embed_size=c.embed_size, hidden_size=c.hidden_size,
            bidirectional=True, output_size=c.hidden_size, transparent=c.transparent))  # head: 2H -> H annotations
        self.decoder = SequenceModel(ModelConfig(
            cell=c.cell, input_size=c.tgt_vocab, embed_size=c.embed_size, hidden_size=c.hidden_size,
            output_size=c.hidden_size, transparent=c.transparent))  # head: h -> query
        self.bridge = nn.Linear(2 * c.hidden_size, c.hidden_size)  # final states -> context and h0
        if c.attention == "additive":
            self.key_proj = nn.Linear(c.hidden_size, c.attn_size, bias=False)
            self.query_proj = nn.Linear(c.hidden_size, c.attn_size)
            self.score = nn.Linear(c.attn_size, 1, bias=False)
        self.combine = nn.Linear(2 * c.hidden_size, c.combine_size)
        self.out = nn.Linear(c.combine_size, c.tgt_vocab)
        self.drop = nn.Dropout(c.dropout)

    def encode(self, src: Tensor) -> DecoderState:
        """src (batch, src_time) ids, right-padded with <pad> -> the decoder's starting state."""
        mask = src != PAD_ID
        lengths = mask.sum(1).clamp(min=1)
        out, _ = self.encoder.rnn(self.drop(self.encoder.embed(src)))  # (batch, src_time, 2H)
        hidden = self.config.hidden_size
        rows = torch.arange(src.shape[0], device=src.device)
        last_fwd = out[rows, lengths - 1, :hidden]  # forward direction after the last real word
        first_bwd = out[:, 0, hidden:]  # backward direction after reading back to the first word
        context = torch.tanh(self.bridge(torch.cat((last_fwd, first_bwd), -1)))  # (batch, H)
        memory = self.encoder.head(out)  # (batch, src_time, H)
        keys = self.key_proj(memory) if self.config.attention == "additive" else memory
        h0 = context[None].contiguous()  # (1, batch, H)
        rnn = State(h0, torch.zeros_like(h0) if self.config.cell == "lstm" else None)
        return DecoderState(memory, keys, mask, context, rnn)

    def attend(self, query: Tensor, state: DecoderState) -> tuple[Tensor, Tensor]:
        """query (batch, tgt_time, H) -> context (batch, tgt_time, H), weights (batch, tgt_time, src_time)."""
        if self.config.attention == "none":
            t, s = query.shape[1], state.memory.shape[1]
            weights = query.new_zeros(query.shape[0], t, s)
            return state.context[:, None].expand(-1, t, -1), weights
        if self.config.attention == "additive":
            q = self.query_proj(query)[:, :, None]  # (batch, tgt_time, 1, A)
            scores = self.score(torch.tanh(q + state.keys[:, None])).squeeze(-1)  # (batch, tgt, src)
        else:
            scores = query @ state.keys.transpose(1, 2) / self.config.hidden_size ** 0.5
        scores = scores.masked_fill(~state.mask[:, None], float("-inf"))
        weights = torch.softmax(scores, -1)
        return weights @ state.memory, weights

    def forward(self, x: Tensor, state: DecoderState | None = None) -> tuple[Tensor, DecoderState]:
        """x (batch, tgt_time) target ids (starting with <s>) -> logits (batch, tgt_time, tgt_vocab), state."""
        if state is None:
            raise ValueError("a translation model needs the encoded source: forward(x, model.encode(src))")
        query, rnn = self.decoder(x, state.rnn)  # (batch, tgt_time, H)
        context, weights = self.attend(query, state)
        hidden = torch.tanh(self.combine(torch.cat((query, context), -1)))
        logits = self.out(self.drop(hidden))
        return logits, replace(state, rnn=rnn, attention=weights)


def seq2seq_loss(model: Seq2Seq, src: Tensor, tgt: Tensor) -> Tensor:
    """Teacher forcing: feed <s> y1..yn, predict y1..yn </s>; mean cross-entropy over real tokens."""
    logits, _ = model(tgt[:, :-1], model.encode(src))
    return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt[:, 1:].reshape(-1),
                                       ignore_index=PAD_ID)
