"""The rule registry: every rule, one module each, listed here explicitly.

A rule module defines CODE (stable, never reused), NAME, SEVERITY (the default),
SUMMARY, a docstring with what it checks, why it matters, a FAIL and a PASS example,
and ``check(ctx)`` yielding problems, unless the loader or the schema reports it.
"""

from __future__ import annotations

from blueprint_cli.rules import (
    duplicate_id,
    duplicate_key,
    invalid_value,
    unknown_key,
    unknown_reference,
    yaml11_scalar,
    yaml_syntax,
)
from blueprint_cli.rules.base import Context, Rule

_MODULES = (
    # the format: reported by the loader and the schema, or checked on the model
    yaml_syntax,
    unknown_key,
    invalid_value,
    duplicate_key,
    duplicate_id,
    unknown_reference,
    yaml11_scalar,
)

RULES: dict[str, Rule] = {rule.code: rule for rule in map(Rule.from_module, _MODULES)}

__all__ = ["RULES", "Context", "Rule"]
