"""The forecast page's data source: a built-in series or an uploaded CSV, its target, covariates and gaps."""

import hashlib

import streamlit as st

from rnn_models.errors import UserInputError
from ui.forecast.reading import reading_panel, with_overrides
from ui.share import Setup
from ui.uploads import example_files, read_upload, show_error

MAX_UPLOAD = 5_000_000
UPLOAD = "upload"
SOURCES = {"msft": "MSFT daily (1986-2017)", "co2": "CO2 monthly (seasonal)",
           "tech_stocks": "Tech stocks weekly", UPLOAD: "Upload a CSV"}
DEFAULTS = {"msft": (30, 5), "co2": (36, 12), "tech_stocks": (12, 4), UPLOAD: (30, 5)}  # lookback, horizon


@st.cache_resource(show_spinner="Loading the built-in series…")
def builtin_table(name: str):
    """A built-in series, read once per server from an installed package's data file."""
    from rnn_models.forecast.datasets import load_builtin

    return load_builtin(name)


def upload_bytes(uploaded) -> bytes:
    """The uploaded file's bytes; an empty or oversized file is refused with how to make a usable one."""
    from rnn_models.forecast.backtest import BacktestConfig, min_rows

    size = uploaded.size if getattr(uploaded, "size", None) is not None else len(uploaded.getvalue())
    if size > MAX_UPLOAD:
        raise UserInputError(f"the CSV is {size / 1e6:.1f} MB; the limit is {MAX_UPLOAD / 1e6:g} MB. Keep only "
                             "the time column and the columns you forecast with, or fewer rows (e.g. the most "
                             "recent years), and export it again as CSV.")
    if not uploaded.getvalue().strip():
        raise UserInputError("the CSV is empty. Export the sheet again as CSV with a header row (the column names) "
                             f"and at least {min_rows(1, 2, BacktestConfig())} rows of numbers below it, "
                             "e.g. a date column and one numeric column.")
    return read_upload(uploaded, max_bytes=MAX_UPLOAD, what="CSV")


def parse_upload(name: str, data: bytes, setup: Setup, upload_id: str = ""):
    """The uploaded CSV as a Table, parsed once per distinct file and reading options in this session;
    a new upload (even of the same file) starts from automatic reading again (and fills missing values,
    unless a link locked that)."""
    from rnn_models.forecast.csv_reader import CsvLimits, read_csv_bytes
    from ui.forecast.reading import read_options, reset_reading

    digest = hashlib.sha1(data).hexdigest()
    if st.session_state.get("fc_digest") != f"{digest}:{upload_id}":
        if st.session_state.get("fc_digest") is not None and not setup.locked("fc_missing"):
            st.session_state["fc_missing"] = "fill"  # the previous file's choice (a first file keeps a link's)
        reset_reading()
        st.session_state["fc_digest"] = f"{digest}:{upload_id}"
    options = read_options()
    cached = st.session_state["fc_table"]
    if cached is not None and cached[0] == (digest, options):
        return cached[1]
    table = read_csv_bytes(data, CsvLimits(max_bytes=MAX_UPLOAD), name=name.rsplit(".", 1)[0][:40], options=options)
    st.session_state["fc_table"] = ((digest, options), table)
    return table


def upload_table(uploaded, setup: Setup):
    """The uploaded file as a Table, or None after saying what was wrong. A file with content keeps its
    reading controls (unfolded) on a failed read, so a reading choice that caused it can be undone."""
    try:
        data = upload_bytes(uploaded)
    except Exception as exc:  # shown to the user, never a traceback
        show_error(exc, what="That CSV")
        return None
    try:
        return parse_upload(uploaded.name, data, setup, str(getattr(uploaded, "file_id", "")))
    except Exception as exc:
        show_error(exc, what=with_overrides("That CSV"))
        reading_panel(None, None, [], failed=True)
        return None


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
    from rnn_models.forecast.datasets import DEFAULT_TARGET
    from rnn_models.forecast.series import pick_target, select_series

    source = setup.control(st.segmented_control, "fc_source", "Data", list(SOURCES), format_func=SOURCES.get,
                           on_change=source_changed) or "msft"
    st.session_state["fc_source_shown"] = source
    if source == UPLOAD:
        uploaded = st.file_uploader("CSV or text export with a time column and numeric columns (max 5 MB, "
                                    "100,000 rows, 50 columns; any separator, encoding or decimal style)",
                                    key="fc_upload", max_upload_size=25)  # the page says how to shrink it
        if uploaded is None:
            if st.session_state.get("fc_link_upload"):
                st.warning("This set-up came from a link or an experiment file that used an **uploaded CSV**. "
                           "A file cannot travel inside a link: upload the same CSV here and the page "
                           "restores the rest (target column, model, seed) as the link says.")
            st.info("Upload a CSV to forecast it (max 5 MB).")
            example_files(["forecast_co2_monthly.csv", "forecast_msft_european.csv"], "fc_ex")
            return source, None
        st.session_state["fc_link_upload"] = False
        table = upload_table(uploaded, setup)
        if table is None:
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
    read_columns = ([table.date_column] if table.date_column else []) + columns
    try:
        series = select_series(table, target, tuple(covariates), missing, need)
    except UserInputError as exc:
        show_error(exc, what=with_overrides("That series") if source == UPLOAD else "That series")
        if source == UPLOAD:  # the file read: its decisions and controls stay, so a choice can be undone
            reading_panel(table, None, read_columns, failed=True)
        return source, None
    if source == UPLOAD:
        reading_panel(table, series, read_columns)
    with st.expander(f"What the reader did · {len(series):,} rows, {table.freq.label}", expanded=source == UPLOAD):
        for note in series.notes:
            st.markdown(f"- {note}")
    return source, series


