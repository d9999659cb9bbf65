"""Music benchmark: held-out quality of the pretrained melody LSTM against both baselines, the time
to continue 8 bars, and the real-time factor of audio -> notes on music21's 20 s recording.

    .venv/bin/python benchmarks/music_benchmark.py [--model assets/models/music_lstm.json] [--json]
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from rnn_models.music.audio_in import analyse, builtin_recording, read_audio  # noqa: E402
from rnn_models.music.corpus import load_corpus  # noqa: E402
from rnn_models.music.model import DEFAULT_MODEL, evaluate_melodies, load_melody_model  # noqa: E402
from rnn_models.music.pipeline import continue_primer  # noqa: E402
from rnn_models.music.training_data import corpus_data  # noqa: E402


def best_of(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=str(DEFAULT_MODEL))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    model = load_melody_model(args.model).model
    data = corpus_data()
    corpus = load_corpus()
    out = {"quality": {}}
    for source in (None, "essen", "chorale"):
        seqs = corpus.sequences("test", source)
        table = evaluate_melodies(seqs, model, data.markov(), data.repeat())
        table["markov3_transposed"] = evaluate_melodies(seqs, None, data.markov(augment=True))["markov3"]
        out["quality"][source or "all"] = {"pieces": len(seqs), "table": table}
    primer = corpus.melody(int(corpus.indices("test", "essen")[0]))
    primer = type(primer)(primer.events[:64], primer.tempo_bpm, (4, 4), primer.name)
    cont = best_of(lambda: continue_primer(model, primer, 8, 1.0, 0), 5)
    audio, sr = read_audio(builtin_recording().read_bytes(), "test_audio.wav")
    a2n = best_of(lambda: analyse(audio, sr), 3)
    out["speed"] = {"continue_8_bars_s": cont, "continue_target_s": 0.5,
                    "audio_seconds": len(audio) / sr, "audio_to_notes_s": a2n,
                    "audio_real_time_factor": a2n / (len(audio) / sr), "rtf_target": 0.1,
                    "threads": args.threads}
    if args.json:
        print(json.dumps(out, indent=1))
        return 0
    for name, q in out["quality"].items():
        print(f"\nheld-out test pieces ({name}): {q['pieces']}")
        print(f"{'predictor':<20} {'nats/event':>10} {'nats/note':>10} {'accuracy':>9}")
        for k, r in q["table"].items():
            print(f"{k:<20} {r['nll_per_event']:>10.4f} {r['nll_per_note']:>10.3f} {r['accuracy']:>9.3f}")
        t = q["table"]
        print(f"LSTM / Markov NLL ratio: {t['lstm']['nll_per_event'] / t['markov3']['nll_per_event']:.3f}")
    s = out["speed"]
    print(f"\ncontinue 8 bars: {s['continue_8_bars_s'] * 1000:.1f} ms (target < 500 ms; "
          f"{s['continue_target_s'] / s['continue_8_bars_s']:.0f}x under)")
    print(f"audio -> notes: {s['audio_to_notes_s']:.2f} s for {s['audio_seconds']:.1f} s of audio, "
          f"real-time factor {s['audio_real_time_factor']:.3f} (target < 0.1)")
    print(f"threads: {args.threads}; best of 5 (continue) / 3 (audio) runs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
