import pytest
import torch

from rnn_models.checkpoints import CheckpointError, from_bytes, load
from rnn_models.translate.model import Seq2Seq, Seq2SeqConfig, seq2seq_loss
from rnn_models.translate.train import pad

from .conftest import tiny


@pytest.mark.parametrize("attention", ["additive", "dot", "none"])
@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_forward_shapes_and_attention_rows(attention, cell):
    torch.manual_seed(0)
    m = Seq2Seq(Seq2SeqConfig(cell=cell, src_vocab=20, tgt_vocab=15, embed_size=8, hidden_size=8,
                              attn_size=8, combine_size=8, attention=attention)).eval()
    src = pad([[5, 6, 7, 8], [9, 10]])
    logits, state = m(torch.tensor([[2, 5, 6], [2, 7, 8]]), m.encode(src))
    assert logits.shape == (2, 3, 15) and state.attention.shape == (2, 3, 4)
    if attention == "none":
        assert float(state.attention.abs().sum()) == 0.0
    else:
        assert torch.allclose(state.attention.sum(-1), torch.ones(2, 3))
        assert float(state.attention[1, :, 2:].abs().sum()) == 0.0  # padding gets no attention
    # one step at a time gives the same logits as teacher forcing
    st = m.encode(src)
    steps = []
    for t in range(3):
        out, st = m(torch.tensor([[2, 5, 6], [2, 7, 8]])[:, t:t + 1], st)
        steps.append(out)
    assert torch.allclose(torch.cat(steps, 1), logits, atol=1e-5)


def test_no_attention_sees_the_source_only_through_one_vector():
    m = Seq2Seq(Seq2SeqConfig(src_vocab=20, tgt_vocab=15, embed_size=8, hidden_size=8, attention="none"))
    state = m.encode(pad([[5, 6, 7, 8, 9, 10]]))
    assert state.context.shape == (1, 8)
    state.memory = torch.randn_like(state.memory)  # the annotations are never read without attention
    a, _ = m(torch.tensor([[2]]), state)
    b, _ = m(torch.tensor([[2]]), m.encode(pad([[5, 6, 7, 8, 9, 10]])))
    assert torch.allclose(a, b)


def test_training_learns_and_same_seed_same_model():
    m1, enc, r1 = tiny(seed=3, steps=30)
    m2, _, _ = tiny(seed=3, steps=30)
    assert r1.history[-1]["loss"] < r1.history[0]["loss"]
    assert all(torch.equal(a, b) for a, b in zip(m1.state_dict().values(), m2.state_dict().values(), strict=True))
    x, y = pad([s for s, _ in enc.splits["train"][:4]]), pad([t for _, t in enc.splits["train"][:4]])
    assert float(seq2seq_loss(m1, x, y)) > 0


def test_checkpoint_round_trip_and_refusals(toy_translators):
    path = toy_translators["attention"]
    ckpt = load(path)
    assert isinstance(ckpt.model, Seq2Seq) and ckpt.meta["kind"] == "seq2seq"
    weights, meta = path.with_suffix(".safetensors").read_bytes(), path.read_bytes()
    bad = meta.replace(b'"hidden_size": 8', b'"hidden_size": 9')
    with pytest.raises(CheckpointError, match="do not match the config"):
        from_bytes(weights, bad)
    with pytest.raises(CheckpointError, match="unknown checkpoint kind"):
        from_bytes(weights, meta.replace(b'"kind": "seq2seq"', b'"kind": "nope"'))
