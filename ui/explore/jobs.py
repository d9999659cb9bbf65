"""The explorer's jobs: the long-range race and the bidirectional fill-in (run in the job pool)."""

from ui.jobs.registry import job


@job
def run_race_job(ctx, config):
    from rnn_models.device import limit_threads
    from rnn_models.explore.race import run_race

    limit_threads()  # a worker thread may start with torch's default (all cores): oversubscribed, 10x slower

    def on_step(m):
        ctx.on_step({k: v for k, v in m.items() if k == "step" or k == "elapsed_s" or k.startswith("val_")}
                    if "val_rnn" in m else {"step": m["step"], "elapsed_s": m["elapsed_s"]})
        ctx.progress(min(1.0, m["elapsed_s"] / config.seconds), f"step {m['step']}, {m['elapsed_s']:.0f} s")

    result = run_race(config, on_step=on_step, should_stop=ctx.should_stop)
    result.models = {}  # the page needs the curves and numbers, not the weights
    return {"config": config, "result": result}


@job
def run_blank_job(ctx, config):
    from rnn_models.device import limit_threads
    from rnn_models.explore.bidirectional import example, train_fill_blank

    limit_threads()

    def on_step(m):
        ctx.on_step(m)
        ctx.progress(min(1.0, m["elapsed_s"] / config.seconds), f"step {m['step']}")

    result = train_fill_blank(config, on_step=on_step, should_stop=ctx.should_stop)
    examples = [example(result, config, seed=s) for s in (7, 8, 9)]
    result.models = {}
    return {"config": config, "result": result, "examples": examples}
