"""Show the math: a cell's equations at one time step, filled in with the model's actual numbers."""

from dataclasses import dataclass

import numpy as np
import torch

from rnn_models.errors import UserInputError
from rnn_models.network import SequenceModel

from .traces import TextTrace, encode_text

SYMBOLIC = {
    "rnn": [r"h_t = \tanh(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})"],
    "lstm": [r"i_t = \sigma(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi})",
             r"f_t = \sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf})",
             r"g_t = \tanh(W_{ig} x_t + b_{ig} + W_{hg} h_{t-1} + b_{hg})",
             r"o_t = \sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho})",
             r"c_t = f_t \odot c_{t-1} + i_t \odot g_t",
             r"h_t = o_t \odot \tanh(c_t)"],
    "gru": [r"r_t = \sigma(W_{ir} x_t + b_{ir} + W_{hr} h_{t-1} + b_{hr})",
            r"z_t = \sigma(W_{iz} x_t + b_{iz} + W_{hz} h_{t-1} + b_{hz})",
            r"n_t = \tanh(W_{in} x_t + b_{in} + r_t \odot (W_{hn} h_{t-1} + b_{hn}))",
            r"h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}"],
}


@dataclass
class StepMath:
    symbolic: list[str]  # LaTeX: the equations for whole vectors
    numeric: list[str]  # LaTeX: the same equations for one unit, with its numbers
    values: dict[str, float]  # name -> value for that unit (gates, c_t, h_t, h_prev, ...)
    char: str  # the character read at step t


def _f(v: float) -> str:
    """A number for an equation; negatives in brackets so '0.5 · (−0.2)' reads right."""
    return f"{v:.3f}" if v >= 0 else f"({v:.3f})"


def _sum(a: float, b: float) -> str:
    return f"{a:.3f} {'+' if b >= 0 else '-'} {abs(b):.3f}"


def _sig(v):
    return 1.0 / (1.0 + np.exp(-v))


def step_math(model: SequenceModel, vocab: list[str], trace: TextTrace, t: int, unit: int,
              layer: int = 0) -> StepMath:
    """The equations of `layer` at step t (0-based) for hidden unit `unit` of the forward direction."""
    cfg = model.config
    T, H = len(trace.text), cfg.hidden_size
    if not 0 <= t < T:
        raise UserInputError(f"the time step must be between 1 and {T}")
    if not 0 <= unit < H:
        raise UserInputError(f"the unit must be between 0 and {H - 1} (forward direction)")
    if not 0 <= layer < cfg.num_layers:
        raise UserInputError(f"the layer must be between 1 and {cfg.num_layers}")
    p = {k: v.detach().double() for k, v in model.rnn.named_parameters()}
    w_ih, w_hh = p[f"weight_ih_l{layer}"], p[f"weight_hh_l{layer}"]
    b_ih, b_hh = p[f"bias_ih_l{layer}"], p[f"bias_hh_l{layer}"]
    if layer == 0:
        _, ids, _ = encode_text(trace.text, vocab)
        with torch.no_grad():
            x_t = model._inputs(ids[t:t + 1].unsqueeze(0))[0, 0].double()
    else:
        x_t = torch.from_numpy(trace.hidden[layer - 1][t]).double()
    h_prev = torch.from_numpy(trace.hidden[layer][t - 1, :H]).double() if t > 0 else torch.zeros(H, dtype=torch.float64)
    xa = (w_ih @ x_t + b_ih).numpy()  # (rows*H,) input part
    ha = (w_hh @ h_prev + b_hh).numpy()  # (rows*H,) recurrent part
    hp = float(h_prev[unit])
    num, val = [], {"h_prev": hp}

    def part(k):  # this unit's input and recurrent parts of gate block k
        return float(xa[k * H + unit]), float(ha[k * H + unit])

    if cfg.cell == "rnn":
        a, b = part(0)
        act, name = (np.tanh, r"\tanh") if cfg.nonlinearity == "tanh" else ((lambda v: max(v, 0.0)), r"\mathrm{relu}")
        h = float(act(a + b))
        num.append(rf"h_t = {name}({_sum(a, b)}) = {h:.3f}")
        val["h"] = h
    elif cfg.cell == "lstm":
        names = [("i", "input", _sig, r"\sigma"), ("f", "forget", _sig, r"\sigma"),
                 ("g", "cell_candidate", np.tanh, r"\tanh"), ("o", "output", _sig, r"\sigma")]
        for k, (sym, key, fn, tex) in enumerate(names):
            a, b = part(k)
            v = float(fn(a + b))
            val[key] = v
            num.append(rf"{sym}_t = {tex}({_sum(a, b)}) = {v:.3f}")
        c_prev = float(trace.memory[layer][t - 1, unit]) if t > 0 else 0.0
        c = val["forget"] * c_prev + val["input"] * val["cell_candidate"]
        h = val["output"] * float(np.tanh(c))
        num.append(rf"c_t = {_f(val['forget'])} \cdot {_f(c_prev)} + {_f(val['input'])} \cdot "
                   rf"{_f(val['cell_candidate'])} = {c:.3f}")
        num.append(rf"h_t = {_f(val['output'])} \cdot \tanh({c:.3f}) = {h:.3f}")
        val.update(c_prev=c_prev, c=c, h=h)
    else:
        ar, br = part(0)
        az, bz = part(1)
        an, bn = part(2)
        r, z = float(_sig(ar + br)), float(_sig(az + bz))
        n = float(np.tanh(an + r * bn))
        h = (1 - z) * n + z * hp
        num += [rf"r_t = \sigma({_sum(ar, br)}) = {r:.3f}",
                rf"z_t = \sigma({_sum(az, bz)}) = {z:.3f}",
                rf"n_t = \tanh({an:.3f} + {r:.3f} \cdot {_f(bn)}) = {n:.3f}",
                rf"h_t = (1 - {z:.3f}) \cdot {_f(n)} + {z:.3f} \cdot {_f(hp)} = {h:.3f}"]
        val.update(reset=r, update=z, candidate=n, h=h)
    return StepMath(symbolic=SYMBOLIC[cfg.cell], numeric=num, values=val, char=trace.text[t])
