"""The Translate tab: a German sentence in, an English one out, with attention and the top-5 per step."""

import time
from dataclasses import replace

import pandas as pd
import streamlit as st

from rnn_models.errors import UserInputError
from rnn_models.translate.vocab import EOS
from ui import stale
from ui.share import Setup
from ui.translate import models
from ui.translate.charts import attention_heatmap, shown
from ui.uploads import show_error

OWN = "own"  # the model this student trained on the Train tab
STALE_LABELS = {"tr_text": "sentence", "tr_model": "model", "tr_beam": "beam width", "tr_maxlen": "maximum length",
                "tr_lexicon": "dictionary lookup"}


def model_choices() -> list[str]:
    return models.available() + ([OWN] if st.session_state.get("tr_user") is not None else [])


def model_label(name: str) -> str:
    return "Your trained model" if name == OWN else models.NAMES[name]


def translator(name: str, lexicon: bool = True):
    """The chosen translator; lexicon=False: the attention network without its dictionary lookup."""
    tr = st.session_state["tr_user"] if name == OWN else models.pretrained(name)
    return tr if lexicon or not tr.consults_lexicon else replace(tr, gate=None)


def translate_controls(setup: Setup):
    """Model, sentence and decoding settings; returns (model name, text, reference, DecodeSettings)."""
    from rnn_models.translate.decode import DecodeSettings

    choices = model_choices()
    if st.session_state.get("tr_model") not in choices:
        st.session_state["tr_model"] = choices[0]
    name = setup.control(st.radio, "tr_model", "Model", choices, format_func=model_label, horizontal=True)
    source = setup.control(st.radio, "tr_source", "Sentence", ["type", "test"], horizontal=True,
                           format_func=lambda s: "Type your own" if s == "type" else "Pick one from the held-out set")
    reference = None
    tests = models.test_sentences() if source == "test" else []
    if tests:
        idx = setup.control(st.number_input, "tr_pick", f"Held-out sentence number (0–{len(tests) - 1})",
                            0, len(tests) - 1)
        text, reference = tests[int(idx)]
        st.markdown(f"**German:** {text}  \n**Reference English:** {reference}")
    else:
        if source == "test":
            st.info("The held-out set needs Debian's trans-de-en package; type a sentence instead.")
        # no max_chars: Streamlit would drop a longer paste without a word; too_long() says what is wrong
        text = setup.control(st.text_area, "tr_text", "German sentence", height=80)
    c1, c2 = st.columns(2)
    beam = setup.control(st.slider, "tr_beam", "Beam width (1 = greedy)", 1, 8, container=c1)
    max_len = setup.control(st.slider, "tr_maxlen", "Maximum output length (words)", 5, 60, container=c2)
    lexicon = True
    if name != OWN and models.consults_lexicon(name):
        lexicon = setup.control(st.checkbox, "tr_lexicon", "Look up the attended German words in the dictionary",
                                help="At each step the decoder looks up the German words it attends to in the Ding "
                                     "dictionary and mixes their English entries into its prediction (see How it "
                                     "works). Untick to see the attention network alone.")
    return name, text, reference, DecodeSettings(beam=int(beam), max_len=int(max_len)), bool(lexicon)


def too_long(text: str) -> bool:
    """Say under the box when the text is over the model's limit (a pasted page): Translate is then disabled."""
    from rnn_models.translate.translator import length_error
    from rnn_models.translate.vocab import tokenize

    message = length_error(tokenize(text))
    if message:
        st.error(f"{message[0].upper()}{message[1:]}. Your last translation is kept below.",
                 icon=":material/block:")
    return message is not None


def run_translation(name: str, text: str, reference: str | None, settings, lexicon: bool = True,
                    inputs: stale.Inputs | None = None) -> None:
    """Translate and keep the result, and the inputs it was made from, in the session (kept across reruns
    and tab switches)."""
    try:
        tr = translator(name, lexicon)  # loading the model is not translating: not timed
        t = time.perf_counter()
        result = tr.translate(text, settings)
        seconds = time.perf_counter() - t
    except (UserInputError, ValueError) as exc:
        show_error(exc, what="That sentence")
        return
    st.session_state["tr_result"] = {"model": name, "text": text, "reference": reference, "result": result,
                                     "seconds": seconds, "beam": settings.beam, "max_len": settings.max_len}
    st.session_state["tr_result_inputs"] = inputs


