"""One-character steps for generation, calling torch's fused cell functions directly.

nn.LSTM/GRU/RNN pay a large fixed cost per call on the CPU (and oneDNN's path is slow for a
single time step); generation makes one call per character, so it uses these cell functions on
the same weights instead. Results equal model.forward (tested).
"""

import torch
from torch import Tensor, nn
from torch.nn import functional as F

from ..errors import UserInputError
from ..network import SequenceModel, State

_CELL_FN = {"lstm": torch.lstm_cell, "gru": torch.gru_cell}


class Stepper:
    """Advance a unidirectional SequenceModel by one token at a time: step(id, state) -> logits."""

    def __init__(self, model: SequenceModel):
        cfg = model.config
        if cfg.bidirectional:
            raise UserInputError("a bidirectional model reads both ways and cannot generate text")
        self.model, self.cell = model, cfg.cell
        rnn = model.rnn
        self.fast = isinstance(rnn, nn.RNNBase) and model.embed is not None
        if self.fast:
            self.layers = [tuple(getattr(rnn, f"{w}_l{k}") for w in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))
                           for k in range(cfg.num_layers)]
            if cfg.cell == "rnn":
                self.fn = torch.rnn_tanh_cell if cfg.nonlinearity == "tanh" else torch.rnn_relu_cell
            else:
                self.fn = _CELL_FN[cfg.cell]

    def step(self, tokens: Tensor, state: State) -> tuple[Tensor, State]:
        """tokens (batch,) -> (batch, vocab) logits for the next character, and the new state.
        Call it under torch.no_grad() (generation does)."""
        if not self.fast:  # e.g. transparent cells: fall back to the ordinary forward
            out, state = self.model(tokens[:, None], state)
            return out[:, -1], state
        x = self.model.embed.weight[tokens]  # (batch, embed)
        hs, cs = [], []
        for k, (w_ih, w_hh, b_ih, b_hh) in enumerate(self.layers):
            if self.cell == "lstm":
                h, c = self.fn(x, (state.h[k], state.c[k]), w_ih, w_hh, b_ih, b_hh)
                cs.append(c)
            else:
                h = self.fn(x, state.h[k], w_ih, w_hh, b_ih, b_hh)
            hs.append(h)
            x = h  # (batch, hidden) feeds the next layer
        logits = F.linear(x, self.model.head.weight, self.model.head.bias)
        return logits, State(torch.stack(hs), torch.stack(cs) if cs else None)
