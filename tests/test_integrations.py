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
from urllib.parse import unquote

import pytest
import yaml

from tests.conftest import EXAMPLES, ROOT

BAD = "blueprint: 1\nsteps:\n  - {title: Pay, evidance: [Bill]}\n"
BIN = Path(sys.executable).parent
#: A repository's other YAML, which the hooks are given too and must leave alone.
OTHER_YAML = {
    ".pre-commit-config.yaml": (
        "repos:\n  - repo: https://github.com/blueprint-cli/blueprint\n    rev: v0.1.0\n"
        "    hooks: [{id: blueprint-lint}, {id: blueprint-render-check}]\n"
    ),
    ".github/workflows/ci.yml": (
        "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: actions/checkout@v4\n"
        "      - run: echo 'blueprint: 1'  # a blueprint key, but not a top-level one\n"
    ),
    "compose.yaml": "# blueprint: 1 (in a comment)\nservices:\n  web: {image: nginx}\n",
    "docs/api.yaml": "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\n",
}


def _git_repo(path: Path) -> None:
    (path / "blueprints").mkdir(parents=True)
    (path / "blueprints" / "hotel.yaml").write_bytes((EXAMPLES / "hotel.yaml").read_bytes())
    (path / "blueprints" / "bad.yaml").write_text(BAD)
    for name, text in OTHER_YAML.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
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
    assert ids["blueprint-lint"]["entry"].startswith("blueprint lint ")
    assert ids["blueprint-render-check"]["entry"].startswith("blueprint render --check ")
    for hook in ids.values():
        assert hook["language"] == "python"
        assert re.search(hook["files"], "a/b.yaml")
        # in entry, not args: a project's own args add to them
        assert {"--only-blueprints", "--force-exclude"} <= set(hook["entry"].split())
        assert "args" not in hook
    # the lint hook is the fast path (no typer)
    from blueprint_cli.__main__ import fast_lint_args

    argv = ids["blueprint-lint"]["entry"].split()[1:]
    assert fast_lint_args([*argv, "a.yaml"]) == ["a.yaml"]


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

    def try_repo(*files: str, hook: str = "blueprint-lint") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "pre-commit"), "try-repo", str(ROOT), hook, "--files", *files],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    good = try_repo("blueprints/hotel.yaml", *OTHER_YAML)
    assert good.returncode == 0, good.stdout + good.stderr
    bad = try_repo("blueprints/bad.yaml", "blueprints/hotel.yaml", *OTHER_YAML)
    assert bad.returncode == 1
    assert "blueprints/bad.yaml:3:18: error BP002 unknown key 'evidance'" in bad.stdout
    assert "unknown key 'repos'" not in bad.stdout and "compose.yaml:" not in bad.stdout
    # the picture check leaves the other YAML alone too, and says a picture never drawn
    # is missing
    others = try_repo(*OTHER_YAML, hook="blueprint-render-check")
    assert others.returncode == 0, others.stdout + others.stderr
    never = try_repo("blueprints/hotel.yaml", *OTHER_YAML, hook="blueprint-render-check")
    assert never.returncode == 1
    assert "blueprints/hotel.svg: missing: blueprints/hotel.yaml was never drawn" in never.stdout
    assert "out of date" not in never.stdout


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


def test_action_script_takes_paths_with_spaces_one_per_line(tmp_path: Path) -> None:
    project = tmp_path / "project"
    _git_repo(project)
    spaced = project / "my blueprints"
    spaced.mkdir()
    (spaced / "the hotel.yaml").write_bytes((EXAMPLES / "hotel.yaml").read_bytes())
    (spaced / "bad copy.yaml").write_text(BAD)
    # one path per line (a YAML block), with blank and comment lines; a file and a glob
    proc, outputs = _action(
        tmp_path,
        paths="my blueprints/the hotel.yaml\n\n# the rest:\n  my blueprints/b*.yaml  \n",
        sarif="true",
        sarif_file="reports/blue print.sarif",
    )
    assert outputs["exit-code"] == "1", proc.stderr
    assert "::error file=my blueprints/bad copy.yaml,line=3,col=18," in proc.stdout
    assert outputs["sarif-file"] == "reports/blue print.sarif"
    sarif = json.loads((project / "reports" / "blue print.sarif").read_text())
    uris = {
        unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        for r in sarif["runs"][0]["results"]
    }
    assert uris == {"my blueprints/bad copy.yaml", "my blueprints/the hotel.yaml"}


def test_action_script_globs_and_space_separated_paths(tmp_path: Path) -> None:
    # on one line, paths are separated by spaces, as before; ** reaches any depth
    proc, outputs = _action(tmp_path, paths="blueprints/hotel.yaml  blueprints/**/h*.yml")
    assert outputs["exit-code"] == "2"  # the glob matching nothing is passed on, and missing
    assert "blueprints/**/h*.yml: no such file or directory" in proc.stderr
    proc, outputs = _action(tmp_path, paths="**/hotel.yaml", args="--fail-on\nwarning")
    assert outputs["exit-code"] == "1", proc.stderr  # args on lines: both words taken
    assert outputs["sarif-file"] == ""  # no SARIF asked for


def test_action_outputs_are_declared_and_the_metadata_is_valid() -> None:
    """Every output action.sh writes is declared in action.yml (with a value, as a
    composite action's must be), and action.yml passes SchemaStore's schema for action
    metadata, as vendored by check-jsonschema (in the bench group of uv.lock)."""
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    script = (ROOT / "scripts" / "action.sh").read_text()
    written = set(re.findall(r'echo "([a-z-]+)=', script))
    assert written == set(action["outputs"]) == {"exit-code", "sarif-file"}
    for name, output in action["outputs"].items():
        assert output["value"] == f"${{{{ steps.lint.outputs.{name} }}}}"
    vendor = pytest.importorskip("check_jsonschema.builtin_schemas.vendor")
    import importlib.resources

    import jsonschema

    schema = json.loads((importlib.resources.files(vendor) / "github-actions.json").read_text())
    assert schema["$id"] == "https://json.schemastore.org/github-action.json"
    jsonschema.validate(action, schema)
    broken = {**action, "outputs": {"sarif-file": {"description": "no value"}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)  # the schema does check a composite's outputs


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


def test_action_script_writes_the_diff_of_changed_blueprints_to_the_job_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    _git_repo(project)
    git = ["git", "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run(
        ["git", "update-ref", "refs/remotes/origin/main", "HEAD"], cwd=project, check=True
    )
    hotel = project / "blueprints" / "hotel.yaml"
    hotel.write_text(hotel.read_text().replace("      - Registration card\n", "", 1))
    subprocess.run([*git, "commit", "-qam", "pr"], cwd=project, check=True)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("BASE_REF", "main")
    proc, _ = _action(tmp_path, paths="blueprints/hotel.yaml")
    assert proc.returncode == 0, proc.stderr
    text = summary.read_text()
    assert text.startswith("### Blueprint diff: `blueprints/hotel.yaml`")
    assert "| ➖ | evidence | `check-in` | Registration card |" in text
    assert "bad.yaml" not in text  # not changed
    monkeypatch.delenv("BASE_REF")
    summary.write_text("")
    _action(tmp_path, paths="blueprints/hotel.yaml")
    assert summary.read_text() == ""  # no base ref: no diff


def test_action_yml_passes_the_base_ref_to_its_script() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    lint = next(s for s in action["runs"]["steps"] if s.get("id") == "lint")
    assert lint["env"]["BASE_REF"] == "${{ github.base_ref }}"
