"""Translation: an encoder-decoder with attention, and why attention was invented."""

import streamlit as st

from ui.cache import lesson
from ui.share import Param, import_panel, open_page
from ui.state import TRANSLATE
from ui.translate.export import download_button, import_experiment
from ui.translate.train_tab import take_finished_job, train_tab
from ui.translate.translate_tab import translate_tab
from ui.translate.why_tab import why_tab

PAGE = "translation"
# The shareable controls: widget key = URL parameter.
PARAMS = [
    Param("tr_model", "attention", choices=("attention", "no_attention", "own")),
    Param("tr_source", "type", choices=("type", "test")),
    Param("tr_text", "Am nächsten Morgen war ich früh auf den Beinen."),
    Param("tr_pick", 0, lo=0, hi=100_000),
    Param("tr_beam", 5, lo=1, hi=8),  # the width chosen with the dictionary's share on the validation sentences
    Param("tr_maxlen", 40, lo=5, hi=60),
    Param("tr_lexicon", True),
]


def main() -> None:
    setup = open_page(PAGE, PARAMS, TRANSLATE, "tr", "Translation",
                      "An **encoder** reads a German sentence in both directions; a **decoder** writes English one "
                      "word at a time, and **attention** lets it look back at the German words it needs right now.")
    with st.expander("How it works", expanded=False):
        st.markdown(lesson("translation"))
    take_finished_job()
    tab_tr, tab_why, tab_train = st.tabs(["Translate", "Why attention", "Train your own"])
    with tab_tr:
        translate_tab(setup)
    with tab_why:
        why_tab()
    with tab_train:
        train_tab()
    c1, c2 = st.columns([1, 3], vertical_alignment="center")
    with c1:
        setup.share_button()
    download_button(c2, setup.query())
    import_panel("tr", lambda: import_experiment(PARAMS), "this page")
    setup.sync()


main()
