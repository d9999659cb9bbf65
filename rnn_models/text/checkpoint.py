"""Text checkpoints: which ones can generate text left to right, and loading one."""

from ..checkpoints import Checkpoint, load
from ..errors import UserInputError
from .vocab import check_vocab


def check_text_checkpoint(ckpt: Checkpoint) -> list[str]:
    """The checkpoint's vocabulary; refuses checkpoints that cannot generate text (wrong shapes, bidirectional)."""
    vocab = check_vocab(ckpt.meta.get("vocab"))
    cfg = ckpt.model.config
    if cfg.input_kind != "embedding" or cfg.input_size != len(vocab) or cfg.output_size != len(vocab):
        raise UserInputError(f"this checkpoint does not fit its vocabulary of {len(vocab)} characters "
                             f"(input {cfg.input_size}, output {cfg.output_size}): it is not a text model")
    if cfg.bidirectional:
        raise UserInputError("a bidirectional model cannot generate text left to right")
    return vocab


def load_text_checkpoint(path=None, device: str = "cpu") -> Checkpoint:
    """A character model from its .json/.safetensors path (default: the Shakespeare LSTM), checked,
    on `device` ("auto": CUDA when available)."""
    from . import DEFAULT_CHECKPOINT

    ckpt = load(path or DEFAULT_CHECKPOINT)  # checked on the CPU first: asking for CUDA costs seconds
    check_text_checkpoint(ckpt)
    if device != "cpu":
        from ..device import resolve_device

        ckpt.model.to(resolve_device(device))
    return ckpt
