"""Export an experiment as a zip (set-up, metrics, figures, trained model) and import it back.

Imports are checked by content: a real zip, known member names only, bounded sizes, and a
model only as safetensors + JSON (never unpickled).
"""

import io
import json
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from rnn_models.checkpoints import Checkpoint, from_bytes, to_bytes
from rnn_models.errors import UserInputError

MAX_ZIP_BYTES = 25 * 1024 * 1024
MAX_MEMBERS = 64
MAX_UNPACKED = 80 * 1024 * 1024
FORMAT = "rnn-studio-experiment/1"


@dataclass
class Experiment:
    page: str  # page file stem the experiment belongs to
    setup: dict[str, str]  # the page's query parameters
    metrics: dict[str, Any]
    checkpoint: Checkpoint | None = None


def build(page: str, setup: dict[str, str], metrics: dict[str, Any], figures: dict[str, Any] | None = None,
          checkpoint: Checkpoint | None = None) -> bytes:
    """The zip's bytes: setup.json, metrics.json, figures/NAME.html (+ plotly.min.js), model.*."""
    from plotly.offline import get_plotlyjs

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("setup.json", json.dumps({"format": FORMAT, "page": page, "setup": setup}, indent=1))
        z.writestr("metrics.json", json.dumps(metrics, indent=1, default=str))
        if figures:
            z.writestr("figures/plotly.min.js", get_plotlyjs())
            for name, fig in figures.items():
                z.writestr(f"figures/{_safe(name)}.html", fig.to_html(include_plotlyjs="directory"))
        if checkpoint is not None:
            weights, meta = to_bytes(checkpoint.model, checkpoint.meta)
            z.writestr("model.safetensors", weights)
            z.writestr("model.json", meta)
    return buf.getvalue()


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)[:60] or "figure"


def read(data: bytes, *, page: str | None = None) -> Experiment:
    """Parse an exported zip; raises UserInputError saying what is wrong."""
    if len(data) > MAX_ZIP_BYTES:
        raise UserInputError(f"the experiment file is larger than {MAX_ZIP_BYTES // 2**20} MB")
    if data[:4] != b"PK\x03\x04":
        raise UserInputError("this is not an RNN Studio experiment (.zip) file")
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except zipfile.BadZipFile:
        raise UserInputError("the experiment .zip is damaged or truncated") from None
    if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise UserInputError("the experiment .zip holds too many or too large files")
    names = {i.filename for i in infos}
    allowed = {"setup.json", "metrics.json", "model.safetensors", "model.json"}
    if any(n not in allowed and not (n.startswith("figures/") and ".." not in n) for n in names):
        raise UserInputError("the experiment .zip holds files RNN Studio did not write")
    if "setup.json" not in names:
        raise UserInputError("the experiment .zip has no setup.json")
    try:
        head = json.loads(z.read("setup.json"))
        metrics = json.loads(z.read("metrics.json")) if "metrics.json" in names else {}
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise UserInputError("the experiment's setup.json or metrics.json is not valid JSON") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        raise UserInputError("the experiment .zip is damaged (a file in it fails its checksum)") from None
    if not isinstance(head, dict) or head.get("format") != FORMAT or not isinstance(head.get("setup"), dict):
        raise UserInputError("setup.json is not an RNN Studio experiment set-up")
    if page is not None and head.get("page") != page:
        raise UserInputError(f"this experiment belongs to the {head.get('page')} page, not this one")
    setup = {str(k): str(v) for k, v in head["setup"].items()}
    ckpt = None
    if "model.safetensors" in names or "model.json" in names:
        if not {"model.safetensors", "model.json"} <= names:
            raise UserInputError("the experiment's model needs both model.safetensors and model.json")
        try:
            weights, meta = z.read("model.safetensors"), z.read("model.json")
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
            raise UserInputError("the experiment .zip is damaged (a file in it fails its checksum)") from None
        ckpt = from_bytes(weights, meta)
    return Experiment(str(head.get("page")), setup, metrics if isinstance(metrics, dict) else {}, ckpt)
