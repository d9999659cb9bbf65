"""Gradients through time: ‖∂L/∂h_t‖ per step, W_hh's spectrum, Jacobian products, clipping."""

from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor, nn

from rnn_models.cells import transparent_forward
from rnn_models.device import shapes_only
from rnn_models.errors import UserInputError
from rnn_models.network import CELLS, ModelConfig, SequenceModel, count_parameters
from rnn_models.training import TrainConfig, fit_many

from .tasks import adding_batch, check_length

GATE_BLOCKS = {"rnn": 1, "lstm": 4, "gru": 3}  # H x H blocks stacked in weight_hh (torch's layout)
MAX_DERIVATIVE = {"tanh": 1.0, "relu": 1.0, "sigmoid": 0.25}  # γ in Pascanu et al. 2013


@dataclass
class GradientFlow:
    """What one backward pass from a loss at the last step says about every earlier step."""

    cell: str
    grad_norms: np.ndarray  # (T,) ‖∂L/∂h_t‖ for t = 1..T, averaged over the batch
    grad_units: np.ndarray  # (T, H) |∂L/∂h_t| per unit, first example
    loss: float
    spectral_radius: float  # max |eigenvalue| of W_hh (per gate block: the largest)
    singular_value: float  # largest singular value of W_hh (per gate block: the largest)
    parameters: int


def _first_layer_hh(model: SequenceModel) -> Tensor:
    return dict(model.rnn.named_parameters())["weight_hh_l0"]


def hh_blocks(model: SequenceModel, layer: int = 0, reverse: bool = False) -> dict[str, Tensor]:
    """W_hh split into its H x H gate blocks, named like the gates."""
    name = f"weight_hh_l{layer}" + ("_reverse" if reverse else "")
    w = dict(model.rnn.named_parameters())[name].detach()
    names = {"rnn": ("W_hh",), "lstm": ("input", "forget", "cell_candidate", "output"),
             "gru": ("reset", "update", "candidate")}[model.config.cell]
    return dict(zip(names, w.chunk(GATE_BLOCKS[model.config.cell], dim=0)))


def spectral_radius(w: Tensor) -> float:
    """Largest |eigenvalue| of a square matrix."""
    return float(torch.linalg.eigvals(w.double()).abs().max())


def largest_singular_value(w: Tensor) -> float:
    """Largest singular value (the 2-norm) of a matrix."""
    return float(torch.linalg.matrix_norm(w.double(), ord=2))


def scale_recurrent(model: SequenceModel, radius: float) -> dict[str, float]:
    """Rescale every H x H block of every W_hh to spectral radius `radius`; returns the radii reached."""
    if not (0 < radius <= 100):
        raise UserInputError(f"the recurrent scale must be between 0 and 100, got {radius}")
    reached = {}
    with torch.no_grad():
        for name, p in model.rnn.named_parameters():
            if not name.startswith("weight_hh"):
                continue
            for i, block in enumerate(p.chunk(GATE_BLOCKS[model.config.cell], dim=0)):
                rho = spectral_radius(block)
                if rho > 0:
                    block.mul_(radius / rho)
                reached[f"{name}[{i}]"] = spectral_radius(block)
    return reached


def hidden_for_budget(cell: str, budget: int, input_size: int, output_size: int,
                      input_kind: str = "linear") -> int:
    """The hidden size whose one-layer model has the parameter count closest to `budget`."""
    best, best_gap = 1, None
    for h in range(1, 1025):
        with shapes_only():
            n = count_parameters(SequenceModel(ModelConfig(cell=cell, input_size=input_size, input_kind=input_kind,
                                                           hidden_size=h, output_size=output_size)))
        gap = abs(n - budget)
        if best_gap is None or gap < best_gap:
            best, best_gap = h, gap
        if n > budget:
            break
    return best


