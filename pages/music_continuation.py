"""Music continuation: prime an LSTM with a melody (MIDI, typed notes, audio, microphone) and let it go on."""

import hashlib
from dataclasses import dataclass

import streamlit as st

from rnn_models.errors import UserInputError
from ui.cache import lesson
from ui.state import MUSIC, init
from ui.uploads import read_upload, show_error

MODEL_PATH = "models/music_lstm.json"
SOURCES = {"builtin": "Built-in melody", "midi": "Upload MIDI", "text": "Type notes",
           "audio": "Audio / microphone"}
AUDIO_SOURCES = {"example": "Built-in recording", "upload": "Upload audio", "mic": "Microphone"}
DEFAULT_NOTES = "C4 D4 E4/8 F4/8 G4/2 E4 C4 D4/2"
MAX_MIDI = 2 * 1024 * 1024
MAX_AUDIO = 20 * 1024 * 1024


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


def primer_controls():
    """Choose where the primer comes from; returns a Melody or None (with the reason shown)."""
    source = st.segmented_control("Primer", list(SOURCES), format_func=SOURCES.get, default="builtin",
                                  key="music_source") or "builtin"
    if source == "builtin":
        c = corpus()
        idx = [int(i) for i in c.indices("test")]
        c1, c2 = st.columns([3, 1])
        pick = c1.selectbox("Held-out melody (never seen in training)", idx,
                            format_func=lambda i: f"{c.names[i]} ({c.sources[i]})", key="music_builtin")
        bars = c2.number_input("Primer bars", 1, 16, 2, key="music_builtin_bars")
        return crop_bars(c.melody(pick), int(bars), last=False)
    if source == "midi":
        return midi_primer()
    if source == "text":
        from rnn_models.music.notation import parse_notes

        if "music_text" not in st.session_state:
            st.session_state["music_text"] = DEFAULT_NOTES
        keyboard()
        c1, c2 = st.columns([4, 1])
        text = c1.text_input("Notes: letter, optional #/b, octave, optional /2 /4 /8 /16 and '.'; r is a rest",
                             key="music_text")
        tempo = c2.number_input("Tempo (bpm)", 40, 240, 100, key="music_text_bpm")
        try:
            return parse_notes(text, float(tempo))
        except UserInputError as exc:
            show_error(exc, what="Those notes")
            return None
    return audio_primer()


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


def midi_primer():
    from rnn_models.music.midi_io import melody_from_midi, midi_tracks, read_midi

    up = st.file_uploader("MIDI file (.mid, max 2 MB)", type=["mid", "midi"], key="music_midi")
    if up is None:
        st.info("Upload a MIDI file; examples are in `assets/examples/`.")
        return None
    try:
        pm = read_midi(read_upload(up, max_bytes=MAX_MIDI, what="MIDI file"))
        tracks = midi_tracks(pm)
        options = [None] + [t["index"] for t in tracks if not t["is_drum"] and t["notes"]]
        labels = {t["index"]: f"{t['index']}: {t['name']} ({t['notes']} notes)" for t in tracks}
        c1, c2 = st.columns([3, 1])
        track = c1.selectbox("Track (drums are ignored; chords keep their highest note)", options,
                             format_func=lambda i: "all melodic tracks" if i is None else labels[i],
                             key="music_track")
        bars = c2.number_input("Primer: last bars", 1, 64, 8, key="music_midi_bars")
        mel = melody_from_midi(pm, track, up.name.rsplit(".", 1)[0])
        st.caption(f"{mel.tempo_bpm:.0f} bpm, {mel.time_signature[0]}/{mel.time_signature[1]}, "
                   f"{len(mel.events) / mel.steps_per_bar:.1f} bars in the file")
        return crop_bars(mel, int(bars), last=True)
    except Exception as exc:
        show_error(exc, what="That MIDI file")
        return None


def audio_primer():
    from ui.music_charts import spectrogram_with_notes

    c1, c2 = st.columns([3, 1])
    kind = c1.radio("Audio", list(AUDIO_SOURCES), format_func=AUDIO_SOURCES.get, horizontal=True,
                    key="music_audio_kind")
    bpm = c2.number_input("Tempo (bpm, 0 = estimate)", 0, 300, 0, key="music_audio_bpm") or None
    try:
        if kind == "example":
            analysis, raw = builtin_analysis(bpm)
            st.audio(raw, format="audio/wav")
        else:
            if kind == "upload":
                up = st.file_uploader("Recording of one instrument or voice (wav, flac, ogg, mp3; "
                                      "max 60 s, 20 MB)", type=["wav", "flac", "ogg", "mp3"],
                                      key="music_audio_file")
            else:
                up = st.audio_input("Record a melody: sing or play one note at a time", key="music_mic")
            if up is None:
                return None
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
    st.plotly_chart(spectrogram_with_notes(analysis.times, analysis.spec_pitches, analysis.spec_db,
                                           analysis.f0_midi, analysis.notes, analysis.onsets),
                    key="music_spec")
    st.caption(f"{len(analysis.notes)} notes heard in {analysis.duration:.1f} s; quantised to 16ths at "
               f"{analysis.bpm:.0f} bpm.")
    return analysis.melody


