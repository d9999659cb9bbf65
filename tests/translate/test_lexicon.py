"""Attention consulting the dictionary (Arthur et al. 2016): the lexicon, the mixing, the decoding."""

import json
from dataclasses import replace

import pytest
import torch

from rnn_models.translate import lexicon as lexicon_mod
from rnn_models.translate.data import Pair
from rnn_models.translate.decode import DecodeSettings
from rnn_models.translate.lexicon import Lexicon, build_lexicon, mix, tables
from rnn_models.translate.translator import load_translator
from rnn_models.translate.vocab import UNK_ID, Vocab

DING = ("Hund {m}; Köter {m} :: dog; canine; mine cart\n"
        "Zzyzx {f} :: frobnicate\n"
        "Katze {f} :: cat; tabby\n")
LEX = Lexicon.from_table({"hund": [("dog", 0.9), ("canine", 0.1)], "zzyzx": [("frobnicate", 1.0)],
                          "katze": [("cat", 1.0)]})


def test_training_sentences_pick_the_sense_and_every_entry_sums_to_one():
    lex = build_lexicon(DING.splitlines(), [Pair("Der Hund bellt.", "The dog barks.")])
    dog = dict(lex.lookup("hund"))
    assert max(dog, key=dog.get) == "dog" and dog["dog"] > 3 * dog["canine"]  # seen together in a sentence
    assert set(dict(lex.lookup("köter"))) == {"dog", "canine", "mine", "cart"}  # a two-word sense shares its weight
    for word in ("hund", "köter", "katze", "zzyzx"):
        assert sum(p for _, p in lex.lookup(word)) == pytest.approx(1, abs=1e-4)
    assert lex.lookup("42") == [("42", 1.0)] and lex.lookup(".") == [(".", 1.0)] and lex.lookup("unbekannt") == []


@pytest.mark.parametrize("method, gate", [("linear", 0.4), ("linear", 1.0), ("bias", 0.01)])
def test_mixing_sums_to_one_over_the_extended_vocabulary(method, gate):
    tgt = Vocab.build([["the", "dog", "cat", "."]], 10)
    lex = tables(LEX, [["der", "hund", "zzyzx"], ["katze", "bellt", "."]], tgt, gate, method)
    assert lex.extra == ["canine", "frobnicate"] and lex.table.shape == (2, 3, len(tgt) + 2)
    assert lex.known.tolist() == [[False, True, True], [True, False, True]]  # "." translates as itself
    torch.manual_seed(0)
    logp = torch.log_softmax(torch.randn(2, len(tgt)), -1)
    attention = torch.softmax(torch.randn(2, 3), -1)
    p = mix(logp, attention, lex).exp()
    assert p.sum(-1).tolist() == pytest.approx([1, 1], abs=1e-5)
    assert p[0, len(tgt) + 1] > 0  # "frobnicate", outside the target vocabulary, can be written
    if method == "linear":  # the network's <unk> went to the words the lexicon offers
        assert float(p[0, UNK_ID]) < 1e-6 < float(logp[0, UNK_ID].exp())
    used = torch.tensor([[False, True, True], [True, False, True]])
    p_used = mix(logp, attention, lex, used).exp()  # every entry used: the network's own distribution
    assert p_used.sum(-1).tolist() == pytest.approx([1, 1], abs=1e-5)
    assert torch.allclose(p_used[:, :len(tgt)], logp.exp(), atol=1e-5)


def test_an_unknown_source_word_is_looked_up_by_its_surface_form(toy_translators):
    tr = load_translator(toy_translators["attention"], lexicon=False)
    assert tr.src.encode(["zzyzx"]) == [1]  # <unk> to the network
    lexed = replace(tr, lexicon=LEX, gate=1.0)  # the lexicon alone, looked up where the network attends
    r = lexed.translate("Zzyzx.", DecodeSettings(max_len=3))
    assert r.target_tokens[0] == "frobnicate" and r.translation.startswith("Frobnicate")
    assert r.lexicon_gate == 1.0 and r.alternatives[0][0]["token"] == "frobnicate"  # p = attention on "zzyzx"
    assert r.alternatives[0][0]["p"] == pytest.approx(r.attention[0][0], abs=1e-3)
    assert all(abs(sum(row) - 1) < 1e-4 for row in r.attention)  # the heatmap is the network's attention
    for beam in (1, 3):  # same input, same settings: the same translation
        once = lexed.translate("Ich sehe den Hund Zzyzx.", DecodeSettings(beam=beam, max_len=8))
        assert lexed.translate("Ich sehe den Hund Zzyzx.", DecodeSettings(beam=beam, max_len=8)) == once
        assert once.target_tokens.count("frobnicate") <= 1  # a source word's entry is offered once


