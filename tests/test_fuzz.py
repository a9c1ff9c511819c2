"""Mutated examples (drop, duplicate, retype, rename keys; random text spliced in) through
every command in-process: no exception escapes. A fixed budget here; `make fuzz` runs long."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from tests.fuzzing import mutated, run_everything


@settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
@given(mutated())
def test_mutated_examples_never_crash(raw: bytes) -> None:
    run_everything(raw)
