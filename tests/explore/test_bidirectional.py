"""Fill-in-the-blank: the bidirectional model sees the future, the forward-only one cannot."""

import numpy as np
import torch

from rnn_models.explore.bidirectional import BlankConfig, blank_model, example, sensitivity, train_fill_blank
from rnn_models.explore.tasks import palindrome_batch


def test_forward_model_is_blind_to_the_future_bidirectional_is_not():
    cfg = BlankConfig(length=9, hidden_size=8)
    x, _, _ = palindrome_batch(1, 9, 8, torch.Generator().manual_seed(0))
    fwd = sensitivity(blank_model(cfg, False), x, 2)
    bi = sensitivity(blank_model(cfg, True), x, 2)
    assert np.all(fwd[3:] == 0) and np.all(fwd[:3] > 0)
    assert np.all(bi[3:] > 0)


def test_short_training_bidirectional_beats_forward_only():
    torch.set_num_threads(1)
    cfg = BlankConfig(length=7, symbols=4, hidden_size=16, max_steps=150, seconds=60, eval_every=50)
    result = train_fill_blank(cfg)
    acc = result.final_accuracy
    assert result.steps == 150
    assert acc["bidirectional"] > acc["forward only"] + 0.2
    assert acc["forward only"] < 0.45  # chance is 0.25: the past says nothing about the blank
    ex = example(result, cfg)
    assert ex["sequence"][ex["blank"]] == "_" and len(ex["sequence"]) == 7
    assert set(ex["models"]) == {"forward only", "bidirectional"}


def test_text_task_blanks_the_middle_character_of_real_text():
    from rnn_models.explore.bidirectional import blank_data

    cfg = BlankConfig(task="text", length=9, hidden_size=8, max_steps=2, seconds=60)
    data = blank_data(cfg)
    x, y, pos = data.sample(16, torch.Generator().manual_seed(0))
    assert x.shape == (16, 9) and torch.all(pos == 4) and torch.all(x[:, 4] == 0)
    assert torch.all(y > 0) and data.vocab[0] == "_" and " " in data.vocab
    assert 0.05 < data.chance < 0.4 and data.chance_label == "always ' '"
    result = train_fill_blank(cfg)
    ex = example(result, cfg)
    assert ex["sequence"][4] == "_" and len(ex["answer"]) == 1


def test_unknown_blank_task_is_refused():
    import pytest

    from rnn_models.errors import UserInputError
    from rnn_models.explore.bidirectional import blank_data

    with pytest.raises(UserInputError, match="unknown task 'poem'"):
        blank_data(BlankConfig(task="poem"))
