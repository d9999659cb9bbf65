"""Music continuation: prime an LSTM with a melody (MIDI, typed notes, audio, microphone) and let it go on."""

import hashlib
from dataclasses import dataclass

import streamlit as st

from rnn_models.errors import UserInputError
from rnn_models.music.encoding import NOTE_NAMES
from rnn_models.music.generate import SCALES
from ui import lessons
from ui.cache import lesson
from ui.share import Param, Setup
from ui.state import MUSIC, init
from ui.uploads import read_upload, show_error

MODEL_PATH = "models/music_lstm.json"
SOURCES = {"builtin": "Built-in melody", "midi": "Upload MIDI", "text": "Type notes",
           "audio": "Audio / microphone"}
AUDIO_SOURCES = {"example": "Built-in recording", "upload": "Upload audio", "mic": "Microphone"}
DEFAULT_NOTES = "C4 D4 E4/8 F4/8 G4/2 E4 C4 D4/2"
MAX_MIDI = 2 * 1024 * 1024
MAX_AUDIO = 20 * 1024 * 1024
PAGE = "music_continuation"
KEYS = ("none", "auto") + tuple(f"{n} {s}" for s in SCALES for n in NOTE_NAMES)
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
    Param("music_temp", 1.0, lo=0.1, hi=2.0),
    Param("music_seed", 0, lo=0, hi=2**31 - 1),
    Param("music_var", 2, lo=1, hi=8),
    Param("music_key", "none", choices=KEYS),
    Param("music_keep", True),
]


@dataclass(frozen=True)
class ContinueSettings:
    bars: int  # bars to add
    temperature: float  # <1 safer, >1 wilder
    seed: int  # same seed, same continuation
    variations: int  # 1-8 continuations sampled side by side
    key: str  # "none", "auto" or e.g. "D minor"
    keep_primer: bool  # whether the MIDI/WAV files start with the primer


@st.cache_resource(show_spinner="Loading the melody corpus…")
def corpus():
    from rnn_models.music.corpus import load_corpus

    return load_corpus()


@st.cache_resource(show_spinner="Listening to the built-in recording…")
def builtin_analysis(bpm: float | None):
    """music21's 20 s recording analysed once per server (shared, read-only)."""
    from rnn_models.music.audio_in import analyse, builtin_recording, read_audio

    audio, sr = read_audio(builtin_recording().read_bytes(), "test_audio.wav")
    return analyse(audio, sr, bpm, "music21 test recording"), builtin_recording().read_bytes()


def crop_bars(melody, bars: int, last: bool):
    """The first or last `bars` bars of a melody (the primer)."""
    from rnn_models.music.encoding import Melody

    n = bars * melody.steps_per_bar
    ev = melody.events[-n:] if last else melody.events[:n]
    return Melody(ev.copy(), melody.tempo_bpm, melody.time_signature, melody.name, melody.meta)


def analyse_upload(data: bytes, name: str, bpm: float | None):
    """Audio bytes -> AudioAnalysis, remembered per file so reruns do not redo it."""
    from rnn_models.music.audio_in import analyse, read_audio

    digest = hashlib.sha1(data).hexdigest() + f"|{bpm}"
    cached = st.session_state["music_audio"]
    if cached is not None and cached[0] == digest:
        return cached[1]
    audio, sr = read_audio(data, name)
    result = analyse(audio, sr, bpm, name.rsplit(".", 1)[0])
    st.session_state["music_audio"] = (digest, result)
    return result


def link_upload_notice(what: str) -> None:
    """A link (or experiment file) named an uploaded file: ask for it, the rest of the set-up is kept."""
    if st.session_state.get("music_link_upload"):
        st.warning(f"This set-up came from a link or an experiment file that used an **uploaded {what}**. "
                   "A file cannot travel inside a link: add the same file here and the page keeps the rest "
                   "of the set-up (bars, temperature, seed, key) as the link says.")


