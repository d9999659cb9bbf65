"""Music continuation: prime an LSTM with a melody (MIDI, typed notes, audio, microphone) and let it go on."""

import streamlit as st

from rnn_models.music.encoding import NOTE_NAMES
from rnn_models.music.generate import SCALES
from rnn_models.music.pipeline import ContinueSettings
from rnn_models.sampling import SamplingSettings
from ui import heading, lessons
from ui.cache import lesson
from ui.music.primers import AUDIO_SOURCES, SOURCES, primer_controls, show_key
from ui.music.results import render_result
from ui.music.training import collect_trained_model, quality_section, train_section
from ui.share import Param, Setup, import_panel, keep_values, read_experiment, report_import, show_import_message
from ui.state import MUSIC, init
from ui.uploads import show_error

MODEL_PATH = "models/music_lstm.json"
DEFAULT_NOTES = "C4 D4 E4/8 F4/8 G4/2 E4 C4 D4/2"
PAGE = "music_continuation"
KEYS = ("none", "auto") + tuple(f"{n} {s}" for s in SCALES for n in NOTE_NAMES)
SETTING_KEYS = ("music_model", "music_bars", "music_temp", "music_seed", "music_var", "music_key", "music_keep")
MODELS = {"pretrained": "Pretrained LSTM (Essen + Bach)", "mine": "My model (trained on my MIDI files)"}

# The shareable controls: widget key = URL parameter. music_builtin is the corpus index of a held-out
# melody (checked against the held-out list when the page draws it). Uploads cannot travel in a link.
PARAMS = [
    Param("music_source", "builtin", choices=tuple(SOURCES)),
    Param("music_builtin", -1, lo=-1, hi=10**7),  # -1: the first held-out melody
    Param("music_builtin_bars", 2, lo=1, hi=16),
    Param("music_text", DEFAULT_NOTES),
    Param("music_text_bpm", 100, lo=40, hi=240),
    Param("music_midi_bars", 8, lo=1, hi=64),
    Param("music_audio_kind", "example", choices=tuple(AUDIO_SOURCES)),
    Param("music_audio_bpm", 0, lo=0, hi=300),
    Param("music_model", "pretrained", choices=tuple(MODELS)),
    Param("music_bars", 8, lo=1, hi=32),
    Param("music_temp", 1.0, lo=0.1, hi=2.0, step=0.05),
    Param("music_seed", 0, lo=0, hi=2**31 - 1),
    Param("music_var", 2, lo=1, hi=8),
    Param("music_key", "none", choices=KEYS),
    Param("music_keep", True),
]


def continue_controls(setup: Setup) -> ContinueSettings:
    c = st.columns(3) + st.columns(3) if st.session_state.get("present") else st.columns(6)  # room to read
    bars = setup.control(st.slider, "music_bars", "Bars to add", container=c[0])
    temp = setup.control(st.slider, "music_temp", "Temperature", container=c[1],
                         help="Below 1: the model's favourite notes; above 1: more surprise.")
    seed = setup.control(st.number_input, "music_seed", "Seed", container=c[2])
    var = setup.control(st.slider, "music_var", "Variations", container=c[3])
    key = setup.control(st.selectbox, "music_key", "Key constraint", list(KEYS), container=c[4],
                        format_func=lambda k: {"none": "none", "auto": "auto (primer's key)"}.get(k, k))
    keep = setup.control(st.checkbox, "music_keep", "Keep primer", container=c[5],
                         help="Start the MIDI and WAV files with the primer (else only the new bars).")
    return ContinueSettings(bars, SamplingSettings(temperature=float(temp)), int(seed), var, key, keep)


def model_choice(setup: Setup):
    """The pretrained model, or the one this student trained."""
    from ui.cache import pretrained

    options = ["pretrained"]
    if st.session_state["music_user_model"] is not None:
        options.append("mine")
    elif st.session_state.get("music_model") == "mine":
        st.warning("This set-up used a model **trained by its author**; it is not in this session. Import "
                   "their experiment file (below) or train your own; until then the pretrained model is used.")
        st.session_state["music_model"] = "pretrained"
    which = setup.control(st.radio, "music_model", "Model", options, format_func=MODELS.get, horizontal=True)
    if which == "mine" and "mine" in options:
        return st.session_state["music_user_model"]
    return pretrained(MODEL_PATH)


