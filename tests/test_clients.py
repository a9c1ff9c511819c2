"""Real clients of blueprint's outputs: ajv and the YAML language server (what VS Code,
Neovim and Helix run) accept and reject what `blueprint lint` does; Microsoft's SARIF
multitool finds nothing wrong in our SARIF.

They are Node programs, installed from ``tests/clients/package-lock.json`` by
``make clients``, which runs this file; ``make test`` skips it when they are not
installed, and the differential test in test_schema_agreement.py, with Python's
``jsonschema``, runs everywhere.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import test_schema_agreement as agreement
from tests.conftest import ROOT

CLIENTS = ROOT / "tests" / "clients"

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (CLIENTS / "node_modules").is_dir(),
    reason="the Node clients are installed by `make clients`",
)


def test_ajv_and_the_yaml_language_server_agree_with_lint() -> None:
    docs = agreement.documents()
    request = {
        "schema": str(ROOT / "schemas" / "blueprint.schema.json"),
        "documents": [
            {"name": name, "data": data, "text": agreement.dump(data)} for name, data, _ in docs
        ],
    }
    run = subprocess.run(
        ["node", str(CLIENTS / "check.mjs")],
        input=json.dumps(request, ensure_ascii=False),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    report = json.loads(run.stdout)
    disagree = []
    for name, data, accepted in docs:
        for client in ("ajv", "yls"):
            if (not report[name][client]) != accepted:
                disagree.append((name, client, accepted, report[name][client][:2], data))
    assert len(docs) > 300
    assert not disagree, disagree[:5]


def _multitool() -> Path | None:
    found = sorted(CLIENTS.glob("node_modules/@microsoft/sarif-multitool-*/Sarif.Multitool"))
    return found[0] if found else None


@pytest.mark.skipif(_multitool() is None, reason="no SARIF multitool for this platform")
def test_sarif_multitool_finds_no_error_or_warning(tmp_path: Path) -> None:
    """Microsoft's SARIF multitool, with its SARIF and GitHub rule sets: files with a
    space, '%', '#', ':' and an accent in their names, a file outside the project, and
    stdin (its notes, such as 'provide a context region', are suggestions)."""
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    (project / "sub dir").mkdir()
    hotel = (ROOT / "examples" / "hotel.yaml").read_bytes()
    for name in ("my blueprint.yaml", "100%#x.yaml", "café.yaml", "a:b?.yaml"):
        (project / "sub dir" / name).write_bytes(hotel)
    outside = tmp_path / "outside file.yaml"
    outside.write_bytes((ROOT / "examples" / "garage.yaml").read_bytes())
    blueprint = Path(sys.executable).with_name("blueprint")
    env = {k: v for k, v in os.environ.items() if k not in ("CI_PROJECT_DIR", "GITHUB_ACTIONS")}
    reports = {
        "files.sarif": ([".", str(outside)], b""),
        "stdin.sarif": (["-"], (ROOT / "examples" / "dental.yaml").read_bytes()),
    }
    for report, (paths, stdin) in reports.items():
        out = subprocess.run(
            [str(blueprint), "lint", *paths, "--format", "sarif"],
            cwd=project / "sub dir", input=stdin, capture_output=True, env=env, check=False,
        )  # fmt: skip
        assert out.returncode in (0, 1), out.stderr
        (tmp_path / report).write_bytes(out.stdout)
        checked = tmp_path / f"checked-{report}"
        subprocess.run(
            [str(_multitool()), "validate", str(tmp_path / report), "--rule-kind", "Gh;Sarif",
             "--level", "Error;Warning", "-o", str(checked)],
            capture_output=True, check=True, timeout=120,
        )  # fmt: skip
        results = json.loads(checked.read_text("utf-8"))["runs"][0]["results"]
        assert [(r["ruleId"], r["message"]) for r in results] == [], report
