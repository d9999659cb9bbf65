import pytest
import torch

from rnn_models.translate.decode import DecodeSettings, beam_search, greedy_batch
from rnn_models.translate.train import pad
from rnn_models.translate.translator import load_translator
from rnn_models.translate.vocab import EOS_ID, UNK_ID

from .conftest import tiny


def test_beam_one_is_greedy_and_beam_search_scores_at_least_as_well():
    model, enc, _ = tiny(steps=40)
    src = [s for s, _ in enc.splits["train"][:6]]
    batch = greedy_batch(model, pad(src), max_len=12)
    for s, g in zip(src, batch, strict=True):
        hyp = beam_search(model, s, DecodeSettings(beam=1, max_len=12))
        assert [i for i in hyp.ids if i != EOS_ID] == g
        wide = beam_search(model, s, DecodeSettings(beam=4, max_len=12, length_penalty=0.0))
        assert wide.logp >= hyp.logp - 1e-5
        assert len(hyp.attention) == len(hyp.ids) and len(hyp.top) == len(hyp.ids)


def test_translate_result_contract(toy_translators):
    tr = load_translator(toy_translators["attention"])
    r = tr.translate("Ich sehe den Hund 🐕 Zzyzx.", DecodeSettings(beam=3, max_len=8))
    assert r.source_tokens[-3:] == ["🐕", "zzyzx", "."] and r.source_unknown[-2] and r.source_unknown[-3]
    assert len(r.attention) == len(r.target_tokens) <= 8
    assert all(abs(sum(row) - 1) < 1e-4 and len(row) == len(r.source_tokens) for row in r.attention)
    assert all(len(a) == 5 and a[0]["p"] >= a[-1]["p"] for a in r.alternatives)
    again = tr.translate("Ich sehe den Hund 🐕 Zzyzx.", DecodeSettings(beam=3, max_len=8))
    assert again == r  # decoding is deterministic
    none = load_translator(toy_translators["no_attention"]).translate("Ich sehe.")
    assert none.attention is None and none.attention_kind == "none"


def test_bad_input_messages(toy_translators):
    tr = load_translator(toy_translators["attention"])
    with pytest.raises(ValueError, match="nothing to translate"):
        tr.translate("   ")
    with pytest.raises(ValueError, match="translate one sentence at a time"):
        tr.translate("Wort " * 10_000)
    with pytest.raises(ValueError, match="beam width must be 1 to 16"):
        DecodeSettings(beam=0)
    assert torch.get_num_threads() >= 1


def test_unknown_words_are_copied_once_and_the_decoder_cannot_repeat_unk_to_the_maximum_length(toy_translators):
    tr = load_translator(toy_translators["attention"])
    with torch.no_grad():
        tr.model.out.bias[UNK_ID] += 100.0  # a decoder that always prefers <unk>
    settings = DecodeSettings(max_len=12)
    free = tr.translate("Zzyzx ich.", settings, copy_unknown=False)  # evaluation's path: not capped
    assert free.target_tokens == ["<unk>"] * 12 and free.dropped_unknown == 12
    known = tr.translate("Ich sehe.", settings)  # no unknown German word: one <unk> allowed, left out and counted
    assert known.target_tokens.count("<unk>") == 1 and known.dropped_unknown == 1
    r = tr.translate("Zzyzx qqq ich.", settings)
    assert r.target_tokens.count("<unk>") == 2  # once per unknown German word, then it must name a word
    words = r.translation.lower().split()
    assert words.count("zzyzx") <= 1 and words.count("qqq") <= 1
    long = tr.translate("x" * 1999, DecodeSettings(max_len=40))
    assert long.target_tokens.count("<unk>") == 1 and len(long.translation) < 2100  # not a wall of text
    for beam in (1, 3):
        once = tr.translate("🙂🙂🙂 🎉", DecodeSettings(beam=beam, max_len=20))
        assert once.target_tokens.count("<unk>") <= 4 and once.translation.count("🎉") <= 1
