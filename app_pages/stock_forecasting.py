"""Time-series forecasting: an RNN trained on the fly, backtested honestly against baselines."""

import hashlib
from dataclasses import dataclass

import streamlit as st

from rnn_models.errors import UserInputError
from ui import lessons
from ui.cache import lesson
from ui.share import Param, Setup
from ui.state import FORECAST, init
from ui.uploads import read_upload, show_error

MAX_UPLOAD = 5_000_000
UPLOAD = "upload"
SOURCES = {"msft": "MSFT daily (1986-2017)", "co2": "CO2 monthly (seasonal)",
           "tech_stocks": "Tech stocks weekly", UPLOAD: "Upload a CSV"}
DEFAULTS = {"msft": (30, 5), "co2": (36, 12), "tech_stocks": (12, 4), UPLOAD: (30, 5)}  # lookback, horizon
HIDDEN = (8, 16, 32, 64)
PAGE = "stock_forecasting"


@dataclass(frozen=True)
class ListParam(Param):
    """A multiselect's list of column names, comma-separated in the URL."""

    def parse(self, raw: str) -> list[str]:
        if len(raw) > 500:
            raise ValueError("too long")
        return [c.strip() for c in raw.split(",") if c.strip()]

    def format(self, value) -> str:
        return ",".join(value or ())


@dataclass(frozen=True)
class ChoiceParam(Param):
    """A number that must be one of `choices` (a select_slider's options)."""

    def parse(self, raw: str):
        value = super().parse(raw)
        if value not in self.choices:
            raise ValueError(f"not one of {', '.join(map(str, self.choices))}")
        return value


# The shareable controls: widget key = URL parameter. fc_target "" means the source's usual column;
# lookback and horizon are reset to the source's defaults when the student picks another source.
PARAMS = [
    Param("fc_source", "msft", choices=tuple(SOURCES)),
    Param("fc_target", ""),
    ListParam("fc_cov", ()),
    Param("fc_missing", "fill", choices=("fill", "drop")),
    Param("fc_cell", "lstm", choices=("lstm", "gru", "rnn")),
    Param("fc_kind", "log_return", choices=("log_return", "price")),
    Param("fc_strategy", "recursive", choices=("recursive", "direct")),
    Param("fc_level", 0.8, lo=0.5, hi=0.99),
    Param("fc_lookback", DEFAULTS["msft"][0], lo=2, hi=120),
    Param("fc_horizon", DEFAULTS["msft"][1], lo=1, hi=30),
    ChoiceParam("fc_hidden", 32, choices=HIDDEN),
    Param("fc_steps", 300, lo=10, hi=2000),
    Param("fc_seed", 0, lo=0, hi=10_000),
    Param("fc_arima", True),
]
TARGET_HELP = ("Prices wander to levels the network never saw while training, and a network fed raw prices "
               "mostly learns 'tomorrow ≈ today'. Log returns (the day-to-day % change) stay in a steady range, "
               "so a scaler fitted on the training years still fits the test years; the forecast is turned "
               "back into prices by compounding the returns.")


@st.cache_resource(show_spinner="Loading the built-in series…")
def builtin_table(name: str):
    """A built-in series, read once per server from an installed package's data file."""
    from rnn_models.forecast.datasets import load_builtin

    return load_builtin(name)


def parse_upload(uploaded):
    """The uploaded CSV as a Table, parsed once per distinct file in this session."""
    from rnn_models.forecast.csv_reader import CsvLimits, read_csv_bytes

    data = read_upload(uploaded, max_bytes=MAX_UPLOAD, what="CSV")
    digest = hashlib.sha1(data).hexdigest()
    cached = st.session_state["fc_table"]
    if cached is not None and cached[0] == digest:
        return cached[1]
    table = read_csv_bytes(data, CsvLimits(max_bytes=MAX_UPLOAD), name=uploaded.name.rsplit(".", 1)[0][:40])
    st.session_state["fc_table"] = (digest, table)
    return table


def source_changed() -> None:
    """A new data source: its usual target column, no covariates, its own lookback and horizon."""
    source = st.session_state.get("fc_source")
    if source is None:  # clicking the selected option again would clear it: keep the current source
        st.session_state["fc_source"] = st.session_state.get("fc_source_shown", "msft")
        return
    st.session_state["fc_lookback"], st.session_state["fc_horizon"] = DEFAULTS[source]
    st.session_state["fc_target"], st.session_state["fc_cov"] = "", []
    st.session_state["fc_link_upload"] = False


