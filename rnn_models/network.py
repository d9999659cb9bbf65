"""One sequence model for the three recurrent cells: rnn, lstm and gru."""

from dataclasses import asdict, dataclass, fields

import torch
from torch import Tensor, nn

from .cells import Trace, TransparentRNN, fast_trace, transparent_forward
from .fused import FastGRU, FastRNN

CELLS = ("rnn", "lstm", "gru")
INPUT_KINDS = ("embedding", "linear")
NONLINEARITIES = ("tanh", "relu")


@dataclass(frozen=True)
class ModelConfig:
    cell: str = "lstm"  # "rnn" | "lstm" | "gru"
    input_size: int = 1  # vocabulary size (embedding) or features per step (linear)
    input_kind: str = "embedding"  # "embedding": token ids; "linear": float features fed straight in
    embed_size: int = 64  # embedding width (embedding input only)
    hidden_size: int = 128  # units per layer and direction
    num_layers: int = 1  # stacked recurrent layers
    dropout: float = 0.0  # between layers and before the head, training only
    bidirectional: bool = False  # also read the sequence backwards (not for generation)
    output_size: int = 1  # head width: vocabulary size, classes or forecast values
    nonlinearity: str = "tanh"  # vanilla rnn only: "tanh" | "relu"
    transparent: bool = False  # run the gate-exposing cells (slower, same weights and results)

    def __post_init__(self):
        check_choice("cell", self.cell, CELLS)
        check_choice("input_kind", self.input_kind, INPUT_KINDS)
        check_choice("nonlinearity", self.nonlinearity, NONLINEARITIES)
        for name in ("input_size", "hidden_size", "num_layers", "output_size"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "ModelConfig":
        """Build from a dict, refusing unknown keys (a checkpoint from elsewhere)."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise ValueError(f"unknown model config keys: {', '.join(unknown)}")
        return cls(**d)


def check_choice(what: str, value: str, valid: tuple[str, ...]) -> None:
    if value not in valid:
        raise ValueError(f"unknown {what} {value!r}; valid: {', '.join(valid)}")


@dataclass
class State:
    """Recurrent state carried between calls; LSTM keeps its cell state in c."""

    h: Tensor  # (layers*dirs, batch, hidden)
    c: Tensor | None = None  # LSTM only, same shape as h

    def detach(self) -> "State":
        return State(self.h.detach(), None if self.c is None else self.c.detach())

    def as_torch(self):
        """torch.nn's hx convention: (h, c) for LSTM, h otherwise."""
        return self.h if self.c is None else (self.h, self.c)

    @classmethod
    def from_torch(cls, hx) -> "State":
        return cls(hx[0], hx[1]) if isinstance(hx, tuple) else cls(hx)


class SequenceModel(nn.Module):
    """Input layer -> stacked recurrent layers -> linear head, for any cell in CELLS."""

    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        c = config
        if c.input_kind == "embedding":
            self.embed = nn.Embedding(c.input_size, c.embed_size)
            rnn_in = c.embed_size
        else:
            self.embed = None
            rnn_in = c.input_size
        between = c.dropout if c.num_layers > 1 else 0.0
        if c.transparent:
            self.rnn = TransparentRNN(c.cell, rnn_in, c.hidden_size, c.num_layers, between,
                                      c.bidirectional, c.nonlinearity)
        else:
            kwargs = dict(num_layers=c.num_layers, dropout=between, bidirectional=c.bidirectional,
                          batch_first=True)
            if c.cell == "rnn":  # FastRNN/FastGRU: torch.nn's, trained through a fused recurrence (fused.py)
                self.rnn = FastRNN(rnn_in, c.hidden_size, nonlinearity=c.nonlinearity, **kwargs)
            else:  # the LSTM trains through oneDNN already
                self.rnn = (nn.LSTM if c.cell == "lstm" else FastGRU)(rnn_in, c.hidden_size, **kwargs)
        self.drop = nn.Dropout(c.dropout)
        self.head = nn.Linear(c.hidden_size * self.directions, c.output_size)

    @property
    def directions(self) -> int:
        return 2 if self.config.bidirectional else 1

    def _inputs(self, x: Tensor) -> Tensor:
        """(batch, time) ids or (batch, time, features) floats -> (batch, time, rnn_in)."""
        if self.embed is not None:
            return self.embed(x)
        return x.to(self.head.weight.dtype)

    def init_state(self, batch: int) -> State:
        c = self.config
        z = torch.zeros(c.num_layers * self.directions, batch, c.hidden_size,
                        device=self.head.weight.device, dtype=self.head.weight.dtype)
        return State(z, z.clone() if c.cell == "lstm" else None)

    def forward(self, x: Tensor, state: State | None = None) -> tuple[Tensor, State]:
        """x -> (outputs (batch, time, output_size), state to carry into the next call)."""
        hx = None if state is None else state.as_torch()
        out, hn = self.rnn(self._inputs(x), hx)  # out: (batch, time, dirs*hidden)
        return self.head(self.drop(out)), State.from_torch(hn)

    def forward_traced(self, x: Tensor, state: State | None = None, *,
                       per_step: bool = True) -> tuple[Tensor, State, Trace]:
        """Same as forward, with a Trace of every gate and hidden state on this model's weights.

        per_step=True runs the transparent cells step by step (trace.hidden_steps holds each h_t as a
        graph node, for per-step gradients); per_step=False is the fast path (torch.nn kernels, gates
        recomputed for all steps at once; no hidden_steps), for looking at activations.
        """
        c = self.config
        inputs = self._inputs(x)
        st = state or self.init_state(inputs.shape[0])
        params = {name: p for name, p in self.rnn.named_parameters()}
        if not per_step and not (self.training and c.dropout > 0):
            out, h_n, c_n, trace = fast_trace(params, c.cell, c.num_layers, c.bidirectional, inputs, st.h, st.c,
                                              nonlinearity=c.nonlinearity)
            return self.head(self.drop(out)), State(h_n, c_n), trace
        between = c.dropout if c.num_layers > 1 else 0.0
        out, h_n, c_n, trace = transparent_forward(
            params, c.cell, c.num_layers, c.bidirectional, inputs, st.h, st.c,
            nonlinearity=c.nonlinearity, dropout=between, training=self.training)
        return self.head(self.drop(out)), State(h_n, c_n), trace


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
