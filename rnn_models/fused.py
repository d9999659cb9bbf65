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


def _tanh_(a: Tensor) -> Tensor:
    """tanh in place as 2 sigmoid(2a) - 1: torch's CPU tanh takes ~3x its sigmoid (64 vs 17 µs for a (64, 256)
    block, measured); the two agree to ~1e-7 in float32 (to rounding in float64)."""
    return a.mul_(2).sigmoid_().mul_(2).sub_(1)


class _Recurrence(torch.autograd.Function):
    """xp (time, batch, rows*hidden) = W_ih x + b_ih, h0 (batch, hidden) -> hs (time, batch, hidden)."""

    @staticmethod
    def forward(ctx, cell: str, relu: bool, xp: Tensor, h0: Tensor, w_hh: Tensor, b_hh: Tensor) -> Tensor:
        steps, hidden = xp.shape[0], h0.shape[1]
        hs = xp.new_empty(steps, *h0.shape)
        w_hh_t = w_hh.t()
        h = h0
        if cell == "gru":
            # per step [r, z, W_hn h + b_hn]: the gates and what the reset gate's gradient needs, written in
            # place of W_hh h + b_hh (no copy and no new tensor a step)
            g = xp.new_empty(steps, h0.shape[0], 3 * hidden)
            ns = xp.new_empty(steps, *h0.shape)  # the candidate state
            for t in range(steps):
                hh = torch.addmm(b_hh, h, w_hh_t, out=g[t])  # (batch, 3*hidden)
                rz = hh[:, :2 * hidden].add_(xp[t, :, :2 * hidden]).sigmoid_()
                n = _tanh_(torch.addcmul(xp[t, :, 2 * hidden:], rz[:, :hidden], hh[:, 2 * hidden:], out=ns[t]))
                h = torch.addcmul(n, rz[:, hidden:], h - n, out=hs[t])
            ctx.save_for_backward(h0, w_hh, hs, g[..., :2 * hidden], g[..., 2 * hidden:], ns)
        else:
            xb = xp + b_hh  # both biases folded in once, so a step is one addmm and one in-place activation
            for t in range(steps):
                if relu:
                    h = torch.addmm(xb[t], h, w_hh_t, out=hs[t]).clamp_(min=0)
                else:  # 2a, for tanh(a) = 2 sigmoid(2a) - 1 (see _tanh_)
                    h = torch.addmm(xb[t], h, w_hh_t, beta=2, alpha=2, out=hs[t]).sigmoid_().mul_(2).sub_(1)
            ctx.save_for_backward(h0, w_hh, hs)
        ctx.cell, ctx.relu = cell, relu
        return hs

    @staticmethod
    def backward(ctx, d_hs: Tensor):
        h0, w_hh, hs, *gates = ctx.saved_tensors
        if ctx.cell == "gru":
            d_xp, d_hh, d_h0 = _gru_backward(d_hs, h0, hs, w_hh, *gates)
        else:
            d_xp, d_h0 = _rnn_backward(d_hs, hs, w_hh, ctx.relu)
            d_hh = d_xp  # the gradient of W_hh h + b_hh is the pre-activation's
        rows, hidden = w_hh.shape
        # the weight gradient as one GEMM over every step: step t read hs[t-1], step 0 read h0
        d_w_hh = d_hh[1:].reshape(-1, rows).t() @ hs[:-1].reshape(-1, hidden)
        d_w_hh.addmm_(d_hh[0].t(), h0)
        return None, None, d_xp, d_h0, d_w_hh, d_hh.reshape(-1, rows).sum(0)


def _rnn_backward(d_hs: Tensor, hs: Tensor, w_hh: Tensor, relu: bool) -> tuple[Tensor, Tensor]:
    """Gradients of the pre-activations (time, batch, hidden) and of h0: one mul and one addmm a step."""
    steps = hs.shape[0]
    d_a = (hs > 0).to(hs.dtype) if relu else 1 - hs * hs  # through relu / tanh, every step at once
    d_xp = torch.empty_like(hs)
    dh = d_hs[steps - 1]
    for t in range(steps - 1, 0, -1):  # dh_{t-1} = d_hs[t-1] + (dh_t * d_a[t]) W_hh
        dh = torch.addmm(d_hs[t - 1], torch.mul(dh, d_a[t], out=d_xp[t]), w_hh)
    return d_xp, torch.mul(dh, d_a[0], out=d_xp[0]) @ w_hh


def _gru_backward(d_hs: Tensor, h0: Tensor, hs: Tensor, w_hh: Tensor, rz: Tensor, hn: Tensor, ns: Tensor):
    """Gradients of W_ih x + b_ih, of W_hh h + b_hh (each (time, batch, 3*hidden)) and of h0. Each step's
    factors are computed from its own (batch, hidden) slices while they are in cache, written straight into
    the gradients (no full-length temporaries)."""
    steps, hidden = hs.shape[0], hs.shape[2]
    d_xp = hs.new_empty(steps, hs.shape[1], 3 * hidden)
    d_hh = torch.empty_like(d_xp)
    ones = torch.ones_like(h0)
    carry = torch.zeros_like(h0)
    for t in range(steps - 1, -1, -1):
        r, z, n = rz[t, :, :hidden], rz[t, :, hidden:], ns[t]
        dh = d_hs[t] + carry  # (batch, hidden)
        not_z = ones - z
        # candidate pre-activation: dh (1 - z) (1 - n^2); its W_hn h part is scaled by the reset gate
        d_an = torch.addcmul(ones, n, n, value=-1, out=d_xp[t, :, 2 * hidden:]).mul_(dh).mul_(not_z)
        d_hn = torch.mul(d_an, r, out=d_hh[t, :, 2 * hidden:])
        # reset pre-activation: d_an (W_hn h + b_hn) r (1 - r); update pre-activation: dh (h_prev - n) z (1 - z)
        torch.mul(d_hn, hn[t], out=d_xp[t, :, :hidden]).mul_(ones - r)
        torch.sub(hs[t - 1] if t > 0 else h0, n, out=d_xp[t, :, hidden:2 * hidden]).mul_(dh).mul_(z).mul_(not_z)
        d_hh[t, :, :2 * hidden] = d_xp[t, :, :2 * hidden]
        carry = torch.addmm(dh * z, d_hh[t], w_hh)
    return d_xp, d_hh, carry


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
