"""Uploads -> bytes or text after checks by content; errors become one clear st.error."""

import streamlit as st

from rnn_models.checkpoints import CheckpointError
from rnn_models.errors import UserInputError

MB = 1024 * 1024


def read_upload(uploaded, *, max_bytes: int, what: str = "file") -> bytes:
    """The uploaded file's bytes, refusing empty or oversized ones."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise UserInputError(f"the {what} is {size / MB:.1f} MB; the limit is {max_bytes / MB:.0f} MB. "
                             "Upload a smaller file.")
    data = uploaded.getvalue()
    if len(data) > max_bytes:
        raise UserInputError(f"the {what} is {len(data) / MB:.1f} MB; the limit is "
                             f"{max_bytes / MB:.0f} MB. Upload a smaller file.")
    if not data:
        raise UserInputError(f"the {what} is empty. Upload a file with something in it.")
    return data


def checkpoint_pair(files, *, max_weights: int, max_json: int = 2 * MB) -> tuple[bytes, bytes]:
    """(weights, json) of an uploaded checkpoint, told apart by content, not by file name.

    The JSON starts with '{'; the other file goes to the checkpoint loader, which checks it is
    safetensors (never unpickled) before interpreting any of it.
    """
    files = list(files or [])
    if len(files) != 2:
        raise UserInputError(f"choose two files together (you chose {len(files)}): the .safetensors weights "
                             "and the .json saved beside them")
    datas = [(f.name, read_upload(f, max_bytes=max_weights, what=f"file {f.name}")) for f in files]
    is_json = [data.lstrip()[:1] == b"{" for _, data in datas]
    if sum(is_json) != 1:
        raise UserInputError("one file must be the .safetensors weights and the other the .json saved beside "
                             "them (as downloaded from this page); " +
                             ("both look like JSON." if all(is_json) else "neither is the JSON."))
    (json_name, config), (_, weights) = datas if is_json[0] else datas[::-1]
    if len(config) > max_json:
        raise UserInputError(f"{json_name} is {len(config) / MB:.1f} MB; a checkpoint's JSON is far smaller")
    return weights, config  # the weights are checked by content when loaded (pickles are refused)


def looks_binary(data: bytes) -> bool:
    """True for bytes that are clearly not text (NULs or many control characters)."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    ctrl = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return ctrl > len(head) * 0.05


def decode_text(data: bytes, *, what: str = "text file") -> str:
    """UTF-8 (with or without BOM), else latin-1; binary content is refused."""
    if looks_binary(data):
        raise UserInputError(f"the {what} looks binary, not text. Upload a plain-text (.txt) file "
                             "saved as UTF-8 or latin-1.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def show_error(exc: Exception, *, what: str = "That input") -> None:
    """A clear message for bad input; anything else is logged on the server, shown briefly."""
    if isinstance(exc, (UserInputError, CheckpointError)):
        st.error(f"{what} could not be used: {exc}", icon="⚠️")
    else:
        import logging

        logging.getLogger("rnn_studio").exception("unexpected error")
        st.error(f"{what} could not be used ({type(exc).__name__}). Check the file and try again.",
                 icon="⚠️")


def example_files(names: list[str], key: str,
                  label: str = "No file at hand? Download an example and upload it:") -> None:
    """Download buttons for example files shipped in assets/examples (a web user cannot reach server folders)."""
    from ui.cache import ROOT

    paths = [ROOT / "assets" / "examples" / n for n in names]
    paths = [p for p in paths if p.is_file()]
    if not paths:
        return
    st.caption(label)
    for col, p in zip(st.columns(len(paths)), paths):
        col.download_button(p.name, p.read_bytes(), p.name, key=f"{key}_{p.stem}", icon=":material/download:",
                            on_click="ignore")