def data_controls(setup: Setup):
    """Pick a built-in series or upload a CSV; returns (source, Series) or (source, None)."""
    from rnn_models.forecast.backtest import BacktestConfig, min_rows
    from rnn_models.forecast.cli import pick_target
    from rnn_models.forecast.datasets import DEFAULT_TARGET
    from rnn_models.forecast.series import select_series

    source = setup.control(st.segmented_control, "fc_source", "Data", list(SOURCES), format_func=SOURCES.get,
                           on_change=source_changed) or "msft"
    st.session_state["fc_source_shown"] = source
    if source == UPLOAD:
        uploaded = st.file_uploader("CSV with a date column and numeric columns (max 5 MB, 100,000 rows, "
                                    "50 columns; `,` or `;` separated, decimal commas OK)", key="fc_upload")
        if uploaded is None:
            if st.session_state.get("fc_link_upload"):
                st.warning("This set-up came from a link or an experiment file that used an **uploaded CSV**. "
                           "A file cannot travel inside a link: upload the same CSV here and the page "
                           "restores the rest (target column, model, seed) as the link says.")
            st.info("Upload a CSV to forecast it. Example files are in `assets/examples/`.")
            return source, None
        st.session_state["fc_link_upload"] = False
        try:
            table = parse_upload(uploaded)
        except Exception as exc:  # shown to the user, never a traceback
            show_error(exc, what="That CSV")
            return source, None
    else:
        table = builtin_table(source)
    columns = list(table.frame.columns)
    if st.session_state.get("fc_target") not in columns:  # "" (the usual column) or a column of another file
        st.session_state["fc_target"] = DEFAULT_TARGET.get(source) if source != UPLOAD else pick_target(columns, None)
    target = st.session_state["fc_target"]
    st.session_state["fc_cov"] = [c for c in st.session_state.get("fc_cov") or [] if c in columns and c != target]
    c1, c2, c3 = st.columns([1, 2, 1])
    target = setup.control(st.selectbox, "fc_target", "Target column", columns, container=c1)
    setup.control(st.multiselect, "fc_cov", "Covariates (extra inputs)", [c for c in columns if c != target],
                  container=c2, help="Other columns fed to the RNN beside the target. In recursive mode their "
                                     "future values are unknown, so they are held at their last value.")
    covariates = [c for c in st.session_state["fc_cov"] if c != target]
    missing = setup.control(st.radio, "fc_missing", "Missing values", ["fill", "drop"], horizontal=True,
                            container=c3, help="fill: carry the previous value forward; drop: remove incomplete rows")
    need = min_rows(1, 2, BacktestConfig())  # the smallest setup; longer windows are checked at "Train"
    try:
        series = select_series(table, target, tuple(covariates), missing, need)
    except UserInputError as exc:
        show_error(exc, what="That series")
        return source, None
    with st.expander(f"What the reader did · {len(series):,} rows, {table.freq.label}", expanded=source == UPLOAD):
        for note in series.notes:
            st.markdown(f"- {note}")
    return source, series


