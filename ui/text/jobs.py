"""Training jobs of the text page: one model, or RNN vs GRU vs LSTM on the same text (run in the job pool)."""

from functools import partial

from rnn_models.checkpoints import Checkpoint
from ui.jobs.registry import job


def train_job(text: str, spec, source: str):
    """A job function (picklable, for the job pool's child process): train one model on `text`."""
    return partial(_train_run, text=text, spec=spec, source=source)


@job
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


@job
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


