"""Choosing how much the attention model trusts the lexicon: a grid over both of Arthur et al.'s methods,
scored on the VALIDATION split only (the test set is never looked at), saved in the checkpoint's JSON."""

import json
from pathlib import Path

from .data import Pair
from .decode import DecodeSettings
from .evaluation import score, translate_many
from .translator import Translator, with_lexicon

GRID = {  # method -> values tried (linear: g, the lexicon's share; bias: eps in p_model * (p_lex + eps))
    "linear": (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9),
    "bias": (0.1, 0.03, 0.01, 0.003, 0.001),
}


def choose_gate(tr: Translator, val: list[Pair], grid: dict = GRID, max_len: int = 60,
                beams: tuple[int, ...] = (1,)) -> dict:
    """Every (beam width, grid point)'s validation BLEU and chrF, and the best by BLEU (chrF breaks ties): the
    decoding and the lexicon's share are chosen together, so the share suits the decoding it will be used with."""
    refs, sources = [p.en for p in val], [p.de for p in val]
    base = {beam: score(translate_many(tr, sources, DecodeSettings(beam=beam, max_len=max_len)), refs)
            for beam in beams}
    tried = []
    for beam in beams:
        for method, values in grid.items():
            for value in values:
                lexed = with_lexicon(tr, value, method)
                if not lexed.consults_lexicon:
                    raise ValueError("the lexicon cannot be used: an attention checkpoint and trans-de-en are needed")
                bleu, chrf = score(translate_many(lexed, sources, DecodeSettings(beam=beam, max_len=max_len)), refs)
                tried.append({"beam": beam, "method": method, "gate": value, "val_bleu": bleu, "val_chrf": chrf})
    best = max(tried, key=lambda r: (r["val_bleu"], r["val_chrf"]))
    widths = ", ".join(map(str, beams))
    return {"method": best["method"], "gate": best["gate"], "beam": best["beam"],
            "chosen_by": f"highest BLEU (chrF breaking ties) on the {len(val)} validation sentences, over beam widths "
                         f"{widths} (1: greedy) and the grid below; the test set was not used",
            "val_without_lexicon": {str(b): {"val_bleu": v[0], "val_chrf": v[1]} for b, v in base.items()},
            "grid": tried}


def save_choice(json_path: Path, choice: dict, command: str) -> None:
    """Write the choice into the checkpoint's JSON under "lexicon" (the weights are not touched)."""
    doc = json.loads(json_path.read_text(encoding="utf-8"))
    doc["lexicon"] = {**choice, "command": command}
    json_path.write_text(json.dumps(doc, indent=1, ensure_ascii=False), encoding="utf-8")