def test_checkpoint_gate_and_evaluation_keys(toy_translators, monkeypatch, tmp_path):
    from rnn_models.translate import dictionary, evaluation

    from .conftest import toy_pairs

    meta = json.loads(toy_translators["attention"].read_text())
    meta["lexicon"] = {"method": "linear", "gate": 0.5, "chosen_by": "test"}
    path = tmp_path / "translate_attention.json"
    path.write_text(json.dumps(meta))
    path.with_suffix(".safetensors").write_bytes(toy_translators["attention"].with_suffix(".safetensors").read_bytes())
    monkeypatch.setattr(lexicon_mod, "load_lexicon", lambda: LEX)
    tr = load_translator(path)
    assert tr.consults_lexicon and tr.gate == 0.5 and not load_translator(path, lexicon=False).consults_lexicon
    monkeypatch.setattr(evaluation, "load_pairs", toy_pairs)
    monkeypatch.setattr(dictionary, "load_dictionary", lambda: dictionary.Dictionary({"hund": "dog"}))
    out = evaluation.evaluate_all(path, toy_translators["no_attention"])
    assert set(out["bleu"]) == {"attention", "attention_network", "no_attention", "dictionary"}
    assert out["lexicon"]["gate"] == 0.5 and "network" in evaluation.verdict(out)
    assert out["beam"] == 1  # no width saved with the choice: greedy
    meta["lexicon"]["beam"] = 3
    path.write_text(json.dumps(meta))
    widths, real = [], evaluation.translate_many
    monkeypatch.setattr(evaluation, "translate_many", lambda tr, src, settings: widths.append(settings.beam)
                        or ["the dog ."] * len(src))
    assert evaluation.evaluate_all(path, toy_translators["no_attention"])["beam"] == 3
    assert widths == [3, 3, 3]  # the saved width decodes every network alike (attention, alone, none)
    monkeypatch.setattr(evaluation, "translate_many", real)
    del meta["lexicon"]["beam"]  # greedy again: the batched decoder, which builds the lexicon tables here
    path.write_text(json.dumps(meta))
    given, seen, tables_ = Lexicon({}), [], evaluation.tables
    monkeypatch.setattr(evaluation, "tables", lambda lex, *a: seen.append(lex) or tables_(lex, *a))
    evaluation.evaluate_all(path, toy_translators["no_attention"], lexicon=given)
    assert seen and all(lex is given for lex in seen)  # a lexicon given (the held-out-lines check) is the one used


def test_lexicon_in_the_loss_helps_when_it_knows_the_words_and_changes_nothing_when_empty():
    from rnn_models.translate.lexicon import lexicon_loss
    from rnn_models.translate.model import seq2seq_loss
    from rnn_models.translate.train import make_get_batch

    from .conftest import WORDS, tiny

    model, enc, _ = tiny(steps=2)
    gen = torch.Generator().manual_seed(0)
    src, tgt, table = make_get_batch(enc, 8, Lexicon.from_table({d: [(e, 1.0)] for d, e in WORDS}))("train", gen)
    assert table.shape == (*src.shape, len(enc.tgt)) and float(table.sum(-1).max()) == pytest.approx(1)
    torch.manual_seed(0)
    model.eval()  # no dropout: the same forward pass for both losses
    with torch.no_grad():
        plain = float(seq2seq_loss(model, src, tgt))
        empty = float(lexicon_loss(model, src, tgt, torch.zeros_like(table), 0.01))
        knows = float(lexicon_loss(model, src, tgt, table, 0.01))
    assert empty == pytest.approx(plain, abs=1e-5) and knows < plain - 0.2  # even with untrained attention


def test_an_inflected_word_is_found_under_its_dictionary_form():
    lex = Lexicon.from_table({"gestohlen": [("stolen", 1.0)], "ausgehen": [("go", 1.0)], "mus": [("purée", 1.0)]})
    assert lex.lookup("gestohlenes") == [("stolen", 1.0)] and lex.lookup("ausgeht") == [("go", 1.0)]
    assert lex.lookup("muss") == []  # short words are left alone


def test_the_gate_and_the_beam_width_are_chosen_together_on_validation(toy_translators, monkeypatch):
    from rnn_models.translate import gate

    from .conftest import toy_pairs

    monkeypatch.setattr(lexicon_mod, "load_lexicon", lambda: LEX)
    tr = load_translator(toy_translators["attention"], lexicon=False)
    val = toy_pairs()["val"][:4]
    choice = gate.choose_gate(tr, val, grid={"linear": (0.3, 0.6)}, max_len=6, beams=(1, 2))
    assert [(r["beam"], r["gate"]) for r in choice["grid"]] == [(1, 0.3), (1, 0.6), (2, 0.3), (2, 0.6)]
    best = max(choice["grid"], key=lambda r: (r["val_bleu"], r["val_chrf"]))
    assert (choice["beam"], choice["gate"]) == (best["beam"], best["gate"])
    assert set(choice["val_without_lexicon"]) == {"1", "2"} and "test set was not used" in choice["chosen_by"]


def test_a_word_the_lexicon_passed_through_is_not_copied_again(toy_translators):
    tr = load_translator(toy_translators["attention"], lexicon=False)
    with torch.no_grad():
        tr.model.out.bias[UNK_ID] += 100.0  # a network that always prefers <unk>
    lexed = replace(tr, lexicon=build_lexicon(DING.splitlines(), []), gate=0.5, method="bias")
    r = lexed.translate("42 Zzyzx", DecodeSettings(max_len=10))
    assert r.source_unknown == [True, True]
    assert r.translation.split().count("42") <= 1 and r.target_tokens.count("<unk>") <= 2
    # the lexicon's pass-through of "42" counts as its copy: <unk> and "42" together once per unknown word
    assert sum(t in ("<unk>", "42") for t in r.target_tokens) <= 2
