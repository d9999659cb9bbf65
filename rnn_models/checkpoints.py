"""Checkpoints: safetensors weights + a JSON file (config, vocabulary, metrics, command, data).

load() rebuilds the model from those two files alone. Nothing is ever unpickled. to_bytes/from_bytes
are the one byte format behind every file, download, upload and experiment zip.
"""

import importlib
import json
import struct
from dataclasses import dataclass, replace
from pathlib import Path

import torch
from safetensors.torch import load as st_load
from safetensors.torch import save as st_save

from .device import resolve_device, shapes_only
from .network import ModelConfig, SequenceModel

MAX_WEIGHTS_BYTES = 64 * 1024 * 1024  # a checkpoint larger than this is refused
MAX_META_BYTES = 2 * 1024 * 1024
MAX_HEADER_BYTES = 1024 * 1024  # safetensors JSON header
ALLOWED_DTYPES = {"F16", "BF16", "F32", "F64"}
MAX_DIM = 65536  # no layer of a checkpoint we accept is wider than this
FORMAT = "rnn-studio-checkpoint/1"
# "kind" in the JSON -> (module, config class, model class); no "kind" means a SequenceModel
MODEL_KINDS = {"sequence": ("rnn_models.network", "ModelConfig", "SequenceModel"),
               "seq2seq": ("rnn_models.translate.model", "Seq2SeqConfig", "Seq2Seq")}


class CheckpointError(ValueError):
    """A checkpoint that cannot be used; the message says why."""


def model_classes(kind: str) -> tuple[type, type]:
    """(config class, model class) for a checkpoint kind, imported on first use."""
    if kind not in MODEL_KINDS:
        raise CheckpointError(f"unknown checkpoint kind {kind!r}; valid: {', '.join(MODEL_KINDS)}")
    module, config_cls, model_cls = MODEL_KINDS[kind]
    mod = importlib.import_module(module)
    return getattr(mod, config_cls), getattr(mod, model_cls)


def _kind_of(model) -> str:
    return next((k for k, (m, _, cls) in MODEL_KINDS.items()
                 if type(model).__name__ == cls and type(model).__module__ == m), "sequence")


@dataclass
class Checkpoint:
    model: SequenceModel  # or another kind's model (see MODEL_KINDS)
    meta: dict  # the JSON beside the weights: config, vocab, metrics, command, data, ...


def _stem(path: str | Path) -> Path:
    p = Path(path)
    return p.with_suffix("") if p.suffix in (".json", ".safetensors") else p


def save(model: SequenceModel, path_stem: str | Path, meta: dict | None = None, *,
         half: bool = False) -> tuple[Path, Path]:
    """Write <stem>.safetensors and <stem>.json; half=True stores weights as fp16.

    Under torch.distributed only rank 0 writes (the others return the same paths).
    """
    stem = _stem(path_stem)
    if torch.distributed.is_available() and torch.distributed.is_initialized() \
            and torch.distributed.get_rank() != 0:
        return stem.with_suffix(".safetensors"), stem.with_suffix(".json")
    stem.parent.mkdir(parents=True, exist_ok=True)
    weights_bytes, json_bytes = to_bytes(model, meta, half=half)
    weights, js = stem.with_suffix(".safetensors"), stem.with_suffix(".json")
    weights.write_bytes(weights_bytes)
    js.write_bytes(json_bytes)
    return weights, js


def to_bytes(model: SequenceModel, meta: dict | None = None, *, half: bool = False) -> tuple[bytes, bytes]:
    """(safetensors weights, UTF-8 JSON holding meta plus the config that rebuilds the model)."""
    tensors = {k: (v.half() if half and v.is_floating_point() else v).detach().cpu().contiguous()
               for k, v in model.state_dict().items()}
    doc = dict(meta or {})
    doc["config"] = replace(model.config, transparent=False).to_dict()
    if _kind_of(model) != "sequence":
        doc["kind"] = _kind_of(model)
    doc["format"] = FORMAT
    return st_save(tensors), json.dumps(doc, indent=1, ensure_ascii=False).encode("utf-8")


def load(path: str | Path, *, transparent: bool = False, device: str | torch.device = "cpu") -> Checkpoint:
    """Load <stem>.json + <stem>.safetensors (either path may be given) onto `device`
    ("cpu", "cuda", "cuda:1", or "auto": rnn_models.device.default_device())."""
    stem = _stem(path)
    weights, js = stem.with_suffix(".safetensors"), stem.with_suffix(".json")
    for f in (weights, js):
        if not f.is_file():
            raise CheckpointError(f"missing checkpoint file {f.name}: a checkpoint is a .safetensors "
                                  "file and a .json file with the same name")
    if weights.stat().st_size > MAX_WEIGHTS_BYTES:
        raise CheckpointError(f"{weights.name} is larger than {MAX_WEIGHTS_BYTES // 2**20} MB")
    return from_bytes(weights.read_bytes(), js.read_bytes(), transparent=transparent, device=device)


