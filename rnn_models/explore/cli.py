"""`python -m rnn_models explore gradients|race`: gradient flow and the long-range race from a terminal."""

import json

from rnn_models.device import limit_threads
from rnn_models.network import CELLS
from rnn_models.progress import TerminalProgress

from .tasks import TASKS


def register(subparsers) -> None:
    p = subparsers.add_parser("explore", help="look inside RNNs: gradient flow, long-range race")
    sub = p.add_subparsers(dest="explore_command", metavar="WHAT", required=True)

    g = sub.add_parser("gradients", help="‖∂L/∂h_t‖ for every step t, loss at the last step")
    g.add_argument("--cell", choices=CELLS, default="rnn")
    g.add_argument("--length", type=int, default=50, help="sequence length T (2..1000)")
    g.add_argument("--scale", type=float, default=None,
                   help="spectral radius of W_hh at initialisation (default: torch's init)")
    g.add_argument("--nonlinearity", choices=("tanh", "relu"), default="tanh", help="vanilla RNN only")
    g.add_argument("--budget", type=int, default=3000, help="parameter budget that sets the hidden size")
    g.add_argument("--chrono", action="store_true", help="chrono-initialise the LSTM's forget/input biases")
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    g.set_defaults(func=gradients)

    r = sub.add_parser("race", help="train RNN, LSTM and GRU together on a long-range task")
    r.add_argument("--task", choices=TASKS, default="adding")
    r.add_argument("--length", type=int, default=100, help="delay T the models must bridge (2..1000)")
    r.add_argument("--seconds", type=float, default=60.0, help="training time for all cells together")
    r.add_argument("--no-chrono", action="store_true", help="plain LSTM initialisation instead of chrono")
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    r.set_defaults(func=race)


def gradients(args) -> int:
    from .gradients import compare_cells, pascanu_condition

    limit_threads()
    flow = compare_cells(args.length, scale=args.scale, nonlinearity=args.nonlinearity, budget=args.budget,
                         seed=args.seed, cells=(args.cell,), chrono=args.chrono)[args.cell]
    info = {"cell": args.cell, "length": args.length, "scale": args.scale, "seed": args.seed, "chrono": args.chrono,
            "parameters": flow.parameters, "loss": flow.loss,
            "grad_norms": [float(v) for v in flow.grad_norms],
            "spectral_radius": flow.spectral_radius, "largest_singular_value": flow.singular_value,
            "pascanu": pascanu_condition(flow.singular_value, args.nonlinearity)}
    if args.json:
        print(json.dumps(info))
        return 0
    n = flow.grad_norms
    print(f"{args.cell}: T={args.length}, {flow.parameters} parameters, spectral radius of W_hh "
          f"{flow.spectral_radius:.3f}, largest singular value {flow.singular_value:.3f}")
    for t in sorted({1, 2, len(n) // 4, len(n) // 2, 3 * len(n) // 4, len(n)} - {0}):
        print(f"  ‖∂L/∂h_{t}‖ = {n[t - 1]:.3e}")
    ratio = n[0] / n[-1] if n[-1] > 0 else float("nan")
    print(f"  first/last ratio {ratio:.3e}")
    return 0


def race(args) -> int:
    from .race import RaceConfig, run_race, verdict

    limit_threads()
    config = RaceConfig(task=args.task, length=args.length, seconds=args.seconds, chrono=not args.no_chrono,
                        seed=args.seed)
    from .tasks import task_spec

    task_spec(config.task, config.length)  # validate before the progress bar appears
    bar = TerminalProgress(max(1, int(args.seconds * 10)), f"race {args.task} T={args.length}")

    def on_step(m):
        if "val_rnn" in m or m["step"] % 10 == 0:
            bar.update(min(int(m["elapsed_s"] * 10), int(args.seconds * 10)),
                       **{c: m[f"loss_{c}"] for c in config.cells})

    result = run_race(config, on_step=on_step)
    bar.close()
    info = {"task": args.task, "length": args.length, "seconds": args.seconds, "seed": args.seed,
            "chrono": config.chrono, "steps": result.steps, "elapsed_s": result.elapsed_s,
            "final": result.final, "baseline": result.baseline, "verdict": verdict(result)}
    if args.json:
        print(json.dumps(info))
        return 0
    unit = "MSE" if args.task == "adding" else "nats/step"
    print(f"{args.task} T={args.length}: {result.steps} steps in {result.elapsed_s:.1f} s; "
          f"baseline {result.baseline:.4f} {unit} ({result.baseline_label})")
    for cell, loss in result.final.items():
        print(f"  {cell:4s} {loss:.4f} {unit}  {verdict(result)[cell]}")
    return 0
