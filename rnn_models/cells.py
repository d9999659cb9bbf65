"""Transparent RNN, LSTM and GRU layers in plain tensor ops that expose every gate.

Parameter names and layouts match torch.nn.RNN/LSTM/GRU (weight_ih_l0, bias_hh_l1_reverse, ...),
so the same state_dict loads into either and both give the same outputs and gradients.
"""

import math
from dataclasses import dataclass

import torch
from torch import Tensor, nn

GATES = {
    "rnn": (),
    "lstm": ("input", "forget", "cell_candidate", "output"),
    "gru": ("reset", "update", "candidate"),
}
_GATE_ROWS = {"rnn": 1, "lstm": 4, "gru": 3}  # rows of W_ih per hidden unit (torch's layout)


@dataclass
class Trace:
    """Everything the transparent layers computed, one entry per layer."""

    hidden: list[Tensor]  # per layer: (batch, time, dirs*hidden)
    cell: list[Tensor] | None  # LSTM only: per layer (batch, time, dirs*hidden)
    gates: list[dict[str, Tensor]]  # per layer: gate name -> (batch, time, dirs*hidden)
    hidden_steps: list[list[list[Tensor]]]  # [layer][direction][t] -> (batch, hidden), graph nodes


def param_name(kind: str, layer: int, reverse: bool) -> str:
    """torch.nn's parameter name, e.g. weight_hh_l1_reverse."""
    return f"{kind}_l{layer}" + ("_reverse" if reverse else "")


def _step(cell: str, x_proj: Tensor, h: Tensor, c: Tensor | None, w_hh: Tensor, b_hh: Tensor,
          nonlinearity: str):
    """One time step. x_proj = W_ih x + b_ih, (batch, rows*hidden). Returns h, c, gates."""
    hh = h @ w_hh.T + b_hh  # (batch, rows*hidden)
    if cell == "rnn":
        act = torch.tanh if nonlinearity == "tanh" else torch.relu
        return act(x_proj + hh), None, {}
    if cell == "lstm":
        i, f, g, o = (x_proj + hh).chunk(4, dim=-1)
        i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
        c = f * c + i * g
        h = o * torch.tanh(c)
        return h, c, {"input": i, "forget": f, "cell_candidate": g, "output": o}
    # gru: n = tanh(W_in x + b_in + r * (W_hn h + b_hn)); h' = (1 - z) * n + z * h
    xr, xz, xn = x_proj.chunk(3, dim=-1)
    hr, hz, hn = hh.chunk(3, dim=-1)
    r = torch.sigmoid(xr + hr)
    z = torch.sigmoid(xz + hz)
    n = torch.tanh(xn + r * hn)
    h = (1 - z) * n + z * h
    return h, None, {"reset": r, "update": z, "candidate": n}


