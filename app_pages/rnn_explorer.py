"""RNN explorer: hidden states, gates, gradients through time, the long-range race, bidirectional."""

import streamlit as st

from rnn_models.errors import UserInputError
from ui import heading, lessons, share
from ui.explore import sections as sec
from ui.explore import states
from ui.explore.export import TextParam
from ui.share import ChoiceParam, Param, Setup, keep_values
from ui.state import EXPLORER, init
from ui.uploads import show_error

PAGE = "rnn_explorer"
# Which controls belong to which section: only those of the section shown go into the link.
SECTION_KEYS = {"states": ("ex_model", "ex_text_source", "ex_text", "ex_passage_play", "ex_passage_code", "ex_layer",
                           "ex_prop", "ex_regex", "ex_unit", "ex_gate", "ex_pca_dims", "ex_pca_colour"),
                "gradients": ("ex_g_len", "ex_g_scale", "ex_g_default", "ex_g_nl", "ex_g_chrono", "ex_g_budget",
                              "ex_g_seed", "ex_g_jcell", "ex_c_scale", "ex_c_lr", "ex_c_clip", "ex_c_steps"),
                "race": ("ex_r_task", "ex_r_len", "ex_r_secs", "ex_r_chrono", "ex_r_seed"),
                "bidirectional": ("ex_b_task", "ex_b_len", "ex_b_tlen", "ex_b_secs", "ex_b_seed")}


def params() -> list[Param]:
    """The shareable controls (widget key = URL parameter); the model list depends on the checkpoints installed."""
    from rnn_models.explore.units import PROPERTIES

    models = (*states.pretrained_text_models(), states.TEXT_PAGE_MODEL, states.UNTRAINED)
    return [
        Param("ex_section", "states", choices=tuple(sec.SECTIONS)),
        Param("ex_model", models[0], choices=models),
        Param("ex_text_source", states.DEFAULT_SOURCE, choices=tuple(states.TEXT_SOURCES)),
        TextParam("ex_text", states.SAMPLE_TEXT),
        Param("ex_passage_play", states.DEFAULT_PASSAGE["play"], lo=1, hi=100_000),
        Param("ex_passage_code", states.DEFAULT_PASSAGE["code"], lo=1, hi=100_000),
        Param("ex_layer", 0, lo=0, hi=16),
        Param("ex_prop", "position in line", choices=PROPERTIES),
        Param("ex_regex", r"\b[A-Z]+\b"),
        Param("ex_unit", states.BEST, lo=states.BEST, hi=4096),
        Param("ex_gate", "", choices=states.GATES),
        ChoiceParam("ex_pca_dims", states.DEFAULT_PCA_DIMS, choices=(2, 3)),
        Param("ex_pca_colour", "position", choices=states.PCA_COLOURS),
        Param("ex_g_len", 60, lo=10, hi=300, step=10),
        ChoiceParam("ex_g_scale", 0.9, choices=sec.G_SCALES),  # below 1: the vanilla RNN must vanish (the lesson)
        Param("ex_g_default", False),
        Param("ex_g_nl", "tanh", choices=("tanh", "relu")),
        Param("ex_g_chrono", True),  # on: the picture shows what the section teaches (the LSTM keeps gradient)
        ChoiceParam("ex_g_budget", 3000, choices=sec.G_BUDGETS),
        Param("ex_g_seed", 0, lo=0, hi=9999),
        Param("ex_g_jcell", "rnn", choices=("rnn", "lstm", "gru")),
        ChoiceParam("ex_c_scale", 1.5, choices=sec.C_SCALES),
        ChoiceParam("ex_c_lr", 0.05, choices=sec.C_LRS),
        ChoiceParam("ex_c_clip", 1.0, choices=sec.C_CLIPS),
        ChoiceParam("ex_c_steps", 150, choices=sec.C_STEPS),
        Param("ex_r_task", "adding", choices=("adding", "copy")),
        Param("ex_r_len", 100, lo=10, hi=300, step=10),
        Param("ex_r_secs", 60, lo=10, hi=120, step=5),
        Param("ex_r_chrono", True),
        Param("ex_r_seed", 0, lo=0, hi=9999),
        Param("ex_b_task", "palindrome", choices=("palindrome", "text")),
        ChoiceParam("ex_b_len", 11, choices=sec.B_LENS),
        ChoiceParam("ex_b_tlen", 21, choices=sec.B_TLENS),
        Param("ex_b_secs", 20, lo=5, hi=60, step=5),
        Param("ex_b_seed", 0, lo=0, hi=9999),
    ]


