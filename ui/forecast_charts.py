"""Forecast-page figures: pure functions from ForecastRun tables to plotly Figures."""

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ui.charts import COLORS, apply_theme

BASELINE_COLORS = {"naive": "#7f7f7f", "seasonal_naive": "#9467bd", "drift": "#8c564b",
                   "moving_average": "#bcbd22", "arima": "#17becf"}
ACTUAL = "#1f1f1f"


def _band(fig: go.Figure, x, lower, upper, name: str) -> None:
    """A shaded interval between lower and upper."""
    fig.add_trace(go.Scatter(x=x, y=upper, mode="lines", line=dict(width=0), showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=x, y=lower, mode="lines", line=dict(width=0), fill="tonexty",
                             fillcolor="rgba(214,39,40,0.18)", name=name))


def forecast_chart(history: pd.Series, forecast: pd.DataFrame, labels: dict[str, str], level: float,
                   title: str) -> go.Figure:
    """Recent history, the RNN forecast with its conformal band, and every baseline's forecast."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=history.index, y=history.to_numpy(), name="actual", line=dict(color=ACTUAL)))
    x = forecast["date"]
    _band(fig, x, forecast["lower"], forecast["upper"], f"{level:.0%} interval")
    for name, color in BASELINE_COLORS.items():
        if name in forecast:
            fig.add_trace(go.Scatter(x=x, y=forecast[name], name=labels.get(name, name), mode="lines",
                                     line=dict(color=color, dash="dot")))
    fig.add_trace(go.Scatter(x=x, y=forecast["value"], name=labels.get("rnn", "RNN"), mode="lines+markers",
                             line=dict(color=COLORS["rnn"], width=3)))
    fig.update_yaxes(title=history.name)
    return apply_theme(fig, title=title, height=440)


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


def backtest_chart(frame: pd.DataFrame, labels: dict[str, str], level: float) -> go.Figure:
    """One-step backtest forecasts against the actual, the RNN's rolling interval and flagged anomalies."""
    fig = go.Figure()
    _band(fig, frame.index, frame["rnn_lower"], frame["rnn_upper"], f"{level:.0%} interval (RNN)")
    fig.add_trace(go.Scatter(x=frame.index, y=frame["actual"], name="actual", line=dict(color=ACTUAL)))
    fig.add_trace(go.Scatter(x=frame.index, y=frame["naive"], name=labels.get("naive", "naive"),
                             line=dict(color=BASELINE_COLORS["naive"], dash="dot")))
    fig.add_trace(go.Scatter(x=frame.index, y=frame["rnn"], name=labels.get("rnn", "RNN"),
                             line=dict(color=COLORS["rnn"])))
    flagged = frame[frame["anomaly"]]
    fig.add_trace(go.Scatter(x=flagged.index, y=flagged["actual"], mode="markers", name="anomaly",
                             marker=dict(symbol="x", size=9, color="#ff7f0e", line=dict(width=2))))
    return apply_theme(fig, title="Backtest: one-step-ahead forecasts over the test window", height=420)


def lag_trap_chart(frame: pd.DataFrame, points: int = 120) -> go.Figure:
    """The RNN's one-step forecast drawn against the actual and against the actual shifted one step later."""
    tail = frame.iloc[-points:]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=tail.index, y=tail["actual"], name="actual", line=dict(color=ACTUAL)))
    fig.add_trace(go.Scatter(x=tail.index, y=tail["previous_actual"], name="actual shifted by one step",
                             line=dict(color=BASELINE_COLORS["naive"], dash="dash")))
    fig.add_trace(go.Scatter(x=tail.index, y=tail["rnn"], name="RNN one-step forecast",
                             line=dict(color=COLORS["rnn"], width=2)))
    return apply_theme(fig, title=f"The lag trap: last {len(tail)} one-step forecasts", height=380)


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
    return apply_theme(fig, title="Predicted move vs actual move", height=380)
