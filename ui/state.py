"""The documented list of st.session_state keys, and their initialisation.

Every key a page keeps lives here with a comment; pages call init(PAGE_KEYS) at the top.
"""

import streamlit as st

# Shared by all pages
SHARED = {
    "job": None,  # ui.jobs.pool.Job: this session's training job (at most one at a time)
}

# Text generation page
TEXT = {
    "text_user_model": None,  # rnn_models.checkpoints.Checkpoint the student trained or uploaded
    "text_user_train": None,  # str: the training text of text_user_model (memorisation meter); None if uploaded
    "text_user_index": None,  # (hash of text_user_train, rnn_models.text.analysis.CopyIndex) built lazily
    "text_samples": None,  # dict(model, prime, texts, unknown, cfg): the last generated samples shown
    "text_history": None,  # list of dict(model, prime, text, label): the last few samples, newest first
    "text_job_id": None,  # id of the ui.jobs.pool.Job whose result has been taken into the keys above
    "text_compare": None,  # {cell: dict(hidden, parameters, history, val_bpc)}: the last cell comparison
    "text_run_setup": None,  # dict[str, str]: the shareable set-up (query params) that made text_samples
    "text_import_msg": None,  # ("success" | "error", text): the outcome of the last experiment import, shown once
    # text_next_context (the next-character view's context, edited by the pick buttons) and
    # text_surprisal_<model> (the surprisal view's text) are created by the page on first use.
    # widget keys: text_model, text_prime, text_prime_file, text_method, text_length, text_temp,
    # text_topk, text_topp, text_beam, text_seed, text_samples_n, text_generate, text_side,
    # text_next_temp, text_next_k, text_pick_<i>, text_next_go, text_train_source, text_train_paste,
    # text_train_file, text_tr_cell, text_tr_layers, text_tr_hidden, text_tr_seq, text_tr_lr,
    # text_tr_budget, text_tr_steps, text_tr_seconds, text_tr_seed, text_train_go, text_compare_go,
    # text_dl_w, text_dl_j, text_ckpt_upload, text_ckpt_go, text_dl_experiment, text_import.
    # Shareable (ui.share Params of app_pages/text_generation.py, also the URL parameters): text_model, text_prime,
    # text_method, text_length, text_temp, text_topk, text_topp, text_beam, text_seed, text_samples_n,
    # text_next_temp, text_next_k, text_next_context. _share_last_text_generation is ui.share's.
}

# Time-series forecasting page
FORECAST = {
    "fc_table": None,  # ((sha1 of the uploaded bytes, ReadOptions), rnn_models.forecast.series.Table) last parse
    "fc_digest": None,  # sha1 of the upload (and the upload's id) whose reading choices (fc_enc, fc_sep, ...) are on
    # screen; a new one bumps fc_read_gen
    "fc_read_gen": 0,  # generation in the reading widgets' keys (fc_enc_3, ...): a new file gets fresh, automatic ones
    "fc_pending_from": None,  # "'name.csv'" of the uploaded file the job last started was trained on (None: built-in)
    "fc_run_from": None,  # the same for fc_run: a later file that cannot be used leaves fc_run on screen, said so
    "fc_run": None,  # rnn_models.forecast.pipeline.ForecastRun: this student's latest trained + backtested model
    "fc_job_id": None,  # id of the ui.jobs.pool.Job whose result fc_run holds
    "fc_pending_setup": None,  # {param: text}: the set-up (URL parameters) of the job last started
    "fc_run_setup": None,  # {param: text}: the set-up fc_run was trained with (written into the experiment file)
    "fc_pending_inputs": None,  # ui.stale.Inputs of the job last started
    "fc_run_inputs": None,  # ui.stale.Inputs (data fingerprint, settings) fc_run was made from
    "fc_import_msg": None,  # ("success" | "error", text): the outcome of the last experiment import, shown once
    "fc_link_upload": False,  # True when a link or imported experiment named the upload source: ask for the CSV
    "fc_source_shown": "msft",  # the data source drawn last (restored if the student clears the choice)
    # shareable widget keys (ui.share Params, also the URL parameters): fc_source, fc_target ("" = the
    # source's usual column), fc_cov (list), fc_missing, fc_cell, fc_kind, fc_strategy, fc_level, fc_lookback,
    # fc_horizon, fc_hidden, fc_steps, fc_seed, fc_arima. Other widget keys: fc_upload, fc_train, fc_import,
    # fc_dl_forecast, fc_dl_backtest, fc_dl_experiment. _share_last_stock_forecasting is ui.share's.
}

# Music continuation page
MUSIC = {
    "music_result": None,  # rnn_models.music.pipeline.ContinuationResult: the latest continuation shown
    "music_wavs": None,  # list[bytes]: the rendered WAV of each variation of music_result
    "music_audio": None,  # (sha1 of the audio bytes + tempo, rnn_models.music.audio_in.AudioAnalysis)
    "music_user_model": None,  # rnn_models.checkpoints.Checkpoint the student trained on their MIDI
    "music_job_id": None,  # id of the ui.jobs.pool.Job whose result music_user_model holds
    "music_run_setup": None,  # dict[str, str]: the shareable set-up (query params) that made music_result
    "music_run_inputs": None,  # ui.stale.Inputs (primer fingerprint, settings) music_result was made from
    "music_import_msg": None,  # ("success" | "error", text): the outcome of the last experiment import, shown once
    "music_link_upload": False,  # the link/experiment named an uploaded MIDI/recording: ask for the file
    # shareable widget keys (ui.share Params = URL parameters; PARAMS in app_pages/music_continuation.py):
    # music_source, music_builtin (corpus index of a held-out melody, -1 = the first), music_builtin_bars,
    # music_text, music_text_bpm, music_midi_bars, music_audio_kind, music_audio_bpm, music_model, music_bars,
    # music_temp, music_seed, music_var, music_key, music_keep. Also music_dl_experiment, music_import.
    # widget keys: music_source, music_builtin, music_builtin_bars, music_midi, music_track,
    # music_midi_bars, music_text, music_text_bpm, music_kb_dur, music_kb_oct, music_kb_<note>, music_kb_rest,
    # music_kb_back, music_audio_kind, music_audio_bpm, music_audio_file,
    # music_mic, music_bars, music_temp, music_seed, music_var, music_key, music_keep, music_model,
    # music_go, music_train_files, music_train_hidden, music_train_steps, music_train_budget,
    # music_train_seed, music_train_go
}


