import pytest
import torch

from rnn_models import checkpoints
from rnn_models.network import ModelConfig, SequenceModel

torch.set_num_threads(1)  # tiny models; several threads only contend on a shared CPU

TOY_TEXT = "the cat sat on the mat. the dog sat on the log.\n" * 20


@pytest.fixture
def toy_vocab():
    return sorted(set(TOY_TEXT))


@pytest.fixture
def toy_model(toy_vocab):
    torch.manual_seed(0)
    v = len(toy_vocab)
    model = SequenceModel(ModelConfig(cell="lstm", input_size=v, embed_size=8, hidden_size=8,
                                      output_size=v))
    return model.eval()


@pytest.fixture
def toy_checkpoint(tmp_path, toy_model, toy_vocab):
    meta = {"task": "text", "vocab": toy_vocab, "metrics": {}, "command": "test", "data": {}}
    checkpoints.save(toy_model, tmp_path / "toy", meta)
    return tmp_path / "toy.json"