def continue_controls() -> ContinueSettings:
    from rnn_models.music.encoding import NOTE_NAMES
    from rnn_models.music.generate import SCALES

    keys = ["none", "auto"] + [f"{n} {s}" for s in SCALES for n in NOTE_NAMES]
    c = st.columns(6)
    bars = c[0].slider("Bars to add", 1, 32, 8, key="music_bars")
    temp = c[1].slider("Temperature", 0.1, 2.0, 1.0, 0.05, key="music_temp",
                       help="Below 1: the model's favourite notes; above 1: more surprise.")
    seed = c[2].number_input("Seed", 0, 2**31 - 1, 0, key="music_seed")
    var = c[3].slider("Variations", 1, 8, 2, key="music_var")
    key = c[4].selectbox("Key constraint", keys, key="music_key",
                         format_func=lambda k: {"none": "none", "auto": "auto (primer's key)"}.get(k, k))
    keep = c[5].checkbox("Keep primer", True, key="music_keep",
                       help="Start the MIDI and WAV files with the primer (else only the new bars).")
    return ContinueSettings(bars, float(temp), int(seed), var, key, keep)


def model_choice():
    """The pretrained model, or the one this student trained."""
    from ui.cache import pretrained

    options = {"pretrained": "Pretrained LSTM (Essen + Bach)"}
    if st.session_state["music_user_model"] is not None:
        options["mine"] = "My model (trained on my MIDI files)"
    which = st.radio("Model", list(options), format_func=options.get, horizontal=True, key="music_model")
    if which == "mine" and "mine" in options:
        return st.session_state["music_user_model"]
    return pretrained(MODEL_PATH)


def render_result(res) -> None:
    from ui.music_charts import piano_roll

    tabs = st.tabs([f"Variation {i + 1}" for i in range(len(res.variations))])
    for i, (tab, v) in enumerate(zip(tabs, res.variations)):
        with tab:
            st.plotly_chart(piano_roll(v.notes, res.primer_end), key=f"music_roll_{i}")
            wav = st.session_state["music_wavs"][i]
            st.audio(wav, format="audio/wav")
            c1, c2 = st.columns(2)
            c1.download_button("Download MIDI", v.midi, f"continuation_{i + 1}.mid", "audio/midi",
                               key=f"music_dl_mid_{i}", on_click="ignore")
            c2.download_button("Download WAV", wav, f"continuation_{i + 1}.wav", "audio/wav",
                               key=f"music_dl_wav_{i}", on_click="ignore")
    key = f"; key constraint {res.key.name}" if res.key else ""
    st.caption(f"Primer: {res.primer_steps} sixteenths ({res.primer_end:.1f} s) at "
               f"{res.primer.tempo_bpm:.0f} bpm{key}. Hover a note to see the probability the model gave it "
               "(fainter notes were less likely).")


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
        ups = st.file_uploader("MIDI files (several; each max 2 MB)", type=["mid", "midi"],
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
    collect_trained_model()
    st.title("Music continuation")
    st.markdown("Give the network the start of a melody; it writes the next bars one 16th note at a time.")
    with st.expander("How it works"):
        st.markdown(lesson("music_continuation"))
    primer = primer_controls()
    settings = continue_controls()
    ckpt = model_choice()
    if st.button("Continue the melody", type="primary", disabled=primer is None, key="music_go"):
        from rnn_models.music.pipeline import continue_primer

        try:
            from rnn_models.music.synth import render_notes, wav_bytes

            res = continue_primer(ckpt.model, primer, settings.bars, settings.temperature, settings.seed,
                                  settings.variations, settings.key, settings.keep_primer)
            st.session_state["music_wavs"] = [wav_bytes(*render_notes(v.output_notes)) for v in res.variations]
            st.session_state["music_result"] = res
        except Exception as exc:
            show_error(exc, what="That continuation")
    if st.session_state["music_result"] is not None:
        render_result(st.session_state["music_result"])
    quality_section(ckpt)
    train_section()


main()
