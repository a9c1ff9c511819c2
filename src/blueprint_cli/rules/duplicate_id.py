"""An id used twice for the same kind of thing: two actions, two steps, two phases.

Ids are unique among the things of one kind across the file (segments, phases, actors,
steps, evidence, actions, fail points), because that is where a reference looks: a flow
joins actions, `phase:` names a phase, `actor:` an actor, an audit names a step. A
phase and its one step may share an id (`phase: act-i` on step `act-i`): nothing is
ambiguous. Omitted ids are derived from the text and never collide with anything.

Why it matters: a flow to `pay` could mean either of two actions.

FAIL:

    blueprint: 1
    steps:
      - id: pay
        title: Pay
        customer:
          - {id: pay, text: Pay the bill}
          - {id: pay, text: Pay the tip}

PASS:

    blueprint: 1
    steps:
      - id: pay
        title: Pay
        customer:
          - {id: pay, text: Pay the bill}
          - {id: tip, text: Pay the tip}
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.model import identified
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.DUPLICATE_ID
FAMILY = codes.Family.FORMAT
NAME = "duplicate-id"
SEVERITY = Severity.ERROR
SUMMARY = "an id used twice for the same kind of thing (two actions, two steps)"


def check(ctx: Context) -> Iterator[Problem]:
    first: dict[tuple[str, str], tuple[str | int, ...]] = {}
    for kind, node, _ in identified(ctx.blueprint):
        node_id = getattr(node, "id", "")
        path = (*node.path, "id")
        other = first.setdefault((kind, node_id), path)
        if other is not path:
            line = ctx.source.value(other).line
            yield ctx.problem(
                f"duplicate id {quote(node_id)}: already used by the {kind} at line {line}",
                path,
            )
