"""Translation subcommands: `translate`, `train translate`, `evaluate translate` (arguments only)."""

from ..cli import add_network_args
from . import commands


def register(sub) -> None:
    from ..cli import register_kind

    p = sub.add_parser("translate", help="translate a German sentence into English")
    p.add_argument("--text", default=None, help="German text (default: read stdin)")
    p.add_argument("--model", default=None, help="checkpoint .json (default: the pretrained attention model)")
    p.add_argument("--beam", type=int, default=1, help="beam width (1: greedy)")
    p.add_argument("--max-len", type=int, default=40, help="most output words")
    p.add_argument("--json", action="store_true", help="translation, tokens, attention, alternatives as JSON")
    register_kind("translate", p, commands.translate_cmd, add_train_args, commands.train_cmd, add_evaluate_args,
                  commands.evaluate_cmd)


def add_train_args(p) -> None:
    src = p.add_mutually_exclusive_group()
    src.add_argument("--pairs", default=None, help="two-column CSV/TSV of sentence pairs (source, target)")
    src.add_argument("--corpus", default="ding", choices=("ding", "numbers", "dates"),
                     help="built-in pairs: Ding sentences, or the num2words/babel warm-up tasks")
    p.add_argument("--attention", default="additive", choices=("additive", "dot", "none"))
    add_network_args(p, cell="gru", hidden=160, embed=128, dropout=0.3)
    p.add_argument("--attn-size", type=int, default=80, help="additive attention's hidden width")
    p.add_argument("--src-vocab", type=int, default=5000)
    p.add_argument("--tgt-vocab", type=int, default=4000)
    p.add_argument("--max-len", type=int, default=25, help="longest training sentence, in words")
    p.add_argument("--word-pairs", type=float, default=0.0,
                   help="ding only: share of batches drawn from the dictionary's word/phrase pairs (0: none)")
    p.add_argument("--lexicon-bias", type=float, default=0.0,
                   help="ding + attention only: train with the Ding lexicon in the loss, p ∝ p_model * (p_lex + this)"
                        " (0: without; Arthur et al. 2016's bias method)")
    p.add_argument("--steps", type=int, default=0, help="0: 1000, or until --minutes")
    p.add_argument("--minutes", type=float, default=0.0, help="time budget (0: none)")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--half", action="store_true", help="store weights as float16")
    p.add_argument("--init", default=None, help="continue training this checkpoint (same data and vocabulary)")
    p.add_argument("--out", default="runs/", help="folder (or file stem) for the checkpoint")
    p.add_argument("--json", action="store_true")


def add_evaluate_args(p) -> None:
    p.add_argument("--attention-model", default=None, help="default: the pretrained attention model")
    p.add_argument("--no-attention-model", default=None, help="default: the pretrained no-attention model")
    p.add_argument("--beam", type=int, default=None,
                   help="beam width for every network (1: greedy; default: the width chosen on the validation split)")
    p.add_argument("--limit", type=int, default=0, help="first N test sentences only (0: all)")
    p.add_argument("--json", action="store_true")
