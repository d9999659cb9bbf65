"""The music page's model quality panel and its "train on your own MIDI files" section with its training job."""

from functools import partial

import streamlit as st

from ui.music.jobs import train_melody
from ui.music.primers import MAX_MIDI
from ui.uploads import read_upload, show_error


def quality_section(ckpt, key: str = "pretrained") -> None:
    from ui.charts import loss_chart
    from ui.music.charts import quality_table

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
    from ui.charts import loss_chart
    from ui.jobs import pool as jobs

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
                jobs.start("melody training", partial(train_melody, data=data, hidden=hidden, steps=int(steps),
                                                              budget=float(budget), seed=int(seed)),
                           time_budget_s=float(budget))
            except Exception as exc:
                show_error(exc, what="Those MIDI files")
        jobs.live_panel("melody training", lambda h: loss_chart(h, title="Loss (nats per event)"))
        mine = st.session_state["music_user_model"]
        if mine is not None:
            from rnn_models.checkpoints import to_bytes

            st.success("Your model is ready: pick “My model” above to continue melodies with it.")
            quality_section(mine, "mine")
            weights, meta = to_bytes(mine.model, mine.meta)
            c1, c2 = st.columns(2)
            c1.download_button("Download weights (.safetensors)", weights,
                               "my_melody_model.safetensors", key="music_dl_w", on_click="ignore")
            c2.download_button("Download config (.json)", meta, "my_melody_model.json",
                               "application/json", key="music_dl_j", on_click="ignore")


def collect_trained_model() -> None:
    """Keep the model of this session's finished (or stopped) training job, once."""
    from ui.jobs import pool as jobs

    job = jobs.current()
    if (job is not None and job.name == "melody training" and job.status in ("done", "stopped")
            and job.result is not None and st.session_state["music_job_id"] != job.id):
        st.session_state["music_user_model"] = job.result
        st.session_state["music_job_id"] = job.id


