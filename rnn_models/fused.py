"""GRU and vanilla-RNN layers that train near the matmul ceiling on the CPU.

torch.nn's LSTM trains through oneDNN on the CPU; its GRU and RNN do not: autograd records every
small op of every time step, and the backward pass multiplies and adds a weight gradient per step
(100 small GEMMs and 100 additions into the same matrix for 100 steps). Here the recurrence is one
autograd Function: the forward loop keeps only what the backward needs, the backward loop does one
(batch, rows*hidden) x (rows*hidden, hidden) product per step, and the weight gradients are one large
GEMM over all steps at the end; the input projection is one GEMM over all steps on each side.
FastGRU/FastRNN are torch.nn.GRU/RNN (same parameters, state_dict, and every other path); only a
CPU training forward goes through here. Equal to torch.nn in outputs and gradients (tested).
"""

import torch
from torch import Tensor, nn
from torch.nn import functional as F


class _Recurrence(torch.autograd.Function):
    """xp (time, batch, rows*hidden) = W_ih x + b_ih, h0 (batch, hidden) -> hs (time, batch, hidden)."""

    @staticmethod
    def forward(ctx, cell: str, relu: bool, xp: Tensor, h0: Tensor, w_hh: Tensor, b_hh: Tensor) -> Tensor:
        steps, hidden = xp.shape[0], h0.shape[1]
        hs = xp.new_empty(steps, *h0.shape)
        w_hh_t = w_hh.t()
        h = h0
        if cell == "gru":
            rz = xp.new_empty(steps, h0.shape[0], 2 * hidden)  # reset and update gates
            hn = xp.new_empty(steps, *h0.shape)  # W_hn h + b_hn, needed for the reset gate's gradient
            ns = xp.new_empty(steps, *h0.shape)  # the candidate state
            for t in range(steps):
                hh = torch.addmm(b_hh, h, w_hh_t)  # (batch, 3*hidden)
                torch.sigmoid(xp[t, :, :2 * hidden] + hh[:, :2 * hidden], out=rz[t])
                hn[t] = hh[:, 2 * hidden:]
                n = torch.tanh(torch.addcmul(xp[t, :, 2 * hidden:], rz[t, :, :hidden], hn[t]), out=ns[t])
                h = torch.addcmul(n, rz[t, :, hidden:], h - n, out=hs[t])
            ctx.save_for_backward(h0, w_hh, hs, rz, hn, ns)
        else:
            for t in range(steps):
                z = torch.addmm(xp[t], h, w_hh_t).add_(b_hh)
                h = torch.clamp(z, min=0, out=hs[t]) if relu else torch.tanh(z, out=hs[t])
            ctx.save_for_backward(h0, w_hh, hs)
        ctx.cell, ctx.relu = cell, relu
        return hs

    @staticmethod
    def backward(ctx, d_hs: Tensor):
        if ctx.cell == "gru":
            h0, w_hh, hs, rz, hn, ns = ctx.saved_tensors
        else:
            h0, w_hh, hs = ctx.saved_tensors
        steps, hidden = hs.shape[0], hs.shape[2]
        rows = w_hh.shape[0]
        h_prev = torch.cat((h0[None], hs[:-1]))  # (time, batch, hidden): the state each step read
        d_xp = hs.new_empty(steps, hs.shape[1], rows)
        d_hh = d_xp if ctx.cell == "rnn" else torch.empty_like(d_xp)  # gradient of W_hh h + b_hh
        carry = torch.zeros_like(h0)
        for t in range(steps - 1, -1, -1):
            dh = d_hs[t] + carry
            if ctx.cell == "gru":
                r, z = rz[t, :, :hidden], rz[t, :, hidden:]
                n = ns[t]
                d_an = (dh * (1 - z)).mul_(1 - n * n)  # through tanh
                d_xp[t, :, 2 * hidden:] = d_an
                d_hh[t, :, 2 * hidden:] = d_an * r
                torch.mul(d_an * hn[t], r * (1 - r), out=d_xp[t, :, :hidden])
                torch.mul(dh * (h_prev[t] - n), z * (1 - z), out=d_xp[t, :, hidden:2 * hidden])
                d_hh[t, :, :2 * hidden] = d_xp[t, :, :2 * hidden]
                carry = torch.addmm(dh * z, d_hh[t], w_hh)
            else:
                h = hs[t]
                torch.mul(dh, (h > 0).to(h.dtype) if ctx.relu else 1 - h * h, out=d_xp[t])
                carry = d_xp[t] @ w_hh
        flat = d_hh.reshape(-1, rows)
        d_w_hh = flat.t() @ h_prev.reshape(-1, hidden)  # one GEMM over every step
        return None, None, d_xp, carry, d_w_hh, flat.sum(0)


def _layers(module: nn.RNNBase, x: Tensor, hx: Tensor | None) -> tuple[Tensor, Tensor]:
    """Run every layer and direction of a batch_first GRU/RNN; x (batch, time, in) -> (out, h_n)."""
    dirs = 2 if module.bidirectional else 1
    batch, hidden = x.shape[0], module.hidden_size
    if hx is None:
        hx = x.new_zeros(module.num_layers * dirs, batch, hidden)
    cell = "gru" if isinstance(module, nn.GRU) else "rnn"
    relu = cell == "rnn" and module.nonlinearity == "relu"
    layer_in = x.transpose(0, 1)  # (time, batch, in)
    h_n = []
    for layer in range(module.num_layers):
        if layer > 0 and module.dropout > 0 and module.training:
            layer_in = F.dropout(layer_in, module.dropout, training=True)
        outs = []
        for d in range(dirs):
            sfx = f"_l{layer}" + ("_reverse" if d else "")
            w_ih, w_hh = getattr(module, "weight_ih" + sfx), getattr(module, "weight_hh" + sfx)
            b_ih, b_hh = getattr(module, "bias_ih" + sfx), getattr(module, "bias_hh" + sfx)
            xp = F.linear(layer_in.flip(0) if d else layer_in, w_ih, b_ih)  # (time, batch, rows*hidden)
            hs = _Recurrence.apply(cell, relu, xp, hx[layer * dirs + d], w_hh, b_hh)
            h_n.append(hs[-1])
            outs.append(hs.flip(0) if d else hs)
        layer_in = torch.cat(outs, -1) if dirs == 2 else outs[0]
    return layer_in.transpose(0, 1), torch.stack(h_n)


def _use_fused(module: nn.RNNBase, x, hx) -> bool:
    """Only a CPU forward that builds a graph, with biases, batch_first, batched tensors."""
    return (isinstance(x, Tensor) and x.dim() == 3 and x.device.type == "cpu" and module.batch_first
            and module.bias and torch.is_grad_enabled() and x.dtype in (torch.float32, torch.float64)
            and not torch.is_autocast_enabled("cpu") and module.proj_size == 0 and (hx is None or hx.dim() == 3))


class FastGRU(nn.GRU):
    """nn.GRU whose CPU training forward runs the fused recurrence above."""

    def forward(self, x, hx=None):
        if _use_fused(self, x, hx):
            return _layers(self, x, hx)
        return super().forward(x, hx)


class FastRNN(nn.RNN):
    """nn.RNN (tanh or relu) whose CPU training forward runs the fused recurrence above."""

    def forward(self, x, hx=None):
        if _use_fused(self, x, hx):
            return _layers(self, x, hx)
        return super().forward(x, hx)
