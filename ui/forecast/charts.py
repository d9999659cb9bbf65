"""Forecast-page figures: pure functions from ForecastRun tables to plotly Figures, and the experiment file."""

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ui.charts import COLORS, apply_theme, loss_chart


def baseline_colours() -> dict[str, str]:
    """Baseline name -> line colour, from the baseline registry."""
    from rnn_models.forecast.baselines import REGISTRY

    return {name: cls.colour for name, cls in REGISTRY.items()}

ACTUAL = "#1f1f1f"


def _themed(fig: go.Figure, title: str, height: int) -> go.Figure:
    """The house theme; the legend in rows above the plot (under the title, with room for as many rows as
    ~3 entries each need), so the plot keeps the full width, and y-axis labels automargined."""
    rows = max(1, -(-sum(trace.showlegend is not False for trace in fig.data) // 3))
    apply_theme(fig, title=title, height=height + 24 * (rows - 1))
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, xanchor="left"),
                      margin=dict(l=10, r=10, b=10, t=66 + 24 * rows), title=dict(y=0.99, yanchor="top"))
    fig.update_yaxes(automargin=True)
    return fig


def zoom_recent(fig: go.Figure, index, first: int, last=None) -> go.Figure:
    """Show rows index[first:] (and up to `last`, e.g. the forecast's end) with a range slider for the rest."""
    if len(index) == 0:
        return fig
    start = index[max(0, min(first, len(index) - 1))]
    end = last if last is not None else index[-1]
    lo, hi = _visible_y(fig, start, end)
    try:  # a little room after the last point, so the forecast is not glued to the edge
        end = end + (end - start) * 0.03
    except TypeError:
        pass
    fig.update_xaxes(range=[start, end], rangeslider=dict(visible=True, thickness=0.08))
    if lo is not None:  # plotly keeps the y range of all the data: fit it to what is shown
        pad = (hi - lo) * 0.08 or abs(hi) * 0.05 or 1.0
        fig.update_yaxes(range=[lo - pad, hi + pad])
    return fig


def _visible_y(fig: go.Figure, start, end) -> tuple[float | None, float | None]:
    """The smallest and largest y of every trace between x = start and x = end."""
    ys = []
    for trace in fig.data:
        if trace.x is None or trace.y is None or len(trace.x) == 0:
            continue
        x, y = pd.Index(trace.x), np.asarray(trace.y, dtype=float)
        try:
            keep = np.asarray((x >= start) & (x <= end))
        except TypeError:
            continue
        ys.append(y[keep & np.isfinite(y)])
    ys = np.concatenate(ys) if ys else np.array([])
    return (float(ys.min()), float(ys.max())) if len(ys) else (None, None)


def _band(fig: go.Figure, x, lower, upper, name: str) -> None:
    """A shaded interval between lower and upper."""
    fig.add_trace(go.Scatter(x=x, y=upper, mode="lines", line=dict(width=0), showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=x, y=lower, mode="lines", line=dict(width=0), fill="tonexty",
                             fillcolor="rgba(214,39,40,0.18)", name=name))


