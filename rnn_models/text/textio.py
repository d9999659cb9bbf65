"""Bytes from a file or an upload -> text, with clear refusals for binaries and empty files."""

from pathlib import Path

from ..errors import UserInputError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # the page's limit for uploaded training text

_BINARY_MAGIC = {b"\x89PNG": "a PNG image", b"%PDF": "a PDF", b"PK\x03\x04": "a zip archive",
                 b"\xff\xd8\xff": "a JPEG image", b"MThd": "a MIDI file", b"RIFF": "a RIFF/WAV file",
                 b"\x7fELF": "a program", b"GIF8": "a GIF image", b"\x1f\x8b": "a gzip archive"}


def decode_text_bytes(data: bytes, name: str = "the file") -> str:
    """UTF-8 (BOM allowed) or else latin-1; binaries and empty files raise UserInputError."""
    if not data or not data.strip():
        raise UserInputError(f"{name} is empty: there is no text to use")
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise UserInputError(f"{name} looks like {what}, not text; upload a .txt file")
    head = data[:65536]
    if b"\x00" in head:
        raise UserInputError(f"{name} contains NUL bytes: it is a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    sample = text[:65536]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    if control > 0.01 * len(sample):
        raise UserInputError(f"{name} is mostly control characters: it looks binary, not text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise UserInputError(f"{name} holds only whitespace: there is no text to use")
    return text


MAX_INPUT_BYTES = 50 * 1024 * 1024  # refuse larger training/evaluation files from the terminal


def read_text_file(path: str, max_bytes: int = MAX_INPUT_BYTES) -> str:
    """Read a UTF-8 (or latin-1) text file, refusing binaries and oversized files."""
    f = Path(path)
    if not f.is_file():
        raise UserInputError(f"no such file: {path}")
    size = f.stat().st_size
    if size > max_bytes:
        raise UserInputError(f"{f.name} is {size / 2**20:.1f} MB; the limit is {max_bytes // 2**20} MB")
    return decode_text_bytes(f.read_bytes(), f.name)
