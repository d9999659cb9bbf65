import io
import json
import zipfile

import plotly.graph_objects as go
import pytest
import torch

from rnn_models.checkpoints import Checkpoint
from rnn_models.errors import UserInputError
from rnn_models.network import ModelConfig, SequenceModel
from ui.experiment import build, read


def _ckpt():
    torch.manual_seed(0)
    return Checkpoint(SequenceModel(ModelConfig(cell="gru", input_size=5, hidden_size=4, output_size=5)),
                      {"vocab": list("abcde")})


def test_export_then_import_restores_setup_metrics_and_model():
    data = build("text_generation", {"temperature": "0.5", "seed": "7"}, {"bpc": 1.9},
                 {"loss curve": go.Figure(go.Scatter(y=[3, 2, 1]))}, _ckpt())
    names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    assert {"setup.json", "metrics.json", "figures/loss_curve.html", "figures/plotly.min.js",
            "model.safetensors", "model.json"} <= names
    exp = read(data, page="text_generation")
    assert exp.setup == {"temperature": "0.5", "seed": "7"} and exp.metrics == {"bpc": 1.9}
    x = torch.randint(0, 5, (1, 4))
    torch.testing.assert_close(exp.checkpoint.model(x)[0], _ckpt().model.eval()(x)[0])
    assert exp.checkpoint.meta["vocab"] == list("abcde")


def _zip(members: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for k, v in members.items():
            z.writestr(k, v)
    return buf.getvalue()


def test_bad_experiment_files_are_refused_clearly():
    with pytest.raises(UserInputError, match="not an RNN Studio experiment"):
        read(b"hello")
    with pytest.raises(UserInputError, match="damaged or truncated"):
        read(build("p", {}, {})[:30])
    with pytest.raises(UserInputError, match="files RNN Studio did not write"):
        read(_zip({"setup.json": "{}", "evil.py": "x"}))
    with pytest.raises(UserInputError, match="belongs to the other page"):
        read(build("other", {}, {}), page="text_generation")
    payload = _zip({"setup.json": json.dumps({"format": "rnn-studio-experiment/1", "page": "p", "setup": {}}),
                    "model.safetensors": b"\x80\x04pickle", "model.json": "{}"})
    with pytest.raises(ValueError, match="config"):
        read(payload)