def primer_controls(setup: Setup):
    """Choose where the primer comes from; returns a Melody or None (with the reason shown)."""
    source = setup.control(st.segmented_control, "music_source", "Primer", list(SOURCES),
                           format_func=SOURCES.get) or "builtin"
    if source == "builtin":
        c = corpus()
        idx = [int(i) for i in c.indices("test")]
        if st.session_state.get("music_builtin") not in idx:  # -1 (the default) or not a held-out melody
            if st.session_state.get("music_builtin", -1) != -1:
                st.caption(f"Link settings: ignored music_builtin={st.session_state['music_builtin']} "
                           "(not a held-out melody).")
            st.session_state["music_builtin"] = idx[0]
        c1, c2 = st.columns([3, 1])
        pick = setup.control(st.selectbox, "music_builtin", "Held-out melody (never seen in training)", idx,
                             format_func=lambda i: f"{c.names[i]} ({c.sources[i]})", container=c1)
        bars = setup.control(st.number_input, "music_builtin_bars", "Primer bars", 1, 16, container=c2)
        return crop_bars(c.melody(pick), int(bars), last=False)
    if source == "midi":
        return midi_primer(setup)
    if source == "text":
        from rnn_models.music.notation import parse_notes

        if not setup.locked("music_text"):
            keyboard()
        c1, c2 = st.columns([4, 1])
        text = setup.control(st.text_input, "music_text", "Notes: letter, optional #/b, octave, optional "
                             "/2 /4 /8 /16 and '.'; r is a rest", container=c1)
        tempo = setup.control(st.number_input, "music_text_bpm", "Tempo (bpm)", 40, 240, container=c2)
        try:
            return parse_notes(text, float(tempo))
        except UserInputError as exc:
            show_error(exc, what="Those notes")
            return None
    return audio_primer(setup)


def _type_note(token: str | None) -> None:
    """Keyboard callback: append a note (None: delete the last one)."""
    notes = st.session_state.get("music_text", "").split()
    if token is None:
        notes = notes[:-1]
    else:
        dur = st.session_state.get("music_kb_dur", "/4")
        notes.append(token.replace("{oct}", str(st.session_state.get("music_kb_oct", 4))) + dur.replace("/4", ""))
    st.session_state["music_text"] = " ".join(notes)


def keyboard() -> None:
    """A one-octave keyboard that types into the notes box."""
    with st.expander("Keyboard: click keys to add notes"):
        c1, c2 = st.columns([3, 1])
        c1.radio("Length", ["/1", "/2", "/4", "/8", "/16"], index=2, horizontal=True, key="music_kb_dur",
                 format_func={"/1": "whole", "/2": "half", "/4": "quarter", "/8": "eighth",
                              "/16": "16th"}.get)
        c2.number_input("Octave", 2, 6, 4, key="music_kb_oct")
        black = st.columns(8)  # sharps above, naturals below, like a keyboard
        white = st.columns(8)
        for col, name in zip(black, ("C#", "D#", "F#", "G#", "A#")):
            col.button(name, key=f"music_kb_{name}", on_click=_type_note, args=(name + "{oct}",),
                       type="primary", width="stretch")
        for col, name in zip(white, ("C", "D", "E", "F", "G", "A", "B")):
            col.button(name, key=f"music_kb_{name}", on_click=_type_note, args=(name + "{oct}",),
                       width="stretch")
        white[7].button("rest", key="music_kb_rest", on_click=_type_note, args=("r",), width="stretch")
        black[7].button("⌫", key="music_kb_back", on_click=_type_note, args=(None,), help="delete the last note",
                        width="stretch")


def midi_primer(setup: Setup):
    from rnn_models.music.midi_io import melody_from_midi, midi_tracks, read_midi

    up = st.file_uploader("MIDI file (.mid, max 2 MB)", key="music_midi")
    if up is None:
        link_upload_notice("MIDI file")
        st.info("Upload a MIDI file; examples are in `assets/examples/`.")
        return None
    st.session_state["music_link_upload"] = False
    try:
        pm = read_midi(read_upload(up, max_bytes=MAX_MIDI, what="MIDI file"))
        tracks = midi_tracks(pm)
        options = [None] + [t["index"] for t in tracks if not t["is_drum"] and t["notes"]]
        labels = {t["index"]: f"{t['index']}: {t['name']} ({t['notes']} notes)" for t in tracks}
        c1, c2 = st.columns([3, 1])
        track = c1.selectbox("Track (drums are ignored; chords keep their highest note)", options,
                             format_func=lambda i: "all melodic tracks" if i is None else labels[i],
                             key="music_track")
        bars = setup.control(st.number_input, "music_midi_bars", "Primer: last bars", 1, 64, container=c2)
        mel = melody_from_midi(pm, track, up.name.rsplit(".", 1)[0])
        st.caption(f"{mel.tempo_bpm:.0f} bpm, {mel.time_signature[0]}/{mel.time_signature[1]}, "
                   f"{len(mel.events) / mel.steps_per_bar:.1f} bars in the file")
        return crop_bars(mel, int(bars), last=True)
    except Exception as exc:
        show_error(exc, what="That MIDI file")
        return None


