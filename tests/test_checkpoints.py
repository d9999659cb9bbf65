import json
import pickle

import pytest
import torch

from rnn_models import checkpoints
from rnn_models.checkpoints import CheckpointError, from_bytes, load, save
from rnn_models.network import ModelConfig, SequenceModel


def _model():
    torch.manual_seed(0)
    return SequenceModel(ModelConfig(cell="lstm", input_size=6, embed_size=4, hidden_size=8, num_layers=2,
                                     output_size=6))


def test_round_trip_rebuilds_from_the_two_files(tmp_path):
    model = _model()
    meta = {"vocab": list("abcdef"), "metrics": {"bpc": 1.5}, "command": "python -m rnn_models train text",
            "data": "toy"}
    w, j = save(model, tmp_path / "m", meta)
    assert w.suffix == ".safetensors" and j.suffix == ".json"
    ckpt = load(j)
    assert ckpt.meta["vocab"] == list("abcdef") and ckpt.model.config == model.config
    x = torch.randint(0, 6, (2, 5))
    model.eval()
    torch.testing.assert_close(ckpt.model(x)[0], model(x)[0])
    assert load(w).meta["metrics"] == {"bpc": 1.5}  # either path works


def test_one_byte_format_for_files_downloads_and_uploads(tmp_path):
    model = _model()
    weights, meta_json = checkpoints.to_bytes(model, {"vocab": list("abcdef")})
    w, j = save(model, tmp_path / "m", {"vocab": list("abcdef")})
    assert (w.read_bytes(), j.read_bytes()) == (weights, meta_json)  # a file is exactly those bytes
    assert weights[8:9] == b"{" and json.loads(meta_json)["format"] == checkpoints.FORMAT
    ckpt = from_bytes(weights, meta_json)
    x = torch.randint(0, 6, (2, 5))
    model.eval()
    torch.testing.assert_close(ckpt.model(x)[0], model(x)[0])
    assert ckpt.meta["vocab"] == list("abcdef") and not ckpt.model.config.transparent


def test_half_precision_storage_is_smaller_and_close(tmp_path):
    model = _model()
    save(model, tmp_path / "full", {})
    w, _ = save(model, tmp_path / "half", {}, half=True)
    assert w.stat().st_size < 0.6 * (tmp_path / "full.safetensors").stat().st_size
    torch.testing.assert_close(load(w).model.head.weight, model.head.weight, atol=1e-3, rtol=1e-3)


class _Payload:
    def __reduce__(self):
        return (exec, ("open('PWNED','w').write('x')",))


def test_pickle_renamed_safetensors_is_refused_and_never_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    save(_model(), tmp_path / "m", {})
    (tmp_path / "m.safetensors").write_bytes(pickle.dumps(_Payload()))
    with pytest.raises(CheckpointError, match="pickle or a torch.save file, not safetensors"):
        load(tmp_path / "m.json")
    assert not (tmp_path / "PWNED").exists()


def test_absurd_header_truncated_file_and_bad_json_are_refused(tmp_path):
    meta = json.dumps({"config": _model().config.to_dict()}).encode()
    with pytest.raises(CheckpointError, match="header claims"):
        from_bytes((10**15).to_bytes(8, "little") + b"{}", meta)
    with pytest.raises(CheckpointError, match="shorter than the 8-byte"):
        from_bytes(b"abc", meta)
    with pytest.raises(CheckpointError, match="not valid UTF-8 JSON"):
        from_bytes(b"", b"\xff\xfe not json")
    with pytest.raises(CheckpointError, match="no 'config' object"):
        from_bytes(b"", b"{}")


def test_mismatched_shapes_are_refused_before_allocation(tmp_path):
    w, _ = save(_model(), tmp_path / "m", {})
    bigger = {**_model().config.to_dict(), "hidden_size": 9}
    with pytest.raises(CheckpointError, match="has shape .* the config needs"):
        from_bytes(w.read_bytes(), json.dumps({"config": bigger}).encode())
    absurd = {**_model().config.to_dict(), "hidden_size": 10**9}  # would need exabytes
    with pytest.raises(CheckpointError, match="hidden_size must be a whole number up to 65536"):
        from_bytes(w.read_bytes(), json.dumps({"config": absurd}).encode())
    other = {**_model().config.to_dict(), "cell": "gru"}
    with pytest.raises(CheckpointError, match="do not match the config"):
        from_bytes(w.read_bytes(), json.dumps({"config": other}).encode())


def test_missing_file_and_size_cap(tmp_path, monkeypatch):
    with pytest.raises(CheckpointError, match="missing checkpoint file"):
        load(tmp_path / "nothing.json")
    w, j = save(_model(), tmp_path / "m", {})
    monkeypatch.setattr(checkpoints, "MAX_WEIGHTS_BYTES", 100)
    with pytest.raises(CheckpointError, match="larger than"):
        load(j)
