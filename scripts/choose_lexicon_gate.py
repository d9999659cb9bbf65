"""Choose how the pretrained attention model consults the Ding lexicon, on the validation split only, and save the
choice in its checkpoint's JSON (key "lexicon"; the weights are not touched).

    OMP_NUM_THREADS=1 nice -n 5 .venv/bin/python scripts/choose_lexicon_gate.py [--model PATH.json] [--beams 1,5]

The beam width is chosen with the lexicon's share (every width x every grid point); the benchmark and
`evaluate translate` then decode every network with that width.
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from rnn_models.translate.translator import PRETRAINED  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=str(PRETRAINED["attention"]), help="attention checkpoint .json")
    ap.add_argument("--beams", default="1", help="comma-separated beam widths to choose from (1: greedy)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    from rnn_models.translate.data import load_pairs
    from rnn_models.translate.gate import choose_gate, save_choice
    from rnn_models.translate.translator import load_translator

    tr = load_translator(args.model, lexicon=False)
    beams = tuple(int(b) for b in args.beams.split(","))
    choice = choose_gate(tr, load_pairs()["val"], beams=beams)
    model = Path(args.model)
    shown = model.relative_to(Path.cwd()) if model.is_absolute() and model.is_relative_to(Path.cwd()) else model
    save_choice(model, choice, f"python scripts/choose_lexicon_gate.py --model {shown} --beams {args.beams}")
    print(json.dumps(choice, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
