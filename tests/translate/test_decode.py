import pytest
import torch

from rnn_models.translate.decode import DecodeSettings, beam_search, greedy_batch
from rnn_models.translate.train import pad
from rnn_models.translate.translator import load_translator
from rnn_models.translate.vocab import EOS_ID

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
