"""Training a translator: vocabularies, length-bucketed batches, and the shared fit() loop."""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

import torch

from ..training import FitResult, TrainConfig, fit
from .data import Pair
from .lexicon import lexicon_loss, tables
from .model import Seq2Seq, Seq2SeqConfig, seq2seq_loss
from .vocab import BOS_ID, EOS_ID, PAD_ID, UNK_ID, Vocab, tokenize


@dataclass(frozen=True)
class DataConfig:
    src_vocab: int = 6000  # most frequent source words kept (specials included); the rest are <unk>
    tgt_vocab: int = 5000  # most frequent target words kept
    max_len: int = 30  # pairs with more words on either side are left out of training
    word_share: float = 0.0  # share of training batches drawn from the "words" pairs (dictionary entries)
    lexicon_bias: float = 0.0  # > 0: train with the Ding lexicon in the loss, p ∝ p_model * (p_lex + this)


@dataclass
class Encoded:
    """Vocabularies and the id lists of each split, sorted by source length (for padding-light batches)."""

    src: Vocab
    tgt: Vocab
    splits: dict[str, list[tuple[list[int], list[int]]]]  # split -> [(src ids, <s> tgt ids </s>)]
    word_share: float = 0.0  # share of training batches drawn from splits["words"]
    surface: dict[str, list[list[str]]] = field(default_factory=dict)  # split -> source words, as splits are sorted


def encode_pairs(pairs: dict[str, list[Pair]], data: DataConfig) -> Encoded:
    """Build vocabularies on the train sentences only; encode every split; drop over-long pairs.

    An optional "words" split (dictionary word/phrase pairs) keeps only the pairs whose every word is in
    both vocabularies: it teaches the words the sentences use, and never widens the vocabularies.
    """
    tok = {s: [(tokenize(p.de), tokenize(p.en)) for p in ps] for s, ps in pairs.items()}
    train = [t for t in tok.get("train", []) if len(t[0]) <= data.max_len and len(t[1]) <= data.max_len]
    if not train:
        raise ValueError(f"no training pairs of 1 to {data.max_len} words on both sides")
    src = Vocab.build([s for s, _ in train], data.src_vocab)
    tgt = Vocab.build([t for _, t in train], data.tgt_vocab)
    splits, surface = {}, {}
    for name, items in tok.items():
        kept = [(src.encode(s), [BOS_ID, *tgt.encode(t), EOS_ID], s) for s, t in items
                if 0 < len(s) <= data.max_len and 0 < len(t) <= data.max_len]
        if name == "words":
            kept = [k for k in kept if UNK_ID not in k[0] and UNK_ID not in k[1]]
        kept.sort(key=lambda p: (len(p[0]), len(p[1])))
        splits[name] = [(s, t) for s, t, _ in kept]
        surface[name] = [w for _, _, w in kept]
    share = data.word_share if splits.get("words") else 0.0
    return Encoded(src, tgt, splits, share, surface)


def pad(rows: list[list[int]]) -> torch.Tensor:
    """Right-pad id lists with <pad> into (batch, longest)."""
    out = torch.full((len(rows), max(len(r) for r in rows)), PAD_ID, dtype=torch.long)
    for i, r in enumerate(rows):
        out[i, :len(r)] = torch.tensor(r, dtype=torch.long)
    return out


def make_get_batch(enc: Encoded, batch_size: int, lexicon=None) -> Callable:
    """get_batch(split, generator) for fit(): a random run of pairs with similar source lengths; with a lexicon,
    also its p_lex table over the target vocabulary for each source word (batch, src_time, tgt)."""

    def get_batch(split: str, gen: torch.Generator):
        if split == "train" and enc.word_share > 0 and float(torch.rand((), generator=gen)) < enc.word_share:
            split = "words"  # a batch of dictionary entries instead of sentences
        items = enc.splits.get(split) or enc.splits["train"]
        n = min(batch_size, len(items))
        start = int(torch.randint(0, len(items) - n + 1, (1,), generator=gen))
        chunk = items[start:start + n]
        if lexicon is None:
            return pad([s for s, _ in chunk]), pad([t for _, t in chunk])
        words = (enc.surface.get(split) or enc.surface["train"])[start:start + n]
        table = tables(lexicon, words, enc.tgt, 1.0, "bias").table[..., :len(enc.tgt)]
        return pad([s for s, _ in chunk]), pad([t for _, t in chunk]), table

    return get_batch


def build_model(enc: Encoded, config: Seq2SeqConfig, seed: int) -> Seq2Seq:
    """A fresh model sized to the vocabularies; the seed fixes its initial weights."""
    torch.manual_seed(seed)
    return Seq2Seq(replace(config, src_vocab=len(enc.src), tgt_vocab=len(enc.tgt)))


def train_translator(pairs: dict[str, list[Pair]], model_config: Seq2SeqConfig, train_config: TrainConfig,
                     data: DataConfig = DataConfig(), *, on_step: Callable | None = None,
                     should_stop: Callable | None = None, init=None,
                     lexicon=None) -> tuple[Seq2Seq, Encoded, FitResult]:
    """Encode, build and fit; the same pairs, configs and seed give the same model.

    init: a Translator to continue from (its vocabularies must be the ones these pairs build); lexicon: a
    lexicon.Lexicon mixed into the loss (data.lexicon_bias > 0, attention models only).
    """
    enc = encode_pairs(pairs, data)
    if init is not None:
        if init.src != enc.src or init.tgt != enc.tgt:
            raise ValueError("--init: that checkpoint was trained with other vocabularies (other data or sizes)")
        model = init.model
    else:
        model = build_model(enc, model_config, train_config.seed)
    use_lexicon = lexicon is not None and data.lexicon_bias > 0 and model.config.attention != "none"
    loss = partial(lexicon_loss, eps=data.lexicon_bias) if use_lexicon else seq2seq_loss
    result = fit(model, make_get_batch(enc, train_config.batch_size, lexicon if use_lexicon else None), loss,
                 train_config, on_step=on_step, should_stop=should_stop, validate=bool(enc.splits.get("val")))
    return model, enc, result


def checkpoint_meta(enc: Encoded, result: FitResult, data_config: DataConfig, **extra) -> dict:
    """What the JSON beside the weights holds besides the config: vocabularies, data, metrics."""
    return {"task": "translate", "src_vocab": list(enc.src.tokens), "tgt_vocab": list(enc.tgt.tokens),
            "max_len": data_config.max_len, "word_share": enc.word_share,
            "metrics": {"val_loss": result.final_val_loss, "steps": len(result.history),
                        "train_loss": result.history[-1]["loss"] if result.history else None,
                        "elapsed_s": round(result.elapsed_s, 1), "stopped": result.stopped},
            **extra}
