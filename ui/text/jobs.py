"""Training jobs of the text page (one model, or RNN vs GRU vs LSTM), their charts, and checkpoint checks."""

import tempfile
from functools import partial
from pathlib import Path

import plotly.graph_objects as go

from rnn_models.checkpoints import Checkpoint
from rnn_models.errors import UserInputError
from ui.charts import loss_chart, multi_loss_chart


def train_job(text: str, spec, source: str):
    """A job function (picklable, for the job pool's child process): train one model on `text`."""
    return partial(_train_run, text=text, spec=spec, source=source)


def _train_run(ctx, text: str, spec, source: str):
    """Train one model on `text` and return what the page keeps."""
    from rnn_models.text.train import bits_per_char, spec_meta, split_text, train_text
    from rnn_models.text.vocab import build_vocab, encode

    train, val = split_text(text)
    vocab = build_vocab(text)
    model, vocab, result = train_text(train, val, spec, vocab=vocab, on_step=ctx.on_step,
                                      should_stop=ctx.should_stop)
    scored = val[:20_000] if ctx.should_stop() else val[:100_000]  # a stopped run returns at once
    metrics = {"val_bpc": bits_per_char(model, encode(scored, vocab))}
    metrics.update(spec_meta(spec, model, result))
    budget = f"--steps {spec.steps}" if spec.time_budget_s is None else f"--minutes {spec.time_budget_s / 60:g}"
    meta = {"task": "text", "vocab": vocab, "metrics": metrics,
            "data": {"description": f"{source}, trained on the text generation page",
                     "characters": {"train": len(train), "val": len(val)},
                     "split": "first 90% train, last 10% validation"},
            "command": (f"python -m rnn_models train text --input {source} --cell {spec.cell} "
                        f"--hidden {spec.hidden_size} --layers {spec.num_layers} --embed {spec.embed_size} "
                        f"--seq-len {spec.seq_len} --batch-size {spec.batch_size} --lr {spec.lr} "
                        f"{budget} --seed {spec.seed} --out DIR")}
    return {"checkpoint": Checkpoint(model, meta), "train_text": train, "history": result.history}


def compare_job(text: str, spec):
    """A job function (picklable): RNN, GRU and LSTM on the same text, seed and parameter budget."""
    return partial(_compare_run, text=text, spec=spec)


def _compare_run(ctx, text: str, spec):
    """Train RNN, GRU and LSTM with the same seed, text and parameter budget, one after the other."""
    from dataclasses import replace

    from rnn_models.network import count_parameters
    from rnn_models.text.train import LN2, build_model, matched_hidden, split_text, train_text
    from rnn_models.text.vocab import build_vocab

    train, val = split_text(text)
    vocab = build_vocab(text)
    budget = count_parameters(build_model(replace(spec, cell="lstm"), len(vocab)))
    out = {}
    for i, cell in enumerate(("rnn", "gru", "lstm")):
        if ctx.should_stop():
            break
        h = matched_hidden(cell, budget, len(vocab), spec.embed_size, spec.num_layers)
        s = replace(spec, cell=cell, hidden_size=h,
                    time_budget_s=None if spec.time_budget_s is None else spec.time_budget_s / 3)

        def on_step(m, cell=cell, i=i, s=s):
            ctx.on_step(dict(m, cell=cell, cell_step=m["step"], step=i * s.steps + m["step"],
                             steps=3 * s.steps))
            if s.time_budget_s:
                ctx.progress((i + min(1.0, m["elapsed_s"] / s.time_budget_s)) / 3, f"training the {cell}")

        model, _, result = train_text(train, val, s, vocab=vocab, on_step=on_step,
                                      should_stop=ctx.should_stop)
        out[cell] = {"hidden": h, "parameters": count_parameters(model), "history": result.history,
                     "val_bpc": None if result.final_val_loss is None else result.final_val_loss / LN2}
    return out


def compare_chart(metrics: list[dict]) -> go.Figure:
    hist = {}
    for m in metrics:
        hist.setdefault(m["cell"].upper(), []).append(dict(m, step=m["cell_step"]))
    return multi_loss_chart(hist, "val_bpc", title="Validation bits per character", y_title="bits per character")


def train_chart(metrics: list[dict]) -> go.Figure:
    return loss_chart(metrics, {"bpc": "train", "val_bpc": "validation"}, title="Bits per character",
                      y_title="bits per character")


def checkpoint_files(ckpt: Checkpoint) -> tuple[bytes, bytes]:
    from rnn_models import checkpoints

    with tempfile.TemporaryDirectory() as d:
        w, j = checkpoints.save(ckpt.model, Path(d) / "my_text_model", ckpt.meta)
        return w.read_bytes(), j.read_bytes()


def check_text_model(ckpt: Checkpoint) -> None:
    """Refuse checkpoints that cannot generate text (wrong shapes, bidirectional)."""
    from rnn_models.text.vocab import check_vocab

    vocab = check_vocab(ckpt.meta.get("vocab"))
    cfg = ckpt.model.config
    if cfg.input_kind != "embedding" or cfg.input_size != len(vocab) or cfg.output_size != len(vocab):
        raise UserInputError(f"this checkpoint does not fit its vocabulary of {len(vocab)} characters "
                             f"(input {cfg.input_size}, output {cfg.output_size}): it is not a text model")
    if cfg.bidirectional:
        raise UserInputError("a bidirectional model cannot generate text left to right")
