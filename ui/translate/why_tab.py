"""The "Why attention" tab: BLEU and chrF by sentence length on the held-out set, three systems."""

import pandas as pd
import streamlit as st

from ui.translate import models
from ui.translate.charts import SYSTEM_STYLE, bleu_by_length


def why_tab() -> None:
    report = models.quality()
    if report is None:
        st.info("No held-out report yet: run `python benchmarks/translate_benchmark.py`.")
        return
    st.markdown(
        "Bahdanau, Cho and Bengio (2014) noticed that an encoder–decoder that squeezes a whole sentence into "
        "**one fixed-size vector** translates short sentences well and long ones badly, and that letting the "
        "decoder **look back at every source word** (attention) fixes it. Here are the same two networks (same "
        "size, same data, same training time), and a word-by-word dictionary, on "
        f"{report['sentences']} German sentences none of them saw in training.")
    st.plotly_chart(bleu_by_length(report), key="tr_why_chart")
    rows = [{"system": SYSTEM_STYLE[k][0], "BLEU": report["bleu"][k], "chrF": report["chrf"][k]}
            for k in SYSTEM_STYLE]
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    st.caption(f"Measured by `{report.get('command', 'python benchmarks/translate_benchmark.py')}` "
               f"(sacrebleu, case-insensitive; greedy decoding; BLEU per bucket is computed over that "
               "bucket's sentences).")
    with st.expander("Example translations from the held-out set"):
        st.dataframe(pd.DataFrame(report.get("examples", [])), hide_index=True)
