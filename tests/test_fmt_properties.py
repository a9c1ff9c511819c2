"""fmt on generated blueprints: dumped in random layouts with random comments, formatted,
the data and the blueprint are the same, every comment is still there, and a second run
changes nothing. And on every blueprint the project ships."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint_cli.fmt import format_bytes
from blueprint_cli.fmt.safety import difference
from blueprint_cli.fmt.tree import parse
from blueprint_cli.load import parse as load
from blueprint_cli.load.sniff import is_blueprint_text
from tests.strategies import blueprints

ROOT = Path(__file__).resolve().parent.parent


def _scalar(value: Any, rng: random.Random) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, int | float):
        return json.dumps(value)
    style = rng.choice(["plain", "single", "double"])
    if style == "double" or (style == "plain" and not _plain_ok(value)):
        return json.dumps(value, ensure_ascii=False)
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    return str(value)


def _plain_ok(value: str) -> bool:
    from blueprint_cli.fmt.emit import plain_safe

    return plain_safe(value)


class _Writer:
    """A blueprint as YAML in a random layout: indentation, flow or block collections,
    quoting, key order, and comments on their own lines and at the ends of lines."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.comments: list[str] = []
        self.lines: list[str] = []

    def comment(self) -> str:
        text = f"# note {len(self.comments)} {self.rng.choice(['x', 'a: b', '- item', '#'])}"
        self.comments.append(text)
        return text

    def maybe_eol(self) -> str:
        return f"  {self.comment()}" if self.rng.random() < 0.2 else ""

    def maybe_above(self, pad: str) -> None:
        if self.rng.random() < 0.15:
            if self.rng.random() < 0.3:
                self.lines.append("")
            self.lines.append(pad + self.comment())

    def flow(self, value: Any) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"{k}: {self.flow(v)}" for k, v in value.items()) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(self.flow(v) for v in value) + "]"
        return json.dumps(value, ensure_ascii=False)

    def mapping(self, data: dict[str, Any], indent: int, step: int) -> None:
        items = list(data.items())
        if self.rng.random() < 0.5:
            self.rng.shuffle(items)
        pad = " " * indent
        for key, value in items:
            self.maybe_above(pad)
            self.value(f"{pad}{key}:", value, indent, step)

    def value(self, head: str, value: Any, indent: int, step: int) -> None:
        if isinstance(value, dict | list) and value:
            if self.rng.random() < 0.2:
                self.lines.append(f"{head} {self.flow(value)}{self.maybe_eol()}")
                return
            self.lines.append(head + self.maybe_eol())
            if isinstance(value, dict):
                self.mapping(value, indent + step, step)
            else:
                self.sequence(value, indent + self.rng.choice([0, step]), step)
            return
        if isinstance(value, dict | list):
            self.lines.append(f"{head} {'{}' if isinstance(value, dict) else '[]'}")
            return
        if isinstance(value, str) and " " in value and _plain_ok(value):
            roll = self.rng.random()
            cont = " " * (indent + step)
            if roll < 0.15:  # plain text over several lines
                first, rest = value.split(" ", 1)
                self.lines.append(f"{head} {first}")
                self.lines.append(f"{cont}{rest}{self.maybe_eol()}")
                return
            if roll < 0.3:  # a block scalar
                self.lines.append(f"{head} |-{self.maybe_eol()}")
                self.lines.append(f"{cont}{value}")
                return
        self.lines.append(f"{head} {_scalar(value, self.rng)}{self.maybe_eol()}")

    def sequence(self, data: list[Any], indent: int, step: int) -> None:
        pad = " " * indent
        for item in data:
            self.maybe_above(pad)
            if isinstance(item, dict) and item:
                mark = len(self.lines)
                self.mapping(item, indent + 2, step)
                first = next(
                    i
                    for i in range(mark, len(self.lines))
                    if self.lines[i].strip() and not self.lines[i].lstrip().startswith("#")
                )
                if first == mark:
                    self.lines[mark] = pad + "- " + self.lines[mark][indent + 2 :]
                else:
                    self.lines.insert(mark, pad + "-")
            else:
                self.value(f"{pad}-", item, indent, step)
        if self.rng.random() < 0.1:
            self.lines.append(pad + self.comment())


def _dump(data: dict[str, Any], seed: int) -> tuple[str, list[str]]:
    writer = _Writer(random.Random(seed))
    if writer.rng.random() < 0.5:
        writer.lines.append(writer.comment())
        writer.lines.append("")
    writer.mapping(data, 0, writer.rng.choice([2, 3, 4]))
    if writer.rng.random() < 0.3:
        writer.lines.append(writer.comment())
    return "\n".join(writer.lines) + "\n", writer.comments


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blueprints(), st.integers(0, 2**32))
def test_generated_blueprints_keep_their_data_and_comments(data: dict[str, Any], seed: int) -> None:
    text, comments = _dump(data, seed)
    before = load(text)
    assert not before.problems or all(p.code != "BP002" for p in before.problems)
    out = format_bytes(text.encode()).decode()
    assert difference(before.data, load(out).data) is None
    kept = [c.text for c in parse(out).comments]
    assert sorted(kept) == sorted(comments)
    for comment in comments:
        assert comment in out
    assert format_bytes(out.encode()).decode() == out


SHIPPED = sorted(
    p
    for folder in ("examples", "tests/published")
    for p in (ROOT / folder).rglob("*.y*ml")
    if is_blueprint_text(p.read_bytes())
)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_blueprints_format_safely_and_stay_formatted(path: Path) -> None:
    raw = path.read_bytes()
    once = format_bytes(raw)  # raises when a proof fails
    assert format_bytes(once) == once
    assert sorted(c.text for c in parse(raw.decode()).comments) == sorted(
        c.text for c in parse(once.decode()).comments
    )


CANONICAL = sorted(
    [
        *(p for p in (ROOT / "examples").rglob("*.y*ml") if is_blueprint_text(p.read_bytes())),
        *(ROOT / "src" / "blueprint_cli" / "starters").glob("*.yaml"),
        *(ROOT / "tests" / "golden" / "sheets").glob("*.yaml"),  # what import writes
    ]
)


@pytest.mark.parametrize("path", CANONICAL, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_examples_and_the_starters_are_in_the_canonical_layout(path: Path) -> None:
    """`blueprint fmt --check examples/` passes, and `blueprint init` and `blueprint
    import` write files that `fmt` leaves as they are."""
    raw = path.read_bytes()
    assert format_bytes(raw) == raw