def transparent_forward(params: dict[str, Tensor], cell: str, num_layers: int, bidirectional: bool,
                        x: Tensor, h0: Tensor, c0: Tensor | None, *, nonlinearity: str = "tanh",
                        dropout: float = 0.0, training: bool = False):
    """Run a stacked (bi)RNN over x (batch, time, features) with torch.nn's parameters.

    h0/c0: (layers*dirs, batch, hidden). Returns outputs (batch, time, dirs*hidden), h_n, c_n, Trace.
    """
    dirs = 2 if bidirectional else 1
    layer_in = x
    h_n, c_n = [], []
    trace = Trace(hidden=[], cell=[] if cell == "lstm" else None, gates=[], hidden_steps=[])
    for layer in range(num_layers):
        if layer > 0 and dropout > 0 and training:
            layer_in = nn.functional.dropout(layer_in, dropout, training=True)
        outs, cells, gates, steps = [], [], [], []
        for d in range(dirs):
            rev = d == 1
            w_ih = params[param_name("weight_ih", layer, rev)]
            w_hh = params[param_name("weight_hh", layer, rev)]
            b_ih = params[param_name("bias_ih", layer, rev)]
            b_hh = params[param_name("bias_hh", layer, rev)]
            x_proj = layer_in @ w_ih.T + b_ih  # (batch, time, rows*hidden), all steps at once
            idx = layer * dirs + d
            h = h0[idx]
            c = c0[idx] if c0 is not None else None
            order = range(x.shape[1] - 1, -1, -1) if rev else range(x.shape[1])
            hs, cs, gs = [], [], []
            for t in order:
                h, c, g = _step(cell, x_proj[:, t], h, c, w_hh, b_hh, nonlinearity)
                hs.append(h)
                cs.append(c)
                gs.append(g)
            if rev:  # store in time order
                hs, cs, gs = hs[::-1], cs[::-1], gs[::-1]
            steps.append(hs)
            outs.append(torch.stack(hs, dim=1))  # (batch, time, hidden)
            if cell == "lstm":
                cells.append(torch.stack(cs, dim=1))
            gates.append({k: torch.stack([g[k] for g in gs], dim=1) for k in GATES[cell]})
            h_n.append(h)
            if c is not None:
                c_n.append(c)
        layer_out = torch.cat(outs, dim=-1)  # (batch, time, dirs*hidden)
        trace.hidden.append(layer_out)
        trace.hidden_steps.append(steps)
        if trace.cell is not None:
            trace.cell.append(torch.cat(cells, dim=-1))
        trace.gates.append({k: torch.cat([g[k] for g in gates], dim=-1) for k in GATES[cell]})
        layer_in = layer_out
    h_n = torch.stack(h_n)
    c_n = torch.stack(c_n) if c_n else None
    return layer_in, h_n, c_n, trace


class TransparentRNN(nn.Module):
    """Drop-in for nn.RNN/LSTM/GRU (batch_first=True) whose gates can be read."""

    def __init__(self, cell: str, input_size: int, hidden_size: int, num_layers: int = 1,
                 dropout: float = 0.0, bidirectional: bool = False, nonlinearity: str = "tanh"):
        super().__init__()
        self.cell, self.hidden_size, self.num_layers = cell, hidden_size, num_layers
        self.dropout, self.bidirectional, self.nonlinearity = dropout, bidirectional, nonlinearity
        dirs = 2 if bidirectional else 1
        rows = _GATE_ROWS[cell] * hidden_size
        bound = 1.0 / math.sqrt(hidden_size)  # torch.nn's default initialisation
        for layer in range(num_layers):
            in_size = input_size if layer == 0 else hidden_size * dirs
            for d in range(dirs):
                for kind, shape in (("weight_ih", (rows, in_size)), ("weight_hh", (rows, hidden_size)),
                                    ("bias_ih", (rows,)), ("bias_hh", (rows,))):
                    p = nn.Parameter(torch.empty(shape).uniform_(-bound, bound))
                    self.register_parameter(param_name(kind, layer, d == 1), p)

    def forward_traced(self, x: Tensor, hx=None):
        """Like forward, plus the Trace of every gate and step."""
        h0, c0 = _split_hx(self.cell, hx)
        dirs = 2 if self.bidirectional else 1
        shape = (self.num_layers * dirs, x.shape[0], self.hidden_size)
        if h0 is None:
            h0 = x.new_zeros(shape)
        if self.cell == "lstm" and c0 is None:
            c0 = x.new_zeros(shape)
        out, h_n, c_n, trace = transparent_forward(
            dict(self.named_parameters()), self.cell, self.num_layers, self.bidirectional, x, h0, c0,
            nonlinearity=self.nonlinearity, dropout=self.dropout, training=self.training)
        return out, ((h_n, c_n) if self.cell == "lstm" else h_n), trace

    def forward(self, x: Tensor, hx=None):
        out, hn, _ = self.forward_traced(x, hx)
        return out, hn


def _split_hx(cell: str, hx):
    """torch.nn's hx convention -> (h0, c0)."""
    if hx is None:
        return None, None
    if cell == "lstm":
        return hx
    return hx, None
