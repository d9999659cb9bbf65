"""URL set-ups: restored from query parameters, written back, bad values ignored with a notice."""

from streamlit.testing.v1 import AppTest


def _page():
    import streamlit as st

    from ui.share import Param, Setup

    setup = Setup("demo", [Param("temperature", 0.8, lo=0.05, hi=2.0, step=0.05), Param("seed", 0, lo=0, hi=10**6),
                           Param("cell", "lstm", choices=("rnn", "lstm", "gru")), Param("greedy", False)])
    setup.restore()
    setup.control(st.slider, "temperature", "Temperature")  # the range comes from the Param
    setup.control(st.number_input, "seed", "Seed", max_value=1000)  # narrowed for this drawing
    setup.control(st.selectbox, "cell", "Cell", ["rnn", "lstm", "gru"])
    setup.control(st.checkbox, "greedy", "Greedy")
    setup.sync()
    st.write(f"values={setup.values()}")


def _run(params: dict) -> AppTest:
    at = AppTest.from_function(_page, default_timeout=30)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def test_url_sets_the_controls_and_the_controls_write_the_url():
    at = _run({"temperature": "1.5", "seed": "42", "cell": "gru", "greedy": "1"})
    assert not at.exception
    assert at.slider(key="temperature").value == 1.5 and at.number_input(key="seed").value == 42
    assert at.selectbox(key="cell").value == "gru" and at.checkbox(key="greedy").value is True
    at.slider(key="temperature").set_value(0.3).run()
    assert at.query_params["temperature"] == "0.3" and at.query_params["cell"] == "gru"


def test_widgets_read_their_range_from_the_param():
    at = _run({})
    t = at.slider(key="temperature")
    assert (t.min, t.max, t.step, t.value) == (0.05, 2.0, 0.05, 0.8)
    seed = at.number_input(key="seed")
    assert (seed.min, seed.max) == (0, 1000)


def test_unknown_and_out_of_range_parameters_are_ignored_with_a_notice():
    at = _run({"temperature": "99", "bogus": "1", "cell": "transformer", "seed": "abc"})
    assert not at.exception
    notice = " ".join(c.value for c in at.caption)
    assert "unknown setting “bogus”" in notice and "temperature=99" in notice and "cell=transformer" in notice
    assert at.slider(key="temperature").value == 0.8 and at.selectbox(key="cell").value == "lstm"


def test_locked_controls_are_disabled_and_hidden_ones_not_drawn():
    at = _run({"lock": "cell,temperature", "hide": "seed", "cell": "rnn"})
    assert at.selectbox(key="cell").disabled and at.slider(key="temperature").disabled
    assert not at.checkbox(key="greedy").disabled
    assert len(at.number_input) == 0  # hidden
    assert "'seed': 0" in at.markdown[-1].value and at.query_params["lock"] == "cell,temperature"


def _page_cut_short():
    """The first run stops after restore, before any control is drawn."""
    import streamlit as st

    from ui.share import Param, Setup

    setup = Setup("demo", [Param("temperature", 0.8, lo=0.05, hi=2.0), Param("seed", 0, lo=0, hi=10**6)])
    setup.restore()
    if not st.session_state.get("_ran_once"):
        st.session_state["_ran_once"] = True
        st.stop()
    setup.control(st.slider, "temperature", "Temperature")  # the range comes from the Param
    setup.control(st.number_input, "seed", "Seed", max_value=1000)  # narrowed for this drawing
    setup.sync()


def test_a_link_survives_a_first_run_that_ends_before_the_controls():
    at = AppTest.from_function(_page_cut_short, default_timeout=30)
    at.query_params["temperature"] = "1.5"
    at.query_params["seed"] = "42"
    at.run()
    del at.session_state["seed"]  # what Streamlit does to a widget's value after a run that did not draw it
    at.run()
    assert at.slider(key="temperature").value == 1.5 and at.number_input(key="seed").value == 42
    assert at.query_params["seed"] == "42"