def gradient_model(cell: str, *, hidden_size: int, scale: float | None = None, nonlinearity: str = "tanh",
                   seed: int = 0, input_size: int = 2, output_size: int = 1,
                   chrono: int | None = None) -> SequenceModel:
    """A fresh one-layer model with W_hh rescaled to spectral radius `scale` (None keeps torch's init).

    chrono=T gives an LSTM chrono-initialised forget/input biases for delays up to T.
    """
    torch.manual_seed(seed)
    cfg = ModelConfig(cell=cell, input_size=input_size, input_kind="linear", hidden_size=hidden_size,
                      output_size=output_size, nonlinearity=nonlinearity if cell == "rnn" else "tanh")
    model = SequenceModel(cfg)
    if scale is not None:
        scale_recurrent(model, scale)
    if chrono is not None:
        from .race import chrono_init

        chrono_init(model, chrono, torch.Generator().manual_seed(seed))
    return model


def last_step_mse(outputs: Tensor, y: Tensor) -> Tensor:
    """The loss at the last step only: MSE of the final output (the adding problem's loss)."""
    return nn.functional.mse_loss(outputs[:, -1, :], y)


def gradient_flow(model: SequenceModel, x: Tensor, y: Tensor, loss_fn=last_step_mse) -> GradientFlow:
    """‖∂L/∂h_t‖ of the first layer's hidden state at every step, for a loss at the last step.

    h_t here is the graph node the recurrence passes on, so the gradient is the total one through
    every later step (what backpropagation through time delivers), not just the direct path.
    """
    if model.config.bidirectional:
        raise UserInputError("gradient flow is shown for forward-only models; untick bidirectional")
    model.eval()
    outputs, _, trace = model.forward_traced(x, per_step=True)
    loss = loss_fn(outputs, y)
    steps = trace.hidden_steps[0][0]  # T tensors (batch, hidden)
    grads = torch.autograd.grad(loss, steps, allow_unused=True)
    grads = [torch.zeros_like(s) if g is None else g for s, g in zip(steps, grads)]
    g = torch.stack(grads, dim=1).detach()  # (batch, T, hidden)
    blocks = hh_blocks(model)
    return GradientFlow(
        cell=model.config.cell,
        grad_norms=g.norm(dim=-1).mean(dim=0).numpy().astype(float),
        grad_units=g[0].abs().numpy().astype(float),
        loss=float(loss.detach()),
        spectral_radius=max(spectral_radius(b) for b in blocks.values()),
        singular_value=max(largest_singular_value(b) for b in blocks.values()),
        parameters=count_parameters(model),
    )


def compare_cells(length: int, *, scale: float | None = None, nonlinearity: str = "tanh", budget: int = 3000,
                  batch: int = 16, seed: int = 0, cells=CELLS, chrono: bool = False) -> dict[str, GradientFlow]:
    """Gradient flow for each cell on the same adding-problem batch and about the same parameter count."""
    check_length(length, 2, 1000)
    x, y = adding_batch(batch, length, torch.Generator().manual_seed(seed))
    out = {}
    for cell in cells:
        hidden = hidden_for_budget(cell, budget, 2, 1)
        model = gradient_model(cell, hidden_size=hidden, scale=scale, nonlinearity=nonlinearity, seed=seed,
                               chrono=length if chrono else None)
        out[cell] = gradient_flow(model, x, y)
    return out


def state_jacobians(model: SequenceModel, x: Tensor) -> list[Tensor]:
    """J_t = ∂s_t/∂s_{t-1} for t = 2..T on the first example, s = h (and c for the LSTM) of layer 0."""
    if model.config.num_layers != 1 or model.config.bidirectional:
        raise UserInputError("Jacobians are shown for one-layer, forward-only models")
    params = {k: v.detach() for k, v in model.rnn.named_parameters()}
    cell, nl = model.config.cell, model.config.nonlinearity
    hid = model.config.hidden_size
    inputs = model._inputs(x[:1]).detach()  # (1, T, features)
    lstm = cell == "lstm"

    def step(state: Tensor, x_t: Tensor) -> Tensor:
        h = state[:hid].view(1, 1, hid)
        c = state[hid:].view(1, 1, hid) if lstm else None
        _, h_n, c_n, _ = transparent_forward(params, cell, 1, False, x_t, h, c, nonlinearity=nl)
        return torch.cat([h_n.reshape(-1), c_n.reshape(-1)]) if lstm else h_n.reshape(-1)

    with torch.no_grad():
        _, _, trace = model.forward_traced(x[:1], per_step=False)
    hs = trace.hidden[0][0]  # (T, hidden)
    cs = trace.cell[0][0] if lstm else None
    jac = []
    for t in range(1, inputs.shape[1]):
        prev = torch.cat([hs[t - 1], cs[t - 1]]) if lstm else hs[t - 1]
        xt = inputs[:, t:t + 1]
        jac.append(torch.autograd.functional.jacobian(lambda s, xt=xt: step(s, xt), prev, vectorize=True))
    return jac


