"""One-token steps for generation (text and music), run by a TorchScript loop without Python per step.

nn.LSTM/GRU/RNN pay a large fixed cost per call on the CPU, and an eager Python step pays a few
microseconds for each of its ~20 small ops; generation makes one step per character. So the step is
scripted: the layer-0 input projection of every token is computed once (a (vocab, rows*hidden) table,
so embedding + W_ih + both biases becomes one row lookup), the recurrent product is one addmv on
torch.nn's own W_hh layout (a single sequence carries (hidden,) vectors, not (1, hidden) rows), the
gate maths is cells.cell_update (the transparent cells' own), and `sample` runs many steps *and* the
sampler (sampling.choose) in one call, with uniform numbers drawn in bulk from the seeded generator
(the same numbers, in the same order, as one draw per character). Results equal model.forward up to
float rounding (tested).
"""

import functools
import warnings
import weakref

import torch
from torch import Tensor, nn

from .cells import cell_update
from .errors import UserInputError
from .network import SequenceModel, State
from .sampling import SamplingSettings, choose


def _affine(b: Tensor, w: Tensor, x: Tensor) -> Tensor:
    """b + x W^T for x (in,) or (batch, in), w (rows, in) as torch.nn stores it (no transposed copy): one
    sequence's step is a single addmv, with no (1, in) row views, stacks or copies around it."""
    if x.dim() == 1:
        return torch.addmv(b, w, x)
    return torch.addmm(b, x, w.t())


def _product(b: Tensor, w: Tensor, packed: "list[torch.classes.quantized.LinearPackedParamsBase]", i: int,
             x: Tensor) -> Tensor:
    """b + x W^T; packed[i] (when packed holds the matrices, see fp16_packs) is W read as fp16 by fbgemm."""
    if len(packed) == 0:
        return _affine(b, w, x)
    if x.dim() == 1:
        return torch.ops.quantized.linear_dynamic_fp16(x[None], packed[i])[0] + b
    return torch.ops.quantized.linear_dynamic_fp16(x, packed[i]) + b


def _layer(cell: str, nonlinearity: str, x: Tensor, first: bool, weights: list[Tensor],
           packed: "list[torch.classes.quantized.LinearPackedParamsBase]", k: int, h: Tensor,
           c: Tensor | None) -> tuple[Tensor, Tensor | None]:
    """One layer's step: x (..., in) -> its new h, c. Layer 0's x is already its row of the input table.
    weights[4k:4k+4]: w_ih, w_hh (torch.nn's layout), b_x and b_h, where rnn and lstm hold both biases in
    b_x (their gates need only W_ih x + W_hh h + b_ih + b_hh: one product and no addition a step);
    packed[2k], packed[2k+1]: w_ih, w_hh as fp16 (or packed is empty)."""
    x_proj = x if first else _product(weights[4 * k + 2], weights[4 * k], packed, 2 * k, x)
    if cell == "gru":
        hh = _product(weights[4 * k + 3], weights[4 * k + 1], packed, 2 * k + 1, h)
        h, c, _ = cell_update(cell, x_proj, hh, h, c, nonlinearity)
    else:
        h, c, _ = cell_update(cell, _product(x_proj, weights[4 * k + 1], packed, 2 * k + 1, h), None, h, c,
                              nonlinearity)
    return h, c


def _advance(cell: str, nonlinearity: str, table: Tensor, weights: list[Tensor],
             packed: "list[torch.classes.quantized.LinearPackedParamsBase]", head_w: Tensor, head_b: Tensor,
             tokens: Tensor, h: Tensor, c: Tensor | None) -> tuple[Tensor, Tensor, Tensor | None]:
    """tokens (batch,) -> logits (batch, vocab) and the new h, c (layers, batch, hidden).
    table: (vocab, rows*hidden) layer 0's input projection of every token (with its biases, see _layer)."""
    hs = [h[k] for k in range(h.shape[0])]
    cs: list[Tensor] = []
    if c is not None:
        cs = [c[k] for k in range(c.shape[0])]
    x = _layers(cell, nonlinearity, table.index_select(0, tokens), weights, packed, hs, cs)
    logits = _affine(head_b, head_w, x)
    return logits, torch.stack(hs), (torch.stack(cs) if len(cs) > 0 else None)


def _layers(cell: str, nonlinearity: str, x: Tensor, weights: list[Tensor],
            packed: "list[torch.classes.quantized.LinearPackedParamsBase]", hs: list[Tensor],
            cs: list[Tensor]) -> Tensor:
    """One step through every layer from layer 0's input-table row x: hs and cs (empty but for lstm) hold each
    layer's state and are updated in place; returns the top layer's new h, which the head reads."""
    for k in range(len(hs)):
        ck: Tensor | None = None if len(cs) == 0 else cs[k]
        x, ck = _layer(cell, nonlinearity, x, k == 0, weights, packed, k, hs[k], ck)
        hs[k] = x  # feeds the next layer
        if ck is not None:
            cs[k] = ck
    return x