def forecast_chart(history: pd.Series, forecast: pd.DataFrame, labels: dict[str, str], level: float,
                   title: str, recent: int | None = None) -> go.Figure:
    """The history, the RNN forecast with its conformal band, and every baseline's forecast; with `recent`,
    zoomed to the last `recent` rows and the forecast, a range slider below for the rest."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=history.index, y=history.to_numpy(), name="actual", line=dict(color=ACTUAL)))
    x = forecast["date"]
    _band(fig, x, forecast["lower"], forecast["upper"], f"{level:.0%} interval")
    for name, color in baseline_colours().items():
        if name in forecast:
            fig.add_trace(go.Scatter(x=x, y=forecast[name], name=labels.get(name, name), mode="lines",
                                     line=dict(color=color, dash="dot")))
    fig.add_trace(go.Scatter(x=x, y=forecast["value"], name=labels.get("rnn", "RNN"), mode="lines+markers",
                             line=dict(color=COLORS["rnn"], width=3)))
    fig.update_yaxes(title=history.name)
    if recent is not None:
        zoom_recent(fig, history.index, len(history) - recent, x.iloc[-1] if len(x) else None)
    return _themed(fig, title, 520 if recent is not None else 460)


def metrics_bar_chart(table: pd.DataFrame, metric: str = "mase") -> go.Figure:
    """One bar per model for a backtest metric; a dashed line at 1 for MASE (the in-sample naive error)."""
    order = table[metric].sort_values()
    colors = [COLORS["rnn"] if i == 0 else COLORS["baseline"] for i in range(len(table))]
    color_of = dict(zip(table.index, colors))
    fig = go.Figure(go.Bar(x=order.to_numpy(), y=order.index, orientation="h",
                           marker_color=[color_of[k] for k in order.index],
                           text=[f"{v:.3f}" for v in order.to_numpy()], textposition="auto"))
    if metric == "mase":
        fig.add_vline(x=1.0, line_dash="dash", line_color=COLORS["baseline"])
    fig.update_xaxes(title=f"{metric.upper()} (lower is better)")
    fig.update_yaxes(autorange="reversed")
    return apply_theme(fig, title=f"Backtest {metric.upper()} per model", height=320)


def backtest_chart(frame: pd.DataFrame, labels: dict[str, str], level: float, anomalies=None,
                   recent: int = 150) -> go.Figure:
    """One-step backtest forecasts against the actual and the RNN's rolling interval, zoomed to the last `recent`
    points (a range slider for the rest); `anomalies` (rnn_models.forecast.anomaly.Anomalies) marks the points
    outside its strict interval."""
    fig = go.Figure()
    _band(fig, frame.index, frame["rnn_lower"], frame["rnn_upper"], f"{level:.0%} interval (RNN)")
    fig.add_trace(go.Scatter(x=frame.index, y=frame["actual"], name="actual", line=dict(color=ACTUAL)))
    fig.add_trace(go.Scatter(x=frame.index, y=frame["naive"], name=labels.get("naive", "naive"),
                             line=dict(color=baseline_colours()["naive"], dash="dot")))
    fig.add_trace(go.Scatter(x=frame.index, y=frame["rnn"], name=labels.get("rnn", "RNN"),
                             line=dict(color=COLORS["rnn"])))
    if anomalies is not None:
        flagged = frame[anomalies.flagged]
        fig.add_trace(go.Scatter(x=flagged.index, y=flagged["actual"], mode="markers",
                                 name=f"anomaly (outside the {anomalies.level:.0%} band)",
                                 marker=dict(symbol="circle-open", size=13, color="#ff7f0e", line=dict(width=3))))
    zoom_recent(fig, frame.index, len(frame) - recent)
    return _themed(fig, "Backtest: one-step-ahead forecasts over the test window", 520)


def lag_trap_chart(frame: pd.DataFrame, points: int = 120) -> go.Figure:
    """The RNN's one-step forecast drawn against the actual and against the actual shifted one step later."""
    tail = frame.iloc[-points:]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=tail.index, y=tail["actual"], name="actual", line=dict(color=ACTUAL)))
    fig.add_trace(go.Scatter(x=tail.index, y=tail["previous_actual"], name="actual shifted by one step",
                             line=dict(color=baseline_colours()["naive"], dash="dash")))
    fig.add_trace(go.Scatter(x=tail.index, y=tail["rnn"], name="RNN one-step forecast",
                             line=dict(color=COLORS["rnn"], width=2)))
    return _themed(fig, f"The lag trap: last {len(tail)} one-step forecasts", 400)


