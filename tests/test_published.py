"""Published blueprints, transcribed (examples/published/), against the review a senior
service designer would give of each (tests/published/<name>.review.yaml).

A review lists ``expected`` findings and ``must_not_say`` claims, each with an ``about``
and a ``code``:

- ``about`` is a step title, an action or fail point text (found quoted in the finding's
  message, as the rules quote it), a flow ``from -> to`` by id, or ``file``: a finding
  about the whole blueprint (its path is the root or one top-level key, such as
  ``phases``), not one per action;
- ``code`` is a rule code, or several joined by ``|`` when any of them may say it.

Each blueprint is checked three ways, each its own test case: every expected finding is
there; no ``must_not_say`` claim is made; and the linter says at most twice as much as
the review (plus one): a review buried in noise is not read.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from blueprint_cli.findings import Finding
from blueprint_cli.pipeline.check import lint_bytes
from blueprint_cli.text import quote
from tests.conftest import EXAMPLES, ROOT

PUBLISHED = EXAMPLES / "published"
REVIEWS = Path(__file__).parent / "published"

# Rules being added as this is written; a review may cite them before they exist.
PLANNED = {"BP009", *(f"BP{n}" for n in range(119, 129))}

# The checks that fail on today's code, and the change each waits for (none today).
# Add an entry only with the change it waits for; strict=False reports a pass as XPASS.
WAITING_FOR: dict[tuple[str, str], list[str]] = {}

PARTS = ("expected", "must_not_say", "count")


def _names() -> list[str]:
    return sorted(p.name.removesuffix(".review.yaml") for p in REVIEWS.glob("*.review.yaml"))


def _cases() -> list[Any]:
    cases = []
    for name in _names():
        for part in PARTS:
            waits = WAITING_FOR.get((name, part))
            marks = [pytest.mark.xfail(strict=False, reason="; ".join(waits))] if waits else []
            cases.append(pytest.param(name, part, id=f"{name}-{part}", marks=marks))
    return cases


def _review(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load((REVIEWS / f"{name}.review.yaml").read_text("utf-8"))
    return doc


def _findings(name: str) -> list[Finding]:
    path = PUBLISHED / f"{name}.yaml"
    return lint_bytes(f"{name}.yaml", path.read_bytes())


def _matches(finding: Finding, entry: dict[str, Any]) -> bool:
    if finding.code not in str(entry["code"]).split("|"):
        return False
    about = str(entry["about"])
    if about == "file":
        return len(finding.path) <= 1
    if " -> " in about:
        src, dst = (end.strip() for end in about.split(" -> "))
        return f"{quote(src)} -> {quote(dst)}" in finding.message
    return quote(about) in finding.message


def _show(findings: list[Finding]) -> str:
    return "\n".join(f"  {f.line}:{f.col} {f.code} {f.message}" for f in findings) or "  (none)"


def _entry(entry: dict[str, Any]) -> str:
    return f"  {entry['code']} about {entry['about']!r}: {entry.get('says', '')}"


@pytest.mark.parametrize(("name", "part"), _cases())
def test_published_review(name: str, part: str) -> None:
    review = _review(name)
    findings = _findings(name)
    if part == "expected":
        missing = [e for e in review["expected"] if not any(_matches(f, e) for f in findings)]
        if missing:
            pytest.fail(
                f"{name}: {len(missing)} expected finding(s) missing:\n"
                + "\n".join(map(_entry, missing))
                + f"\nthe linter said:\n{_show(findings)}"
            )
    elif part == "must_not_say":
        said = [
            (e, [f for f in findings if _matches(f, e)])
            for e in review["must_not_say"]
            if any(_matches(f, e) for f in findings)
        ]
        if said:
            pytest.fail(
                f"{name}: {len(said)} claim(s) that must not be made:\n"
                + "\n".join(_entry(e) + "\n" + _show(fs) for e, fs in said)
            )
    else:
        limit = 2 * len(review["expected"]) + 1
        extra = [f for f in findings if not any(_matches(f, e) for e in review["expected"])]
        if len(findings) > limit:
            pytest.fail(
                f"{name}: {len(findings)} findings for a review of {len(review['expected'])} "
                f"(at most {limit}); not in the review:\n{_show(extra)}"
            )


def test_every_published_blueprint_has_a_review_and_loads() -> None:
    blueprints = sorted(p.stem for p in PUBLISHED.glob("*.yaml"))
    assert blueprints == _names(), (
        "each examples/published/X.yaml has tests/published/X.review.yaml"
    )
    for name in blueprints:
        errors = [f for f in _findings(name) if f.severity.label == "error"]
        assert not errors, f"{name}: format errors:\n{_show(errors)}"


def test_published_blueprints_cite_their_source() -> None:
    for path in sorted(PUBLISHED.glob("*.yaml")):
        head = path.read_text("utf-8").split("\nblueprint:")[0]
        assert re.search(r"https?://", head), f"{path.name}: no source address in its header"
        assert "transcribed from" in head, f"{path.name}: the header says what it transcribes"


def test_reviews_are_well_formed() -> None:
    known = set(
        re.findall(r"^\| \[(BP\d{3})\]", (ROOT / "docs" / "rules.md").read_text("utf-8"), re.M)
    )
    for name in _names():
        review = _review(name)
        assert set(review) == {"expected", "must_not_say"}, name
        for entry in review["expected"]:
            assert set(entry) == {"about", "says", "severity", "code"}, (name, entry)
            assert entry["severity"] in {"warning", "info"}, (name, entry)
        for entry in review["must_not_say"]:
            assert {"about", "code"} <= set(entry) <= {"about", "code", "says"}, (name, entry)
        for entry in review["expected"] + review["must_not_say"]:
            for code in str(entry["code"]).split("|"):
                assert code in known | PLANNED, (name, entry)
