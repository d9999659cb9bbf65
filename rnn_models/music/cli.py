"""Music subcommands: `continue`, `train melody`, `evaluate melody`."""

import argparse
import json
from pathlib import Path

from rnn_models.cli import command_line
from rnn_models.errors import UserInputError


def register(sub) -> None:
    from rnn_models.cli import register_evaluate, register_train

    p = sub.add_parser("continue", help="continue a melody from a MIDI or audio file")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--midi", help="primer MIDI file")
    src.add_argument("--audio", help="primer recording (wav, flac, ogg, mp3)")
    p.add_argument("--track", type=int, default=None, help="MIDI track index (default: all non-drum)")
    p.add_argument("--bars", type=int, required=True, help="bars to add")
    p.add_argument("--temperature", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--variations", type=int, default=1, help="1-8; files get a -N suffix when >1")
    p.add_argument("--key", default="none", help="'none', 'auto' or e.g. 'D minor'")
    p.add_argument("--bpm", type=float, default=None, help="audio only: tempo (default: estimated)")
    p.add_argument("--no-primer", action="store_true", help="leave the primer out of the output file")
    p.add_argument("--model", default=None, help="melody checkpoint .json (default: the pretrained)")
    p.add_argument("--out", required=True, help="output MIDI path")
    p.add_argument("--wav", default=None, help="also render a WAV here")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_continue)
    register_train("melody", add_train_args, train)
    register_evaluate("melody", add_evaluate_args, evaluate)


def _read(path: str) -> bytes:
    return Path(path).read_bytes()


def run_continue(args) -> int:
    from rnn_models.device import limit_threads
    from rnn_models.music.midi_io import melody_from_midi, read_midi
    from rnn_models.music.model import DEFAULT_MODEL, load_melody_model
    from rnn_models.music.pipeline import ContinueSettings, continue_primer
    from rnn_models.sampling import SamplingSettings

    limit_threads(1)
    if args.midi:
        primer = melody_from_midi(read_midi(_read(args.midi)), args.track, Path(args.midi).stem)
    else:
        from rnn_models.music.audio_in import analyse, read_audio

        audio, sr = read_audio(_read(args.audio), Path(args.audio).name)
        primer = analyse(audio, sr, bpm=args.bpm, name=Path(args.audio).stem).melody
    model = load_melody_model(args.model or DEFAULT_MODEL).model
    settings = ContinueSettings(args.bars, SamplingSettings(temperature=args.temperature), args.seed,
                                args.variations, args.key, keep_primer=not args.no_primer)
    res = continue_primer(model, primer, settings)
    outs = []
    for i, v in enumerate(res.variations):
        out = Path(args.out)
        if len(res.variations) > 1:
            out = out.with_name(f"{out.stem}-{i + 1}{out.suffix}")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(v.midi)
        outs.append(str(out))
        if args.wav:
            from rnn_models.music.synth import render_notes, wav_bytes

            wav = Path(args.wav)
            if len(res.variations) > 1:
                wav = wav.with_name(f"{wav.stem}-{i + 1}{wav.suffix}")
            wav.write_bytes(wav_bytes(*render_notes(v.output_notes)))
    v = res.variations[0]
    notes = [[int(p), round(s, 4), round(e, 4)] for p, s, e in v.output_notes]
    info = {"primer_end": round(res.primer_end, 4), "notes": notes, "files": outs,
            "key": res.key.name if res.key else None, "tempo_bpm": primer.tempo_bpm,
            "time_signature": list(primer.time_signature)}
    if args.json:
        print(json.dumps(info))
    else:
        n_new = sum(1 for *_, prim in v.notes if not prim)
        print(f"primer: {res.primer_steps} steps ({res.primer_end:.2f} s); added {n_new} notes "
              f"in {args.bars} bars -> {', '.join(outs)}")
    return 0


