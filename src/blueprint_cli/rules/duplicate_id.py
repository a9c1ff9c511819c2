"""An id used twice in the file.

Ids are unique across the whole file, whatever they name (segments, phases, actors,
steps, evidence, actions, fail points): a flow or a reference must point at exactly one
thing. Omitted ids are derived from the text and never collide.

Why it matters: an arrow to `pay` could mean the step or the action.

FAIL:

    blueprint: 1
    steps:
      - id: pay
        title: Pay
        customer:
          - {id: pay, text: Pay the bill}

PASS:

    blueprint: 1
    steps:
      - id: pay
        title: Pay
        customer:
          - {id: pay-bill, text: Pay the bill}
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
SUMMARY = "an id used twice in the file"


def check(ctx: Context) -> Iterator[Problem]:
    first: dict[str, tuple[str, tuple[str | int, ...]]] = {}
    for kind, node, _ in identified(ctx.blueprint):
        node_id = getattr(node, "id", "")
        path = (*node.path, "id")
        if node_id in first:
            other_kind, other_path = first[node_id]
            line = ctx.source.value(other_path).line
            yield ctx.problem(
                f"duplicate id {quote(node_id)}: already used by the {other_kind} at line {line}",
                path,
            )
        else:
            first[node_id] = (kind, path)
