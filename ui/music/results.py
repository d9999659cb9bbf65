"""The music page's results: one tab per variation (piano roll, audio, downloads) and the experiment download."""

import streamlit as st


def render_result(res) -> None:
    from ui.music.charts import piano_roll

    tabs = st.tabs([f"Variation {i + 1}" for i in range(len(res.variations))])
    for i, (tab, v) in enumerate(zip(tabs, res.variations)):
        with tab:
            st.plotly_chart(piano_roll(v.notes, res.primer_end, height=360), key=f"music_roll_{i}")
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
    from ui.music.charts import _name

    return " ".join(_name(int(p)) for p, _s, _e, _pr, prim in v.notes if not prim) or "(only rests)"


def experiment_download(res) -> None:
    from ui.music.charts import experiment_zip

    setup = st.session_state["music_run_setup"] or {}
    mine = st.session_state["music_user_model"] if setup.get("music_model") == "mine" else None
    st.download_button("Download experiment (.zip)", lambda: experiment_zip(res, setup, mine),
                       "experiment_music.zip", "application/zip", key="music_dl_experiment",
                       icon=":material/folder_zip:", on_click="ignore")
    st.caption("The set-up of this continuation (as in its link), the notes with the probability the model "
               "gave each, the piano rolls as HTML files and, with “My model”, your trained network. Import it "
               "below to restore the set-up.")