def current_inputs(setup: Setup, primer):
    """What a continuation made now would be made from: the primer's notes and tempo, and the settings."""
    from ui.stale import Inputs, fingerprint

    data = "none" if primer is None else fingerprint(primer.events, float(primer.tempo_bpm))
    return Inputs(data, {k: v for k, v in setup.query().items() if k in SETTING_KEYS})


def continue_melody(setup: Setup, ckpt, primer, settings) -> None:
    """Continue the primer and keep the result with what it was made from."""
    from rnn_models.music.pipeline import continue_primer
    from rnn_models.music.synth import render_notes, wav_bytes

    try:
        res = continue_primer(ckpt.model, primer, settings)
        st.session_state["music_wavs"] = [wav_bytes(*render_notes(v.output_notes)) for v in res.variations]
        st.session_state["music_result"] = res
        st.session_state["music_run_setup"] = {k: v for k, v in setup.query().items() if k in setup.params}
        st.session_state["music_run_inputs"] = current_inputs(setup, primer)
    except Exception as exc:
        show_error(exc, what="That continuation")


def import_experiment() -> None:
    """Uploader callback (runs before the page is drawn): restore the controls and any model."""
    done = read_experiment("music", PAGE, PARAMS)
    if done is None:
        return
    exp, ignored = done
    if exp.checkpoint is not None:
        st.session_state["music_user_model"] = exp.checkpoint
    src, kind = st.session_state.get("music_source"), st.session_state.get("music_audio_kind")
    st.session_state["music_link_upload"] = src == "midi" or (src == "audio" and kind != "example")
    nll = (exp.metrics.get("variations") or [{}])[0].get("nll_per_event")
    loaded = " and its trained model is loaded as “My model”" if exp.checkpoint is not None else ""
    report_import("music", ignored, loaded,
                  "" if nll is None else f"Its first variation scored {nll:.3f} nats per event; press **Continue the "
                  "melody** to reproduce it (same seed, same notes).")


def main() -> None:
    init(MUSIC)
    keep_values(PARAMS)  # every control keeps its value, drawn or not, so the URL never loses settings
    collect_trained_model()
    setup = Setup(PAGE, PARAMS)
    url = {k: st.query_params.get(k) for k in st.query_params.keys()}
    fresh_link = url != st.session_state.get(setup._last)  # the same test restore() makes
    heading.title("Music continuation")
    st.markdown("Give the network the start of a melody; it writes the next bars one 16th note at a time.")
    setup.restore()
    if fresh_link and url:
        src = st.session_state["music_source"]
        st.session_state["music_link_upload"] = src == "midi" or (
            src == "audio" and st.session_state["music_audio_kind"] != "example")
    lessons.panel()
    show_import_message("music")
    with st.expander("How it works"):
        st.markdown(lesson("music_continuation"))
    primer = primer_controls(setup)
    if primer is not None:
        show_key(primer)
    settings = continue_controls(setup)
    ckpt = model_choice(setup)
    go_col, share_col = st.columns([2, 3] if st.session_state.get("present") else [1, 3],
                                   vertical_alignment="center")
    with share_col:
        setup.share_button()
    clicked = go_col.button("Continue the melody", type="primary", disabled=primer is None, key="music_go")
    from ui.stale import check

    # an unreadable primer is bad input: it says what is wrong above and loses nothing already on the page
    rerun = primer is not None and check("music_result", "music_run_inputs", current_inputs(setup, primer),
                                         "primer", rerun_key="music_rerun")
    if (clicked or rerun) and primer is not None:
        continue_melody(setup, ckpt, primer, settings)
        if rerun:  # the notice above spoke of the result just replaced
            st.rerun()
    if st.session_state["music_result"] is not None:
        render_result(st.session_state["music_result"])
    quality_section(ckpt)
    train_section()
    import_panel("music", import_experiment, "this page (under the piano roll)")
    setup.sync()


main()
