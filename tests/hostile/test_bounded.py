"""Hostile input, round two: every cost bounded. Aliases are bounded in text as well as
in nodes, messages never repeat a long value, limits have sane maxima, reads are
bounded, and durations are finite."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from blueprint_cli.cli import app
from blueprint_cli.pipeline.check import lint_bytes

runner = CliRunner()
BIG = "x" * 1_000_000


def test_a_large_scalar_aliased_many_times_is_stopped_at_once() -> None:
    text = (
        "blueprint: 1\nsteps:\n  - title: &a "
        + BIG
        + "\n    customer: [Pay]\n"
        + "".join("  - {title: *a, customer: [{text: B, duration: *a}]}\n" for _ in range(3000))
    )
    findings = lint_bytes("x", text.encode())
    assert [f.code for f in findings] == ["BP001"]
    assert "aliases expand to more than 5 MiB of text" in findings[0].message
    assert findings[0].line == 7  # the sixth alias of 1 MB crosses 5 MiB


def test_a_few_aliases_of_long_text_are_fine() -> None:
    text = "blueprint: 1\nsteps:\n  - title: &a " + "y" * 1000 + "\n    customer: [Pay]\n"
    text += "".join("  - {title: *a, customer: [Pay]}\n" for _ in range(10))
    assert "BP001" not in {f.code for f in lint_bytes("x", text.encode())}


@pytest.mark.parametrize(
    "text",
    [
        "blueprint: 1\nsteps:\n  - {title: A, customer: [{text: B, duration: '" + BIG + "'}]}\n",
        "blueprint: 1\nsteps:\n  - {title: A, customer: [B]}\nflows: ['" + BIG + "']\n",
        "# blueprint: ignore-file[" + "z" * 100_000 + "]\nblueprint: 1\nsteps: [{title: A}]\n",
    ],
)
def test_messages_never_repeat_a_long_value(text: str) -> None:
    findings = lint_bytes("x", text.encode())
    assert findings
    assert all(len(f.message) < 1000 for f in findings), [len(f.message) for f in findings]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("99999999999999999999d", "longer than ten years"),
        ("P" + "9" * 302 + "W", "longer than ten years"),
    ],
)
def test_durations_are_finite_and_sane(value: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(
        f"blueprint: 1\nsteps:\n  - {{title: A, customer: [{{text: B, duration: '{value}'}}]}}\n"
    )
    findings = lint_bytes("x", path.read_bytes())
    assert any(message in f.message for f in findings)
    result = runner.invoke(app, ["show", str(path), "--format", "json"])
    assert "Infinity" not in result.stdout and "NaN" not in result.stdout


def test_check_does_not_read_an_endless_picture(tmp_path: Path) -> None:
    from tests.conftest import EXAMPLES

    hotel = tmp_path / "hotel.yaml"
    hotel.write_bytes((EXAMPLES / "hotel.yaml").read_bytes())
    (tmp_path / "hotel.dot").symlink_to("/dev/zero")
    result = runner.invoke(app, ["render", str(hotel), "--check", "--format", "dot"])
    assert result.exit_code == 1 and "out of date" in result.stderr


def test_reads_are_made_in_pieces() -> None:
    import io

    from blueprint_cli.load import read_limited

    class Endless(io.RawIOBase):
        asked: ClassVar[list[int]] = []

        def read(self, n: int = -1) -> bytes:
            self.asked.append(n)
            return b"x" * n

    stream = Endless()
    data = read_limited(stream, 3 * 1024 * 1024)
    assert len(data) == 3 * 1024 * 1024 + 1  # one byte past the limit: the loader says so
    assert max(stream.asked) <= 1024 * 1024  # in pieces: never one buffer of the limit


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("max-file-size-mb = 30000\n", "'max-file-size-mb' can be at most 1,024"),
        ("max-depth = 99999999999999999\n", "'max-depth' can be at most 1,000"),
        ("max-alias-nodes = 100000000000\n", "can be at most 10,000,000"),
    ],
)
def test_limits_have_sane_maxima(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "blueprint.toml").write_text(toml)
    (tmp_path / "a.yaml").write_text("blueprint: 1\n")
    result = runner.invoke(app, ["lint", str(tmp_path / "a.yaml")])
    assert result.exit_code == 2 and message in result.stderr


def test_a_huge_configuration_file_is_not_read_whole(tmp_path: Path) -> None:
    with open(tmp_path / "blueprint.toml", "wb") as handle:
        handle.truncate(2 * 1024**3)  # 2 GB, sparse: nothing is written to disk
    (tmp_path / "a.yaml").write_text("blueprint: 1\n")
    result = runner.invoke(app, ["lint", str(tmp_path / "a.yaml")])
    assert result.exit_code == 2 and "over 1 MiB: not a configuration file" in result.stderr


@pytest.mark.parametrize(
    "comment",
    ["ignore [BP101]", "ignore[BP101", "ignore[]", "ignore-file [BP101]"],
)
def test_a_malformed_suppression_suppresses_nothing(comment: str) -> None:
    text = f"blueprint: 1\nsteps:\n  - title: A  # blueprint: {comment}\n    customer: [B]\n"
    findings = lint_bytes("x", text.encode())
    assert "BP101" in {f.code for f in findings}  # not silenced
    assert any(f.code == "BP008" and "suppresses nothing" in f.message for f in findings)


def test_utf32_is_named_as_such() -> None:
    text = "blueprint: 1\n".encode("utf-32")
    [finding] = lint_bytes("x", text)
    assert "UTF-32" in finding.message


def test_no_steps_is_not_called_a_filter(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("blueprint: 1\ntitle: Nothing yet\n")
    result = runner.invoke(app, ["render", str(path), "--format", "dot", "-o", "-"])
    assert "the blueprint has no steps" in result.stderr
    assert "--phase" not in result.stderr