# RNN explorer page
EXPLORER = {
    "ex_clip": None,  # dict(scale, lr, clip, steps) of the clipping demo the student last ran
    "ex_race": None,  # {"config": RaceConfig, "result": RaceResult (weights dropped)}: the last finished race
    "ex_race_job": None,  # id of the ui.jobs.pool.Job whose result ex_race holds
    "ex_blank": None,  # {"config": BlankConfig, "result": BlankResult, "examples": [...]}: last fill-in-the-blank
    "ex_blank_job": None,  # id of the ui.jobs.pool.Job whose result ex_blank holds
    "ex_import_msg": None,  # ("success" | "error", text): the outcome of the last experiment import, shown once
    "ex_section_shown": "states",  # the section drawn last (restored if the student clears the choice)
    # shareable widget keys (ui.share Params, also the URL parameters; see params() in app_pages/rnn_explorer.py):
    # ex_section, ex_model, ex_text_source, ex_passage_play, ex_passage_code, ex_text, ex_layer, ex_prop, ex_regex,
    # ex_unit (-1 = best match of the search), ex_gate ("" = the first gate), ex_pca_dims, ex_pca_colour, ex_g_len,
    # ex_g_default, ex_g_scale, ex_g_nl, ex_g_budget, ex_g_seed, ex_g_chrono, ex_g_jcell, ex_c_scale, ex_c_lr,
    # ex_c_clip, ex_c_steps, ex_r_task, ex_r_len, ex_r_secs, ex_r_chrono, ex_r_seed, ex_b_task, ex_b_len, ex_b_tlen,
    # ex_b_secs, ex_b_seed. Other widget keys: ex_math_t, ex_math_unit, ex_c_go, ex_r_go, ex_b_go, ex_b_example,
    # ex_dl_experiment, ex_import. _share_last_rnn_explorer is ui.share's.
}


# Translation page
TRANSLATE = {
    "tr_result": None,  # dict(model, text, reference, result: Translation, seconds, beam): the last translation shown
    "tr_result_inputs": None,  # ui.stale.Inputs (sentence and settings) tr_result was made from
    "tr_user": None,  # rnn_models.translate.translator.Translator the student trained or imported
    "tr_user_history": None,  # list[dict]: the loss history of tr_user's training
    "tr_job_id": None,  # id of the ui.jobs.pool.Job whose result tr_user holds
    "tr_import_msg": None,  # ("success" | "error", text): the outcome of the last experiment import, shown once
    # widget keys: tr_go, tr_pairs_file, tr_tr_att, tr_tr_cell, tr_tr_hidden, tr_tr_seconds, tr_tr_seed,
    # tr_train_go, tr_dl_experiment, tr_import, tr_rerun. Shareable (ui.share Params of app_pages/translation.py, also
    # the URL parameters): tr_model, tr_source, tr_text, tr_pick, tr_beam, tr_maxlen, tr_lexicon.
}


def init(defaults: dict) -> None:
    """Set each key that is not there yet (never overwrites what the student has)."""
    for key, value in defaults.items():
        if key not in st.session_state:
            st.session_state[key] = value() if callable(value) else value

# Sequence classification page
CLASSIFY = {
    "cl_result": None,  # {"run": TrainedRun, "evaluation": Evaluation}: this student's latest trained model
    "cl_result_task": None,  # the task (names | reviews | voices | own) cl_result was trained on
    "cl_eval": {},  # task -> {"evaluation": Evaluation}: the shipped model scored beside the baselines
    "cl_job_id": None,  # id of the ui.jobs.pool.Job whose result has been taken into the keys above
    "cl_pending": None,  # (kind of job, task, set-up) of the job last started
    "cl_uploaded": None,  # rnn_models.classify.model.Classifier the student uploaded (safetensors + JSON)
    "cl_own_clips": {},  # class name -> [(frames, mels) log-mel arrays] recorded or uploaded this session
    "cl_import_msg": None,  # ("success" | "error", text): the outcome of the last experiment import, shown once
    # shareable widget keys (ui.share Params = URL parameters; PARAMS in app_pages/sequence_classification.py):
    # cl_task, cl_own_kind, cl_model, cl_cell, cl_bi, cl_pool, cl_hidden, cl_steps, cl_seed. Other keys:
    # cl_text_<task>, cl_clip_source_<task>, cl_example, cl_clip_up_<task>, cl_mic_<task>, cl_csv, cl_own_label,
    # cl_own_mic, cl_own_up, cl_own_add, cl_own_clear, cl_train, cl_measure, cl_dl_w, cl_dl_j, cl_dl_experiment,
    # cl_import, cl_conf_pick_<title>, cl_ckpt_upload, cl_ckpt_go. _share_last_sequence_classification is ui.share's.
}
