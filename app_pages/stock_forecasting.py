"""Time-series forecasting: an RNN trained on the fly, backtested honestly against baselines."""

from dataclasses import dataclass
from functools import partial

import streamlit as st

from rnn_models.errors import UserInputError
from ui import heading, lessons
from ui.cache import lesson
from ui.forecast.data import DEFAULTS, SOURCES, UPLOAD, data_controls
from ui.forecast.jobs import forecast_job
from ui.forecast.results import render_run
from ui.share import (
    ChoiceParam,
    Param,
    Setup,
    import_panel,
    keep_values,
    read_experiment,
    report_import,
    show_import_message,
)
from ui.state import FORECAST, init
from ui.uploads import show_error

HIDDEN = (8, 16, 32, 64)
DATA_KEYS = ("fc_source", "fc_target", "fc_cov", "fc_missing")  # covered by the data fingerprint
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


# The shareable controls: widget key = URL parameter. fc_target "" means the source's usual column;
# lookback and horizon are reset to the source's defaults when the student picks another source.
PARAMS = [
    Param("fc_source", "msft", choices=tuple(SOURCES)),
    Param("fc_target", ""),
    ListParam("fc_cov", ()),
    Param("fc_missing", "fill", choices=("fill", "drop")),
    Param("fc_cell", "lstm", choices=("lstm", "gru", "rnn")),
    Param("fc_kind", "auto", choices=("auto", "log_return", "difference", "price", "seasonal_difference",
                                      "seasonal_log_difference")),
    Param("fc_strategy", "recursive", choices=("recursive", "direct")),
    Param("fc_level", 0.8, lo=0.5, hi=0.99),
    Param("fc_lookback", DEFAULTS["msft"][0], lo=2, hi=120),
    Param("fc_horizon", DEFAULTS["msft"][1], lo=1, hi=30),
    ChoiceParam("fc_hidden", 32, choices=HIDDEN),
    Param("fc_steps", 200, lo=10, hi=2000),
    Param("fc_seed", 0, lo=0, hi=10_000),
    Param("fc_arima", True),
]
TARGET_HELP = ("Prices wander to levels the network never saw while training, and a network fed raw prices "
               "mostly learns 'tomorrow ≈ today'. Log returns (the day-to-day % change) stay in a steady range, "
               "so a scaler fitted on the training years still fits the test years; the forecast is turned "
               "back into prices by compounding the returns. Log returns need values above zero: differences "
               "(today minus yesterday) work for any series. A series that swings around a steady mean "
               "(sunspots, temperatures) is often best modelled as levels. 'auto' picks one and says why.")


def model_controls(setup: Setup, series):
    """Model and backtest settings; returns (ForecastConfig, BacktestConfig)."""
    from rnn_models.forecast.backtest import BacktestConfig
    from rnn_models.forecast.model import ForecastConfig
    from rnn_models.forecast.targets import choose_target
    from rnn_models.forecast.windows import TARGET_LABELS

    n_rows = len(series)
    c1, c2, c3, c4 = st.columns(4)
    cell = setup.control(st.selectbox, "fc_cell", "Cell", ["lstm", "gru", "rnn"], format_func=str.upper,
                         container=c1)
    target = setup.control(st.radio, "fc_kind", "Target", ["auto", *TARGET_LABELS], help=TARGET_HELP,
                           container=c2, format_func=lambda t: TARGET_LABELS.get(t, "auto"))
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
    if target == "auto":
        target, reason = choose_target(series.values, int(horizon), int(lookback), 1 - BacktestConfig().test_fraction,
                                       season=series.freq.season)
        st.caption(f"Target chosen from the series: **{reason}**.")
    elif target == "price":
        st.caption("Modelling the values themselves: watch the lag trap below. " + TARGET_HELP)
    elif target.startswith("seasonal") and series.freq.season < 2:
        st.warning(f"This series has no seasonal period ({series.freq.label}), so seasonal targets cannot be "
                   "used: modelling differences instead.")
        target = "difference"
    config = ForecastConfig(cell=cell, lookback=int(lookback), horizon=int(horizon), target=target,
                            strategy=strategy, hidden_size=int(hidden), steps=int(steps), seed=int(seed),
                            season=series.freq.season)
    return config, BacktestConfig(level=float(level), with_arima=bool(with_arima))


def start_job(series, config, bt) -> None:
    """Train and backtest in the server's job pool, reporting progress to the live panel."""
    from ui.jobs import pool as jobs

    jobs.start("forecast", partial(forecast_job, series=series, config=config, bt=bt))


def current_inputs(setup: Setup, series):
    """What a result made now would be made from: the series (values, name, covariates) and the settings."""
    from ui.stale import Inputs, fingerprint

    data = fingerprint(series.values, series.name, series.covariates, tuple(series.covariate_names))
    return Inputs(data, {k: v for k, v in setup.query().items() if k in setup.params and k not in DATA_KEYS})


