"""The observation format, version 1: one audit visit of a real service, recorded
against its blueprint.

An observation names its blueprint (a path relative to the observation file) and,
step by step, what the auditor saw: whether each piece of evidence was there, whether
each action was done, how long it and its wait took, whether the script was followed,
which fail points occurred, were detected and were recovered. A step not observed is
left out of every figure (``not-observed``); what went wrong that the blueprint does
not foresee is ``unplanned``.

Answers are ``yes``, ``no`` (``true``/``false`` too) and, where the blueprint's
standard can be half met, ``partial``; ``n/a`` leaves one check out. The words are
exact (``Yes`` is an error), as the JSON Schema says. Steps, evidence,
actions and fail points are named by their ids in the blueprint (evidence by its id or
by its text's slug); ``blueprint audit check`` resolves every one.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from blueprint_cli.model.nodes import (
    DURATION_PATTERN,
    Duration,
    Id,
    Node,
    Score,
    Text,
    _number,
)

_NA = frozenset({"n/a", "not-observed"})


def _answer(value: Any, partial: bool) -> Any:
    """One vocabulary, as the JSON Schema says: yes, no, n/a (partial where a standard
    can be half met); YAML's true and false are yes and no."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, str):
        word = value.strip()
        if word in ("yes", "no", "n/a") or (partial and word == "partial"):
            return word
    allowed = "yes, partial, no or n/a" if partial else "yes, no or n/a"
    raise PydanticCustomError("answer", "must be {allowed}", {"allowed": allowed})


def _yes_no(value: Any) -> Any:
    return _answer(value, partial=False)


def _graded(value: Any) -> Any:
    return _answer(value, partial=True)


#: An answer: yes, no, or n/a (left out of every figure).
Answer = Annotated[
    Literal["yes", "no", "n/a"],
    BeforeValidator(_yes_no),
    WithJsonSchema({"enum": ["yes", "no", "n/a", True, False]}),
]
#: An answer a standard can half meet: a script followed in part.
Graded = Annotated[
    Literal["yes", "partial", "no", "n/a"],
    BeforeValidator(_graded),
    WithJsonSchema({"enum": ["yes", "partial", "no", "n/a", True, False]}),
]


def _timed(value: Any) -> Any:
    """A time as timed, or ``n/a`` (not timed: left out, as a time not written)."""
    if isinstance(value, str) and value.strip().lower() in _NA:
        return None
    return value


#: A time as the auditor timed it; ``n/a`` when it was not timed (a skeleton's answer).
Timed = Annotated[
    Duration | None,
    BeforeValidator(_timed),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": DURATION_PATTERN}, {"enum": ["n/a"]}]}),
]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
        raise PydanticCustomError("date", "is not a date of the calendar")
    raise PydanticCustomError("date", "must be a date written YYYY-MM-DD")


Date = Annotated[
    datetime.date,
    BeforeValidator(_date),
    WithJsonSchema({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}),
]
SHA256_PATTERN = r"^[0-9a-f]{64}$"

Method = Literal["mystery", "walk-through", "observation", "interview", "self-assessment"]


class Visit(Node):
    """Who observed the service, when, how, and as which customer."""

    id: Id = Field(description="Unique among the visits of an audit: v07, 2026-11-28-am.")
    date: Date = Field(description="The day of the visit, YYYY-MM-DD.")
    auditor: Text | None = Field(None, description="Who observed.")
    method: Method | None = Field(
        None,
        description="How: a mystery customer, a walk-through with staff, observation, "
        "an interview, or the team's own self-assessment.",
    )
    segment: Id | None = Field(
        None, description="The blueprint segment the auditor was served as (its standards)."
    )
    channel: Id | None = Field(None, description="The blueprint channel the visit used.")
    note: Text | None = Field(None, description="Anything that shapes the whole visit.")


class EvidenceSeen(Node):
    """Whether a piece of evidence was there; ``front-desk: yes`` is the short form."""

    present: Answer = Field(description="Was it there, as the blueprint says?")
    note: Text | None = Field(None, description="What was seen instead, or why not.")

    @model_validator(mode="before")
    @classmethod
    def _short(cls, data: Any) -> Any:
        return data if isinstance(data, dict) else {"present": data}


