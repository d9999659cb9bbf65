"""Training jobs of the text page: one model, or RNN, GRU and LSTM in lockstep on one text (run in the job pool)."""

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
    """Train RNN, GRU and LSTM in lockstep: the same seed, text, batches and parameter budget."""
    from dataclasses import replace

    from rnn_models.network import count_parameters
    from rnn_models.text.train import LN2, build_model, matched_hidden, split_text, train_models
    from rnn_models.text.vocab import build_vocab, encode

    train, val = split_text(text)
    vocab = build_vocab(text)
    budget = count_parameters(build_model(replace(spec, cell="lstm"), len(vocab)))
    hidden = {c: matched_hidden(c, budget, len(vocab), spec.embed_size, spec.num_layers)
              for c in ("rnn", "gru", "lstm")}
    models = {c: build_model(replace(spec, cell=c, hidden_size=h), len(vocab)) for c, h in hidden.items()}

    def on_step(per_cell: dict[str, dict]) -> None:
        for cell, m in per_cell.items():
            ctx.on_step(dict(m, cell=cell, cell_step=m["step"]))
        m = per_cell["lstm"]
        if spec.time_budget_s:
            ctx.progress(min(1.0, m["elapsed_s"] / spec.time_budget_s), "training RNN, GRU and LSTM side by side")

    results = train_models(models, encode(train, vocab), encode(val, vocab), spec, on_step=on_step,
                           should_stop=ctx.should_stop)
    return {cell: {"hidden": hidden[cell], "parameters": count_parameters(model), "history": results[cell].history,
                   "val_bpc": None if results[cell].final_val_loss is None else results[cell].final_val_loss / LN2}
            for cell, model in models.items()}


