"""The schema in real clients: ajv and the YAML language server (what VS Code, Neovim and
Helix run) accept and reject what `blueprint lint` does.

They are Node programs, installed from ``tests/clients/package-lock.json`` by
``make clients``, which runs this file; ``make test`` skips it when they are not
installed, and the differential test in test_schema_agreement.py, with Python's
``jsonschema``, runs everywhere.
"""

from __future__ import annotations

import json
import shutil
import subprocess

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