def audio_primer(setup: Setup):
    from ui.music_charts import spectrogram_with_notes

    c1, c2 = st.columns([3, 1])
    kind = setup.control(st.radio, "music_audio_kind", "Audio", list(AUDIO_SOURCES), format_func=AUDIO_SOURCES.get,
                         horizontal=True, container=c1)
    bpm = setup.control(st.number_input, "music_audio_bpm", "Tempo (bpm, 0 = estimate)", 0, 300,
                        container=c2) or None
    try:
        if kind == "example":
            analysis, raw = builtin_analysis(bpm)
            st.audio(raw, format="audio/wav")
        else:
            if kind == "upload":
                up = st.file_uploader("Recording of one instrument or voice (wav, flac, ogg, mp3; "
                                      "max 60 s, 20 MB)",
                                      key="music_audio_file")
            else:
                up = st.audio_input("Record a melody: sing or play one note at a time", key="music_mic")
            if up is None:
                link_upload_notice("recording")
                return None
            st.session_state["music_link_upload"] = False
            data = read_upload(up, max_bytes=MAX_AUDIO, what="audio file")
            name = getattr(up, "name", "") or "microphone.wav"
            if kind == "mic" and not name.lower().endswith(".wav"):
                name = "microphone.wav"
            analysis = analyse_upload(data, name, bpm)
    except Exception as exc:
        show_error(exc, what="That recording")
        return None
    st.markdown("**What was heard**: the spectrogram (dark = loud), the pitch track (green), "
                "onsets (dotted) and the notes it was cut into (orange boxes).")
    st.plotly_chart(projector(spectrogram_with_notes(analysis.times, analysis.spec_pitches, analysis.spec_db,
                                                     analysis.f0_midi, analysis.notes, analysis.onsets)),
                    key="music_spec")
    st.caption(f"{len(analysis.notes)} notes heard in {analysis.duration:.1f} s; quantised to 16ths at "
               f"{analysis.bpm:.0f} bpm.")
    return analysis.melody


def projector(fig):
    """In projector mode lay the figure out for the large font the projector styles force on it."""
    if st.session_state.get("present"):
        fig.update_layout(font=dict(size=17), legend=dict(font=dict(size=17)))
    return fig


def continue_controls(setup: Setup) -> ContinueSettings:
    c = st.columns(3) + st.columns(3) if st.session_state.get("present") else st.columns(6)  # room to read
    bars = setup.control(st.slider, "music_bars", "Bars to add", 1, 32, container=c[0])
    temp = setup.control(st.slider, "music_temp", "Temperature", 0.1, 2.0, step=0.05, container=c[1],
                         help="Below 1: the model's favourite notes; above 1: more surprise.")
    seed = setup.control(st.number_input, "music_seed", "Seed", 0, 2**31 - 1, container=c[2])
    var = setup.control(st.slider, "music_var", "Variations", 1, 8, container=c[3])
    key = setup.control(st.selectbox, "music_key", "Key constraint", list(KEYS), container=c[4],
                        format_func=lambda k: {"none": "none", "auto": "auto (primer's key)"}.get(k, k))
    keep = setup.control(st.checkbox, "music_keep", "Keep primer", container=c[5],
                         help="Start the MIDI and WAV files with the primer (else only the new bars).")
    return ContinueSettings(bars, float(temp), int(seed), var, key, keep)


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


def render_result(res) -> None:
    from ui.music_charts import piano_roll

    tabs = st.tabs([f"Variation {i + 1}" for i in range(len(res.variations))])
    for i, (tab, v) in enumerate(zip(tabs, res.variations)):
        with tab:
            st.plotly_chart(projector(piano_roll(v.notes, res.primer_end,
                                                 height=520 if st.session_state.get("present") else 360)),
                            key=f"music_roll_{i}")
            st.caption(f"Continuation notes: {note_names(v)}")
            wav = st.session_state["music_wavs"][i]
            st.audio(wav, format="audio/wav")
            c1, c2 = st.columns(2)
            c1.download_button("Download MIDI", v.midi, f"continuation_{i + 1}.mid", "audio/midi",
                               key=f"music_dl_mid_{i}", on_click="ignore")
            c2.download_button("Download WAV", wav, f"continuation_{i + 1}.wav", "audio/wav",
                               key=f"music_dl_wav_{i}", on_click="ignore")
    key = f"; key constraint {res.key.name}" if res.key else ""
    experiment_download(res)
    st.caption(f"Primer: {res.primer_steps} sixteenths ({res.primer_end:.1f} s) at "
               f"{res.primer.tempo_bpm:.0f} bpm{key}. Hover a note to see the probability the model gave it "
               "(fainter notes were less likely).")


