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


def cell_update(cell: str, x_proj: Tensor, hh: Tensor | None, h: Tensor, c: Tensor | None,
                nonlinearity: str) -> tuple[Tensor, Tensor | None, list[Tensor]]:
    """The gate maths of one time step, given both projections: x_proj = W_ih x + b_ih and
    hh = W_hh h + b_hh, each (..., rows*hidden), e.g. (batch, rows*hidden) or (rows*hidden,).
    hh=None (rnn and lstm, whose gates need only the sum): x_proj already holds x_proj + hh.
    Returns h, c (None but for lstm) and the gates.

    Written for TorchScript too: generation runs it in a scripted loop (rnn_models/stepper.py).
    """
    if cell == "rnn":
        z = x_proj if hh is None else x_proj + hh
        return (torch.tanh(z) if nonlinearity == "tanh" else torch.relu(z)), None, []
    n = h.shape[-1]
    if cell == "lstm":
        assert c is not None
        z = x_proj if hh is None else x_proj + hh
        s = torch.sigmoid(z)  # input, forget, (unused), output in one kernel
        i, f, o = s[..., :n], s[..., n:2 * n], s[..., 3 * n:]
        g = torch.tanh(z[..., 2 * n:3 * n])
        c = torch.addcmul(f * c, i, g)
        return o * torch.tanh(c), c, [i, f, g, o]
    # gru: n = tanh(W_in x + b_in + r * (W_hn h + b_hn)); h' = (1 - z) * n + z * h = n + z * (h - n)
    assert hh is not None
    rz = torch.sigmoid(x_proj[..., :2 * n] + hh[..., :2 * n])
    r, z = rz[..., :n], rz[..., n:]
    cand = torch.tanh(torch.addcmul(x_proj[..., 2 * n:], r, hh[..., 2 * n:]))
    return torch.addcmul(cand, z, h - cand), None, [r, z, cand]


def _step(cell: str, x_proj: Tensor, h: Tensor, c: Tensor | None, w_hh_t: Tensor, b_hh: Tensor,
          nonlinearity: str):
    """One time step. x_proj = W_ih x + b_ih, (batch, rows*hidden); w_hh_t = W_hh transposed.

    Returns h, c and the step's gates side by side, (batch, gates*hidden) (None for rnn).
    """
    h, c, gates = cell_update(cell, x_proj, torch.addmm(b_hh, h, w_hh_t), h, c, nonlinearity)
    return h, c, (torch.cat(gates, dim=1) if gates else None)


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
            w_hh_t = w_hh.t()
            idx = layer * dirs + d
            h = h0[idx]
            c = c0[idx] if c0 is not None else None
            order = range(x.shape[1] - 1, -1, -1) if rev else range(x.shape[1])
            hs, cs, gs = [], [], []
            for t in order:
                h, c, g = _step(cell, x_proj[:, t], h, c, w_hh_t, b_hh, nonlinearity)
                hs.append(h)
                cs.append(c)
                gs.append(g)
            if rev:  # store in time order
                hs, cs, gs = hs[::-1], cs[::-1], gs[::-1]
            steps.append(hs)
            outs.append(torch.stack(hs, dim=1))  # (batch, time, hidden)
            if cell == "lstm":
                cells.append(torch.stack(cs, dim=1))
            if GATES[cell]:
                stacked = torch.stack(gs, dim=1)  # (batch, time, gates*hidden)
                gates.append(dict(zip(GATES[cell], stacked.chunk(len(GATES[cell]), dim=-1), strict=True)))
            else:
                gates.append({})
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


def _single_layer(cell: str, in_size: int, hidden: int, bidirectional: bool, nonlinearity: str) -> nn.Module:
    """A one-layer torch.nn module whose weights functional_call replaces (its own are never used)."""
    kwargs = dict(batch_first=True, bidirectional=bidirectional, device="meta")
    if cell == "rnn":
        return nn.RNN(in_size, hidden, nonlinearity=nonlinearity, **kwargs)
    return (nn.LSTM if cell == "lstm" else nn.GRU)(in_size, hidden, **kwargs)


def fast_trace(params: dict[str, Tensor], cell: str, num_layers: int, bidirectional: bool, x: Tensor,
               h0: Tensor, c0: Tensor | None, *, nonlinearity: str = "tanh"):
    """The same outputs and Trace as transparent_forward, but the recurrence runs in torch.nn's kernels.

    Gates are then recomputed for all steps at once from the previous hidden states (one matmul per
    layer); only the LSTM cell state needs an elementwise loop (run without autograd: trace.cell
    carries no gradient here). Trace.hidden_steps is empty: use transparent_forward for per-step
    gradients.
    """
    from torch.func import functional_call

    dirs = 2 if bidirectional else 1
    hidden = h0.shape[-1]
    names = GATES[cell]
    trace = Trace(hidden=[], cell=[] if cell == "lstm" else None, gates=[], hidden_steps=[])
    layer_in, h_n, c_n = x, [], []
    for layer in range(num_layers):
        sl = slice(layer * dirs, (layer + 1) * dirs)
        module = _single_layer(cell, layer_in.shape[-1], hidden, bidirectional, nonlinearity)
        weights = {}
        for d in range(dirs):
            for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                weights[param_name(kind, 0, d == 1)] = params[param_name(kind, layer, d == 1)]
        hx = (h0[sl], c0[sl]) if cell == "lstm" else h0[sl]
        out, hn = functional_call(module, weights, (layer_in, hx))  # (batch, time, dirs*hidden)
        h_n.append(hn[0] if cell == "lstm" else hn)
        if cell == "lstm":
            c_n.append(hn[1])
        gates, cells = [], []
        for d in range(dirs):
            rev = d == 1
            hs = out[..., d * hidden:(d + 1) * hidden]  # (batch, time, hidden)
            first = h0[layer * dirs + d][:, None]
            h_prev = torch.cat((hs[:, 1:], first), 1) if rev else torch.cat((first, hs[:, :-1]), 1)
            xp = layer_in @ params[param_name("weight_ih", layer, rev)].T + params[param_name("bias_ih", layer, rev)]
            hp = h_prev @ params[param_name("weight_hh", layer, rev)].T + params[param_name("bias_hh", layer, rev)]
            if cell == "lstm":
                s = torch.sigmoid(xp + hp)
                i, f, o = s[..., :hidden], s[..., hidden:2 * hidden], s[..., 3 * hidden:]
                g = torch.tanh((xp + hp)[..., 2 * hidden:3 * hidden])
                with torch.no_grad():  # the cell state is for looking at: no graph through this loop
                    c = c0[layer * dirs + d]
                    cs = [None] * x.shape[1]
                    for t in (range(x.shape[1] - 1, -1, -1) if rev else range(x.shape[1])):
                        c = torch.addcmul(f[:, t] * c, i[:, t], g[:, t])
                        cs[t] = c
                    cells.append(torch.stack(cs, 1))
                gates.append((i, f, g, o))
            elif cell == "gru":
                rz = torch.sigmoid(xp[..., :2 * hidden] + hp[..., :2 * hidden])
                r, z = rz[..., :hidden], rz[..., hidden:]
                n = torch.tanh(xp[..., 2 * hidden:] + r * hp[..., 2 * hidden:])
                gates.append((r, z, n))
            else:
                gates.append(())
        trace.hidden.append(out)
        trace.gates.append({k: torch.cat([g[j] for g in gates], -1) for j, k in enumerate(names)})
        if trace.cell is not None:
            trace.cell.append(torch.cat(cells, -1))
        layer_in = out
    return layer_in, torch.cat(h_n), torch.cat(c_n) if c_n else None, trace
