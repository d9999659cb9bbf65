"""How an uploaded CSV was read: the decisions in one line, and a control to override each one."""

import streamlit as st

ENCODINGS = {"auto": "auto", "utf-8": "UTF-8", "utf-16": "UTF-16", "windows-1252": "Windows-1252",
             "latin-1": "Latin-1"}
SEPARATORS = {"auto": "auto", ",": "comma ,", ";": "semicolon ;", "\t": "tab", "|": "pipe |"}
DECIMALS = {"auto": "auto", ".": "point 1.5", ",": "comma 1,5"}
AUTO_TIME, NO_TIME_LABEL = "(detect)", "(none: number the rows)"
KEYS = ("fc_enc", "fc_sep", "fc_dec", "fc_timecol", "fc_order", "fc_header")


def reset_reading() -> None:
    """A new file: every reading choice back to automatic."""
    for key in KEYS:
        st.session_state.pop(key, None)


def read_options():
    """The ReadOptions the student set (all automatic until changed)."""
    from rnn_models.forecast.csv_reader import NO_TIME, ReadOptions

    ss = st.session_state
    time_col = ss.get("fc_timecol", AUTO_TIME)
    header = int(ss.get("fc_header", 0) or 0)
    return ReadOptions(encoding=ss.get("fc_enc", "auto"), delimiter=ss.get("fc_sep", "auto"),
                       decimal=ss.get("fc_dec", "auto"),
                       date_column=None if time_col == AUTO_TIME else NO_TIME if time_col == NO_TIME_LABEL
                       else time_col,
                       date_order=ss.get("fc_order", "auto"), header_row=header or None)


def reading_panel(table, series, columns: list[str]) -> None:
    """The decisions line and, folded away, one control per decision (a change re-reads the file)."""
    from rnn_models.forecast.series import decision_line
    from rnn_models.forecast.time_column import DATE_ORDERS

    if table is not None:
        st.info(f"**How the file was read:** {decision_line(table, series)}.", icon=":material/table_view:")
    with st.expander("Change how the file is read"):
        c = st.columns(3)
        c[0].selectbox("Encoding", list(ENCODINGS), format_func=ENCODINGS.get, key="fc_enc")
        c[1].selectbox("Separator", list(SEPARATORS), format_func=SEPARATORS.get, key="fc_sep")
        c[2].selectbox("Decimal mark", list(DECIMALS), format_func=DECIMALS.get, key="fc_dec")
        c = st.columns(3)
        times = [AUTO_TIME, NO_TIME_LABEL, *columns]
        if st.session_state.get("fc_timecol") not in times:
            st.session_state["fc_timecol"] = AUTO_TIME
        c[0].selectbox("Time column", times, key="fc_timecol")
        c[1].selectbox("Dates like 01/02/2020", list(DATE_ORDERS), key="fc_order",
                       help="auto: a part above 12 decides; if none, the order giving the more regular spacing")
        c[2].number_input("Header line (0 = detect)", 0, 10_000, key="fc_header",
                          help="The line of the file that holds the column names; lines above it are skipped")
