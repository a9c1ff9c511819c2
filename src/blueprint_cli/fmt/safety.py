"""Format one file, and prove the result safe before it is handed on.

The proofs, for every file: the new text loads; its data equals the old data (every
value, key and list item the same, and of the same type: ``"010"`` stays text, ``1.10``
stays the number written so); a duration may be spelled another way, so durations are
compared by their seconds, and the blueprints the two texts validate to are compared
too; every comment is still there; formatting the new text again gives it back
unchanged. A text that fails one is refused (``Refused``): a bug of the formatter's,
never a reason to write.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from blueprint_cli import codes
from blueprint_cli.fmt import schema
from blueprint_cli.fmt.emit import emit
from blueprint_cli.fmt.schema import Kind
from blueprint_cli.fmt.tree import Document, Unformattable, parse
from blueprint_cli.load import DEFAULT_LIMITS, Limits, LoadError, decode
from blueprint_cli.load import parse as load
from blueprint_cli.positions import Path, Span

BOM = b"\xef\xbb\xbf"


class Refused(Exception):
    """The formatted text failed a proof: the file is left as it is."""


def format_text(text: str) -> str:
    """Text that loads as one YAML mapping -> the canonical text (LF line ends), not
    proven; ``format_bytes`` proves it. Raises Unformattable."""
    return emit(parse(text))


def _loaded(text: str, limits: Limits) -> Any:
    try:
        loaded = load(text, limits)
    except LoadError as exc:
        raise Unformattable(exc.message, exc.span) from None
    for problem in loaded.problems:
        if problem.code == codes.DUPLICATE_KEY:
            raise Unformattable(f"not formatted: {problem.message}", problem.span)
    return loaded


def format_bytes(raw: bytes, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """A file's bytes -> its formatted bytes (the same bytes when it is formatted),
    its BOM and line ends kept. Raises Unformattable (the file cannot be formatted as it
    is) or Refused (the result failed a proof)."""
    if len(raw) > limits.max_bytes:
        raise Unformattable(
            f"file is {len(raw) / 1e6:.1f} MB, over the limit for a blueprint", Span(1, 1)
        )
    try:
        text = decode(raw)
    except LoadError as exc:
        raise Unformattable(exc.message, exc.span) from None
    before = _loaded(text, limits)
    data = before.data
    if isinstance(data, dict) and "observation" in data:
        raise Unformattable("not a blueprint: an audit's observation file", Span(1, 1))
    if not isinstance(data, dict) or "blueprint" not in data:
        raise Unformattable("not a blueprint (no top-level 'blueprint:' key)", Span(1, 1))
    doc = parse(text)
    new = emit(doc)
    _prove(doc, new, before, limits)
    if doc.crlf:
        new = new.replace("\n", "\r\n")
    out = new.encode("utf-8")
    return BOM + out if raw.startswith(BOM) else out


def _prove(old: Document, new: str, before: Any, limits: Limits) -> None:
    try:
        after = load(new, limits)
    except LoadError as exc:
        raise Refused(f"the result does not load ({exc.span}: {exc.message})") from None
    where = difference(before.data, after.data)
    if where is not None:
        shown = ".".join(str(p) for p in where) or "the top"
        raise Refused(f"the data would change at {shown}")
    formatted = parse(new)  # read once: for its comments, and to be formatted again
    if _comments(old) != _comments(formatted):
        raise Refused("a comment would be lost or changed")
    if _model(before) != _model(after):
        raise Refused("the blueprint it validates to would change")
    if emit(formatted) != new:
        raise Refused("formatting the result again changes it")


def _comments(doc: Document) -> Counter[str]:
    return Counter(c.text for c in doc.comments)


def _model(loaded: Any) -> Any:
    from blueprint_cli.model.validation import validate

    checked = validate(loaded)
    if checked.blueprint is None:
        return None
    return checked.blueprint.model_dump(mode="json", by_alias=True)


def _same_scalar(a: Any, b: Any, kind: Kind) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, str) and a != b and schema.is_duration_text(kind, a):
        return schema.is_duration_text(kind, b) and schema.seconds(a) == schema.seconds(b)
    if isinstance(a, int | float) and not isinstance(a, bool):
        return str(a) == str(b)  # the number as written: 1.10 is not 1.1 where text is meant
    return bool(a == b)


def difference(a: Any, b: Any, kind: Kind | None = None, path: Path = ()) -> Path | None:
    """The path of the first place where two loaded documents differ, or None when they
    are the same data (durations compared by what they mean)."""
    kind = kind if kind is not None else Kind(node=schema.ROOT)
    stack = [(a, b, kind, path)]
    while stack:
        x, y, k, at = stack.pop()
        if isinstance(x, dict):
            if not isinstance(y, dict) or list(map(type, x)) != list(map(type, y)):
                return at
            if set(x) != set(y):
                return at
            for key in x:
                stack.append((x[key], y[key], schema.child(k, key), (*at, key)))
        elif isinstance(x, list):
            if not isinstance(y, list) or len(x) != len(y):
                return at
            item = schema.child(k, None)
            for i, (u, v) in enumerate(zip(x, y, strict=True)):
                stack.append((u, v, item, (*at, i)))
        elif not _same_scalar(x, y, k):
            return at
    return None
