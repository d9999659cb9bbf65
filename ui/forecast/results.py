"""The forecast page's results: verdict, metrics, and the forecast, backtest, lag-trap, anomaly and download tabs."""

import streamlit as st


def verdict(run) -> str:
    """Plain words: does the RNN beat naive and the best baseline on MASE?"""
    m = run.backtest.metrics
    rnn, naive = m["rnn"]["mase"], m["naive"]["mase"]
    best = min((k for k in m if k != "rnn"), key=lambda k: m[k]["mase"])
    beat = "beats" if rnn < naive else "does **not** beat"
    t = run.paired_t("naive")
    gap = abs(naive - rnn) / naive
    change = f"{gap:.1%} smaller errors" if rnn < naive else f"{gap:.1%} larger errors"
    text = f"On this backtest the RNN {beat} the naive forecast: MASE {rnn:.3f} against {naive:.3f} ({change}). "
    if abs(t) < 2:
        text += (f"The difference is small next to its noise (paired t = {t:.2f}, |t| < 2): "
                 "on another stretch of data it could easily go the other way. ")
    else:
        text += f"The difference is larger than its noise (paired t = {t:.2f}). "
    if best != "naive":
        rel = "beats" if rnn < m[best]["mase"] else "trails"
        text += f"The best baseline is {run.backtest.labels[best]} (MASE {m[best]['mase']:.3f}); the RNN {rel} it. "
    if rnn > m[best]["mase"]:
        text += (f"**Plainly: on this series the RNN loses to {run.backtest.labels[best]}; "
                 f"for forecasts you rely on, use {run.backtest.labels[best]}.**")
    return text


def render_run(run) -> None:
    """Every result: forecast, backtest table and charts, lag trap, anomalies, downloads."""
    from rnn_models.forecast.anomaly import flag_run
    from ui.charts import loss_chart
    from ui.forecast import charts as fcharts

    bt, s, cfg, level = run.backtest, run.series, run.config, run.backtest_config.level
    st.subheader(f"Results: {s.name} · {bt.labels['rnn']}")
    total = cfg.steps * cfg.ensemble
    if run.forecaster.history and run.forecaster.history[-1]["step"] < total:
        st.warning(f"Training was stopped at step {run.forecaster.history[-1]['step']} of {total}.")
    st.markdown(verdict(run))
    m = bt.metrics
    c = st.columns(4)
    c[0].metric("RNN MASE", f"{m['rnn']['mase']:.3f}")
    c[1].metric("Naive MASE", f"{m['naive']['mase']:.3f}")
    c[2].metric("Seasonal naive MASE", f"{m['seasonal_naive']['mase']:.3f}")
    c[3].metric(f"{level:.0%} interval coverage", f"{run.coverage:.1%}", help=(
        f"Share of {run.intervals.n_valid:,} backtest points inside their {level:.0%} intervals, each built only "
        "from residuals known before its forecast (starting with the calibration window before the test rows), "
        "widened after misses and narrowed after hits (at step h by h counters taking turns)."))
    cal = bt.calibration
    st.caption(f"Trained once on {bt.train_end:,} rows, then rolled forward without refitting over "
               f"{len(bt.origins):,} origins × {cfg.horizon} steps ({run.seconds:.1f} s). "
               + (f"A network trained on the first {cal.origins[0] + 1:,} rows forecast the {len(cal.origins):,} "
                  "before the test window: its errors calibrate the interval and chose window scaling "
                  f"({'on' if cfg.window_scaling else 'off'})." if cal is not None else "")
               + (f" The interval stops at 0, since {s.name} is never below 0." if run.floor_at_zero else ""))
    one = run.one_step_frame()
    strict = flag_run(run)
    t_fc, t_bt, t_lag, t_an, t_dl = st.tabs(["Forecast", "Backtest", "Lag trap", "Anomalies", "Downloads"])
    with t_fc:
        title = f"Next {cfg.horizon} steps of {s.name}"
        st.plotly_chart(fcharts.forecast_chart(fcharts.full_history(run), run.forecast, bt.labels, level, title,
                                               recent=len(fcharts.recent_history(run))), key="fc_chart")
        st.caption("Zoomed to the recent stretch: drag the range slider under the chart to see the rest.")
        shown = run.forecast.copy()
        if hasattr(shown["date"], "dt") and (shown["date"].dt.normalize() == shown["date"]).all():
            shown["date"] = shown["date"].dt.date
        st.dataframe(shown, hide_index=True)
    with t_bt:
        table = run.metrics_table()
        st.dataframe(table.style.format({"mae": "{:.4g}", "rmse": "{:.4g}", "smape": "{:.3f}%",
                                         "mase": "{:.3f}", "directional_accuracy": "{:.1%}"}))
        st.caption("MASE: MAE divided by the in-sample MAE of the one-step naive forecast on the training rows "
                   "(below 1 = better than that). Directional accuracy: share of forecasts that move the right "
                   "way from the last value; naive never moves, so it scores 0.")
        st.plotly_chart((fcharts.metrics_bar_chart(table)), key="fc_bars")
        st.plotly_chart(fcharts.backtest_chart(one, bt.labels, level, strict), key="fc_bt_chart")
        st.plotly_chart((loss_chart(run.forecaster.history, title="Training loss (scaled MSE)")),
                        key="fc_loss")
    with t_lag:
        lag_tab(run, one)
    with t_an:
        anomaly_tab(one, strict, level)
    with t_dl:
        downloads_tab(run)


