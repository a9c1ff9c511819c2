"""The README's console examples are real runs: they must stay true."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from blueprint_cli.cli import app
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```console\n\$ blueprint (lint [^\n]+)\n(.*?)```", README, re.DOTALL)


def test_readme_has_lint_examples() -> None:
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize(("command", "output"), BLOCKS, ids=[b[0] for b in BLOCKS])
def test_readme_lint_output_is_real(command: str, output: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, command.split())
    assert result.output == output


@pytest.mark.parametrize(
    "args",
    [
        ["examples/dental.yaml", "-o", "docs/dental.svg"],
        ["examples/hotel.yaml", "--rows", "emotion,metrics,regulations", "-o", "docs/hotel.svg"],
    ],
)
def test_the_readme_pictures_are_drawn_from_the_examples_as_they_are(
    monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """docs/dental.svg and docs/hotel.svg, the pictures the README shows, are what
    render draws today."""
    from typer.testing import CliRunner

    from blueprint_cli.cli import app

    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, ["render", *args, "--check"])
    assert result.exit_code == 0, result.stderr


def _gitlab_jobs() -> list[tuple[str, dict[str, object]]]:
    import yaml

    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", README, re.DOTALL)]
    return [
        (name, job)
        for block in blocks
        if isinstance(block, dict)
        for name, job in block.items()
        if isinstance(job, dict) and "script" in job
    ]


def test_the_gitlab_snippet_writes_the_reports_it_declares() -> None:
    """Each report under artifacts:reports is a file a `blueprint lint` line writes in
    that report's format; only the last lint may fail the job (GitLab stops a script at
    the first failing line, and uploads reports whatever the result)."""
    [(_, job)] = _gitlab_jobs()
    script = [str(line) for line in job["script"]]  # type: ignore[attr-defined]
    written = {}
    lints = [line for line in script if line.startswith("blueprint lint ")]
    for line in lints:
        words = line.split()
        written[words[words.index("--output-file") + 1]] = words[words.index("--format") + 1]
    reports = job["artifacts"]["reports"]  # type: ignore[index]
    assert reports == {"codequality": "gl-code-quality.json", "junit": "blueprint-junit.xml"}
    assert {written[path] for path in reports.values()} == {"gitlab", "junit"}
    assert all("--exit-zero" in line for line in lints[:-1])
    assert "--exit-zero" not in lints[-1]


def test_the_gitlab_snippet_is_valid_gitlab_ci() -> None:
    """Against GitLab's own schema for .gitlab-ci.yml, as vendored by check-jsonschema
    (in the bench group of uv.lock)."""
    import importlib.resources
    import json

    import jsonschema

    vendor = pytest.importorskip("check_jsonschema.builtin_schemas.vendor")
    schema = json.loads((importlib.resources.files(vendor) / "gitlab-ci.json").read_text())
    [(name, job)] = _gitlab_jobs()
    jsonschema.validate({name: job}, schema)
    broken = {name: {**job, "artifacts": {"reports": {"junit-xml": "x.xml"}}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)  # the schema knows the report types