def note_names(v) -> str:
    """The continuation's notes (not the primer's) as note names, e.g. 'C4 E4 G4'."""
    from ui.music_charts import _name

    return " ".join(_name(int(p)) for p, _s, _e, _pr, prim in v.notes if not prim) or "(only rests)"


def experiment_download(res) -> None:
    from ui.music_charts import experiment_zip

    setup = st.session_state["music_run_setup"] or {}
    mine = st.session_state["music_user_model"] if setup.get("music_model") == "mine" else None
    st.download_button("Download experiment (.zip)", lambda: experiment_zip(res, setup, mine),
                       "experiment_music.zip", "application/zip", key="music_dl_experiment",
                       icon=":material/folder_zip:", on_click="ignore")
    st.caption("The set-up of this continuation (as in its link), the notes with the probability the model "
               "gave each, the piano rolls as HTML files and, with “My model”, your trained network. Import it "
               "below to restore the set-up.")


def keep_controls() -> None:
    """Keep every control's value, drawn or not, so the URL never loses settings."""
    from ui.share import keep_values

    keep_values(PARAMS)


def import_experiment() -> None:
    """Uploader callback (runs before the page is drawn): restore the controls and any model."""
    from rnn_models.checkpoints import CheckpointError
    from ui.export import read

    uploaded = st.session_state.get("music_import")
    if uploaded is None:
        return
    try:
        exp = read(read_upload(uploaded, max_bytes=25 * 2**20, what="experiment file"), page=PAGE)
    except (UserInputError, CheckpointError) as exc:
        st.session_state["music_import_msg"] = ("error", f"That experiment file could not be used: {exc}")
        return
    from ui.share import apply_values

    ignored = apply_values(PARAMS, exp.setup)
    if exp.checkpoint is not None:
        st.session_state["music_user_model"] = exp.checkpoint
    src, kind = st.session_state.get("music_source"), st.session_state.get("music_audio_kind")
    st.session_state["music_link_upload"] = src == "midi" or (src == "audio" and kind != "example")
    text = f"Experiment imported: the controls are set as in **{uploaded.name}**"
    text += " and its trained model is loaded as “My model”." if exp.checkpoint is not None else "."
    nll = (exp.metrics.get("variations") or [{}])[0].get("nll_per_event")
    if nll is not None:
        text += (f" Its first variation scored {nll:.3f} nats per event; press **Continue the melody** to "
                 "reproduce it (same seed, same notes).")
    if ignored:
        text += " Ignored: " + "; ".join(ignored) + "."
    st.session_state["music_import_msg"] = ("success", text)


def import_panel() -> None:
    with st.expander("Import an experiment (.zip)", icon=":material/upload_file:"):
        st.file_uploader("An experiment file downloaded from this page (under the piano roll)",
                         key="music_import", on_change=import_experiment)


def quality_section(ckpt, key: str = "pretrained") -> None:
    from ui.charts import loss_chart
    from ui.music_charts import quality_table

    m = ckpt.meta.get("metrics", {})
    if "heldout" not in m:
        return
    with st.expander("How good is the model? Held-out next-event quality against two baselines"):
        st.dataframe(quality_table(m["heldout"]), hide_index=True)
        st.caption(f"{m.get('heldout_pieces', '?')} held-out pieces; lower NLL is better. "
                   f"Data: {ckpt.meta.get('data', '')}. Trained with: `{ckpt.meta.get('command', '')}`")
        if ckpt.meta.get("history"):
            st.plotly_chart(loss_chart(ckpt.meta["history"], title="Training curve (nats per event)"),
                            key=f"music_curve_{key}")


def train_section() -> None:
    from ui import jobs
    from ui.charts import loss_chart

    with st.expander("Train on your own MIDI files", expanded=jobs.current() is not None
                     and getattr(jobs.current(), "name", "") == "melody training"):
        ups = st.file_uploader("MIDI files (several; each max 2 MB)",
                               accept_multiple_files=True, key="music_train_files")
        c = st.columns(4)
        hidden = c[0].select_slider("Hidden units", [32, 64, 128, 256], 128, key="music_train_hidden")
        steps = c[1].number_input("Steps", 10, 3000, 300, 10, key="music_train_steps")
        budget = c[2].number_input("Time limit (s)", 10, 600, 120, key="music_train_budget")
        seed = c[3].number_input("Seed", 0, 10_000, 0, key="music_train_seed")
        if st.button("Start training", disabled=not ups, key="music_train_go"):
            try:
                files = [(u.name, read_upload(u, max_bytes=MAX_MIDI, what=u.name)) for u in ups]
                from rnn_models.music.training_data import midi_data

                data = midi_data(files)
                jobs.start("melody training", lambda ctx: _train_job(ctx, data, hidden, int(steps),
                                                                       float(budget), int(seed)),
                           time_budget_s=float(budget))
            except Exception as exc:
                show_error(exc, what="Those MIDI files")
        jobs.live_panel("melody training", lambda h: loss_chart(h, title="Loss (nats per event)"))
        mine = st.session_state["music_user_model"]
        if mine is not None:
            import io
            import json

            from safetensors.torch import save as st_save

            st.success("Your model is ready: pick “My model” above to continue melodies with it.")
            quality_section(mine, "mine")
            weights = st_save({k: v.contiguous() for k, v in mine.model.state_dict().items()})
            meta = json.dumps(mine.meta | {"config": mine.model.config.to_dict()}, indent=1)
            c1, c2 = st.columns(2)
            c1.download_button("Download weights (.safetensors)", io.BytesIO(weights).getvalue(),
                               "my_melody_model.safetensors", key="music_dl_w", on_click="ignore")
            c2.download_button("Download config (.json)", meta, "my_melody_model.json",
                               "application/json", key="music_dl_j", on_click="ignore")