def lag_tab(run, one) -> None:
    """The lag trap: does the one-step forecast copy the previous value?"""
    from ui.forecast import charts as fcharts

    lt = run.lag_trap
    st.plotly_chart((fcharts.lag_trap_chart(one)), key="fc_lag")
    st.markdown(
        f"Correlation of the one-step forecast with **the value it forecast**: **{lt.corr_actual:.3f}**. "
        f"With **the previous value** (the actual shifted by one step): **{lt.corr_previous:.3f}**. "
        f"Correlation of the predicted *move* with the real move: **{lt.corr_moves:.3f}**.")
    if lt.copies_previous:
        st.warning("The forecast follows yesterday's value more closely than today's: the network has "
                   "mostly learned to repeat the last value, one step late. A high correlation with the "
                   "actual is no sign of skill here — any copy of yesterday gets it.")
    else:
        st.success("The forecast is closer to the value it forecasts than to the previous one: "
                   "it predicts more than a copy of the last value.")
    bias = float((one["rnn"] - one["actual"]).mean())
    if abs(bias) > 0.5 * lt.mae_to_actual:
        st.warning(f"The one-step forecasts are also biased: on average {abs(bias):.4g} "
                   f"{'below' if bias < 0 else 'above'} the actual. When the test values leave the range seen "
                   "in training, a network fed raw levels saturates; modelling log returns avoids this.")
    st.plotly_chart((fcharts.moves_scatter(one)), key="fc_moves")


def downloads_tab(run) -> None:
    """The forecast and backtest as CSV, and the experiment file."""
    from rnn_models.forecast.export import safe_csv
    from ui.forecast import charts as fcharts

    s = run.series
    st.download_button("Download the forecast (CSV)", safe_csv(run.forecast), f"forecast_{s.name}.csv",
                       "text/csv", key="fc_dl_forecast")
    st.download_button("Download the backtest (CSV)", safe_csv(run.backtest_frame()),
                       f"backtest_{s.name}.csv", "text/csv", key="fc_dl_backtest")
    st.caption("Text cells that start with = + - @ are prefixed with ' so spreadsheets show them as text.")
    setup = st.session_state["fc_run_setup"] or {}
    st.download_button("Download experiment (.zip)", lambda: fcharts.experiment_zip(run, setup),
                       f"experiment_forecast_{s.name}.zip", "application/zip", key="fc_dl_experiment",
                       icon=":material/folder_zip:")
    st.caption("The set-up of this result (as in its link), every model's metrics, the figures as HTML "
               "files and the trained network (safetensors + JSON). Import it below to restore the set-up.")


def anomaly_tab(one, strict, level: float) -> None:
    """Anomalies at the strict level, with the false alarms to expect; the forecast interval's misses apart."""
    flagged = one[strict.flagged]
    outside = int(one["anomaly"].sum())
    st.markdown(
        f"**{len(flagged)}** of {strict.checked:,} one-step actuals fell outside a strict **{strict.level:.0%}** "
        f"band: they are the orange circles on the backtest chart. At this level about "
        f"**{strict.false_alarm_rate:.0%}** of ordinary points are flagged by chance (**≈ "
        f"{strict.expected_false_alarms:.0f}** false alarms here) when the series behaves alike over time, "
        "more where calm stretches turn volatile.")
    st.caption("Tested on MSFT with 15 spikes injected at known days (`benchmarks/anomaly_benchmark.py`): with the "
               "naive forecast every spike of 10× a typical daily move was found, among 3% false alarms; with an "
               "LSTM half of the 15× spikes were found, with 2 false alarms in 1,497 days.")
    st.caption(f"The {level:.0%} forecast interval is not an anomaly test: by construction about "
               f"{1 - level:.0%} of ordinary points fall outside it ({outside:,} here).")
    shown = flagged[["actual", "rnn"]].assign(lower=strict.lower[strict.flagged], upper=strict.upper[strict.flagged])
    st.dataframe(shown)
