"""Music benchmark: held-out quality of the pretrained melody LSTM against both baselines, the time
to continue 8 bars, and the real-time factor of audio -> notes on music21's 20 s recording.

    .venv/bin/python benchmarks/music_benchmark.py [--model assets/models/music_lstm.json] [--json]
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from rnn_models.music.bench import CONTINUE_LIMIT_S, RTF_LIMIT, measure  # noqa: E402
from rnn_models.music.model import DEFAULT_MODEL  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=str(DEFAULT_MODEL))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    out = measure(args.model)
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
    print(f"\ncontinue 8 bars: {s['continue_8_bars_s'] * 1000:.1f} ms (target < {CONTINUE_LIMIT_S * 1000:.0f} ms; "
          f"{CONTINUE_LIMIT_S / s['continue_8_bars_s']:.1f}x under)")
    print(f"audio -> notes: {s['audio_to_notes_s']:.2f} s for {s['audio_seconds']:.1f} s of audio, "
          f"real-time factor {s['audio_real_time_factor']:.3f} (target < {RTF_LIMIT})")
    print(f"torch threads: {args.threads}; best of 5 (continue) / 3 (audio) runs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
