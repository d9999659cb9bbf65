import pytest
import torch

from rnn_models.network import ModelConfig, SequenceModel
from rnn_models.text.stepper import Stepper


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_step_equals_forward(cell):
    torch.manual_seed(0)
    model = SequenceModel(ModelConfig(cell=cell, input_size=7, embed_size=5, hidden_size=8, num_layers=2,
                                      output_size=7)).eval()
    ids = torch.randint(0, 7, (3, 6))  # (batch, time)
    with torch.no_grad():
        full, _ = model(ids)
        _, state = model(ids[:, :1])
        stepper = Stepper(model)
        for t in range(1, 6):
            logits, state = stepper.step(ids[:, t], state)
            assert torch.allclose(logits, full[:, t], atol=1e-5)