def moves_scatter(frame: pd.DataFrame) -> go.Figure:
    """Forecast move against actual move (both from the previous actual): copying gives a flat cloud."""
    f_move = frame["rnn"] - frame["previous_actual"]
    a_move = frame["actual"] - frame["previous_actual"]
    lim = float(np.nanpercentile(np.abs(a_move), 99)) or 1.0
    fig = go.Figure(go.Scatter(x=a_move, y=f_move, mode="markers", marker=dict(size=5, color=COLORS["rnn"],
                                                                               opacity=0.5), name="origins"))
    fig.add_trace(go.Scatter(x=[-lim, lim], y=[-lim, lim], mode="lines", name="perfect",
                             line=dict(color=COLORS["baseline"], dash="dash")))
    fig.update_xaxes(title="actual move", range=[-lim, lim])
    fig.update_yaxes(title="forecast move")
    return _themed(fig, "Predicted move vs actual move", 400)


# ---------------------------------------------------------------- experiment export (teacher mode)

def recent_history(run) -> pd.Series:
    """The last stretch of the series shown before the forecast (a few horizons or lookbacks)."""
    s, cfg = run.series, run.config
    values = s.values[-max(4 * cfg.horizon, 3 * cfg.lookback, 60):]
    return pd.Series(values, index=s.index[-len(values):], name=s.name)


def full_history(run) -> pd.Series:
    """The whole series (the forecast chart zooms to its recent part)."""
    return pd.Series(run.series.values, index=run.series.index, name=run.series.name)


def experiment_figures(run) -> dict[str, go.Figure]:
    """Every figure of a ForecastRun, by file name, as the page draws them."""
    from rnn_models.forecast.anomaly import flag_run

    bt, level, one = run.backtest, run.backtest_config.level, run.one_step_frame()
    return {
        "forecast": forecast_chart(full_history(run), run.forecast, bt.labels, level,
                                   f"Next {run.config.horizon} steps of {run.series.name}",
                                   recent=len(recent_history(run))),
        "backtest_mase": metrics_bar_chart(run.metrics_table()),
        "backtest_one_step": backtest_chart(one, bt.labels, level, flag_run(run)),
        "lag_trap": lag_trap_chart(one),
        "moves": moves_scatter(one),
        "training_loss": loss_chart(run.forecaster.history, title="Training loss (scaled MSE)"),
    }


def experiment_metrics(run) -> dict:
    """The numbers of a ForecastRun as plain JSON: every model's backtest metrics, coverage, lag trap."""
    bt, lt = run.backtest, run.lag_trap
    return {
        "series": run.series.name,
        "rows": len(run.series),
        "models": {name: {"label": bt.labels[name], **{k: float(v) for k, v in m.items()}}
                   for name, m in bt.metrics.items()},
        "interval_level": float(run.backtest_config.level),
        "interval_coverage": float(run.coverage),
        "paired_t_vs_naive": float(run.paired_t("naive")),
        "lag_trap": {"corr_actual": float(lt.corr_actual), "corr_previous": float(lt.corr_previous),
                     "corr_moves": float(lt.corr_moves), "copies_previous": bool(lt.copies_previous)},
        "train_rows": int(bt.train_end),
        "backtest_origins": int(len(bt.origins)),
        "trained_steps": int(run.forecaster.history[-1]["step"]) if run.forecaster.history else 0,
        "forecast": [{"date": str(r["date"]), "value": float(r["value"]), "lower": float(r["lower"]),
                      "upper": float(r["upper"])} for _, r in run.forecast.iterrows()],
        "seconds": float(run.seconds),
    }


def experiment_zip(run, setup: dict[str, str]) -> bytes:
    """The experiment file: set-up, metrics, figures (HTML) and the trained network with its scaler."""
    from rnn_models.checkpoints import Checkpoint
    from ui.experiment import build

    f = run.forecaster
    meta = {"task": "forecast", "forecast_config": run.config.to_dict(), "train_end": int(f.train_end),
            "scaler": {"mean": [float(v) for v in f.scaler.mean], "std": [float(v) for v in f.scaler.std]},
            "series": run.series.name}
    return build("stock_forecasting", setup, experiment_metrics(run), experiment_figures(run),
                 Checkpoint(f.model, meta))
