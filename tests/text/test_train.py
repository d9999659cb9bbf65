"""The text trainer's regularisers (DropConnect, embedding dropout) and stateful streams."""

import torch

from rnn_models.text.train import Streams, TextTrainSpec, build_model, make_loss, train_text

TEXT = "ALPHA:\nhello there, friend\nBETA:\nand hello to you\n" * 200


def test_streams_walk_the_text_in_order_and_start_each_pass_with_a_fresh_state():
    ids = torch.arange(1001)
    s = Streams(ids, seq_len=10, batch_size=4)  # 4 streams of 250 characters
    gen = torch.Generator().manual_seed(0)
    x1, y1 = s.next(gen)
    start = int(x1[0, 0])
    assert 0 <= start < 10 and x1.shape == (4, 10)
    assert torch.equal(y1, x1 + 1)  # the next character
    assert torch.equal(x1[:, 0] - start, torch.tensor([0, 250, 500, 750]))  # one window per stream
    s.states["model"] = "carried"
    x2, _ = s.next(gen)
    assert torch.equal(x2, x1 + 10) and s.states == {"model": "carried"}  # the next window of every stream
    for _ in range(40):
        s.next(gen)
    assert s.states == {}  # a new pass began: no state from the end of the streams


def test_stateful_loss_carries_the_state_between_training_steps_only():
    spec = TextTrainSpec(hidden_size=8, seq_len=5, batch_size=2)
    model = build_model(spec, 10).train()
    streams = Streams(torch.randint(0, 10, (200,)), 5, 2)
    loss = make_loss(False, streams=streams)
    x, y = streams.next(torch.Generator().manual_seed(0))
    loss(model, x, y)
    first = streams.states[model]
    assert first is not None and not first.h.requires_grad  # detached: no backprop into past steps
    model.eval()
    loss(model, x, y)  # a validation pass leaves the training streams' state alone
    assert streams.states == {model: first}


def test_weight_drop_changes_training_passes_not_the_weights_or_evaluation():
    spec = TextTrainSpec(hidden_size=16, seq_len=8, batch_size=4)
    model = build_model(spec, 12)
    x, y = torch.randint(0, 12, (4, 8)), torch.randint(0, 12, (4, 8))
    loss = make_loss(False, weight_drop=0.5, embed_dropout=0.2)
    before = model.rnn.weight_hh_l0.detach().clone()
    model.train()
    torch.manual_seed(0)
    a = loss(model, x, y)
    b = loss(model, x, y)
    assert float(a.detach()) != float(b.detach())  # a fresh mask each pass
    a.backward()
    assert model.rnn.weight_hh_l0.grad.abs().sum() > 0  # gradients reach the real weights
    assert torch.equal(model.rnn.weight_hh_l0.detach(), before)  # the masks never touch them
    model.eval()
    assert float(loss(model, x, y)) == float(loss(model, x, y)) == float(make_loss(False)(model, x, y))


def test_regularised_stateful_training_is_seeded_and_learns():
    spec = TextTrainSpec(hidden_size=32, seq_len=32, batch_size=8, steps=120, stateful=True, weight_drop=0.2,
                         embed_dropout=0.1, dropout=0.1, seed=3, eval_every=40)
    cut = int(len(TEXT) * 0.9)
    _, _, r1 = train_text(TEXT[:cut], TEXT[cut:], spec)
    _, _, r2 = train_text(TEXT[:cut], TEXT[cut:], spec)
    assert r1.final_val_loss == r2.final_val_loss
    assert r1.history[-1]["val_bpc"] < 0.5 * r1.history[0]["bpc"]  # it learned the repeated dialogue
