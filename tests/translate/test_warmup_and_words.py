import re

import torch

from rnn_models.translate.data import Pair, corpus, date_pairs, dictionary_pairs
from rnn_models.translate.train import DataConfig, encode_pairs, make_get_batch
from rnn_models.translate.vocab import UNK_ID

from .conftest import toy_pairs

# "Der Hund 9 bellt." hashes to the test split, "Der Hund bellt." to train
DING = ("Hund {m} | Der Hund bellt. :: dog | The dog barks.\n"
        "Köter {m}; Töle {f} | Der Hund 9 bellt. :: cur | The dog 9 barks.\n"
        "beißen {vt} | beißend :: to bite | biting\n")


def test_dates_warm_up_reorders_day_and_month_and_is_fixed():
    pairs = date_pairs(limit=60)
    every = [p for split in pairs.values() for p in split]
    assert len(every) == 60 and len({p.de for p in every}) == 60 and pairs["train"]
    assert date_pairs(limit=60) == pairs
    for p in every:  # "Wednesday, March 3, 2021" -> "Mittwoch, 3. März 2021"
        assert re.fullmatch(r"[A-Z][a-z]+day, [A-Z][a-z]+ \d{1,2}, \d{4}", p.de), p.de
        assert re.fullmatch(r"[A-Z][a-z]+(tag|woch), \d{1,2}\. [A-ZÄ][a-zä]+ \d{4}", p.en), p.en
        assert p.de.split(", ")[-1] == p.en.split(" ")[-1]  # the same year


def test_corpus_registry_names_the_valid_ones():
    try:
        corpus("klingon")
    except ValueError as e:
        assert str(e) == "unknown corpus 'klingon'; valid: ding, numbers, dates"
    else:
        raise AssertionError("an unknown corpus must be refused")


def test_dictionary_pairs_skip_lines_with_a_held_out_sentence(tmp_path):
    path = tmp_path / "de-en"
    path.write_text(DING, encoding="utf-8")
    pairs = [(p.de, p.en) for p in dictionary_pairs(path)]
    assert ("Hund", "dog") in pairs and ("beißen", "bite") in pairs and ("beißend", "biting") in pairs
    assert not any(de in ("Köter", "Töle") for de, _ in pairs)  # its line holds a test sentence
    assert not any(de.endswith(".") for de, _ in pairs)


def test_word_pairs_only_in_vocabulary_and_drawn_by_share_with_a_seed():
    pairs = toy_pairs()
    pairs["words"] = [Pair("Hund", "dog"), Pair("Katze", "cat"), Pair("Zebra", "zebra"), Pair("nicht", "not")]
    enc = encode_pairs(pairs, DataConfig(src_vocab=50, tgt_vocab=50, word_share=0.5))
    assert len(enc.splits["words"]) == 3 and all(UNK_ID not in s for s, _ in enc.splits["words"])
    assert len(enc.src) == len(encode_pairs(toy_pairs(), DataConfig(src_vocab=50, tgt_vocab=50)).src)

    def widths(seed: int) -> list[int]:
        get = make_get_batch(enc, 8)
        gen = torch.Generator().manual_seed(seed)
        return [get("train", gen)[0].shape[0] for _ in range(40)]

    draws = widths(1)
    assert draws == widths(1) and 3 in draws and 8 in draws  # word batches (3 pairs) and sentence batches
    no_words = encode_pairs(pairs, DataConfig(src_vocab=50, tgt_vocab=50, word_share=0.0))
    get, gen = make_get_batch(no_words, 8), torch.Generator().manual_seed(1)
    assert all(get("train", gen)[0].shape[0] == 8 for _ in range(20))
