"""The music page's primer sources: a held-out melody, an uploaded MIDI file, typed notes, audio or microphone."""

import hashlib

import streamlit as st

from rnn_models.errors import UserInputError
from ui.music.results import projector
from ui.share import Setup
from ui.uploads import read_upload, show_error

SOURCES = {"builtin": "Built-in melody", "midi": "Upload MIDI", "text": "Type notes",
           "audio": "Audio / microphone"}
AUDIO_SOURCES = {"example": "Built-in recording", "upload": "Upload audio", "mic": "Microphone"}
MAX_MIDI = 2 * 1024 * 1024
MAX_AUDIO = 20 * 1024 * 1024


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
        bars = setup.control(st.number_input, "music_builtin_bars", "Primer bars", container=c2)
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
        tempo = setup.control(st.number_input, "music_text_bpm", "Tempo (bpm)", container=c2)
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
        bars = setup.control(st.number_input, "music_midi_bars", "Primer: last bars", container=c2)
        mel = melody_from_midi(pm, track, up.name.rsplit(".", 1)[0])
        st.caption(f"{mel.tempo_bpm:.0f} bpm, {mel.time_signature[0]}/{mel.time_signature[1]}, "
                   f"{len(mel.events) / mel.steps_per_bar:.1f} bars in the file")
        return crop_bars(mel, int(bars), last=True)
    except Exception as exc:
        show_error(exc, what="That MIDI file")
        return None


def audio_primer(setup: Setup):
    from ui.music.charts import spectrogram_with_notes

    c1, c2 = st.columns([3, 1])
    kind = setup.control(st.radio, "music_audio_kind", "Audio", list(AUDIO_SOURCES), format_func=AUDIO_SOURCES.get,
                         horizontal=True, container=c1)
    bpm = setup.control(st.number_input, "music_audio_bpm", "Tempo (bpm, 0 = estimate)", container=c2) or None
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
