"""The pre-commit hook and the GitHub Action, exercised for real: `pre-commit try-repo`
against a temporary repository, and the action's script run locally."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLES, ROOT

BAD = "blueprint: 1\nsteps:\n  - {title: Pay, evidance: [Bill]}\n"
BIN = Path(sys.executable).parent


def _git_repo(path: Path) -> None:
    (path / "blueprints").mkdir(parents=True)
    (path / "blueprints" / "hotel.yaml").write_bytes((EXAMPLES / "hotel.yaml").read_bytes())
    (path / "blueprints" / "bad.yaml").write_text(BAD)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    for cmd in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-qm", "x"]):
        subprocess.run(cmd, cwd=path, check=True, env=env, capture_output=True)


def test_pre_commit_hooks_file_is_valid() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    ids = {h["id"]: h for h in hooks}
    assert ids["blueprint-lint"]["entry"] == "blueprint lint"
    assert ids["blueprint-lint"]["language"] == "python"
    assert re.search(ids["blueprint-lint"]["files"], "a/b.yaml")


@pytest.mark.skipif(
    shutil.which("git") is None or not (BIN / "pre-commit").exists(),
    reason="needs git and pre-commit (make test installs pre-commit)",
)
def test_pre_commit_try_repo(tmp_path: Path) -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("try-repo needs this checkout to be a git repository")
    project = tmp_path / "project"
    _git_repo(project)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
    }
    env.pop("GITHUB_ACTIONS", None)

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "pre-commit"), "try-repo", str(ROOT), "blueprint-lint", "--files", *files],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    good = try_repo("blueprints/hotel.yaml")
    assert good.returncode == 0, good.stdout + good.stderr
    bad = try_repo("blueprints/bad.yaml", "blueprints/hotel.yaml")
    assert bad.returncode == 1
    assert "blueprints/bad.yaml:3:18: error BP002 unknown key 'evidance'" in bad.stdout


def test_action_yml_uses_its_inputs_and_script() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    text = (ROOT / "action.yml").read_text()
    used = set(re.findall(r"inputs\.([a-z-]+)", text))
    assert used <= set(action["inputs"]), used - set(action["inputs"])
    assert "scripts/action.sh" in text
    assert os.access(ROOT / "scripts" / "action.sh", os.X_OK)


def _action(
    tmp_path: Path, **inputs: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    project = tmp_path / "project"
    if not project.exists():
        _git_repo(project)
    output = tmp_path / "github_output"
    output.write_text("")
    env = {
        **os.environ,
        "BLUEPRINT_ACTION_SKIP_INSTALL": "1",
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(output),
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
    }
    env.update({f"INPUT_{k.upper()}": v for k, v in inputs.items()})
    proc = subprocess.run(
        ["bash", str(ROOT / "scripts" / "action.sh")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    return proc, outputs


def test_action_script_annotates_and_writes_sarif(tmp_path: Path) -> None:
    proc, outputs = _action(tmp_path, paths="blueprints", sarif="true", sarif_file="out.sarif")
    assert proc.returncode == 0, proc.stderr  # the job fails later, after the upload
    assert outputs["exit-code"] == "1"
    assert "::error file=blueprints/bad.yaml,line=3,col=18,title=BP002 unknown-key::" in proc.stdout
    sarif = json.loads((tmp_path / "project" / "out.sarif").read_text())
    assert "BP002" in {r["ruleId"] for r in sarif["runs"][0]["results"]}


def test_action_script_clean_run_and_usage_error(tmp_path: Path) -> None:
    proc, outputs = _action(tmp_path, paths="blueprints/hotel.yaml")
    assert proc.returncode == 0 and outputs["exit-code"] == "0"
    proc, outputs = _action(tmp_path, paths="nothing-here")
    assert proc.returncode == 2 and outputs["exit-code"] == "2"
    proc, outputs = _action(tmp_path, paths="blueprints", args="--exit-zero")
    assert outputs["exit-code"] == "0"


def test_readme_snippets_match_the_hook_and_the_action() -> None:
    readme = (ROOT / "README.md").read_text()
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL)]
    hooks = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    inputs = set(yaml.safe_load((ROOT / "action.yml").read_text())["inputs"])
    used_hooks, used_inputs = set(), set()
    for block in blocks:
        if isinstance(block, dict) and "repos" in block:
            used_hooks |= {h["id"] for r in block["repos"] for h in r["hooks"]}
        if isinstance(block, dict) and "jobs" in block:
            for job in block["jobs"].values():
                for step in job["steps"]:
                    if "blueprint" in step.get("uses", ""):
                        used_inputs |= set(step.get("with", {}))
    assert used_hooks and used_hooks <= hooks
    assert used_inputs and used_inputs <= inputs
