import numpy as np
import pytest
import torch

from rnn_models.errors import UserInputError
from rnn_models.music.baselines import MarkovChain, RepeatBaseline
from rnn_models.music.encoding import HOLD, REST, VOCAB_SIZE, notes_to_events, pitch_token
from rnn_models.music.generate import continue_melody, detect_key, parse_key
from rnn_models.music.model import evaluate_melodies, melody_config, train_melody_model
from rnn_models.network import SequenceModel
from rnn_models.sampling import SamplingSettings
from rnn_models.training import TrainConfig

SCALE = notes_to_events([(60 + d, 2 * i, 2 * i + 2) for i, d in enumerate([0, 2, 4, 5, 7, 9, 11, 12])])


def test_markov_probabilities_normalised_and_learn_a_pattern():
    seqs = [np.tile(SCALE, 4)] * 3
    m = MarkovChain.fit(seqs, order=3)
    lp = m.log_probs(seqs[0])
    assert np.allclose(np.exp(lp).sum(1), 1.0)
    # after "E4 hold F4" the chain has always seen a hold
    assert lp.argmax(1)[6] == HOLD
    acc = (lp.argmax(1) == seqs[0][1:]).mean()
    assert acc > 0.9


def test_markov_backs_off_for_unseen_context():
    m = MarkovChain.fit([SCALE], order=3)
    unseen = notes_to_events([(90, 0, 1), (40, 1, 2), (80, 2, 3), (41, 3, 4)])
    p = np.exp(m.log_probs(unseen))
    assert np.allclose(p.sum(1), 1.0) and (p > 0).all()


def test_repeat_baseline_prefers_last_pitch():
    seq = notes_to_events([(60, 0, 1), (60, 1, 2), (62, 2, 3), (62, 3, 4)])
    r = RepeatBaseline.fit([seq] * 5)
    lp = r.log_probs(seq)
    assert np.allclose(np.exp(lp).sum(1), 1.0)
    assert lp[0].argmax() == pitch_token(60)


def _tiny_model():
    torch.manual_seed(0)
    return SequenceModel(melody_config(hidden=8, layers=1, embed=8, dropout=0.0))


def test_same_seed_same_continuation_and_key_constraint():
    model = _tiny_model()
    a = continue_melody(model, SCALE, 32, SamplingSettings(temperature=1.5), seed=7, variations=3)
    b = continue_melody(model, SCALE, 32, SamplingSettings(temperature=1.5), seed=7, variations=3)
    c = continue_melody(model, SCALE, 32, SamplingSettings(temperature=1.5), seed=8, variations=3)
    assert all(np.array_equal(x.events, y.events) for x, y in zip(a, b))
    assert not all(np.array_equal(x.events, y.events) for x, y in zip(a, c))
    key = parse_key("C major")
    for v in continue_melody(model, SCALE, 64, SamplingSettings(temperature=2.0), seed=1, variations=4, key=key):
        pcs = {(t - 2 + 36) % 12 for t in v.events if t >= 2}
        assert pcs <= key.pitch_classes()
        assert ((v.probs > 0) & (v.probs <= 1)).all()
        prev = np.concatenate([[SCALE[-1]], v.events[:-1]])
        assert not np.any((v.events == HOLD) & (prev == REST))


def test_detect_key_and_bad_arguments():
    assert detect_key(SCALE).name == "C major"
    with pytest.raises(UserInputError, match="Variations"):
        continue_melody(_tiny_model(), SCALE, 8, variations=9)
    with pytest.raises(UserInputError, match="Unknown tonic 'H'"):
        parse_key("H minor")
    with pytest.raises(UserInputError, match="not understood"):
        parse_key("D lydian")
    assert parse_key("Bb major").name == "A# major" and parse_key("none") is None


def test_tiny_training_runs_and_evaluates():
    seqs = [np.tile(SCALE, 3)] * 4
    model, result = train_melody_model(seqs, seqs[:1], melody_config(hidden=8, layers=1, embed=8),
                                       TrainConfig(steps=3, batch_size=2, eval_every=0, eval_batches=1),
                                       seq_len=16)
    assert len(result.history) == 3 and result.final_val_loss is not None
    table = evaluate_melodies(seqs[:1], model, MarkovChain.fit(seqs), RepeatBaseline.fit(seqs))
    assert set(table) == {"lstm", "markov3", "repeat"}
    assert 0 <= table["lstm"]["accuracy"] <= 1 and VOCAB_SIZE == 63
