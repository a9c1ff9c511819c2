"""Bytes -> text: UTF-8 with or without a BOM; anything else is a LoadError with a position."""

from __future__ import annotations

from typing import Any

from blueprint_cli.load.errors import MAX_FILE_BYTES, LoadError
from blueprint_cli.positions import Span


def decode(raw: bytes) -> str:
    """UTF-8 (with or without a BOM) -> text; anything else is a LoadError with a position."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise LoadError("file is UTF-32 encoded: save it as UTF-8", Span(1, 1))
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError("file is UTF-16 encoded: save it as UTF-8", Span(1, 1))
    nul = raw.find(b"\x00", 0, 8192)
    if nul >= 0:
        raise LoadError("binary file (NUL byte), not YAML text", _byte_span(raw, nul))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1].hex()
        raise LoadError(
            f"invalid UTF-8 (byte 0x{bad}): save the file as UTF-8", _byte_span(raw, exc.start)
        ) from None


def _byte_span(raw: bytes, offset: int) -> Span:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    col = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return Span(raw.count(b"\n", 0, offset) + 1, col)


#: Reads are made in pieces of this size: a high limit is not allocated up front.
CHUNK = 1024 * 1024


def read_limited(stream: Any, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """Read at most one byte past the limit, in pieces, so that a huge or endless input
    (``/dev/zero``) is never all in memory, and a high limit costs nothing until used."""
    parts: list[bytes] = []
    left = max_bytes + 1
    while left > 0:
        part: bytes = stream.read(min(CHUNK, left))
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)
