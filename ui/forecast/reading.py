"""How an uploaded CSV was read: the decisions in one line, and a control to override each one."""

import streamlit as st

ENCODINGS = {"auto": "auto", "utf-8": "UTF-8", "utf-16": "UTF-16", "windows-1252": "Windows-1252",
             "latin-1": "Latin-1"}
SEPARATORS = {"auto": "auto", ",": "comma ,", ";": "semicolon ;", "\t": "tab", "|": "pipe |"}
DECIMALS = {"auto": "auto", ".": "point 1.5", ",": "comma 1,5"}
AUTO_TIME, NO_TIME_LABEL = "(detect)", "(none: number the rows)"
# each reading control: its name in the widget key, and its automatic value
AUTO = {"enc": "auto", "sep": "auto", "dec": "auto", "timecol": AUTO_TIME, "order": "auto", "header": 0}


def key(name: str) -> str:
    """The widget key of one reading control for the file on screen. A new file gets new keys, so no
    control keeps a value the browser still holds from the previous file."""
    return f"fc_{name}_{st.session_state.get('fc_read_gen', 0)}"


def value(name: str):
    """A reading control's current value (automatic until the student changes it)."""
    return st.session_state.get(key(name), AUTO[name])


def reset_reading() -> None:
    """A new file: every reading choice back to automatic (new widgets, drawn at their automatic values)."""
    for name in AUTO:
        st.session_state.pop(key(name), None)
    st.session_state["fc_read_gen"] = st.session_state.get("fc_read_gen", 0) + 1


def read_options():
    """The ReadOptions the student set (all automatic until changed)."""
    from rnn_models.forecast.csv_reader import NO_TIME, ReadOptions

    time_col = value("timecol")
    return ReadOptions(encoding=value("enc"), delimiter=value("sep"), decimal=value("dec"),
                       date_column=None if time_col == AUTO_TIME else NO_TIME if time_col == NO_TIME_LABEL
                       else time_col,
                       date_order=value("order"), header_row=int(value("header") or 0) or None)


def overrides() -> list[str]:
    """The reading choices the student set, in words, e.g. ["header line 200", "separator pipe |"]."""
    words = {"enc": ("encoding", ENCODINGS), "sep": ("separator", SEPARATORS), "dec": ("decimal mark", DECIMALS),
             "timecol": ("time column", {}), "order": ("dates read", {}), "header": ("header line", {})}
    said = []
    for name, (label, shown) in words.items():
        v = value(name)
        if v != AUTO[name]:
            said.append(f"{label} {shown.get(v, v)}")
    return said


def with_overrides(what: str) -> str:
    """`what` for an error message, naming the reading choices in force (they may be the cause)."""
    said = overrides()
    if not said:
        return what
    return (f"With {' and '.join(said)} set by you (see “Change how the file is read” below), "
            f"{what[0].lower()}{what[1:]}")


def reading_panel(table, series, columns: list[str], failed: bool = False) -> None:
    """The decisions line and, folded away unless a choice is in force or the read failed, one control per
    decision (a change re-reads the file)."""
    from rnn_models.forecast.series import decision_line
    from rnn_models.forecast.time_column import DATE_ORDERS

    if table is not None:
        st.info(f"**How the file was read:** {decision_line(table, series)}.", icon=":material/table_view:")
    with st.expander("Change how the file is read", expanded=failed or bool(overrides())):
        c = st.columns(3)
        c[0].selectbox("Encoding", list(ENCODINGS), format_func=ENCODINGS.get, key=key("enc"))
        c[1].selectbox("Separator", list(SEPARATORS), format_func=SEPARATORS.get, key=key("sep"))
        c[2].selectbox("Decimal mark", list(DECIMALS), format_func=DECIMALS.get, key=key("dec"))
        c = st.columns(3)
        times = [AUTO_TIME, NO_TIME_LABEL, *columns]
        if value("timecol") not in times:
            times.append(value("timecol"))  # a forced column the file as now read lacks: shown, so it can be undone
        c[0].selectbox("Time column", times, key=key("timecol"))
        c[1].selectbox("Dates like 01/02/2020", list(DATE_ORDERS), key=key("order"),
                       help="auto: a part above 12 decides; if none, the order giving the more regular spacing")
        c[2].number_input("Header line (0 = detect)", 0, 10_000, key=key("header"),
                          help="The line of the file that holds the column names; lines above it are skipped")
