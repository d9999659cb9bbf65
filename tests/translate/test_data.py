from rnn_models.translate.data import clean, parse_ding_line, split_of, word_pairs_from_line
from rnn_models.translate.vocab import Vocab, detokenize, tokenize

LINE = ("früh {adv} | Am nächsten Morgen war ich früh auf den Beinen. :: early | "
        "Next morning I was up early / betimes.")


def test_sentence_pairs_from_a_ding_line_drop_alternatives_and_annotations():
    pairs = parse_ding_line(LINE)
    assert [(p.de, p.en) for p in pairs] == [("Am nächsten Morgen war ich früh auf den Beinen.",
                                              "Next morning I was up early.")]
    assert clean("Das Dorf {n} ist [geogr.] verborgen (away).; Anders.") == "Das Dorf ist verborgen."
    assert parse_ding_line("# comment :: x") == [] and parse_ding_line("a | b :: c") == []


def test_word_pairs_keep_alternatives_but_not_sentences():
    pairs = word_pairs_from_line("Hund {m}; Köter {m} | Der Hund bellt. :: dog; hound | The dog barks.")
    assert ("Hund", "dog") in pairs and ("Köter", "hound") in pairs
    assert all(not de.endswith(".") for de, _ in pairs)


def test_split_is_fixed_by_the_sentence():
    assert split_of("Ich bin müde.") == split_of("ich bin müde.")
    splits = [split_of(f"Satz Nummer {i}.") for i in range(2000)]
    assert 0.02 < splits.count("test") / 2000 < 0.09 and splits.count("train") > 1700


def test_tokens_and_vocab():
    assert tokenize("Ich bin müde, 3,5 km!") == ["ich", "bin", "müde", ",", "3,5", "km", "!"]
    assert detokenize(["it", "'s", "late", ",", "i", "think", "."]) == "It's late, i think."
    v = Vocab.build([["a", "b", "a"], ["c"]], max_size=6)
    assert v.tokens == ("<pad>", "<unk>", "<s>", "</s>", "a", "b") and v.encode(["c", "a"]) == [1, 4]
    assert Vocab.from_list(list(v.tokens)) == v
