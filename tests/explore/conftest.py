"""A tiny character model (hidden 8) standing in for the pretrained text checkpoints."""

import pytest
import torch

from rnn_models.network import ModelConfig, SequenceModel

TEXT = 'KING. "Come (my lord) away!"\nQueen: the end.\n'
VOCAB = sorted(set(TEXT + "abcdefghijklmnopqrstuvwxyz"))


def tiny_model(cell: str, layers: int = 1, bidirectional: bool = False, seed: int = 0) -> SequenceModel:
    torch.manual_seed(seed)
    cfg = ModelConfig(cell=cell, input_size=len(VOCAB), embed_size=4, hidden_size=8, num_layers=layers,
                      output_size=len(VOCAB), bidirectional=bidirectional)
    return SequenceModel(cfg).eval()


@pytest.fixture(params=["rnn", "lstm", "gru"])
def cell(request):
    return request.param
