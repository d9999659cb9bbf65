"""One-token steps for generation (text and music), run by a TorchScript loop without Python per step.

nn.LSTM/GRU/RNN pay a large fixed cost per call on the CPU, and an eager Python step pays a few
microseconds for each of its ~20 small ops; generation makes one step per character. So the step is
scripted: the layer-0 input projection of every token is computed once (a (vocab, rows*hidden)
table, so embedding + W_ih becomes one row lookup), the recurrent matmul is a matrix-vector product,
the gate maths is cells.cell_update (the transparent cells' own), and `sample` runs many steps *and*
the sampler (sampling.choose) in one call, with uniform numbers drawn in bulk from the seeded
generator (the same numbers, in the same order, as one draw per character). Results equal
model.forward up to float rounding (tested).
"""

import functools
import warnings

import torch
from torch import Tensor, nn

from .cells import cell_update
from .errors import UserInputError
from .network import SequenceModel, State
from .sampling import SamplingSettings, choose


def _advance(cell: str, nonlinearity: str, table: Tensor, weights: list[Tensor], head_w: Tensor,
             head_b: Tensor, tokens: Tensor, h: Tensor, c: Tensor | None) -> tuple[Tensor, Tensor, Tensor | None]:
    """tokens (batch,) -> logits (batch, vocab) and the new h, c (layers, batch, hidden).
    weights: per layer [w_ih^T, w_hh^T, b_ih, b_hh] flattened, the matrices transposed and contiguous
    (h @ W^T as one plain row-by-matrix product is the fastest form for one row on the CPU);
    w_ih^T, b_ih of layer 0 are unused: `table` holds that projection."""
    x = table.index_select(0, tokens)  # (batch, rows*hidden) layer-0 input projection
    hs: list[Tensor] = []
    cs: list[Tensor] = []
    for k in range(h.shape[0]):
        w_ih, w_hh, b_ih, b_hh = weights[4 * k], weights[4 * k + 1], weights[4 * k + 2], weights[4 * k + 3]
        x_proj = x if k == 0 else torch.addmm(b_ih, x, w_ih)
        ck: Tensor | None = None if c is None else c[k]
        x, ck, _ = cell_update(cell, x_proj, torch.addmm(b_hh, h[k], w_hh), h[k], ck, nonlinearity)
        hs.append(x)  # (batch, hidden) feeds the next layer
        if ck is not None:
            cs.append(ck)
    logits = torch.addmm(head_b, x, head_w)
    return logits, torch.stack(hs), (torch.stack(cs) if len(cs) > 0 else None)


def _sample(cell: str, nonlinearity: str, table: Tensor, weights: list[Tensor], head_w: Tensor, head_b: Tensor,
            logits: Tensor, h: Tensor, c: Tensor | None, uniforms: Tensor, n: int, temperature: float, top_k: int,
            top_p: float, greedy: bool) -> tuple[Tensor, Tensor, Tensor, Tensor | None]:
    """n tokens from (vocab,) logits, feeding each back: -> tokens (n,), the next logits, h, c.
    uniforms: (n,) one number per token (unused when greedy)."""
    out = torch.empty(n, dtype=torch.long, device=logits.device)
    tok = torch.empty(1, dtype=torch.long, device=logits.device)
    for i in range(n):
        nxt = choose(logits, temperature, top_k, top_p, greedy, uniforms[i:i + 1])
        out[i] = nxt
        tok[0] = nxt
        step_logits, h, c = _advance(cell, nonlinearity, table, weights, head_w, head_b, tok, h, c)
        logits = step_logits[0]
    return out, logits, h, c


def _transposed(w: Tensor) -> Tensor:
    """A matrix as a contiguous W^T (a copy); a bias as it is."""
    return w.detach().t().contiguous() if w.dim() == 2 else w.detach()


def compile_steps() -> None:
    """Compile the scripted step now (e.g. during a server's warm-up), not in the first generation."""
    _scripted()


@functools.cache
def _scripted() -> tuple:
    """(advance, sample) compiled once per process by TorchScript (~0.1 s); the plain functions, same
    maths but a Python call per op, on a torch without TorchScript."""
    if not hasattr(torch.jit, "script"):
        return _advance, _sample
    with warnings.catch_warnings():  # torch >= 2.10 calls torch.jit "deprecated"; it still runs here
        warnings.simplefilter("ignore", FutureWarning)
        return torch.jit.script(_advance), torch.jit.script(_sample)


def _plain_execution():
    """Run the scripted graph as compiled, without TorchScript's profiling runs: those re-optimise the graph
    on the first calls with each new shape (~0.3 s before the first character, measured) and gain nothing
    on the CPU, where TorchScript fuses no kernels by default."""
    return torch.jit.optimized_execution(False)


class Stepper:
    """Advance a unidirectional SequenceModel by one token at a time: step(id, state) -> logits;
    sample(logits, state, n, ...) for n sampled tokens in one call. Call under torch.no_grad()."""

    def __init__(self, model: SequenceModel):
        cfg = model.config
        if cfg.bidirectional:
            raise UserInputError("a bidirectional model reads both ways and cannot generate text")
        self.model, self.cfg = model, cfg
        rnn = model.rnn
        self.fast = isinstance(rnn, nn.RNNBase) and model.embed is not None
        if self.fast:
            with torch.no_grad():
                self.weights = [_transposed(getattr(rnn, f"{w}_l{k}")) for k in range(cfg.num_layers)
                                for w in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
                # (vocab, rows*hidden): W_ih e + b_ih for every token e
                self.table = nn.functional.linear(model.embed.weight, rnn.weight_ih_l0, rnn.bias_ih_l0)
                self.head = (_transposed(model.head.weight), model.head.bias.detach())
            self.advance, self.sampler = _scripted()

    def _args(self) -> tuple:
        return (self.cfg.cell, self.cfg.nonlinearity, self.table, self.weights, *self.head)

    def step(self, tokens: Tensor, state: State) -> tuple[Tensor, State]:
        """tokens (batch,) -> (batch, vocab) logits for the next token, and the new state."""
        if not self.fast:  # e.g. transparent cells: fall back to the ordinary forward
            out, state = self.model(tokens[:, None], state)
            return out[:, -1], state
        with _plain_execution():
            logits, h, c = self.advance(*self._args(), tokens, state.h, state.c)
        return logits, State(h, c)

    def sample(self, logits: Tensor, state: State, uniforms: Tensor,
               settings: SamplingSettings) -> tuple[list[int], Tensor, State]:
        """Sample len(uniforms) tokens (batch 1), feeding each back: -> ids, the next (vocab,) logits, state.
        uniforms: (n,) from the seeded generator, one per token (any n numbers when greedy)."""
        n = len(uniforms)
        s = settings
        if not self.fast:
            ids = []
            for i in range(n):
                ids.append(choose(logits, s.temperature, s.top_k, s.top_p, s.is_greedy, uniforms[i:i + 1]))
                out, state = self.step(torch.tensor(ids[-1:], device=logits.device), state)
                logits = out[0]
            return ids, logits, state
        uniforms = uniforms.to(logits.device)  # drawn on the CPU from the seeded generator: same on every device
        with _plain_execution():
            out, logits, h, c = self.sampler(*self._args(), logits, state.h, state.c, uniforms, n,
                                             float(s.temperature), int(s.top_k), float(s.top_p), s.is_greedy)
        return out.tolist(), logits, State(h, c)
