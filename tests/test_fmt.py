"""blueprint fmt: the canonical layout rule by rule, comments in every position, the
refusals, and the command's files, exit codes and writes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blueprint_cli.cli import app
from blueprint_cli.fmt import Refused, Unformattable, format_bytes, safety

GOLDEN = Path(__file__).parent / "golden" / "fmt"


def fmt(text: str) -> str:
    return format_bytes(text.encode()).decode()


def test_keys_in_the_models_order_unknown_keys_after() -> None:
    out = fmt("steps: []\nzzz: 1\ntitle: T\nblueprint: 1\naaa: 2\n")
    assert out == "blueprint: 1\ntitle: T\nsteps: []\nzzz: 1\naaa: 2\n"


def test_two_spaces_and_lists_indented_under_their_key() -> None:
    out = fmt("blueprint: 1\nsteps:\n- title: A\n  customer:\n      - Arrive at the desk\n")
    assert out == "blueprint: 1\nsteps:\n  - title: A\n    customer:\n      - Arrive at the desk\n"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("segments:\n      - business\n      - leisure", "segments: [business, leisure]"),
        ("customer: [Arrive at the desk]", "customer: [Arrive at the desk]"),
        ("customer:\n      - Arrive at the desk", "customer:\n      - Arrive at the desk"),
        ("segments: [" + ", ".join(["segment-" + "x" * 6] * 8) + "]", None),
    ],
)
def test_flow_lists_when_short_and_they_fit(written: str, expected: str | None) -> None:
    out = fmt(f"blueprint: 1\nsteps:\n  - title: A\n    {written}\n")
    body = out.split("title: A\n    ", 1)[1].rstrip("\n")
    if expected is None:  # past 100 columns: one item a line
        assert body.startswith("segments:\n      - segment-")
    else:
        assert body == expected


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("no", '"no"'),
        ("yes", '"yes"'),
        ("on", '"on"'),
        ("010", '"010"'),
        ("1:30", '"1:30"'),
        ("1_000", '"1_000"'),
        ("2024-01-31", '"2024-01-31"'),
        ('"="', '"="'),  # YAML 1.1's value key: PyYAML's safe loader refuses it plain
        ('"y"', '"y"'),  # the spec's YAML 1.1 booleans (Go's yaml.v2 reads them so)
        ('"N"', '"N"'),
        ("'plain text'", "plain text"),
        ("'it''s'", "it's"),
        ("'010'", '"010"'),
        ("'a: b'", '"a: b"'),
        ("'#x'", '"#x"'),
        ('"tab\\there"', '"tab\\there"'),
        ("1.10", "1.10"),
        ("True", "true"),
        ("~", "null"),
    ],
)
def test_quoting_only_where_needed_and_yaml11_traps_quoted(written: str, shown: str) -> None:
    out = fmt(f"blueprint: 1\ntitle: {written}\n")
    assert out == f"blueprint: 1\ntitle: {shown}\n"


@pytest.mark.parametrize(
    ("written", "shown"),
    [("90s", "1m30s"), ("PT5M", "5m"), ("1h 30m", "1h30m"), ("3600s", "1h"), ("1.5s", "1.5s")],
)
def test_durations_one_spelling_where_the_format_has_durations(written: str, shown: str) -> None:
    text = f"blueprint: 1\nstandards:\n  max_wait: {written}\nsteps:\n  - title: A\n"
    text += f"    customer:\n      - text: Wait\n        wait: {written}\n"
    out = fmt(text)
    assert f"max_wait: {shown}\n" in out
    assert f"wait: {shown}\n" in out


def test_durations_are_text_elsewhere() -> None:
    out = fmt("blueprint: 1\ntitle: 90s\nsteps:\n  - title: A\n    note: PT5M\n")
    assert "title: 90s" in out and "note: PT5M" in out


def test_comments_in_every_position() -> None:
    text = (
        "# header\n\n# above blueprint\nblueprint: 1  # eol\nsteps:  # after a key\n"
        "  # above an item\n  - title: A  # eol of a key\n    customer:\n      - Arrive\n"
        "      # end of a block\n  - title: B\n# at the end\n"
    )
    out = fmt(text)
    assert out == text


def test_comments_after_a_dash_and_between_a_key_and_its_value() -> None:
    text = "blueprint: 1\ntitle:\n  # c1\n  T\nsteps:\n  - # c2\n    title: A\n"
    text += "  -\n    # c3\n    title: B\n"
    out = fmt(text)
    assert out == (
        "blueprint: 1\n# c1\ntitle: T\nsteps:\n  - title: A  # c2\n  # c3\n  - title: B\n"
    )


def test_block_scalars_keep_their_content() -> None:
    text = "blueprint: 1\ndescription: |\n      line\n        # not a comment\n\n      end\n"
    out = fmt(text)
    assert out == "blueprint: 1\ndescription: |\n  line\n    # not a comment\n\n  end\n"
    assert "|2" in fmt("blueprint: 1\ndescription: |2\n     indented first\n  then\n")


def test_plain_text_over_several_lines_keeps_its_lines() -> None:
    text = "blueprint: 1\ndescription: one\n      two\n\n   three  # c\ntitle: x\n"
    out = fmt(text)
    assert out == "blueprint: 1\ntitle: x\ndescription: one\n  two\n\n  three  # c\n"


def test_crlf_and_bom_are_kept() -> None:
    raw = b"\xef\xbb\xbfblueprint: 1\r\ntitle:   'T'\r\n"
    assert format_bytes(raw) == b"\xef\xbb\xbfblueprint: 1\r\ntitle: T\r\n"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("blueprint: 1\nsteps: &s []\nflows: *s\n", "anchors"),
        ("blueprint: 1\ntitle: !!int 5\n", "tag"),
        ("blueprint: 1\nbase: &b {x: 1}\nother:\n  <<: *b\n", "anchors"),
        ("blueprint: 1\ntitle: a\ntitle: b\n", "duplicate key"),
        ("blueprint: 1\ntitle: [\n", "expected"),
        ("- a\n- b\n", "not a blueprint"),
        ("name: x\n", "not a blueprint"),
    ],
)
def test_files_it_does_not_rewrite(text: str, why: str) -> None:
    with pytest.raises(Unformattable, match=why):
        fmt(text)


def test_a_result_that_fails_a_proof_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safety, "emit", lambda doc: "blueprint: 2\n")
    with pytest.raises(Refused, match="data would change at blueprint"):
        fmt("blueprint: 1\n")
    monkeypatch.setattr(safety, "emit", lambda doc: "blueprint: 1\n")
    with pytest.raises(Refused, match="comment"):
        fmt("blueprint: 1  # gone\n")


@pytest.mark.parametrize("name", ["messy", "crlf"])
def test_golden(name: str) -> None:
    raw = (GOLDEN / f"{name}.input.yaml").read_bytes()
    expected = (GOLDEN / f"{name}.output.yaml").read_bytes()
    assert format_bytes(raw) == expected
    assert format_bytes(expected) == expected


runner = CliRunner()


def test_cli_writes_keeps_mode_and_leaves_formatted_files_alone(tmp_path: Path) -> None:
    messy = tmp_path / "a.yaml"
    messy.write_text("title: T\nblueprint: 1\n")
    os.chmod(messy, 0o640)
    tidy = tmp_path / "b.yaml"
    tidy.write_text("blueprint: 1\n")
    os.utime(tidy, (1_000_000, 1_000_000))
    (tmp_path / "ci.yaml").write_text("on: push\n")  # not a blueprint: not looked at
    result = runner.invoke(app, ["fmt", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "1 file reformatted, 1 file left unchanged" in result.output
    assert messy.read_text() == "blueprint: 1\ntitle: T\n"
    assert stat.S_IMODE(messy.stat().st_mode) == 0o640
    assert tidy.stat().st_mtime == 1_000_000
    assert (tmp_path / "ci.yaml").read_text() == "on: push\n"


def test_cli_check_and_diff_write_nothing_and_exit_1(tmp_path: Path) -> None:
    messy = tmp_path / "a.yaml"
    messy.write_text("title: T\nblueprint: 1\n")
    result = runner.invoke(app, ["fmt", "--check", str(messy)])
    assert result.exit_code == 1
    assert f"Would reformat: {messy}" in result.output
    result = runner.invoke(app, ["fmt", "--diff", str(messy)])
    assert result.exit_code == 1
    assert "+blueprint: 1\n title: T\n-blueprint: 1\n" in result.output
    assert messy.read_text() == "title: T\nblueprint: 1\n"
    messy.write_text("blueprint: 1\n")
    assert runner.invoke(app, ["fmt", "--check", str(messy)]).exit_code == 0


def test_cli_stdin_to_stdout() -> None:
    result = runner.invoke(app, ["fmt", "-"], input="title: T\nblueprint: 1\n")
    assert result.exit_code == 0
    assert result.stdout == "blueprint: 1\ntitle: T\n"
    result = runner.invoke(app, ["fmt", "--check", "-"], input="title: T\nblueprint: 1\n")
    assert result.exit_code == 1


def test_cli_bad_files_exit_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("blueprint: 1\ntitle: [\n")
    result = runner.invoke(app, ["fmt", str(bad), str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2
    assert f"{bad}:3:1:" in result.output
    assert "Traceback" not in result.output
    assert bad.read_text() == "blueprint: 1\ntitle: [\n"


def test_many_files_are_formatted_on_workers_as_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past 16 files fmt formats on worker processes, as lint checks: the same lines in
    the same order, the same files written, the same exit code as formatting here."""
    import blueprint_cli.pipeline.run as run

    messy = "blueprint: 1\nsteps:\n    - title: Step {i}\n      customer: [ 'Do {i}' ]\n"
    tidy = "blueprint: 1\nsteps:\n  - title: Step {i}\n    customer: [Do {i}]\n"

    def tree(root: Path) -> Path:
        root.mkdir()
        for i in range(24):
            (root / f"b{i:02}.yaml").write_text((messy if i % 3 else tidy).format(i=i))
        (root / "b99.yaml").write_text("blueprint: 1\nsteps: [&a {title: A}, *a]\n")  # refused
        return root

    outcomes = []
    for name, workers in (("parallel", None), ("serial", 1)):
        if workers is not None:
            monkeypatch.setattr(run, "workers_for", lambda count: 1)
        root = tree(tmp_path / name)
        check = runner.invoke(app, ["fmt", "--check", str(root)])
        write = runner.invoke(app, ["fmt", str(root)])
        texts = [p.read_text() for p in sorted(root.glob("*.yaml"))]
        outcomes.append(
            (
                check.exit_code,
                check.stdout.replace(str(root), "ROOT"),
                write.exit_code,
                write.stderr.replace(str(root), "ROOT"),
                texts,
            )
        )
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] == 2 and outcomes[0][1].count("Would reformat") == 16