class ActionSeen(Node):
    """How an action went; ``register: yes`` is the short form of ``{done: yes}``."""

    done: Graded | None = Field(None, description="Was it done (in part)?")
    duration: Timed = Field(None, description="How long it took, as timed; n/a: not timed.")
    wait: Timed = Field(
        None, description="How long the customer waited for it, as timed; n/a: not timed."
    )
    script: Graded | None = Field(None, description="Was the script followed (in part)?")
    note: Text | None = Field(None, description="What happened: needed for a no or a partial.")

    @model_validator(mode="before")
    @classmethod
    def _short(cls, data: Any) -> Any:
        return data if isinstance(data, dict) else {"done": data}


class FailPointSeen(Node):
    """Whether a fail point occurred, was detected by staff, and was recovered;
    ``no-reservation: no`` is the short form of ``{occurred: no}``."""

    occurred: Answer = Field(description="Did it happen on this visit?")
    detected: Answer | None = Field(
        None, description="Did staff notice it before the customer had to say so?"
    )
    recovered: Answer | None = Field(
        None, description="Did the service recovery put it right for the customer?"
    )
    note: Text | None = Field(None, description="What happened and what staff did.")

    @model_validator(mode="before")
    @classmethod
    def _short(cls, data: Any) -> Any:
        return data if isinstance(data, dict) else {"occurred": data}


class StepSeen(Node):
    """What was observed at one step of the blueprint; ``not-observed`` leaves the whole
    step out of every figure."""

    observed: bool = Field(
        True, description="False (or the step written as not-observed): left out of every figure."
    )
    evidence: dict[str, EvidenceSeen] = Field(
        default_factory=dict, description="Evidence id (or its text's slug) -> present?"
    )
    actions: dict[str, ActionSeen] = Field(
        default_factory=dict, description="Action id -> how it went."
    )
    fail_points: dict[str, FailPointSeen] = Field(
        default_factory=dict, description="Fail point id -> occurred, detected, recovered."
    )
    photos: list[Text] = Field(default_factory=list, description="Photos, relative paths.")
    note: Text | None = Field(None, description="What the auditor noticed at the step.")

    @model_validator(mode="before")
    @classmethod
    def _short(cls, data: Any) -> Any:
        if isinstance(data, str) and data.strip() in _NA:
            return {"observed": False}
        return data


class Unplanned(Node):
    """Something that went wrong that the blueprint does not foresee: a fail point to add."""

    step: Id = Field(description="The id of the step where it happened.")
    text: Text = Field(description="What went wrong, as the customer noticed it.")
    severity: Score | None = Field(None, description="FMEA severity, 1-10.")
    note: Text | None = Field(None, description="What staff did about it.")


class Observation(Node):
    """One audit visit, recorded against a blueprint."""

    VERSION_KEY: ClassVar[str] = "observation"

    observation: Annotated[Literal[1], BeforeValidator(_number)] = Field(
        description="Observation format version. Always 1."
    )
    blueprint: Text = Field(description="The blueprint observed: a path from this file.")
    blueprint_sha256: Annotated[str, Field(pattern=SHA256_PATTERN)] | None = Field(
        None,
        description="The blueprint's SHA-256 when the visit was planned: a warning says "
        "when it has changed since.",
    )
    visit: Visit = Field(description="Who observed the service, when and how.")
    steps: dict[str, StepSeen] = Field(
        default_factory=dict, description="Step id -> what was observed there."
    )
    unplanned: list[Unplanned] = Field(
        default_factory=list, description="What went wrong that the blueprint does not foresee."
    )
    note: Text | None = Field(None, description="A summary of the visit.")

    @model_validator(mode="after")
    def _complete(self) -> Observation:
        self.assign_paths()
        return self

    def assign_paths(self, indices: Any = None) -> None:
        """Give every node the data path it was read from. Mappings are keyed by id, so
        only ``unplanned`` is a list, and pruning a list item (``indices``) renumbers it."""
        kept = (indices or {}).get(("unplanned",))
        set_path = _PATH.__set__
        set_path(self, ())
        set_path(self.visit, ("visit",))
        for name, step in self.steps.items():
            at = ("steps", name)
            set_path(step, at)
            for key in ("evidence", "actions", "fail_points"):
                for item_id, item in getattr(step, key).items():
                    set_path(item, (*at, key, item_id))
        for i, item in enumerate(self.unplanned):
            set_path(item, ("unplanned", kept[i] if kept is not None else i))


_PATH: Any = Node.__dict__["_bp_path"]