def _sample(cell: str, nonlinearity: str, table: Tensor, weights: list[Tensor],
            packed: "list[torch.classes.quantized.LinearPackedParamsBase]", head_w: Tensor, head_b: Tensor,
            logits: Tensor, h: Tensor, c: Tensor | None, uniforms: Tensor, n: int, temperature: float, top_k: int,
            top_p: float, greedy: bool) -> tuple[list[int], Tensor, Tensor, Tensor | None]:
    """n tokens from (vocab,) logits, feeding each back: -> tokens, the next logits, h, c (layers, 1, hidden).
    One sequence: the state is a (hidden,) vector per layer and every product a matrix-vector one.
    uniforms: (n,) one number per token (unused when greedy)."""
    hs = [h[k, 0] for k in range(h.shape[0])]  # (hidden,) per layer
    cs: list[Tensor] = []
    if c is not None:
        cs = [c[k, 0] for k in range(c.shape[0])]
    out: list[int] = []
    for i in range(n):
        nxt = choose(logits, temperature, top_k, top_p, greedy, uniforms[i:i + 1])
        out.append(nxt)
        x = _layers(cell, nonlinearity, table[nxt], weights, packed, hs, cs)  # table row: (rows*hidden,)
        logits = torch.addmv(head_b, head_w, x)
    return out, logits, torch.stack(hs)[:, None], (torch.stack(cs)[:, None] if len(cs) > 0 else None)


def fp16_packs(matrices: list[Tensor]) -> list:
    """The matrices prepacked for fbgemm's fp16 product (fp32 in, fp32 sums and out) when every value in them
    is an fp16 number, as in checkpoints saved in fp16 (the shipped ones): the same product reading half
    the bytes, which is what bounds one row on a CPU. [] otherwise, or off the CPU, or without fbgemm."""
    if not matrices or any(w.device.type != "cpu" or w.dtype != torch.float32 for w in matrices):
        return []
    if not all(torch.equal(w.half().float(), w) for w in matrices):
        return []
    try:
        return [torch.ops.quantized.linear_prepack_fp16(w, None) for w in matrices]
    except (RuntimeError, AttributeError):
        return []


_PACKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # model -> (its weights' addresses and versions, packs)


def _model_packs(model: nn.Module, matrices: list[Tensor]) -> list:
    """fp16_packs(matrices), kept per model (weakly) until a weight changes or moves: checking and packing cost
    ~10-20 ms, which every generation and first character would otherwise pay."""
    key = tuple((w.data_ptr(), w._version) for w in matrices)
    hit = _PACKS.get(model)
    if hit is None or hit[0] != key:
        hit = (key, fp16_packs(matrices))
        _PACKS[model] = hit
    return hit[1]


def compile_steps() -> None:
    """Compile the scripted step now (e.g. during a server's warm-up), not in the first generation."""
    _scripted()


@functools.cache
def _scripted() -> tuple:
    """(advance, sample) compiled once per process by TorchScript (~0.1 s); the plain functions, same
    maths but a Python call per op, on a torch without TorchScript (or one that cannot compile them, e.g.
    built without the quantized ops the fp16 product names)."""
    if not hasattr(torch.jit, "script"):
        return _advance, _sample
    with warnings.catch_warnings():  # torch >= 2.10 calls torch.jit "deprecated"; it still runs here
        warnings.simplefilter("ignore", FutureWarning)
        try:
            return torch.jit.script(_advance), torch.jit.script(_sample)
        except RuntimeError:
            return _advance, _sample


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
                summed = cfg.cell != "gru"  # rnn, lstm: both biases in one (see _layer)
                self.weights = []
                for k in range(cfg.num_layers):
                    w = [getattr(rnn, f"{name}_l{k}").detach() for name in ("weight_ih", "weight_hh", "bias_ih",
                                                                             "bias_hh")]
                    self.weights += [w[0], w[1], w[2] + w[3] if summed else w[2], w[3]]
                # (vocab, rows*hidden): W_ih e + b_ih (+ b_hh for rnn, lstm) for every token e
                self.table = nn.functional.linear(model.embed.weight, rnn.weight_ih_l0, self.weights[2])
                self.head = (model.head.weight.detach(), model.head.bias.detach())
                matrices = [w for k in range(cfg.num_layers) for w in self.weights[4 * k:4 * k + 2]]  # w_ih, w_hh
                self.packed = _model_packs(model, matrices)
            self.advance, self.sampler = _scripted()

    def _args(self) -> tuple:
        return (self.cfg.cell, self.cfg.nonlinearity, self.table, self.weights, self.packed, *self.head)

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
        return out, logits, State(h, c)
