"""A loaded translation checkpoint: text in, translation with attention and alternatives out."""

from dataclasses import asdict, dataclass
from pathlib import Path

from ..checkpoints import CheckpointError, from_bytes, load
from ..errors import UserInputError
from .decode import DecodeSettings, beam_search
from .model import Seq2Seq
from .vocab import EOS, UNK, UNK_ID, Vocab, detokenize, tokenize

MODELS_DIR = Path(__file__).resolve().parents[2] / "assets" / "models"
PRETRAINED = {"attention": MODELS_DIR / "translate_attention.json",
              "no_attention": MODELS_DIR / "translate_no_attention.json"}
MAX_SOURCE_WORDS = 60  # longer input is refused: one sentence at a time


@dataclass
class Translation:
    translation: str  # the English sentence
    source_tokens: list[str]  # the German words as the model read them (lowercased)
    source_unknown: list[bool]  # True where a source word is outside the vocabulary (read as <unk>)
    target_tokens: list[str]  # output words, </s> included when the model chose to stop
    attention: list[list[float]] | None  # one row per target token over source tokens (rows sum to 1)
    alternatives: list[list[dict]]  # per output step: top-k [{"token", "p"}]
    score: float  # log-probability of the output
    attention_kind: str  # "additive" | "dot" | "none" (then attention is None)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Translator:
    model: Seq2Seq
    src: Vocab
    tgt: Vocab
    meta: dict  # the checkpoint's JSON

    def source_ids(self, text: str) -> tuple[list[str], list[int]]:
        """Words and ids; a clear error for empty or over-long input."""
        tokens = tokenize(text)
        if not tokens:
            raise UserInputError("nothing to translate: type a German sentence")
        if len(tokens) > MAX_SOURCE_WORDS:
            raise UserInputError(f"the text has {len(tokens)} words and punctuation marks; the limit is "
                                 f"{MAX_SOURCE_WORDS}: translate one sentence at a time")
        return tokens, self.src.encode(tokens)

    def translate(self, text: str, settings: DecodeSettings = DecodeSettings(), *,
                  copy_unknown: bool = True) -> Translation:
        """Decode one sentence; with attention, an <unk> output copies the most-attended source word."""
        tokens, ids = self.source_ids(text)
        hyp = beam_search(self.model, ids, settings)
        kind = self.model.config.attention
        out = self.tgt.decode(hyp.ids)
        rows = [a.tolist() for a in hyp.attention]
        words = []
        for t, tok in enumerate(out):
            if tok == UNK and copy_unknown and kind != "none":
                words.append(tokens[max(range(len(tokens)), key=lambda j: rows[t][j])])
            elif tok not in (UNK, EOS):
                words.append(tok)
        alts = [[{"token": self.tgt.tokens[i], "p": round(p, 4)} for i, p in zip(ids_, ps, strict=True)]
                for ids_, ps in hyp.top]
        return Translation(detokenize(words), tokens, [i == UNK_ID for i in ids],
                           out, rows if kind != "none" else None, alts, hyp.logp, kind)


def from_checkpoint(model, meta: dict) -> Translator:
    """Check that a checkpoint is a translator and that its vocabularies fit its model."""
    if not isinstance(model, Seq2Seq):
        raise CheckpointError("this checkpoint is not a translation model (its JSON has no \"kind\": \"seq2seq\")")
    try:
        src, tgt = Vocab.from_list(meta.get("src_vocab")), Vocab.from_list(meta.get("tgt_vocab"))
    except ValueError as e:
        raise CheckpointError(f"bad vocabulary in the checkpoint's JSON: {e}") from None
    if len(src) != model.config.src_vocab or len(tgt) != model.config.tgt_vocab:
        raise CheckpointError("the checkpoint's vocabularies do not match its model's sizes")
    return Translator(model, src, tgt, meta)


def load_translator(path: str | Path | None = None, name: str = "attention") -> Translator:
    """A checkpoint from a path, or a pretrained one by name ("attention" | "no_attention")."""
    ckpt = load(path or PRETRAINED[name])
    return from_checkpoint(ckpt.model, ckpt.meta)


def translator_from_bytes(weights: bytes, meta_json: bytes) -> Translator:
    ckpt = from_bytes(weights, meta_json)
    return from_checkpoint(ckpt.model, ckpt.meta)
