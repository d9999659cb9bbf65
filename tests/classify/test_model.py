import numpy as np
import pytest
import torch

from rnn_models.classify.dataset import Examples
from rnn_models.classify.model import ClassifierConfig, final_logits, predict_proba, step_beliefs
from rnn_models.classify.pipeline import classify_item, train_run
from rnn_models.classify.train import load_classifier, save_classifier
from rnn_models.training import TrainConfig

TINY = TrainConfig(steps=2, batch_size=4, eval_every=0, eval_batches=1)


def _text_data():
    items = ["anna", "bob", "carla", "dave", "ella", "fred", "gina", "hank"]
    labels = np.array([0, 1, 0, 1, 0, 1, 0, 1])
    return Examples(items, labels, ["a", "b"], "text", np.arange(6), np.arange(6, 8))


def _audio_data():
    rng = np.random.default_rng(0)
    items = [rng.normal(size=(int(rng.integers(5, 12)), 6)).astype(np.float32) for _ in range(8)]
    return Examples(items, np.array([0, 1] * 4), ["x", "y"], "audio", np.arange(6), np.arange(6, 8))


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
@pytest.mark.parametrize("bi", [False, True])
def test_belief_after_every_step_ends_at_the_answer(cell, bi):
    run = train_run(_text_data(), ClassifierConfig(cell=cell, hidden_size=8, embed_size=4, bidirectional=bi), TINY)
    out = classify_item(run.classifier, "carla")
    assert len(out["steps"]) == 5 and len(out["labels"]) == 2
    assert abs(sum(out["probabilities"]) - 1) < 1e-6
    np.testing.assert_allclose(out["steps"][-1], out["probabilities"], atol=1e-5)
    # the belief after step 3 is the answer for the first three characters
    np.testing.assert_allclose(out["steps"][2], classify_item(run.classifier, "car")["probabilities"], atol=1e-5)


def test_padding_does_not_change_the_answer():
    run = train_run(_audio_data(), ClassifierConfig(hidden_size=8), TINY)
    clf = run.classifier
    items = _audio_data().items
    together = predict_proba(clf, items)
    alone = np.stack([predict_proba(clf, [x])[0] for x in items])
    np.testing.assert_allclose(together, alone, atol=1e-5)
    assert step_beliefs(clf, items[0]).shape == (len(items[0]), 2)


def test_same_seed_same_model(tmp_path):
    a = train_run(_text_data(), ClassifierConfig(hidden_size=8, embed_size=4), TINY)
    b = train_run(_text_data(), ClassifierConfig(hidden_size=8, embed_size=4), TINY)
    c = train_run(_text_data(), ClassifierConfig(hidden_size=8, embed_size=4), TrainConfig(steps=2, batch_size=4,
                                                                                              seed=1, eval_every=0))
    pa, pb = classify_item(a.classifier, "gina"), classify_item(b.classifier, "gina")
    assert pa == pb
    assert pa != classify_item(c.classifier, "gina")


def test_checkpoint_round_trip(tmp_path):
    run = train_run(_audio_data(), ClassifierConfig(cell="lstm", hidden_size=8), TINY)
    save_classifier(run.classifier, tmp_path / "m", half=False)
    back = load_classifier(tmp_path / "m.json")
    item = _audio_data().items[3]
    assert classify_item(back, item) == classify_item(run.classifier, item)
    assert back.classes == ["x", "y"] and back.kind == "audio"


def test_final_logits_reads_each_sequence_to_its_own_end():
    run = train_run(_text_data(), ClassifierConfig(hidden_size=8, embed_size=4), TINY)
    clf = run.classifier
    x = torch.stack([clf.encode("anna"), torch.cat([clf.encode("bo"), torch.zeros(2, dtype=torch.long)])])
    logits = final_logits(clf.model.eval(), x, torch.tensor([4, 2]))
    alone = final_logits(clf.model, clf.encode("bo")[None], torch.tensor([2]))
    torch.testing.assert_close(logits[1], alone[0])


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
@pytest.mark.parametrize("bi", [False, True])
def test_padded_batches_equal_packed_sequences(cell, bi):
    """One layer reads padded batches through the fused CPU recurrence; it must equal packed sequences
    (what stacked layers use), for the final state and for mean/max pooling, in values and gradients."""
    from rnn_models.classify.model import POOLS, _packed_summary, batch, new_classifier

    def packed(model, x, lengths, pool):
        return model.head(_packed_summary(model, model._inputs(x), lengths, pool))

    data = _text_data()
    for pool in POOLS:
        config = ClassifierConfig(cell=cell, hidden_size=8, embed_size=4, bidirectional=bi, pool=pool)
        clf = new_classifier(config, "text", data.classes, data.items, seed=1)
        model = clf.model.eval()
        x, lengths = batch([clf.encode(t) for t in ("anna", "bo", "carla", "g")])
        torch.testing.assert_close(final_logits(model, x, lengths, pool), packed(model, x, lengths, pool))
        grads = [torch.autograd.grad(f(model, x, lengths, pool).square().sum(), model.rnn.parameters())
                 for f in (final_logits, packed)]
        for a, b in zip(*grads):
            torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize("bi", [False, True])
def test_pooled_belief_after_every_step_is_the_answer_so_far(bi):
    from rnn_models.classify.model import new_classifier

    data = _text_data()
    for pool in ("mean", "max"):
        config = ClassifierConfig(hidden_size=8, embed_size=4, bidirectional=bi, pool=pool)
        clf = new_classifier(config, "text", data.classes, data.items, seed=2)
        out = classify_item(clf, "carla")
        np.testing.assert_allclose(out["steps"][-1], out["probabilities"], atol=1e-5)
        np.testing.assert_allclose(out["steps"][2], classify_item(clf, "car")["probabilities"], atol=1e-5)
    with pytest.raises(ValueError, match="unknown pool 'sum'; valid: last, mean, max"):
        ClassifierConfig(pool="sum")


def test_pool_survives_the_checkpoint(tmp_path):
    from rnn_models.classify.model import new_classifier

    data = _text_data()
    clf = new_classifier(ClassifierConfig(hidden_size=8, embed_size=4, pool="max"), "text", data.classes, data.items)
    save_classifier(clf, tmp_path / "m", half=False)
    back = load_classifier(tmp_path / "m.json")
    assert back.pool == "max" and classify_item(back, "gina") == classify_item(clf, "gina")
