from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from blueprint_cli.config import Overrides, Settings, build_settings
from blueprint_cli.pipeline.check import lint_bytes

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def example_blueprints() -> list[Path]:
    """Every blueprint under examples/, not the audit visits of examples/audits/."""
    return sorted(
        p for p in EXAMPLES.rglob("*.yaml") if p.relative_to(EXAMPLES).parts[0] != "audits"
    )


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def settings(*select: str, **table: object) -> Settings:
    """Settings as a configuration file with ``select`` and other keys would give."""
    config = dict(table)
    if select and "select" not in config:
        config["select"] = list(select)
    return build_settings(config, Overrides(), None)


FORMAT = settings("BP0")  # only the format rules: what issue-2 tests are about


def codes_at(text: str | bytes, only: Settings = FORMAT) -> list[tuple[str, int, int]]:
    """(code, line, col) of every finding, sorted."""
    raw = dedent(text).encode() if isinstance(text, str) else text
    return [(f.code, f.line, f.col) for f in lint_bytes("t.yaml", raw, only)]


@pytest.fixture
def write(tmp_path: Path):  # type: ignore[no-untyped-def]
    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(dedent(content), encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    return _write
