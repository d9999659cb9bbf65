"""The music page's job: train a melody model on the student's MIDI files (runs in the job pool)."""

from ui.jobs.registry import job


@job
def train_melody(ctx, data, hidden: int, steps: int, budget: float, seed: int):
    """A job function (runs in the job pool's child process): train, then score on the held-out files."""
    from rnn_models.checkpoints import Checkpoint
    from rnn_models.music.model import finish_meta, melody_config, train_melody_model
    from rnn_models.training import TrainConfig

    cfg = melody_config(hidden=hidden, layers=1, embed=32, dropout=0.1)
    tcfg = TrainConfig(steps=steps, batch_size=16, lr=3e-3, seed=seed, eval_every=max(10, steps // 20),
                       eval_batches=2, time_budget_s=budget)
    model, result = train_melody_model(data.train, data.val, cfg, tcfg, seq_len=64,
                                       on_step=ctx.on_step, should_stop=ctx.should_stop)
    ctx.progress(1.0, "scoring on the held-out file(s)")
    meta = finish_meta(model, data, result, f"page: train on {data.description}")
    for p in model.parameters():
        p.requires_grad_(False)
    return Checkpoint(model, meta)