@dataclass
class JacobianProducts:
    norms: np.ndarray  # (T-1,) ‖J_t‖_2 for t = 2..T
    bound: np.ndarray  # (T,) ∏_{k>t} ‖J_k‖_2, the running product of norms back from the last step
    product: np.ndarray  # (T,) ‖J_T ⋯ J_{t+1}‖_2, the actual sensitivity ‖∂s_T/∂s_t‖


def jacobian_products(model: SequenceModel, x: Tensor) -> JacobianProducts:
    """Norms of the one-step Jacobians and of their products back from the last step."""
    jac = state_jacobians(model, x)
    norms = np.array([largest_singular_value(j) for j in jac])
    T = len(jac) + 1
    bound = np.ones(T)
    product = np.ones(T)
    acc = torch.eye(jac[0].shape[0], dtype=torch.float64) if jac else None
    for t in range(T - 2, -1, -1):  # s_t -> s_T goes through J_{t+1} .. J_T (jac index t .. T-2)
        bound[t] = bound[t + 1] * norms[t]
        acc = acc @ jac[t].double()
        product[t] = float(torch.linalg.matrix_norm(acc, ord=2))
    return JacobianProducts(norms=norms, bound=bound, product=product)


def pascanu_condition(singular_value: float, nonlinearity: str = "tanh") -> dict:
    """Pascanu, Mikolov & Bengio 2013: λ1 < 1/γ is sufficient for vanishing gradients."""
    gamma = MAX_DERIVATIVE[nonlinearity]
    return {"lambda1": singular_value, "gamma": gamma, "threshold": 1.0 / gamma,
            "must_vanish": singular_value < 1.0 / gamma}


def clipping_demo(*, cell: str = "rnn", length: int = 50, scale: float = 3.0, nonlinearity: str = "tanh",
                  hidden_size: int = 32, steps: int = 150, lr: float = 0.05, clip: float = 1.0, seed: int = 0,
                  on_step=None, should_stop=None) -> dict[str, list[dict]]:
    """Train the same model on the adding problem with plain SGD, without and with gradient-norm clipping,
    in lockstep on the same batches (one fit_many call).

    Plain SGD, because Adam divides each step by the gradient's running size and so hides explosions.
    Returns {"no clipping": history, "clipped at X": history}; each step has loss and the pre-clip grad_norm.
    """
    check_length(length, 2, 500)
    clips = {"no clipping": None, f"clipped at {clip:g}": clip}
    models = {label: gradient_model(cell, hidden_size=hidden_size, scale=scale, nonlinearity=nonlinearity,
                                    seed=seed) for label in clips}
    configs = {label: TrainConfig(steps=steps, batch_size=32, lr=lr, clip=c, seed=seed, optimizer="sgd")
               for label, c in clips.items()}
    runs = {label: [] for label in clips}

    def report(per_run: dict[str, dict]) -> None:
        for label, m in per_run.items():
            m = {"step": m["step"], "loss": _finite(m["loss"]), "grad_norm": _finite(m["grad_norm"])}
            runs[label].append(m)
            if on_step is not None:
                on_step({**m, "run": label, "steps": steps})

    def loss_fn(model: nn.Module, x: Tensor, y: Tensor) -> Tensor:
        out, _ = model(x)
        return last_step_mse(out, y)

    fit_many(models, lambda split, gen: adding_batch(32, length, gen), loss_fn, configs, on_step=report,
             should_stop=should_stop, validate=False)
    return runs


def _finite(v: float) -> float | None:
    return float(v) if np.isfinite(v) else None
