"""What `train translate`, `translate` and `evaluate translate` do (cli.py only parses their arguments)."""

import json
import sys
from pathlib import Path

from ..cli import command_line
from ..errors import UserInputError

MAX_TEXT_CHARS = 2000  # longer text to translate is refused (one sentence, not a book)


def _out_stem(out: str, attention: str) -> Path:
    p = Path(out)
    if out.endswith(("/", "\\")) or p.is_dir() or not p.suffix and not p.name.startswith("translate_"):
        return p / f"translate_{attention}"
    return p.with_suffix("")


def train_cmd(args) -> int:
    import torch

    from .. import checkpoints
    from ..progress import TerminalProgress
    from ..training import TrainConfig
    from .data import corpus, dictionary_pairs
    from .model import Seq2SeqConfig
    from .pairs import read_pairs
    from .train import DataConfig, checkpoint_meta, train_translator

    torch.set_num_threads(max(1, args.threads))
    if args.pairs:
        f = Path(args.pairs)
        if not f.is_file():
            raise UserInputError(f"no such file: {args.pairs}")
        pairs = read_pairs(f.read_bytes(), f.name)
        data_meta = {"description": f"pairs file {f.name}", "split": "hash of the source sentence: 5% test, 3% val"}
    else:
        pairs = corpus(args.corpus)
        data_meta = {"description": {"ding": "Debian trans-de-en (/usr/share/trans/de-en), whole-sentence "
                                             "sub-entries, German -> English",
                                     "numbers": "num2words: English number words -> German",
                                     "dates": "babel: English dates -> German dates"}[args.corpus],
                     "split": "md5 of the lowercased source sentence: 5% test, 3% val, 92% train"}
        if args.word_pairs > 0 and args.corpus == "ding":
            pairs["words"] = dictionary_pairs()
            data_meta["words"] = ("the dictionary's word/phrase pairs from lines without a val or test sentence, "
                                  "kept when every word is in both vocabularies")
    data_meta["pairs"] = {k: len(v) for k, v in pairs.items()}
    steps = args.steps or (10**7 if args.minutes else 1000)
    train = TrainConfig(steps=steps, batch_size=args.batch_size, lr=args.lr, eval_every=200, eval_batches=8,
                        seed=args.seed, time_budget_s=args.minutes * 60 if args.minutes else None)
    model_cfg = Seq2SeqConfig(cell=args.cell, embed_size=args.embed, hidden_size=args.hidden,
                              attention=args.attention, dropout=args.dropout,
                              attn_size=args.attn_size)
    data = DataConfig(src_vocab=args.src_vocab, tgt_vocab=args.tgt_vocab, max_len=args.max_len,
                      word_share=args.word_pairs, lexicon_bias=args.lexicon_bias)
    lexicon = None
    if args.lexicon_bias > 0:
        if args.pairs or args.corpus != "ding":
            raise UserInputError("--lexicon-bias needs the Ding corpus (its dictionary is the lexicon)")
        from .lexicon import load_lexicon

        lexicon = load_lexicon()
        data_meta["lexicon_bias"] = args.lexicon_bias
    bar = TerminalProgress(steps if not args.minutes else int(args.minutes * 60), "training")

    def on_step(m):
        bar.update(m["step"] if not args.minutes else int(m["elapsed_s"]), loss=m["loss"],
                   **({"val": m["val_loss"]} if "val_loss" in m else {}))

    init = None
    command = command_line(args, "train translate")
    if args.init:
        from .translator import load_translator

        init = load_translator(args.init)
        command = f"{init.meta.get('command', '?')} && {command}"  # the whole history of these weights
        model_cfg = init.model.config
    model, enc, result = train_translator(pairs, model_cfg, train, data, on_step=on_step, init=init, lexicon=lexicon)
    bar.close()
    if "words" in enc.splits:
        data_meta["words_kept"] = len(enc.splits["words"])
    meta = checkpoint_meta(enc, result, data, data=data_meta, command=command, seed=args.seed)
    if init is not None:
        before = init.meta.get("metrics", {})
        meta["metrics"]["steps_total"] = before.get("steps_total", before.get("steps", 0)) + meta["metrics"]["steps"]
        meta["metrics"]["elapsed_s_total"] = round(before.get("elapsed_s_total", before.get("elapsed_s", 0))
                                                   + meta["metrics"]["elapsed_s"], 1)
    weights, js = checkpoints.save(model, _out_stem(args.out, args.attention), meta, half=args.half)
    print(json.dumps({"weights": str(weights), "json": str(js), "metrics": meta["metrics"]}) if args.json
          else f"saved {weights} and {js}")
    return 0


def _read_text(args) -> str:
    text = args.text if args.text is not None else sys.stdin.read()
    if not text.strip():
        raise UserInputError("nothing to translate: give a German sentence with --text")
    if len(text) > MAX_TEXT_CHARS:
        raise UserInputError(f"the text is {len(text)} characters; the limit is {MAX_TEXT_CHARS} "
                             "(translate one sentence at a time)")
    return text


def translate_cmd(args) -> int:
    from .decode import DecodeSettings
    from .translator import load_translator

    text = _read_text(args)
    tr = load_translator(args.model)
    result = tr.translate(text, DecodeSettings(beam=args.beam, max_len=args.max_len))
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        print(result.translation)
    return 0


def evaluate_cmd(args) -> int:
    from .evaluation import evaluate_all

    report = evaluate_all(attention=args.attention_model, no_attention=args.no_attention_model,
                          beam=args.beam, limit=args.limit)
    if args.json:
        print(json.dumps(report))
    else:
        for metric in ("bleu", "chrf"):
            print(metric, " ".join(f"{k}={v:.2f}" for k, v in report[metric].items()))
        for label, key in (("bleu", "by_length"), ("chrf", "chrf_by_length")):
            for b in report[key]:
                print(f"{label} {b['bucket']:>6}  n={b['n']:<4} " + " ".join(f"{k}={b[k]:.2f}" for k in report["bleu"]))
        for system, growth in report["lead_growth"].items():
            print(f"lead over no attention, longest minus shortest bucket ({system}): " + "; ".join(
                f"{m} {g['growth']:+.2f} (95% bootstrap {g['ci95'][0]:+.2f} to {g['ci95'][1]:+.2f})"
                for m, g in growth.items()))
    return 0