def train(setup: Setup, series, config, bt) -> None:
    """Check the settings, then start the job, remembering what its result will be made from."""
    from rnn_models.forecast.backtest import split_point
    from rnn_models.forecast.windows import check_target

    try:  # refuse now what the job would refuse later
        check_target(series.values, config.target, series.name)
        split_point(len(series), config.horizon, config.lookback, bt)
    except UserInputError as exc:
        show_error(exc, what="These settings")
        return
    st.session_state["fc_pending_setup"] = {k: v for k, v in setup.query().items() if k in setup.params}
    st.session_state["fc_pending_inputs"] = current_inputs(setup, series)
    upload = st.session_state.get("fc_upload") if st.session_state.get("fc_source") == UPLOAD else None
    st.session_state["fc_pending_from"] = f"'{upload.name}'" if upload is not None else None  # an uploaded file's
    start_job(series, config, bt)


def import_experiment() -> None:
    """Uploader callback (runs before the page is drawn): restore the controls from an experiment file."""
    done = read_experiment("fc", PAGE, PARAMS)
    if done is None:
        return
    exp, ignored = done
    st.session_state["fc_link_upload"] = st.session_state.get("fc_source") == UPLOAD
    models = exp.metrics.get("models") or {}
    detail = ""
    if "rnn" in models and "naive" in models:
        detail = (f"Its RNN scored MASE {models['rnn'].get('mase', float('nan')):.3f} against naive "
                  f"{models['naive'].get('mase', float('nan')):.3f}; press **Train and backtest** to reproduce it "
                  "(same seed, same result).")
    report_import("fc", ignored, detail=detail)


def without_series(setup: Setup, source: str) -> None:
    """No usable series on screen. A result made from an uploaded file stays while the upload shows no usable
    file (one that could not be used, or none: the browser drops the old file before sending a new one), said
    to be for its own file, until a new one is trained; a built-in series' result belongs to nothing here."""
    run, made_from = st.session_state["fc_run"], st.session_state.get("fc_run_from")
    setup.share_button()
    if run is None:
        return
    if source == UPLOAD and made_from:
        now = ("the file uploaded now could not be used (see the message above)"
               if st.session_state.get("fc_upload") is not None else "no file is uploaded now")
        st.info(f"The results below are for **{made_from}** ({run.series.name}), the last file that could be "
                f"used: {now}. They stay until a new result is trained; upload a file that reads, or undo a "
                "reading choice you made, to train again.", icon=":material/history:")
        render_run(run)
        return
    st.session_state["fc_run"] = st.session_state["fc_run_inputs"] = None
    st.info("The data changed, so the results made from the previous data were cleared.")


def main() -> None:
    from ui.charts import loss_chart
    from ui.jobs import pool as jobs

    init(FORECAST)
    keep_values(PARAMS)  # every control keeps its value, drawn or not, so the URL never loses settings
    setup = Setup(PAGE, PARAMS)
    url = {k: st.query_params.get(k) for k in st.query_params.keys()}
    fresh_link = url != st.session_state.get(setup._last)  # the same test restore() makes
    heading.title("Time-series forecasting")
    st.markdown("Forecast a stock price or any series from a CSV with an RNN trained right here, and see "
                "honestly whether it beats simple baselines.")
    setup.restore()
    if fresh_link and url.get("fc_source") in DEFAULTS:  # a link naming a source but not its windows
        look, hor = DEFAULTS[url["fc_source"]]
        st.session_state["fc_lookback"] = st.session_state["fc_lookback"] if "fc_lookback" in url else look
        st.session_state["fc_horizon"] = st.session_state["fc_horizon"] if "fc_horizon" in url else hor
        st.session_state["fc_link_upload"] = url["fc_source"] == UPLOAD
    lessons.panel()
    show_import_message("fc")
    with st.expander("Lesson: why stock RNNs 'just repeat yesterday', and how to tell", expanded=False):
        st.markdown(lesson("stock_forecasting"))
    source, series = data_controls(setup)
    if series is not None:
        config, bt = model_controls(setup, series)
        train_col, share_col = st.columns([1, 3], vertical_alignment="center")
        clicked = train_col.button("Train and backtest", type="primary", key="fc_train")
        with share_col:
            setup.share_button()
        from ui.stale import check

        rerun = check("fc_run", "fc_run_inputs", current_inputs(setup, series), "data", rerun_key="fc_rerun")
        if clicked or rerun:
            train(setup, series, config, bt)
        job = jobs.live_panel("forecast", chart=lambda hist: (loss_chart(
            hist[::max(1, len(hist) // 150)], title="Training loss")), interval_s=1.5)
        if job is not None and job.result is not None and job.id != st.session_state["fc_job_id"]:
            st.session_state["fc_run"], st.session_state["fc_job_id"] = job.result, job.id
            st.session_state["fc_run_setup"] = st.session_state["fc_pending_setup"]
            st.session_state["fc_run_inputs"] = st.session_state["fc_pending_inputs"]
            st.session_state["fc_run_from"] = st.session_state.get("fc_pending_from")
        if st.session_state["fc_run"] is not None:
            render_run(st.session_state["fc_run"])
    else:
        without_series(setup, source)
    import_panel("fc", import_experiment, "this page (Results → Downloads)")
    setup.sync()


main()