def test_a_file_changed_while_it_was_formatted_is_not_written(tmp_path: Path) -> None:
    """An editor that saves while fmt works keeps its text: fmt writes only over the
    bytes it read."""
    from blueprint_cli.pipeline import fmt as pipeline_fmt

    target = tmp_path / "b.yaml"
    target.write_text("blueprint: 1\nsteps:\n    - title: A\n")
    target.write_text("blueprint: 1\nsteps:\n    - title: B\n")  # saved meanwhile
    assert not pipeline_fmt._write(
        str(target), "b.yaml", b"blueprint: 1\nsteps:\n    - title: A\n", b"new"
    )
    assert target.read_text() == "blueprint: 1\nsteps:\n    - title: B\n"


def test_a_read_only_file_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As black and prettier: a file the user may not write is reported, not replaced
    (the rename would succeed in a writable folder). Root may write anything, so the
    check is asked of os.access, which is made to say no."""
    target = tmp_path / "b.yaml"
    text = "blueprint: 1\nsteps:\n    - title: A\n"
    target.write_text(text)
    target.chmod(0o444)
    monkeypatch.setattr(os, "access", lambda path, how: False)
    result = runner.invoke(app, ["fmt", str(target)])
    assert result.exit_code == 2 and "read-only: not written" in result.stderr
    assert target.read_text() == text


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_a_file_rewritten_keeps_its_owner(tmp_path: Path) -> None:
    target = tmp_path / "b.yaml"
    target.write_text("blueprint: 1\nsteps:\n    - title: A\n")
    os.chown(target, 65534, 65534)
    assert runner.invoke(app, ["fmt", str(target)]).exit_code == 0
    info = target.stat()
    assert (info.st_uid, info.st_gid) == (65534, 65534)
    assert target.read_text() == "blueprint: 1\nsteps:\n  - title: A\n"


def test_check_of_stdin_says_it_would_reformat() -> None:
    result = runner.invoke(
        app, ["fmt", "--check", "-"], input="blueprint: 1\nsteps:\n    - title: A\n"
    )
    assert result.exit_code == 1 and result.stdout == "Would reformat: <stdin>\n"
    tidy = runner.invoke(app, ["fmt", "--check", "-"], input="blueprint: 1\n")
    assert tidy.exit_code == 0 and tidy.stdout == ""
