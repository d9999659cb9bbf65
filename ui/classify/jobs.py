"""The classification page's jobs (run in the job pool's child process)."""

from ui.jobs.registry import job


@job
def train_job(ctx, config, train, data=None, task=None):
    """Train a classifier on `data` (or a built-in task's), then score it and every baseline on the held-out split."""
    from rnn_models.classify.evaluation import evaluate, model_name
    from rnn_models.classify.pipeline import load_task, train_run

    if data is None:
        ctx.progress(0.0, "loading the data")
        data = load_task(task)

    def on_step(m):
        ctx.on_step(m)
        ctx.progress(0.85 * m["step"] / m["steps"], f"training step {m['step']}/{m['steps']}")

    run = train_run(data, config, train, on_step=on_step, should_stop=ctx.should_stop)
    ctx.progress(0.9, "fitting the baselines on the same split")
    ev = evaluate(data, {model_name(run.classifier): run.classifier}, train.seed)
    return {"run": run, "evaluation": ev}


@job
def evaluate_job(ctx, task, seed):  # seed: the baselines' solvers (the split is fixed)
    """Score the shipped checkpoint of a built-in task and every baseline on its held-out split."""
    from rnn_models.classify.evaluation import evaluate, model_name
    from rnn_models.classify.pipeline import load_pretrained, load_task

    ctx.progress(0.1, "loading the data")
    data = load_task(task)
    clf = load_pretrained(task)
    ctx.progress(0.3, "fitting the baselines and scoring every model")
    return {"evaluation": evaluate(data, {"shipped " + model_name(clf): clf}, seed)}