def model_controls(setup: Setup, n_rows: int):
    """Model and backtest settings; returns (ForecastConfig, BacktestConfig)."""
    from rnn_models.forecast.backtest import BacktestConfig
    from rnn_models.forecast.model import ForecastConfig

    c1, c2, c3, c4 = st.columns(4)
    cell = setup.control(st.selectbox, "fc_cell", "Cell", ["lstm", "gru", "rnn"], format_func=str.upper,
                         container=c1)
    target = setup.control(st.radio, "fc_kind", "Model", ["log_return", "price"], help=TARGET_HELP, container=c2,
                           format_func=lambda t: "log returns" if t == "log_return" else "prices")
    strategy = setup.control(st.radio, "fc_strategy", "Multi-step", ["recursive", "direct"], container=c3,
                             help="recursive: forecast one step, feed it back, repeat; direct: one output per step")
    level = setup.control(st.slider, "fc_level", "Interval level", 0.5, 0.99, step=0.01, container=c4)
    c1, c2, c3, c4, c5 = st.columns(5)
    max_look = max(2, min(120, n_rows // 4))
    if st.session_state["fc_lookback"] > max_look:  # a link's lookback too long for this series
        st.session_state["fc_lookback"] = max_look
    lookback = setup.control(st.number_input, "fc_lookback", "Lookback window", 2, max_look, container=c1)
    horizon = setup.control(st.number_input, "fc_horizon", "Horizon (steps)", 1, 30, container=c2)
    hidden = setup.control(st.select_slider, "fc_hidden", "Hidden units", list(HIDDEN), container=c3)
    steps = setup.control(st.number_input, "fc_steps", "Training steps", 10, 2000, step=10, container=c4)
    seed = setup.control(st.number_input, "fc_seed", "Seed", 0, 10_000, container=c5)
    with_arima = setup.control(st.checkbox, "fc_arima", "Include the ARIMA baseline (statsmodels; a few seconds)")
    st.caption(TARGET_HELP if target == "log_return" else
               "Modelling raw prices: watch the lag trap below. " + TARGET_HELP)
    config = ForecastConfig(cell=cell, lookback=int(lookback), horizon=int(horizon), target=target,
                            strategy=strategy, hidden_size=int(hidden), steps=int(steps), seed=int(seed))
    return config, BacktestConfig(level=float(level), with_arima=bool(with_arima))


def start_job(series, config, bt) -> None:
    """Train and backtest in the server's job pool, reporting progress to the live panel."""
    from rnn_models.forecast.pipeline import run_forecast
    from ui import jobs

    def work(ctx):
        from rnn_models.device import limit_threads

        limit_threads()  # OpenMP's thread count is per thread: set it in this worker, or torch oversubscribes

        def on_step(m):
            ctx.on_step(m)
            ctx.progress(0.85 * m["step"] / m["steps"], f"training step {m['step']}/{m['steps']}")

        def progress(frac, text):
            ctx.progress(0.85 + 0.15 * frac, f"backtest: {text}")

        return run_forecast(series, config, bt, on_step=on_step, should_stop=ctx.should_stop, progress=progress)

    jobs.start("forecast", work)


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
        text += f"The best baseline is {run.backtest.labels[best]} (MASE {m[best]['mase']:.3f}); the RNN {rel} it."
    return text


def projector(fig):
    """In projector mode draw the figure with the large font the projector styles force on its text,
    so plotly lays out legends and margins for that size and nothing overlaps."""
    if st.session_state.get("present"):
        fig.update_layout(font=dict(size=17), legend=dict(font=dict(size=17)))
    return fig


def render_run(run) -> None:
    """Every result: forecast, backtest table and charts, lag trap, anomalies, downloads."""
    from rnn_models.forecast.export import safe_csv
    from ui import forecast_charts as fcharts
    from ui.charts import loss_chart

    bt, s, cfg, level = run.backtest, run.series, run.config, run.backtest_config.level
    st.subheader(f"Results: {s.name} · {bt.labels['rnn']}")
    if run.forecaster.history and run.forecaster.history[-1]["step"] < cfg.steps:
        st.warning(f"Training was stopped at step {run.forecaster.history[-1]['step']} of {cfg.steps}.")
    st.markdown(verdict(run))
    m = bt.metrics
    c = st.columns(4)
    c[0].metric("RNN MASE", f"{m['rnn']['mase']:.3f}")
    c[1].metric("Naive MASE", f"{m['naive']['mase']:.3f}")
    c[2].metric("Seasonal naive MASE", f"{m['seasonal_naive']['mase']:.3f}")
    c[3].metric(f"{level:.0%} interval coverage", f"{run.coverage:.1%}", help=(
        f"Share of {run.intervals.n_valid:,} backtest points inside intervals built only from residuals "
        "known before each forecast."))
    st.caption(f"Trained once on {bt.train_end:,} rows, then rolled forward without refitting over "
               f"{len(bt.origins):,} origins × {cfg.horizon} steps ({run.seconds:.1f} s).")
    one = run.one_step_frame()
    t_fc, t_bt, t_lag, t_an, t_dl = st.tabs(["Forecast", "Backtest", "Lag trap", "Anomalies", "Downloads"])
    with t_fc:
        title = f"Next {cfg.horizon} steps of {s.name}"
        st.plotly_chart(projector(fcharts.forecast_chart(fcharts.recent_history(run), run.forecast, bt.labels,
                                                         level, title)), key="fc_chart")
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
        st.plotly_chart(projector(fcharts.metrics_bar_chart(table)), key="fc_bars")
        st.plotly_chart(projector(fcharts.backtest_chart(one, bt.labels, level)), key="fc_bt_chart")
        st.plotly_chart(projector(loss_chart(run.forecaster.history, title="Training loss (scaled MSE)")),
                        key="fc_loss")
    with t_lag:
        lt = run.lag_trap
        st.plotly_chart(projector(fcharts.lag_trap_chart(one)), key="fc_lag")
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
        st.plotly_chart(projector(fcharts.moves_scatter(one)), key="fc_moves")
    with t_an:
        flagged = one[one["anomaly"]]
        st.markdown(f"**{len(flagged)}** of {int(one['rnn_lower'].notna().sum())} one-step actuals fell outside "
                    f"the {level:.0%} interval (about {1 - level:.0%} are expected by chance). They are the "
                    "orange crosses on the backtest chart.")
        st.dataframe(flagged[["actual", "rnn", "rnn_lower", "rnn_upper"]])
    with t_dl:
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


def keep_controls() -> None:
    """Keep every control's value, drawn or not, so the URL never loses settings."""
    from ui.share import keep_values

    keep_values(PARAMS)


def import_experiment() -> None:
    """Uploader callback (runs before the page is drawn): restore the controls from an experiment file."""
    from rnn_models.checkpoints import CheckpointError
    from ui.export import read

    uploaded = st.session_state.get("fc_import")
    if uploaded is None:
        return
    try:
        exp = read(read_upload(uploaded, max_bytes=25 * 2**20, what="experiment file"), page=PAGE)
    except (UserInputError, CheckpointError) as exc:
        st.session_state["fc_import_msg"] = ("error", f"That experiment file could not be used: {exc}")
        return
    from ui.share import apply_values

    ignored = apply_values(PARAMS, exp.setup)
    st.session_state["fc_link_upload"] = st.session_state.get("fc_source") == UPLOAD
    models = exp.metrics.get("models") or {}
    text = f"Experiment imported: the controls are set as in **{uploaded.name}**."
    if "rnn" in models and "naive" in models:
        text += (f" Its RNN scored MASE {models['rnn'].get('mase', float('nan')):.3f} against naive "
                 f"{models['naive'].get('mase', float('nan')):.3f}; press **Train and backtest** to reproduce it "
                 "(same seed, same result).")
    if ignored:
        text += " Ignored: " + "; ".join(ignored) + "."
    st.session_state["fc_import_msg"] = ("success", text)


def import_panel() -> None:
    with st.expander("Import an experiment (.zip)", icon=":material/upload_file:"):
        st.file_uploader("An experiment file downloaded from this page (Results → Downloads)",
                         key="fc_import", on_change=import_experiment)


def main() -> None:
    from ui import jobs
    from ui.charts import loss_chart

    init(FORECAST)
    keep_controls()
    setup = Setup(PAGE, PARAMS)
    url = {k: st.query_params.get(k) for k in st.query_params.keys()}
    fresh_link = url != st.session_state.get(setup._last)  # the same test restore() makes
    st.title("Time-series forecasting")
    st.markdown("Forecast a stock price or any series from a CSV with an RNN trained right here, and see "
                "honestly whether it beats simple baselines.")
    setup.restore()
    if fresh_link and url.get("fc_source") in DEFAULTS:  # a link naming a source but not its windows
        look, hor = DEFAULTS[url["fc_source"]]
        st.session_state["fc_lookback"] = st.session_state["fc_lookback"] if "fc_lookback" in url else look
        st.session_state["fc_horizon"] = st.session_state["fc_horizon"] if "fc_horizon" in url else hor
        st.session_state["fc_link_upload"] = url["fc_source"] == UPLOAD
    lessons.panel()
    if st.session_state["fc_import_msg"] is not None:
        kind, text = st.session_state["fc_import_msg"]
        (st.error if kind == "error" else st.success)(text)
        st.session_state["fc_import_msg"] = None
    with st.expander("Lesson: why stock RNNs 'just repeat yesterday', and how to tell", expanded=False):
        st.markdown(lesson("stock_forecasting"))
    _, series = data_controls(setup)
    if series is not None:
        config, bt = model_controls(setup, len(series))
        train_col, share_col = st.columns([1, 3], vertical_alignment="center")
        if train_col.button("Train and backtest", type="primary", key="fc_train"):
            from rnn_models.forecast.backtest import split_point
            from rnn_models.forecast.windows import check_target

            try:  # refuse now what the job would refuse later
                check_target(series.values, config.target, series.name)
                split_point(len(series), config.horizon, config.lookback, bt)
            except UserInputError as exc:
                show_error(exc, what="These settings")
            else:
                st.session_state["fc_pending_setup"] = {k: v for k, v in setup.query().items()
                                                        if k in setup.params}
                start_job(series, config, bt)
        with share_col:
            setup.share_button()
        job = jobs.live_panel("forecast", chart=lambda hist: projector(loss_chart(
            hist[::max(1, len(hist) // 150)], title="Training loss")), interval_s=1.5)
        if job is not None and job.result is not None and job.id != st.session_state["fc_job_id"]:
            st.session_state["fc_run"], st.session_state["fc_job_id"] = job.result, job.id
            st.session_state["fc_run_setup"] = st.session_state["fc_pending_setup"]
        if st.session_state["fc_run"] is not None:
            render_run(st.session_state["fc_run"])
    else:
        setup.share_button()
    import_panel()
    setup.sync()


main()