def check_safetensors(data: bytes) -> dict:
    """Validate the safetensors container by content; returns its parsed header."""
    looks_safetensors = data[8:9] == b"{"  # a header length whose low byte is 0x80 is not a pickle
    if not looks_safetensors and (data[:1] == b"\x80" or data[:2] == b"PK"):
        raise CheckpointError("this is a pickle or a torch.save file, not safetensors; only "
                              ".safetensors weights are accepted (re-save with safetensors)")
    if len(data) < 8:
        raise CheckpointError("not a safetensors file: it is shorter than the 8-byte header length")
    if len(data) > MAX_WEIGHTS_BYTES:
        raise CheckpointError(f"weights are larger than {MAX_WEIGHTS_BYTES // 2**20} MB")
    (n,) = struct.unpack("<Q", data[:8])
    if n > MAX_HEADER_BYTES or n > len(data) - 8:
        raise CheckpointError(f"not a valid safetensors file: header claims {n} bytes")
    try:
        header = json.loads(data[8:8 + n].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise CheckpointError("not a valid safetensors file: its header is not JSON") from None
    if not isinstance(header, dict):
        raise CheckpointError("not a valid safetensors file: its header is not a JSON object")
    body = len(data) - 8 - n
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if not isinstance(info, dict) or info.get("dtype") not in ALLOWED_DTYPES:
            raise CheckpointError(f"tensor {name!r}: only float tensors are accepted")
        off = info.get("data_offsets")
        if not (isinstance(off, list) and len(off) == 2 and 0 <= off[0] <= off[1] <= body):
            raise CheckpointError(f"tensor {name!r}: data offsets point outside the file")
    return header


def parse_meta(meta_json: bytes) -> tuple[dict, ModelConfig]:  # or another kind's config
    """Parse the JSON side of a checkpoint and its model config."""
    if len(meta_json) > MAX_META_BYTES:
        raise CheckpointError(f"the .json file is larger than {MAX_META_BYTES // 2**20} MB")
    try:
        meta = json.loads(meta_json.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise CheckpointError("the checkpoint's .json file is not valid UTF-8 JSON") from None
    except RecursionError:
        raise CheckpointError("the checkpoint's .json file is nested too deeply") from None
    if not isinstance(meta, dict) or not isinstance(meta.get("config"), dict):
        raise CheckpointError("the checkpoint's .json file has no 'config' object")
    config_cls, _ = model_classes(meta.get("kind", "sequence") if isinstance(meta.get("kind", ""), str) else "?")
    try:
        config = config_cls.from_dict(meta["config"])
    except (TypeError, ValueError) as e:
        raise CheckpointError(f"bad model config in the .json file: {e}") from None
    for name in ("input_size", "embed_size", "hidden_size", "output_size", "num_layers", "src_vocab",
                 "tgt_vocab", "attn_size", "combine_size"):
        if not hasattr(config, name):
            continue
        if not isinstance(getattr(config, name), int) or getattr(config, name) > MAX_DIM:
            raise CheckpointError(f"bad model config in the .json file: {name} must be a whole number "
                                  f"up to {MAX_DIM}")
    return meta, config


def warm_up() -> None:
    """Pay torch's one-off costs (its import, the first model built: about a second) now, e.g. in a
    server's background thread, instead of in the first student's page load."""
    config = ModelConfig(cell="lstm", input_size=4, hidden_size=4, output_size=4)
    with shapes_only():
        SequenceModel(config).state_dict()
    SequenceModel(config)
    from .stepper import compile_steps

    compile_steps()  # generation's TorchScript step, ~0.1 s


def from_bytes(weights: bytes, meta_json: bytes, *, transparent: bool = False,
               device: str | torch.device = "cpu") -> Checkpoint:
    """Rebuild a checkpoint from uploaded bytes onto `device` (as in load); shapes are checked before
    anything is allocated."""
    meta, config = parse_meta(meta_json)
    _, model_cls = model_classes(meta.get("kind", "sequence"))
    header = check_safetensors(weights)
    with shapes_only():  # no memory, no initialisers: a hostile config cannot allocate
        expected = {k: tuple(v.shape) for k, v in model_cls(config).state_dict().items()}
    got = {k: tuple(v.get("shape", ())) for k, v in header.items() if k != "__metadata__"}
    missing, extra = sorted(set(expected) - set(got)), sorted(set(got) - set(expected))
    if missing or extra:
        raise CheckpointError("weights do not match the config: "
                              + (f"missing {', '.join(missing[:4])} " if missing else "")
                              + (f"unexpected {', '.join(extra[:4])}" if extra else "")).strip()
    for k, shape in expected.items():
        if got[k] != shape:
            raise CheckpointError(f"weights do not match the config: {k} has shape {list(got[k])}, "
                                  f"the config needs {list(shape)}")
    try:
        tensors = st_load(weights)
    except Exception as e:  # safetensors raises its own error types
        raise CheckpointError(f"could not read the safetensors weights: {e}") from None
    model = model_cls(replace(config, transparent=transparent))
    model.load_state_dict({k: v.float() for k, v in tensors.items()})
    model.to(resolve_device(device))
    model.eval()
    return Checkpoint(model, meta)
