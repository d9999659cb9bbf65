"""Bytes -> text for uploaded tables: byte-order marks, UTF-8, then charset-normalizer's detection."""

from rnn_models.errors import UserInputError

BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8 with BOM"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)
NAMES = {"cp1252": "Windows-1252", "latin_1": "Latin-1", "iso8859_15": "Latin-9", "utf_8": "UTF-8",
         "mac_roman": "Mac Roman", "cp1250": "Windows-1250", "cp850": "DOS Latin-1"}
ENCODINGS = ("auto", "utf-8", "utf-16", "windows-1252", "latin-1")  # what the user may force


def decode(data: bytes, encoding: str = "auto") -> tuple[str, str]:
    """(text without BOM, plain name of the encoding used); UserInputError says how to fix unreadable bytes."""
    if encoding != "auto":
        return _forced(data, encoding)
    for mark, codec, name in BOMS:
        if data.startswith(mark):
            try:
                return data[len(mark):].decode(codec.replace("-sig", "")), name
            except UnicodeDecodeError as exc:
                raise UserInputError(
                    f"The file starts like {name} text but has an unreadable byte at position {exc.start}. "
                    "Save it again as 'CSV UTF-8' in your spreadsheet program and upload it again."
                ) from exc
    _check_text(data)
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:500_000], cp_isolation=["cp1252", "latin_1", "iso8859_15", "mac_roman", "cp850"]).best()
    if best is None:
        raise UserInputError(
            "The file's text encoding could not be recognised (it is not UTF-8, UTF-16 or Windows-1252). "
            "Save it as 'CSV UTF-8' in your spreadsheet program and upload it again."
        )
    codec = "cp1252" if best.encoding == "latin_1" and _cp1252_ok(data) else best.encoding
    return data.decode(codec, errors="replace"), NAMES.get(codec, codec)


def _cp1252_ok(data: bytes) -> bool:
    """Windows-1252 is a superset of Latin-1's printable range; prefer it when it decodes."""
    try:
        data.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def _forced(data: bytes, encoding: str) -> tuple[str, str]:
    codec = {"utf-8": "utf-8-sig", "utf-16": "utf-16", "windows-1252": "cp1252", "latin-1": "latin-1"}.get(encoding)
    if codec is None:
        raise UserInputError(f"Encoding must be one of {', '.join(ENCODINGS)}, not '{encoding}'.")
    try:
        return data.decode(codec), NAMES.get(codec, encoding.upper() if encoding != "windows-1252" else "Windows-1252")
    except UnicodeDecodeError as exc:
        raise UserInputError(
            f"The file is not {encoding} text (unreadable byte at position {exc.start}). "
            "Choose 'auto' or another encoding."
        ) from exc


def _check_text(data: bytes) -> None:
    """Refuse binary files (images, spreadsheets saved as .xlsx, archives) before guessing an encoding."""
    head = data[:8192]
    controls = sum(b < 32 and b not in (9, 10, 13) for b in head)
    if b"\x00" in head or controls > len(head) * 0.01:
        hint = " It looks like an Excel workbook (.xlsx)." if head.startswith(b"PK\x03\x04") else ""
        raise UserInputError(
            f"This file contains binary bytes, so it is not a CSV text file.{hint} "
            "Export your data as CSV (comma- or semicolon-separated text) and upload that."
        )
