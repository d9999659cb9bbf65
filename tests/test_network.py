import pytest
import torch

from rnn_models.network import CELLS, ModelConfig, SequenceModel, count_parameters


def test_bad_cell_name_lists_valid_ones():
    with pytest.raises(ValueError, match=r"unknown cell 'transformer'; valid: rnn, lstm, gru"):
        ModelConfig(cell="transformer")


@pytest.mark.parametrize("cell", CELLS)
def test_carried_state_streams_like_one_long_call(cell):
    torch.manual_seed(1)
    model = SequenceModel(ModelConfig(cell=cell, input_size=7, hidden_size=8, num_layers=2, output_size=7))
    model.eval()
    x = torch.randint(0, 7, (2, 9))
    whole, _ = model(x)
    parts, state = [], None
    for t in range(9):  # one step at a time, carrying the state
        out, state = model(x[:, t:t + 1], state)
        parts.append(out)
    torch.testing.assert_close(torch.cat(parts, 1), whole, atol=1e-6, rtol=1e-5)


def test_linear_input_and_bidirectional_shapes():
    model = SequenceModel(ModelConfig(cell="gru", input_kind="linear", input_size=3, hidden_size=4,
                                      bidirectional=True, output_size=2))
    out, state = model(torch.randn(5, 6, 3))
    assert out.shape == (5, 6, 2) and state.h.shape == (2, 5, 4) and state.c is None
    assert count_parameters(model) == sum(p.numel() for p in model.parameters())


def test_config_rejects_unknown_keys_and_bad_sizes():
    with pytest.raises(ValueError, match="unknown model config keys: bogus"):
        ModelConfig.from_dict({"cell": "lstm", "bogus": 1})
    with pytest.raises(ValueError, match="hidden_size must be at least 1"):
        ModelConfig(hidden_size=0)
