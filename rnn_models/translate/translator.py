"""A loaded translation checkpoint: text in, translation with attention and alternatives out."""

from dataclasses import asdict, dataclass, replace
from pathlib import Path

from ..checkpoints import CheckpointError, from_bytes, load
from ..errors import UserInputError
from .decode import DecodeSettings, beam_search
from .lexicon import Lexicon, tables
from .model import Seq2Seq
from .vocab import EOS, UNK, UNK_ID, Vocab, detokenize, tokenize

MODELS_DIR = Path(__file__).resolve().parents[2] / "assets" / "models"
PRETRAINED = {"attention": MODELS_DIR / "translate_attention.json",
              "no_attention": MODELS_DIR / "translate_no_attention.json"}
MAX_SOURCE_WORDS = 60  # longer input is refused: one sentence at a time


def length_error(tokens: list[str]) -> str | None:
    """The message for input over MAX_SOURCE_WORDS words and punctuation marks (None when it fits)."""
    if len(tokens) <= MAX_SOURCE_WORDS:
        return None
    return (f"the text has {len(tokens):,} words and punctuation marks; the limit is {MAX_SOURCE_WORDS}: "
            "translate one sentence at a time")


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
    lexicon_gate: float | None = None  # linear: g, the dictionary's share; bias: eps (lexicon.mix); None: network alone
    lexicon_method: str | None = None  # "linear" | "bias" when the dictionary was consulted
    dropped_unknown: int = 0  # <unk> outputs left out of the sentence (not copies of an unknown German word)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Translator:
    model: Seq2Seq
    src: Vocab
    tgt: Vocab
    meta: dict  # the checkpoint's JSON
    lexicon: Lexicon | None = None  # the dictionary the attention consults (see lexicon.py); None: network alone
    gate: float | None = None  # the lexicon's share g of each output distribution (None or 0: network alone)
    method: str = "linear"  # how the lexicon enters: "linear" | "bias" (lexicon.METHODS)

    @property
    def consults_lexicon(self) -> bool:
        return bool(self.gate) and self.lexicon is not None and self.model.config.attention != "none"

    def source_ids(self, text: str) -> tuple[list[str], list[int]]:
        """Words and ids; a clear error for empty or over-long input."""
        tokens = tokenize(text)
        if not tokens:
            raise UserInputError("nothing to translate: type a German sentence")
        if message := length_error(tokens):
            raise UserInputError(message)
        return tokens, self.src.encode(tokens)

    def translate(self, text: str, settings: DecodeSettings = DecodeSettings(), *,
                  copy_unknown: bool = True) -> Translation:
        """Decode one sentence; with attention, an <unk> output copies the most-attended source word when that
        word is unknown too (a name, a number), each unknown source word at most once; other <unk> outputs are
        left out of the sentence. With copy_unknown the decoder may write <unk> at most once per unknown source
        word (at least once), so it cannot run away repeating it up to the maximum length."""
        tokens, ids = self.source_ids(text)
        lex = tables(self.lexicon, [tokens], self.tgt, self.gate, self.method) if self.consults_lexicon else None
        words_of = lex.words(self.tgt) if lex else list(self.tgt.tokens)
        unknown = {w for w, i in zip(tokens, ids, strict=True) if i == UNK_ID}
        passes = frozenset(i for i in range(len(self.tgt), len(words_of)) if words_of[i] in unknown)
        max_unk = max(1, ids.count(UNK_ID)) if copy_unknown else None
        hyp = beam_search(self.model, ids, settings, lex, max_unk=max_unk, copies=passes)
        kind = self.model.config.attention
        out = [words_of[i] for i in hyp.ids]
        rows = [a.tolist() for a in hyp.attention]
        copying = copy_unknown and kind != "none"
        words, copied = [], set()  # copied: unknown source positions already in the output
        dropped = 0 if copying else out.count(UNK)  # <unk> outputs left out of the sentence
        for t, tok in enumerate(out):
            if tok == UNK and copying:
                j = max(range(len(tokens)), key=lambda k: rows[t][k])
                if ids[j] == UNK_ID and j not in copied:  # looking at a word it cannot read: copy it, once
                    words.append(tokens[j])
                    copied.add(j)
                else:
                    dropped += 1
            elif tok not in (UNK, EOS):
                words.append(tok)
                # the lexicon passes an unknown word through as its own entry: that copy counts too
                passed = [j for j, w in enumerate(tokens) if w == tok and ids[j] == UNK_ID and j not in copied]
                copied.update(passed[:1])
        alts = [[{"token": words_of[i], "p": round(p, 4)} for i, p in zip(ids_, ps, strict=True)]
                for ids_, ps in hyp.top]
        return Translation(detokenize(words), tokens, [i == UNK_ID for i in ids],
                           out, rows if kind != "none" else None, alts, hyp.logp, kind,
                           self.gate if self.consults_lexicon else None,
                           self.method if self.consults_lexicon else None, dropped)


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


def with_lexicon(tr: Translator, gate: float | None = None, method: str | None = None) -> Translator:
    """The translator consulting the Ding lexicon with share gate (default: the gate chosen on the validation
    split and saved in the checkpoint's JSON); unchanged without a gate, attention or the installed dictionary."""
    lex_meta = tr.meta.get("lexicon")
    lex_meta = lex_meta if isinstance(lex_meta, dict) else {}
    gate = gate if gate is not None else lex_meta.get("gate")
    method = method or lex_meta.get("method", "linear")
    if not isinstance(gate, (int, float)) or not 0 < gate <= 1 or tr.model.config.attention == "none":
        return tr
    from .lexicon import load_lexicon

    try:
        return replace(tr, lexicon=load_lexicon(), gate=float(gate), method=method)
    except UserInputError:  # trans-de-en is not installed: the network alone
        return tr


def load_translator(path: str | Path | None = None, name: str = "attention", lexicon: bool = True) -> Translator:
    """A checkpoint from a path, or a pretrained one by name ("attention" | "no_attention"); with lexicon, the
    attention consults the dictionary when the checkpoint's JSON has a lexicon gate."""
    ckpt = load(path or PRETRAINED[name])
    tr = from_checkpoint(ckpt.model, ckpt.meta)
    return with_lexicon(tr) if lexicon else tr


def translator_from_bytes(weights: bytes, meta_json: bytes) -> Translator:
    ckpt = from_bytes(weights, meta_json)
    return from_checkpoint(ckpt.model, ckpt.meta)
