"""The documented list of st.session_state keys, and their initialisation.

Every key a page keeps lives here with a comment; pages call init(PAGE_KEYS) at the top.
"""

import streamlit as st

# Shared by all pages
SHARED = {
    "job": None,  # ui.jobs.Job: this session's training job (at most one at a time)
}

# Text generation page
TEXT = {
    "text_user_model": None,  # rnn_models.checkpoints.Checkpoint the student trained or uploaded
}

# Time-series forecasting page
FORECAST = {
    "fc_table": None,  # (sha1 of the uploaded bytes, rnn_models.forecast.series.Table) last parsed upload
    "fc_run": None,  # rnn_models.forecast.pipeline.ForecastRun: this student's latest trained + backtested model
    "fc_job_id": None,  # id of the ui.jobs.Job whose result fc_run holds
    # widget keys: fc_source, fc_upload, fc_target_<source>, fc_cov_<source>, fc_missing, fc_cell, fc_kind,
    # fc_strategy, fc_level, fc_lookback_<source>, fc_horizon_<source>, fc_hidden, fc_steps, fc_seed, fc_arima, fc_train
}

# Music continuation page
MUSIC = {
    "music_result": None,  # rnn_models.music.pipeline.ContinuationResult: the latest continuation shown
    "music_audio": None,  # (sha1 of the audio bytes + tempo, rnn_models.music.audio_in.AudioAnalysis)
    "music_user_model": None,  # rnn_models.checkpoints.Checkpoint the student trained on their MIDI
    "music_job_id": None,  # id of the ui.jobs.Job whose result music_user_model holds
    # widget keys: music_source, music_builtin, music_builtin_bars, music_midi, music_track,
    # music_midi_bars, music_text, music_text_bpm, music_audio_kind, music_audio_bpm, music_audio_file,
    # music_mic, music_bars, music_temp, music_seed, music_var, music_key, music_keep, music_model,
    # music_go, music_train_files, music_train_hidden, music_train_steps, music_train_budget,
    # music_train_seed, music_train_go
}


def init(defaults: dict) -> None:
    """Set each key that is not there yet (never overwrites what the student has)."""
    for key, value in defaults.items():
        if key not in st.session_state:
            st.session_state[key] = value() if callable(value) else value
