"""python -m rnn_models: one subcommand per task; each area adds its own in <area>/cli.py.

Bad arguments or bad input files exit with code 2 and a one-line message on stderr.
"""

import argparse
import json
import os
import sys
from collections.abc import Callable

from .checkpoints import CheckpointError
from .errors import UserInputError

_KINDED: dict[str, dict[str, tuple[Callable, Callable]]] = {}  # filled while a parser is built


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, no usage dump
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def command_line(args, verb: str, skip=("func", "command", "kind", "json")) -> str:
    """The command line that reproduces a run, rebuilt from its parsed options (for a checkpoint's JSON)."""
    import shlex

    parts = ["python", "-m", "rnn_models", *verb.split()]
    for k, v in vars(args).items():
        if k in skip or v is None or v is False:
            continue
        flag = "--" + k.replace("_", "-")
        parts += [flag] if v is True else [flag, *map(str, v)] if isinstance(v, list) else [flag, str(v)]
    return " ".join(shlex.quote(p) for p in parts)


def register_kind(kind: str, parser, run: Callable, add_train_args: Callable, train: Callable,
                  add_evaluate_args: Callable, evaluate: Callable) -> None:
    """An area's own subcommand runs `run`; `train KIND` and `evaluate KIND` get their options and functions."""
    parser.set_defaults(func=run)
    register_train(kind, add_train_args, train)
    register_evaluate(kind, add_evaluate_args, evaluate)


def add_network_args(p, *, cell: str, hidden: int, embed: int, dropout: float) -> None:
    """The options every trainer shares: cell, hidden size, embedding size, dropout."""
    p.add_argument("--cell", default=cell, choices=("rnn", "lstm", "gru"))
    p.add_argument("--hidden", type=int, default=hidden)
    p.add_argument("--embed", type=int, default=embed)
    p.add_argument("--dropout", type=float, default=dropout)


def register_train(kind: str, add_args: Callable, func: Callable) -> None:
    """Add `train KIND`: add_args(parser) declares its options, func(args) -> exit code runs it."""
    _KINDED.setdefault("train", {})[kind] = (add_args, func)


def register_evaluate(kind: str, add_args: Callable, func: Callable) -> None:
    """Add `evaluate KIND` (see register_train)."""
    _KINDED.setdefault("evaluate", {})[kind] = (add_args, func)


def _inspect(args) -> int:
    from .checkpoints import load
    from .network import count_parameters

    ckpt = load(args.model)
    info = {"config": ckpt.model.config.to_dict(), "parameters": count_parameters(ckpt.model),
            "metrics": ckpt.meta.get("metrics", {}), "command": ckpt.meta.get("command"),
            "data": ckpt.meta.get("data")}
    if args.json:
        print(json.dumps(info))
    else:
        for k, v in info.items():
            print(f"{k}: {v}")
    return 0


def _area_registrars() -> list[Callable]:
    """Each area's cli.register(sub): it adds its subcommands (and train/evaluate kinds)."""
    from .bench import cli as bench_cli
    from .classify import cli as classify_cli
    from .explore import cli as explore_cli
    from .forecast import cli as forecast_cli
    from .music import cli as music_cli
    from .text import cli as text_cli
    from .translate import cli as translate_cli

    return [text_cli.register, music_cli.register, forecast_cli.register, explore_cli.register,
            classify_cli.register, translate_cli.register, bench_cli.register]


def build_parser() -> argparse.ArgumentParser:
    _KINDED.clear()
    parser = _Parser(prog="python -m rnn_models",
                     description="RNN Studio from the terminal: train, sample, evaluate, explore.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    p = sub.add_parser("inspect", help="show a checkpoint's config, size, metrics and origin")
    p.add_argument("--model", required=True, help="checkpoint .json or .safetensors path")
    p.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    p.set_defaults(func=_inspect)
    for register in _area_registrars():
        register(sub)
    for verb, kinds in sorted(_KINDED.items()):
        vp = sub.add_parser(verb, help=f"{verb} a model ({' | '.join(sorted(kinds))})")
        ksub = vp.add_subparsers(dest="kind", metavar="KIND", parser_class=_Parser, required=True)
        for kind, (add_args, func) in sorted(kinds.items()):
            kp = ksub.add_parser(kind, help=f"{verb} a {kind} model")
            add_args(kp)
            kp.set_defaults(func=func)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from .device import init_distributed, keep_freed_memory

    if args.command == "train":  # this process trains: reuse freed memory rather than map it afresh each step
        keep_freed_memory()
    if init_distributed():  # under torchrun: only rank 0 speaks on stdout
        import torch.distributed as dist

        if dist.get_rank() != 0:
            sys.stdout = open(os.devnull, "w")
    try:
        return int(args.func(args) or 0)
    except (UserInputError, CheckpointError, FileNotFoundError, IsADirectoryError,
            PermissionError, UnicodeDecodeError) as e:
        sys.stderr.write(f"error: {_one_line(e)}\n")
        return 2
    except ValueError as e:
        sys.stderr.write(f"error: {_one_line(e)}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        return 130
    except Exception as e:  # never a traceback for the user; the type names the bug for us
        sys.stderr.write(f"error: internal error ({type(e).__name__}): {_one_line(e)}\n")
        return 1


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split()) or type(e).__name__
