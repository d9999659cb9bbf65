"""Music figures: held-out NLL of the pretrained LSTM against both baselines, the time to continue
8 bars, and the real-time factor of audio -> notes on music21's 20 s recording."""

import time
from collections.abc import Callable
from pathlib import Path

from rnn_models.music.audio_in import analyse, builtin_recording, read_audio
from rnn_models.music.corpus import load_corpus
from rnn_models.music.encoding import Melody
from rnn_models.music.model import DEFAULT_MODEL, evaluate_melodies, load_melody_model
from rnn_models.music.pipeline import ContinueSettings, continue_primer
from rnn_models.music.training_data import corpus_data

CONTINUE_LIMIT_S = 0.5  # 8 bars with the default model
RTF_LIMIT = 0.1  # audio -> notes, seconds of work per second of audio


def best_of(fn, repeats: int) -> float:
    """The fastest of `repeats` runs, in seconds."""
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def measure(model_path: str | Path = DEFAULT_MODEL, quick: bool = False,
            log: Callable[[str], None] = lambda s: None) -> dict:
    """Quality tables (all / essen / chorale test pieces) and the two speed figures."""
    model = load_melody_model(model_path).model
    data, corpus = corpus_data(), load_corpus()
    out = {"quality": {}}
    for source in (None, "essen", "chorale"):
        log(f"music quality {source or 'all'}")
        seqs = corpus.sequences("test", source)
        table = evaluate_melodies(seqs, model, data.markov(), data.repeat())
        table["markov3_transposed"] = evaluate_melodies(seqs, None, data.markov(augment=True))["markov3"]
        out["quality"][source or "all"] = {"pieces": len(seqs), "table": table}
    log("music speed")
    first = corpus.melody(int(corpus.indices("test", "essen")[0]))
    primer = Melody(first.events[:64], first.tempo_bpm, (4, 4), first.name)
    cont = best_of(lambda: continue_primer(model, primer, ContinueSettings(bars=8)), 2 if quick else 5)
    audio, sr = read_audio(builtin_recording().read_bytes(), "test_audio.wav")
    a2n = best_of(lambda: analyse(audio, sr), 1 if quick else 3)
    out["speed"] = {"continue_8_bars_s": cont, "audio_seconds": len(audio) / sr, "audio_to_notes_s": a2n,
                    "audio_real_time_factor": a2n / (len(audio) / sr)}
    return out


def bench_figures(quick: bool, log: Callable[[str], None] = lambda s: None) -> list:
    """Figures for `python -m rnn_models bench`."""
    from rnn_models.bench.report import Figure

    m = measure(quick=quick, log=log)
    figs = []
    for name, q in m["quality"].items():
        t = q["table"]
        figs.append(Figure(f"melody NLL, {q['pieces']} held-out pieces ({name}): LSTM", t["lstm"]["nll_per_event"],
                           "nats/event", "3rd-order Markov", t["markov3"]["nll_per_event"], "ratio < 1",
                           t["lstm"]["nll_per_event"] < t["markov3"]["nll_per_event"]))
        figs.append(Figure(f"melody NLL ({name}): repeat-last-note baseline", t["repeat"]["nll_per_event"],
                           "nats/event", "LSTM", t["lstm"]["nll_per_event"]))
    s = m["speed"]
    figs.append(Figure("continue 8 bars (default model)", s["continue_8_bars_s"], "s", "limit", CONTINUE_LIMIT_S,
                       f"< {CONTINUE_LIMIT_S} s", s["continue_8_bars_s"] < CONTINUE_LIMIT_S))
    figs.append(Figure(f"audio -> notes, {s['audio_seconds']:.0f} s recording", s["audio_real_time_factor"],
                       "x real time", "limit", RTF_LIMIT, f"< {RTF_LIMIT}", s["audio_real_time_factor"] < RTF_LIMIT))
    return figs
