import pytest

from rnn_models.checkpoints import save
from rnn_models.training import TrainConfig
from rnn_models.translate.data import Pair
from rnn_models.translate.model import Seq2SeqConfig
from rnn_models.translate.train import DataConfig, checkpoint_meta, train_translator

WORDS = [("ich", "i"), ("du", "you"), ("wir", "we"), ("sehe", "see"), ("habe", "have"), ("den", "the"),
         ("hund", "dog"), ("katze", "cat"), ("baum", "tree"), ("nicht", "not")]


def toy_pairs(n: int = 40) -> dict[str, list[Pair]]:
    """Made-up German/English word salad, enough for a tiny model to run on."""
    pairs = []
    for i in range(n):
        picks = [WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(2 + i % 5)]
        pairs.append(Pair(" ".join(d for d, _ in picks).capitalize() + ".",
                          " ".join(e for _, e in picks).capitalize() + "."))
    return {"train": pairs[:30], "val": pairs[30:35], "test": pairs[35:]}


def tiny(attention: str = "additive", seed: int = 0, steps: int = 2):
    cfg = Seq2SeqConfig(embed_size=8, hidden_size=8, attn_size=8, combine_size=8, attention=attention)
    return train_translator(toy_pairs(), cfg, TrainConfig(steps=steps, batch_size=8, seed=seed),
                            DataConfig(src_vocab=50, tgt_vocab=50))


@pytest.fixture(scope="session")
def toy_translators(tmp_path_factory):
    """Paths of a tiny attention and a tiny no-attention checkpoint."""
    out = tmp_path_factory.mktemp("translate")
    paths = {}
    for name, kind in (("attention", "additive"), ("no_attention", "none")):
        model, enc, result = tiny(kind)
        meta = checkpoint_meta(enc, result, DataConfig(src_vocab=50, tgt_vocab=50), command="test")
        paths[name] = save(model, out / f"translate_{name}", meta)[1]
    return paths