def collect_trained_model() -> None:
    """Keep the model of this session's finished (or stopped) training job, once."""
    from ui import jobs

    job = jobs.current()
    if (job is not None and job.name == "melody training" and job.status in ("done", "stopped")
            and job.result is not None and st.session_state["music_job_id"] != job.id):
        st.session_state["music_user_model"] = job.result
        st.session_state["music_job_id"] = job.id


def _train_job(ctx, data, hidden: int, steps: int, budget: float, seed: int):
    """Runs in a worker thread: train, then score on the held-out files."""
    from rnn_models.checkpoints import Checkpoint
    from rnn_models.music.cli import finish_meta
    from rnn_models.music.model import melody_config, train_melody_model
    from rnn_models.training import TrainConfig

    cfg = melody_config(hidden=hidden, layers=1, embed=32, dropout=0.1)
    tcfg = TrainConfig(steps=steps, batch_size=16, lr=3e-3, seed=seed, eval_every=max(10, steps // 20),
                       eval_batches=2, time_budget_s=budget)
    model, result = train_melody_model(data.train, data.val, cfg, tcfg, seq_len=64,
                                       on_step=ctx.on_step, should_stop=ctx.should_stop)
    ctx.progress(1.0, "scoring on the held-out file(s)")
    meta = finish_meta(model, data, result, f"page: train on {data.description}")
    for p in model.parameters():
        p.requires_grad_(False)
    return Checkpoint(model, meta)


def main() -> None:
    init(MUSIC)
    keep_controls()
    collect_trained_model()
    setup = Setup(PAGE, PARAMS)
    url = {k: st.query_params.get(k) for k in st.query_params.keys()}
    fresh_link = url != st.session_state.get(setup._last)  # the same test restore() makes
    st.title("Music continuation")
    st.markdown("Give the network the start of a melody; it writes the next bars one 16th note at a time.")
    setup.restore()
    if fresh_link and url:
        src = st.session_state["music_source"]
        st.session_state["music_link_upload"] = src == "midi" or (
            src == "audio" and st.session_state["music_audio_kind"] != "example")
    lessons.panel()
    if st.session_state["music_import_msg"] is not None:
        kind, text = st.session_state["music_import_msg"]
        (st.error if kind == "error" else st.success)(text)
        st.session_state["music_import_msg"] = None
    with st.expander("How it works"):
        st.markdown(lesson("music_continuation"))
    primer = primer_controls(setup)
    settings = continue_controls(setup)
    ckpt = model_choice(setup)
    go_col, share_col = st.columns([2, 3] if st.session_state.get("present") else [1, 3],
                                   vertical_alignment="center")
    with share_col:
        setup.share_button()
    if go_col.button("Continue the melody", type="primary", disabled=primer is None, key="music_go"):
        from rnn_models.music.pipeline import continue_primer

        try:
            from rnn_models.music.synth import render_notes, wav_bytes

            res = continue_primer(ckpt.model, primer, settings.bars, settings.temperature, settings.seed,
                                  settings.variations, settings.key, settings.keep_primer)
            st.session_state["music_wavs"] = [wav_bytes(*render_notes(v.output_notes)) for v in res.variations]
            st.session_state["music_result"] = res
            st.session_state["music_run_setup"] = {k: v for k, v in setup.query().items() if k in setup.params}
        except Exception as exc:
            show_error(exc, what="That continuation")
    if st.session_state["music_result"] is not None:
        render_result(st.session_state["music_result"])
    quality_section(ckpt)
    train_section()
    import_panel()
    setup.sync()


main()
