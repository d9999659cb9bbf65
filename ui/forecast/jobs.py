"""The forecasting page's job: train the forecaster, then backtest it (runs in the job pool)."""

from ui.jobs.registry import job


@job
def forecast_job(ctx, series, config, bt):
    """A job function (runs in the job pool's child process): train, then backtest, with progress."""
    from rnn_models.forecast.pipeline import run_forecast

    def on_step(m):
        ctx.on_step(m)
        ctx.progress(0.85 * m["step"] / m["steps"], f"training step {m['step']}/{m['steps']}")

    def progress(frac, text):
        ctx.progress(0.85 + 0.15 * frac, f"backtest: {text}")

    return run_forecast(series, config, bt, on_step=on_step, should_stop=ctx.should_stop, progress=progress)
