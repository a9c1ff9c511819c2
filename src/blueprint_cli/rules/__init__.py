"""The rule registry: every rule, one module each, listed here explicitly.

A rule module defines CODE (stable, never reused), NAME, SEVERITY (the default),
SUMMARY, a docstring with what it checks, why it matters, a FAIL and a PASS example,
optional OPTIONS (name -> default, settable in the configuration), an optional WEIGHT
(1-9, 5 when not said: how much a finding matters among those of its severity, the
order ``show`` lists them in), and ``check(ctx)``
yielding problems, unless the loader, the schema or the linter itself reports it.

Codes: BP0xx the format and the file; BP1xx service-design methodology; BP2xx audit
visits (``observe(ctx)`` checks an observation against its blueprint).
"""

from __future__ import annotations

from blueprint_cli import codes
from blueprint_cli.rules import (
    action_without_owner,
    blueprint_changed,
    blueprint_unavailable,
    customer_skips_frontstage,
    duplicate_flow,
    duplicate_id,
    duplicate_key,
    duration_as_text,
    empty_lane,
    empty_phase,
    frontstage_without_customer,
    high_risk_fail_point,
    incomplete_fail_point,
    incomplete_metric,
    invalid_value,
    isolated_action,
    missing_evidence,
    no_fail_points,
    no_script,
    no_visible_contact,
    phase_coverage,
    recovery_repeats_prevention,
    risk_hotspot,
    self_loop,
    step_out_of_phase_order,
    step_without_customer_action,
    step_without_phase,
    unaccountable_regulated_action,
    unexplained_miss,
    unknown_key,
    unknown_observed_id,
    unknown_reference,
    unsupported_frontstage,
    unused_actor,
    unused_segment,
    unused_suppression,
    unworked_pain_point,
    wait_over_standard,
    wait_without_standard,
    yaml11_scalar,
    yaml_syntax,
)
from blueprint_cli.rules.base import Context, Rule
from blueprint_cli.text import quote

_MODULES = (
    # BP0xx: the format, reported by the loader and the schema, or checked on the model
    yaml_syntax,  # BP001
    unknown_key,  # BP002
    invalid_value,  # BP003
    duplicate_key,  # BP004
    duplicate_id,  # BP005
    unknown_reference,  # BP006
    yaml11_scalar,  # BP007
    unused_suppression,  # BP008
    duration_as_text,  # BP009
    # BP1xx: service design
    missing_evidence,  # BP101
    high_risk_fail_point,  # BP104
    customer_skips_frontstage,  # BP106
    frontstage_without_customer,  # BP107
    step_without_customer_action,  # BP108
    unsupported_frontstage,  # BP109
    wait_over_standard,  # BP110
    wait_without_standard,  # BP111
    action_without_owner,  # BP112
    no_script,  # BP113
    phase_coverage,  # BP114
    empty_phase,  # BP115
    unused_actor,  # BP116
    unused_segment,  # BP117
    isolated_action,  # BP118
    incomplete_fail_point,  # BP119: replaces BP102, BP103, BP105
    step_out_of_phase_order,  # BP120
    empty_lane,  # BP121
    no_visible_contact,  # BP122
    step_without_phase,  # BP123
    self_loop,  # BP124
    duplicate_flow,  # BP125
    risk_hotspot,  # BP126
    no_fail_points,  # BP127
    recovery_repeats_prevention,  # BP128
    unaccountable_regulated_action,  # BP129
    incomplete_metric,  # BP130
    unworked_pain_point,  # BP131
    # BP2xx: audit visits, checked against their blueprint by `blueprint audit check`
    unknown_observed_id,  # BP201
    unexplained_miss,  # BP202
    blueprint_changed,  # BP203
    blueprint_unavailable,  # BP204
)

RULES: dict[str, Rule] = {rule.code: rule for rule in map(Rule.from_module, _MODULES)}
BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES.values()}

#: Codes and names of rules that were merged into another: they keep working in
#: configurations, options and suppression comments as aliases of the rule that replaced
#: them (a code is never reused).
REPLACED: dict[str, str] = {
    "BP102": codes.INCOMPLETE_FAIL_POINT,  # fail-point-without-prevention
    "BP103": codes.INCOMPLETE_FAIL_POINT,  # fail-point-without-recovery
    "BP105": codes.INCOMPLETE_FAIL_POINT,  # unscored-fail-point
    "fail-point-without-prevention": codes.INCOMPLETE_FAIL_POINT,
    "fail-point-without-recovery": codes.INCOMPLETE_FAIL_POINT,
    "unscored-fail-point": codes.INCOMPLETE_FAIL_POINT,
}


def lookup(code_or_name: str) -> Rule | None:
    """The rule of a code or name, or of a replaced code or name (an alias)."""
    key = code_or_name.strip()
    rule = RULES.get(key.upper()) or BY_NAME.get(key.lower())
    if rule is None:
        new = REPLACED.get(key.upper()) or REPLACED.get(key.lower())
        rule = RULES[new] if new is not None else None
    return rule


def replaced_by(code_or_name: str) -> Rule | None:
    """The rule that replaced a code or name no longer in use, else None."""
    key = code_or_name.strip()
    new = REPLACED.get(key.upper()) or REPLACED.get(key.lower())
    return RULES[new] if new is not None else None


def expand(patterns: list[str] | tuple[str, ...]) -> tuple[set[str], list[str]]:
    """Codes, code prefixes (``BP1``), rule names or ``ALL`` -> (codes, unknown patterns)."""
    codes: set[str] = set()
    unknown: list[str] = []
    for pattern in patterns:
        key = pattern.strip()
        rule = lookup(key)
        if rule is not None:
            codes.add(rule.code)
        elif key.upper() == "ALL":
            codes.update(RULES)
        elif key and any(code.startswith(key.upper()) for code in RULES):
            codes.update(code for code in RULES if code.startswith(key.upper()))
        else:
            unknown.append(pattern)
    return codes, unknown


def unknown_rule(pattern: str) -> str:
    """``unknown rule 'BP1O1' (did you mean 'BP101'?)``: the code one edit away, or the
    closest name; else where to look."""
    import difflib

    key = pattern.strip()
    close = [code for code in RULES if _edits(key.upper(), code) <= 1][:1]
    close = close or difflib.get_close_matches(key.lower(), list(BY_NAME), n=1, cutoff=0.75)
    if len(key) >= 3:
        close = close or [name for name in BY_NAME if name.startswith(key.lower())][:1]
    if close:
        return f"unknown rule {quote(pattern)} (did you mean {close[0]!r}?)"
    return f"unknown rule {quote(pattern)} (blueprint rules lists them)"


def _edits(a: str, b: str) -> int:
    """Levenshtein distance, for short codes."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


__all__ = [
    "BY_NAME",
    "REPLACED",
    "RULES",
    "Context",
    "Rule",
    "expand",
    "lookup",
    "replaced_by",
    "unknown_rule",
]
