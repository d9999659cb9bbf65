"""The translation page's training job: an encoder-decoder on the student's sentence pairs (job pool)."""

from ui.jobs.registry import job


@job
def translate_train_job(ctx, pairs, model_config, train_config, data_config, source: str):
    """Train on `pairs` (split dict) and return the Translator and its loss history."""
    from rnn_models.translate.train import checkpoint_meta, train_translator
    from rnn_models.translate.translator import Translator

    def on_step(m):
        ctx.on_step(m)
        if train_config.time_budget_s:
            ctx.progress(min(1.0, m["elapsed_s"] / train_config.time_budget_s), f"step {m['step']}")
        else:
            ctx.progress(m["step"] / m["steps"], f"step {m['step']}/{m['steps']}")

    model, enc, result = train_translator(pairs, model_config, train_config, data_config, on_step=on_step,
                                          should_stop=ctx.should_stop)
    command = (f"python -m rnn_models train translate --pairs {source} --attention {model_config.attention} "
               f"--cell {model_config.cell} --hidden {model_config.hidden_size} --embed {model_config.embed_size} "
               f"--steps {train_config.steps} --seed {train_config.seed} --out runs/")
    meta = checkpoint_meta(enc, result, data_config, kind="seq2seq", command=command, seed=train_config.seed,
                           data={"description": f"{source}, uploaded on the translation page",
                                 "pairs": {k: len(v) for k, v in pairs.items()}})
    return {"translator": Translator(model, enc.src, enc.tgt, meta), "history": result.history,
            "stopped": result.stopped}
