"""Write the text page's example uploads into assets/examples/ (run after the text checkpoints exist).

    python scripts/make_text_examples.py

- text_generated_shakespeare.txt: 4,000 characters sampled from the default Shakespeare LSTM
  (a prime or training upload that is the project's own output, not copied text);
- text_generated_python.txt: 3,000 characters sampled from the Python LSTM;
- text_latin1_notes.txt: a short latin-1 encoded note (accents), to show that encoding is accepted;
- text_not_really_text.txt: binary bytes with a .txt name, to show the refusal message.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rnn_models.checkpoints import load  # noqa: E402
from rnn_models.sampling import SamplingSettings  # noqa: E402
from rnn_models.text import CHECKPOINTS  # noqa: E402
from rnn_models.text.generate import GenerationSettings, generate  # noqa: E402

OUT = ROOT / "assets" / "examples"

LATIN1_NOTE = """Carnet de notes, écrit pour tester l'encodage latin-1.
Où est la clé ? Sous le paillasson, à côté du géranium.
Größe, Straße, Übermut: ein paar deutsche Wörter.
El niño comió piña en la montaña; ¿qué más?
"""


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, stem, prime, length in (("Shakespeare LSTM", "text_generated_shakespeare", "KING:\n", 4000),
                                      ("Python code LSTM", "text_generated_python", "def ", 3000)):
        path = CHECKPOINTS[name]
        if not path.is_file():
            print(f"skipped {stem}: {path.name} missing")
            continue
        ckpt = load(path)
        text = prime + generate(ckpt.model, ckpt.meta["vocab"], prime,
                                GenerationSettings(length=length, sampling=SamplingSettings(temperature=0.7), seed=1))
        (OUT / f"{stem}.txt").write_text(text, encoding="utf-8")
        print(f"wrote {stem}.txt ({len(text)} characters)")
    (OUT / "text_latin1_notes.txt").write_bytes(LATIN1_NOTE.encode("latin-1"))
    (OUT / "text_not_really_text.txt").write_bytes(bytes(range(256)) * 8)
    print("wrote text_latin1_notes.txt, text_not_really_text.txt")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