class ExplorerSetup(Setup):
    """The page's Setup, whose link carries only the section shown and the controls that apply to it."""

    def query(self) -> dict[str, str]:
        q = super().query()
        v = self.values()
        keep = {"ex_section", *SECTION_KEYS.get(v["ex_section"], ())}
        if v["ex_section"] == "states":
            keep -= {"ex_text", "ex_passage_play", "ex_passage_code"} - {"ex_text" if v["ex_text_source"] == "own"
                                                                         else f"ex_passage_{v['ex_text_source']}"}
            keep -= set() if v["ex_prop"] == "regex" else {"ex_regex"}
        if v["ex_section"] == "bidirectional":
            keep -= {"ex_b_tlen" if v["ex_b_task"] == "palindrome" else "ex_b_len"}
        return {k: s for k, s in q.items() if k in keep or k not in self.params}


def section_changed() -> None:
    if st.session_state.get("ex_section") is None:  # clicking the selected section again would clear it
        st.session_state["ex_section"] = st.session_state.get("ex_section_shown", "states")


def import_experiment() -> None:
    """Uploader callback (runs before the page is drawn): restore the controls and the race from a file."""
    from ui.explore.export import restore_race

    done = share.read_experiment("ex", PAGE, params())
    if done is None:
        return
    exp, ignored = done
    race = restore_race(exp.metrics)
    if race is not None:
        st.session_state["ex_race"], st.session_state["ex_race_job"] = race, None
    share.report_import("ex", ignored, detail="Its long-range race is shown under **Long-range race**." if race else "")


def experiment_panel(setup: Setup) -> None:
    """Share, download and import this page's experiment."""
    from ui.explore.export import experiment_zip

    c1, c2 = st.columns([1, 1], vertical_alignment="center")
    with c1:
        setup.share_button()
    query = {k: v for k, v in Setup.query(setup).items() if k in setup.params}  # every control, all sections
    g, race, blank = sec.gradient_settings(), st.session_state["ex_race"], st.session_state["ex_blank"]
    c2.download_button("Download experiment (.zip)", lambda: experiment_zip(query, g, race, blank),
                       "experiment_rnn_explorer.zip",
                       "application/zip", key="ex_dl_experiment", icon=":material/folder_zip:",
                       help="The whole set-up (every section's controls), the gradient-flow numbers and figures "
                            "for the gradient settings, and the curves and final losses of your last race and "
                            "fill-in-the-blank run (HTML figures). Import it below to restore the page.")
    share.import_panel("ex", import_experiment)


def main() -> None:
    from rnn_models.device import limit_threads

    limit_threads()  # per script thread: torch's thread count does not carry over from other threads
    init(EXPLORER)
    setup = ExplorerSetup(PAGE, params())
    keep_values(setup.params.values())  # switching sections (undrawn controls) never loses settings
    heading.title("RNN explorer")
    setup.restore()
    lessons.panel()
    share.show_import_message("ex")
    st.markdown(states.lesson_part(None))
    section = setup.control(st.segmented_control, "ex_section", "Section", list(sec.SECTIONS),
                            format_func=sec.SECTIONS.get, on_change=section_changed) or "states"
    st.session_state["ex_section_shown"] = section
    try:
        {"states": states.hidden_states_section, "gradients": sec.gradients_section, "race": sec.race_section,
         "bidirectional": sec.bidirectional_section}[section](setup)
    except UserInputError as exc:
        show_error(exc, what="That setting")
    st.divider()
    experiment_panel(setup)
    setup.sync()


main()