def add_train_args(p: argparse.ArgumentParser) -> None:
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--midi", nargs="+", help="MIDI files to learn from")
    src.add_argument("--corpus", action="store_true", help="the built-in Essen + Bach corpus")
    p.add_argument("--out", required=True, help="directory for the checkpoint")
    p.add_argument("--name", default="music_lstm", help="checkpoint file stem")
    p.add_argument("--cell", default="lstm", choices=["rnn", "lstm", "gru"])
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--embed", type=int, default=48)
    p.add_argument("--dropout", type=float, default=0.2)
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--seq-len", type=int, default=128)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--time-budget", type=float, default=None, help="seconds; stop when spent")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--device", default="auto", help="auto (CUDA when available, else CPU), cpu, cuda, cuda:1")
    p.add_argument("--half", action="store_true", help="store weights as fp16")
    p.add_argument("--json", action="store_true")


def train(args) -> int:
    from rnn_models.checkpoints import save
    from rnn_models.device import limit_threads
    from rnn_models.music.model import finish_meta, melody_config, train_melody_model
    from rnn_models.music.training_data import corpus_data, midi_data
    from rnn_models.progress import TerminalProgress
    from rnn_models.training import TrainConfig

    limit_threads(args.threads)
    data = corpus_data() if args.corpus else midi_data([(Path(f).name, _read(f)) for f in args.midi])
    cfg = melody_config(args.cell, args.hidden, args.layers, args.embed, args.dropout)
    tcfg = TrainConfig(steps=args.steps, batch_size=args.batch_size, lr=args.lr, seed=args.seed,
                       eval_every=max(50, args.steps // 20), eval_batches=8,
                       time_budget_s=args.time_budget)
    bar = TerminalProgress(tcfg.steps, "train melody")

    def on_step(m):
        if m["step"] % 10 == 0 or "val_loss" in m:
            bar.update(m["step"], loss=m["loss"], **({"val": m["val_loss"]} if "val_loss" in m else {}))

    model, result = train_melody_model(data.train, data.val, cfg, tcfg, args.seq_len,
                                       on_step=on_step, device=args.device)
    bar.close()
    meta = finish_meta(model, data, result, command_line(args, "train melody"))
    stem = Path(args.out) / args.name
    save(model, stem, meta, half=args.half)
    report = {"checkpoint": str(stem.with_suffix(".json")), "metrics": meta["metrics"],
              "stopped": result.stopped, "steps": len(result.history)}
    print(json.dumps(report) if args.json else _table(meta["metrics"]["heldout"], report))
    return 0


def _table(table: dict, extra: dict | None = None) -> str:
    lines = [f"{'model':<10} {'nats/event':>10} {'nats/note':>10} {'accuracy':>9}"]
    for name, r in table.items():
        lines.append(f"{name:<10} {r['nll_per_event']:>10.4f} {r['nll_per_note']:>10.3f} "
                     f"{r['accuracy']:>9.3f}")
    if extra:
        lines.append(" ".join(f"{k}={v}" for k, v in extra.items() if k != "metrics"))
    return "\n".join(lines)


def add_evaluate_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", default=None, help="melody checkpoint .json (default: the pretrained)")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--midi", nargs="+", help="MIDI files to score")
    src.add_argument("--corpus-test", action="store_true", help="the corpus's held-out pieces")
    p.add_argument("--json", action="store_true")


def evaluate(args) -> int:
    from rnn_models.device import limit_threads
    from rnn_models.music.midi_io import melody_from_midi, read_midi
    from rnn_models.music.model import DEFAULT_MODEL, evaluate_melodies, load_melody_model
    from rnn_models.music.training_data import corpus_data

    limit_threads(1)
    model = load_melody_model(args.model or DEFAULT_MODEL).model
    if args.midi:
        seqs = []
        for f in args.midi:
            try:
                seqs.append(melody_from_midi(read_midi(_read(f))).events)
            except UserInputError as e:
                raise UserInputError(f"{f}: {e}") from None
    else:
        seqs = corpus_data().test
    base = corpus_data()  # baselines learn from the corpus training split, like the pretrained model
    table = evaluate_melodies(seqs, model, base.markov(), base.repeat())
    if args.json:
        print(json.dumps({"pieces": len(seqs), "table": table}))
    else:
        print(_table(table))
    return 0