def alternatives_table(result) -> pd.DataFrame:
    """One row per output step: the chosen word and the five likeliest, </s> and <unk> said in words."""
    rows = []
    for i, (chosen, alts) in enumerate(zip(result.target_tokens, result.alternatives, strict=True)):
        row = {"step": i + 1, "chosen": shown(chosen, html=False)}
        for k, a in enumerate(alts):
            row[f"#{k + 1}"] = f"{shown(a['token'], html=False)}  {a['p']:.0%}"
        rows.append(row)
    return pd.DataFrame(rows)


def output_notices(run: dict) -> None:
    """Under the headline: output words left out of it, and a sentence cut off by the maximum length."""
    r = run["result"]
    dropped = r.dropped_unknown
    if dropped:
        st.caption(f"{dropped} output word{'s' if dropped > 1 else ''} the model could not name (⟨unknown⟩) "
                   f"{'are' if dropped > 1 else 'is'} left out of the sentence above (see the table below).")
    max_len = run.get("max_len")
    if max_len and r.target_tokens and r.target_tokens[-1] != EOS and len(r.target_tokens) >= max_len:
        st.warning(f"The translation stopped at the maximum length ({max_len} words) before the model ended the "
                   "sentence: raise **Maximum output length** to let the sentence finish.",
                   icon=":material/straighten:")


def render_result(run: dict) -> None:
    r = run["result"]
    st.subheader(r.translation or "(empty translation)")
    lookup = " + dictionary lookup" if r.lexicon_gate else ""
    st.caption(f"{model_label(run['model'])}{lookup} · beam {run['beam']} · {run['seconds'] * 1000:.0f} ms · "
               f"log-probability {r.score:.2f}")
    output_notices(run)
    if run["reference"]:
        st.markdown(f"Reference: *{run['reference']}*")
    unknown = [t for t, u in zip(r.source_tokens, r.source_unknown, strict=True) if u]
    if unknown:
        st.warning("Words the model has never seen (read as ⟨unknown⟩): " + ", ".join(unknown[:20]))
    if r.attention is not None:
        st.plotly_chart(attention_heatmap(r), key="tr_heatmap")
        st.caption("Each row is one English word the decoder wrote; the blue cells show which German words it "
                   "read (attention weights, each row sums to 1). Word order that changes between the languages "
                   "shows up as cells off the diagonal."
                   + (" With the dictionary lookup on, these weights also pick which German words' dictionary "
                      "entries are mixed into each step's prediction." if r.lexicon_gate else ""))
    else:
        st.info("This network has no attention: the decoder sees the sentence only through one fixed-size "
                "vector, so there is no heatmap to show.")
    st.markdown("**At each step, the five likeliest next words**")
    st.dataframe(alternatives_table(r), hide_index=True, use_container_width=True)


def translate_tab(setup: Setup) -> None:
    if not model_choices():
        st.error("No translation model found in assets/models: train one on the Train tab or run "
                 "`python -m rnn_models train translate`.")
        return
    name, text, reference, settings, lexicon = translate_controls(setup)
    # a result shown under changed inputs is marked as made with the previous ones (never cleared: a bad
    # sentence typed next must not lose it), with a one-click rerun
    now = stale.Inputs("", {"tr_text": text, "tr_model": name, "tr_beam": settings.beam,
                            "tr_maxlen": settings.max_len, "tr_lexicon": lexicon})
    blocked = too_long(text)
    if st.button("Translate", type="primary", key="tr_go", disabled=blocked):
        run_translation(name, text, reference, settings, lexicon, now)
    elif not blocked and stale.check("tr_result", "tr_result_inputs", now, "sentence", STALE_LABELS, "tr_rerun"):
        run_translation(name, text, reference, settings, lexicon, now)
        st.rerun()
    if st.session_state["tr_result"] is not None:
        render_result(st.session_state["tr_result"])
