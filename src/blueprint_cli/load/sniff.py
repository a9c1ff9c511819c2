"""Is a file a blueprint at all? A look at its text for a top-level ``blueprint`` key,
before any parsing.

For files found by walking a directory, and files a pre-commit hook names
(``--only-blueprints``): a repository's other YAML (CI workflows, compose files,
``.pre-commit-config.yaml``) is not ours to lint. The test is on the text, not on the
parsed YAML, so that it is cheap, and so that a blueprint whose YAML is broken is still
recognised and gets its error.

A top-level key of a block mapping starts at column 0, so a line starting with
``blueprint:`` (or ``"blueprint":``, ``'blueprint':``, after a ``---`` on the same
line) is one; a comment (``# blueprint: 1``) or a nested key (``  blueprint:``) is
not. A document written as one flow mapping or JSON object is recognised when
``blueprint`` is its first key. A UTF-16 or UTF-32 file (with a BOM) is looked at as
text too, so that the loader can say how to save it. When in doubt (a file that
cannot be read), a file is taken: the read reports why.

An audit's observation file names its blueprint with a top-level ``blueprint:`` key
too (``blueprint: ../hotel.yaml``); its own top-level ``observation:`` key says what it
is, and it is never taken for a blueprint.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable


def _key_patterns(key: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    quoted = rf"""(?:"{key}"|'{key}')"""
    #: a line that is a top-level key of a block mapping (a plain key's ``:`` is
    #: followed by a space or the line's end; ``blueprint:1`` is a string)
    block = re.compile(
        rf"^\ufeff?(?:---[ \t]+)?(?:{quoted}[ \t]*:|{key}[ \t]*:(?=[ \t\r]|$))", re.MULTILINE
    )
    #: a document that is one flow mapping (or JSON object) whose first key is ``key``
    flow = re.compile(
        rf"\A\ufeff?(?:[ \t]*(?:#[^\n]*)?\r?\n)*(?:---\s+)?[ \t]*\{{\s*(?:{quoted}|{key})\s*:"
    )
    return block, flow


_BLOCK, _FLOW = _key_patterns("blueprint")
_OBS_BLOCK, _OBS_FLOW = _key_patterns("observation")

#: How much of a file is read first: a blueprint names its format near the top.
HEAD = 64 * 1024

_WIDE = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM starts it
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _text(raw: bytes) -> str:
    for bom, encoding in _WIDE:
        if raw.startswith(bom):
            return raw[len(bom) :].decode(encoding, errors="replace")
    return raw.decode("utf-8", errors="replace")


def is_blueprint_text(raw: bytes) -> bool:
    """Does this text (a file's first bytes, or all of them) have a top-level
    ``blueprint`` key, and no top-level ``observation`` key?"""
    text = _text(raw)
    if _BLOCK.search(text) is None and _FLOW.match(text) is None:
        return False
    return not _is_observation(text)


def is_observation_text(raw: bytes) -> bool:
    """Does this text have a top-level ``observation`` key (an audit visit)?"""
    return _is_observation(_text(raw))


def _is_observation(text: str) -> bool:
    if _OBS_BLOCK.search(text) is not None:
        return True
    return _OBS_FLOW.match(text) is not None or _FLOW_OBSERVATION.search(text) is not None


#: a flow mapping whose first key is ``blueprint`` may have ``observation`` after it
_FLOW_OBSERVATION = re.compile(r"\A[^\n]{0,200}?[{,]\s*[\"']?observation[\"']?\s*:")


def is_blueprint_file(path: str, max_bytes: int) -> bool:
    """``is_blueprint_text`` of a file: its first ``HEAD`` bytes, then, when the key is
    not there, the rest up to ``max_bytes``. True when the file cannot be read."""
    return _file_is(path, max_bytes, is_blueprint_text)


def is_observation_file(path: str, max_bytes: int) -> bool:
    """``is_observation_text`` of a file, read as ``is_blueprint_file`` reads it."""
    return _file_is(path, max_bytes, is_observation_text)


def _file_is(path: str, max_bytes: int, test: Callable[[bytes], bool]) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(min(HEAD, max_bytes + 1))
            if test(head):
                return True
            if len(head) < min(HEAD, max_bytes + 1):
                return False  # the whole file was read
            rest = handle.read(max(0, max_bytes + 1 - len(head)))
    except OSError:
        return True
    return test(head + rest)
