"""The blueprint format, version 1, as pydantic v2 models.

Every mapping forbids unknown keys. Every list item that is only text may be written
as a plain string (``- Greet guest``) or as a mapping with an ``id`` and more fields.
Omitted ids are derived from the text (a slug, made unique across the file), so that
any item can be referenced and diagrams stay stable.

Each validated node remembers the data path it was read from (``node.path``), so that a
finding about it points at the right line and column: the paths are worked out from the
structure once validation has succeeded (``Blueprint.assign_paths``).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from blueprint_cli.positions import Path
from blueprint_cli.text import quote


def _empty() -> list[Any]:
    """A new empty list: a default_factory written in Python, whose signature pydantic
    reads without parsing a builtin's text signature (20 ms of start-up)."""
    return []


#: The five lanes, top to bottom. The order is fixed; only their titles can change.
LANES: tuple[str, ...] = ("evidence", "customer", "frontstage", "backstage", "support")
ACTION_LANES: tuple[str, ...] = ("customer", "frontstage", "backstage", "support")
DEFAULT_LANE_TITLES: dict[str, str] = {
    "evidence": "Physical evidence",
    "customer": "Customer actions",
    "frontstage": "Frontstage actions",
    "backstage": "Backstage actions",
    "support": "Support processes",
}
#: The three lines, each drawn below the lane that is its key.
LINES: dict[str, str] = {
    "customer": "Line of interaction",
    "frontstage": "Line of visibility",
    "backstage": "Line of internal interaction",
}

#: The characters of an id: ASCII letters, digits and '_', and the letters of other
#: scripts (``café``, ``прием-гостя``, ``受付``), written as explicit ranges of the Basic
#: Multilingual Plane without its spaces, punctuation blocks and specials. Not ``\w``:
#: JSON Schema's patterns are ECMA-262, where ``\w`` is ASCII, and ``\p{L}`` is not read
#: by Python's ``re``; ranges are read alike by Python, JavaScript and Rust (pydantic).
_ID_CHARS = (
    r"A-Za-z0-9_\u00C0-\u167F\u1681-\u1FFF\u2C00-\u2FFF\u3040-\uD7FF"
    r"\uF900-\uFDCF\uFDF0-\uFEFE\uFF00-\uFFEF"
)
_IDENT = rf"[{_ID_CHARS}][{_ID_CHARS}.:/-]*"
ID_PATTERN = rf"^{_IDENT}$"
#: Spaces YAML can leave around a value written in quotes: the same set in every reader.
_SPACE = "[ \\t\\r\\n]*"
_STRIP = " \t\r\n"
FLOW_PATTERN = rf"^{_SPACE}{_IDENT}{_SPACE}->{_SPACE}{_IDENT}{_SPACE}$"

# ---------------------------------------------------------------------------- value types


def _as_text(value: Any) -> Any:
    """Numbers written where text is expected become the text as written (``1.10``)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        source = getattr(value, "source", None)
        return source if isinstance(source, str) else str(value)
    return value


#: Text: a string, or a number kept as it was written (``version: 1.10`` is "1.10"):
#: the models coerce numbers to text (``coerce_numbers_to_str``), and the loader's numbers
#: turn into their source text with str(). Booleans and null are not text.
Text = Annotated[str, WithJsonSchema({"type": ["string", "number"]})]


def _id_text(value: Any) -> Any:
    """An id is text, never a number: ``id: 010`` would be 8 to some YAML readers, and the
    references to it (``actor:``, ``a -> b``) are text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = getattr(value, "source", None) or str(value)
        raise ValueError(f"an id is text, not the number {shown}: write it in quotes ('{shown}')")
    return value


Id = Annotated[str, Field(pattern=ID_PATTERN), BeforeValidator(_id_text)]


def _number(value: Any) -> Any:
    """A number field given ``true``/``false`` or text: YAML's booleans are not 1 and 0,
    and a quoted number is text (the JSON Schema says the same)."""
    if isinstance(value, bool | str):
        raise PydanticCustomError("number_type", "a number is expected")
    return value


Score = Annotated[int, Field(ge=1, le=10), BeforeValidator(_number)]
#: How a step feels, from -2 (very bad) through 0 (neutral) to +2 (very good).
Feeling = Annotated[int, Field(ge=-2, le=2), BeforeValidator(_number)]
#: A figure: a whole or a decimal number, never infinite (``.inf``) or not a number.
Figure = Annotated[float, Field(allow_inf_nan=False), BeforeValidator(_number)]

_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
# One grammar for the JSON Schema and the loader: ASCII digits (``\d`` is Unicode in
# Python, ASCII in JSON Schema), at least one part (lookaheads: neither ``""`` nor ``P``,
# ``PT`` or ``P1DT`` is a duration), the same spaces around it.
_N = "([0-9]+(?:\\.[0-9]+)?)"
_GAP = "[ \\t]*"
_HUMAN = rf"{_GAP}(?=[0-9])(?:{_N}d)?{_GAP}(?:{_N}h)?{_GAP}(?:{_N}m)?{_GAP}(?:{_N}s)?"
_ISO = (
    rf"P(?=[0-9]|T[0-9])(?:{_N}W)?(?:{_N}D)?"
    rf"(?:T(?=[0-9])(?:{_N}H)?(?:{_N}M)?(?:{_N}S)?)?"
)
DURATION_PATTERN = rf"^{_SPACE}(?:{_HUMAN}|{_ISO}){_SPACE}$"
_DURATION = re.compile(DURATION_PATTERN)
_PART_SECONDS = (86400, 3600, 60, 1, 604800, 86400, 3600, 60, 1)
#: No step of a service takes longer; a longer duration is a typo (or an attack on JSON).
MAX_DURATION_S = 10 * 366 * 86400
DURATION_HELP = "use a number and a unit: 90s, 5m, 1h30m, 2d, or ISO 8601 like PT5M"


def parse_duration(value: Any) -> float:
    """``90s``, ``5m``, ``1h30m``, ``2d``, ``PT5M`` -> seconds. Raises ValueError with a hint."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        n = int(value) if isinstance(value, int) else float(value)  # 5, 1.5: not as written
        raise ValueError(f"a duration needs a unit, e.g. {n}m or {n}s")
    if not isinstance(value, str):
        raise ValueError(f"expected a duration: {DURATION_HELP}")
    if len(value) <= 64:  # a few dozen distinct durations recur across a project's files
        return _cached_seconds(value)
    return _seconds(value)


@functools.lru_cache(maxsize=1024)
def _cached_seconds(value: str) -> float:
    return _seconds(value)


def _seconds(value: str) -> float:
    seconds: float | None = None
    m = _DURATION.fullmatch(value)
    if m:
        seconds = sum(float(g) * k for g, k in zip(m.groups(), _PART_SECONDS, strict=True) if g)
    if seconds is None or not math.isfinite(seconds):
        hint = suggest_duration(value.strip())
        help_ = f"did you mean {hint}?" if hint else DURATION_HELP
        raise ValueError(f"invalid duration {quote(value)}: {help_}")
    if seconds > MAX_DURATION_S:
        raise ValueError(f"duration {quote(value)} is longer than ten years: a typo?")
    return seconds


#: Time written in words, and the unit each word stands for.
_TIME_WORDS = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 60),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 3600),
    **dict.fromkeys(("d", "day", "days"), 86400),
}
_ABOUT = re.compile(r"^(?:~|about\b|around\b|approx\b\.?|approximately\b|roughly\b)\s*")
_TERMS = re.compile(r"(?:(\d+(?:\.\d+)?)\s*([a-z]+)\.?\s*(?:and\s+|,\s*)?)+")
_TERM = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)\.?")
_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:([a-z]+)\.?)?\s*(?:-|\u2013|\u2014|to)\s*(?=\d)")


def suggest_duration(text: str) -> str | None:
    """A time written in words -> the duration it means: ``10 min`` -> ``10m``, ``1 hour
    30 minutes`` -> ``1h30m``, ``about 2 hrs`` -> ``2h``; a range ``5-10 mins`` -> its top,
    ``10m (the top of the range)``. None when the text is not just a quantity of time
    (``Queue at the desk``, ``10 people``): then it is a description, not a typo."""
    if len(text) > 64:
        return None
    words = _ABOUT.sub("", text.strip().lower(), count=1)
    low: tuple[str, str | None] | None = None
    ranged = _RANGE.match(words)
    if ranged:
        low = (ranged.group(1), ranged.group(2))
        words = words[ranged.end() :]
    if not _TERMS.fullmatch(words):
        return None
    seconds = 0.0
    terms = _TERM.findall(words)
    for amount, unit in terms:
        if unit not in _TIME_WORDS:
            return None
        seconds += float(amount) * _TIME_WORDS[unit]
    if low is not None and ((low[1] is not None and low[1] not in _TIME_WORDS) or len(terms) > 1):
        return None  # "5 people to 10 min", "5-1 hour 30 min": not a plain range
    if not 0 < seconds <= MAX_DURATION_S:
        return None
    hint = format_duration(seconds)
    return f"{hint} (the top of the range)" if low is not None else hint


def format_duration(seconds: float) -> str:
    """Seconds -> the shortest hand-written form: ``1h30m``, ``90s`` -> ``1m30s``."""
    if seconds < 0 or not math.isfinite(seconds):
        return "?"
    whole = round(seconds)
    if whole != seconds and seconds < 60:
        return f"{seconds:g}s"
    out = []
    for unit, size in _UNIT_SECONDS.items():
        n, whole = divmod(whole, size)
        if n:
            out.append(f"{n}{unit}")
    return "".join(out) or "0s"


Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": DURATION_PATTERN,
            "description": "A duration: 90s, 5m, 1h30m, 2d, or ISO 8601 (PT5M).",
            "examples": ["90s", "5m", "1h30m", "PT5M"],
        }
    ),
]


def slugify(text: str, fallback: str) -> str:
    """Text -> an id: lower case, ASCII where the script allows, words joined by '-'."""
    if len(text) <= _CACHED_TEXT:
        return _cached_slug(text, fallback)
    return _slug(text, fallback)


_CACHED_TEXT = 256  # the same short texts recur across a project's files; long ones do not


@functools.lru_cache(maxsize=4096)
def _cached_slug(text: str, fallback: str) -> str:
    return _slug(text, fallback)


def _slug(text: str, fallback: str) -> str:
    if text.isascii():
        norm = text.lower()
    else:
        norm = unicodedata.normalize("NFKD", text)
        norm = "".join(ch for ch in norm if not unicodedata.combining(ch)).lower()
    slug = _NOT_WORD.sub("-", norm).strip("-_")
    if len(slug) > 48:
        slug = slug[:48].rsplit("-", 1)[0] or slug[:48]
    return slug if slug and _ID.fullmatch(slug) else fallback


_NOT_WORD = re.compile(rf"[^{_ID_CHARS}]+")
_ID = re.compile(ID_PATTERN)


# ---------------------------------------------------------------------------- nodes


class Node(BaseModel):
    """A mapping of the format. Remembers where it was read from (``path``).

    Paths, and the other facts worked out after validation (an action's lane, an
    inherited phase), live in slots, not in pydantic private attributes: those cost a
    Python call per node, and a file has hundreds of nodes.
    """

    model_config = ConfigDict(extra="forbid", validate_default=False, coerce_numbers_to_str=True)

    __slots__ = ("_bp_path",)
    if TYPE_CHECKING:  # slots, not fields: declared for mypy only
        _bp_path: Path

    #: The key a plain-string item fills (``- Greet guest`` -> ``text: Greet guest``).
    SHORTHAND: ClassVar[str | None] = None
    #: Whether a number may stand for that text (``- 2024``), as text can be a number.
    SHORTHAND_NUMBERS: ClassVar[bool] = True

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if cls.SHORTHAND is None or isinstance(data, bool):
            return data
        if isinstance(data, int | float) and not cls.SHORTHAND_NUMBERS:
            cls._refuse_number(data)
        if isinstance(data, str | int | float):
            return cls._from_text(_as_text(data))
        return data

    @classmethod
    def _from_text(cls, text: str) -> Any:
        return {cls.SHORTHAND: text}

    @classmethod
    def _refuse_number(cls, number: float) -> None:
        """Raise the reason a number cannot stand for the shorthand's text."""
        parse_duration(number)  # "a duration needs a unit, e.g. 10m or 10s"

    @property
    def path(self) -> tuple[str | int, ...]:
        """The data path this node was read from; () for a node made in code."""
        try:
            return self._bp_path
        except AttributeError:
            return ()

    def _set(self, name: str, value: Any) -> None:
        """Set a slot, bypassing pydantic's __setattr__ (slots are not fields)."""
        object.__setattr__(self, name, value)

    # pydantic copies fields, not slots: a copy (``model_copy``, ``copy.copy``,
    # ``copy.deepcopy``) would lose its path and an action its lane.
    def __copy__(self) -> Any:
        copied = super().__copy__()
        _copy_slots(self, copied)
        return copied

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Any:
        copied = super().__deepcopy__(memo)
        _copy_slots(self, copied)
        return copied


def _node_slots(cls: type) -> tuple[str, ...]:
    return tuple(
        slot
        for klass in cls.__mro__
        if isinstance(klass, type) and issubclass(klass, Node)
        for slot in klass.__dict__.get("__slots__", ())
    )


_SLOTS: dict[type, tuple[str, ...]] = {}


def _copy_slots(source: Node, target: Node) -> None:
    cls = type(source)
    slots = _SLOTS.get(cls)
    if slots is None:
        slots = _SLOTS[cls] = _node_slots(cls)
    for slot in slots:
        with contextlib.suppress(AttributeError):  # not set on the source either
            object.__setattr__(target, slot, object.__getattribute__(source, slot))


class Named(Node):
    """A declared thing with an id and a title: a segment, a phase, an actor."""

    SHORTHAND = "title"

    id: Id = Field(
        "",
        description="Unique across the file; referenced by other items. Derived from the "
        "title if omitted.",
    )
    title: Text = Field(description="The name shown in the diagram and the reports.")
    description: Text | None = Field(None, description="A longer explanation, for the reports.")


class Standards(Node):
    """Standards of the service: for the whole blueprint, or for one segment."""

    max_wait: Duration | None = Field(
        None, description="The longest tolerated wait, for every wait that sets no 'max' itself."
    )


class Segment(Named):
    """A customer group (business traveller, family, first-time buyer): an alternative
    path through the service, with expectations of its own."""

    standards: Standards | None = Field(
        None,
        description="What this segment expects: each standard written here replaces the "
        "blueprint's for the steps the segment goes through (a wait's own max still holds).",
    )


Stage = Literal["pre-visit", "visit", "post-visit"]


class Phase(Named):
    """A group of steps: pre-visit, visit, post-visit, ..."""

    stage: Stage | None = Field(
        None,
        description="Where the phase stands in the classic audit span. Omitted: inferred "
        "from the id and title (pre-visit/before/booking..., post-visit/after/follow-up...).",
    )


class Actor(Named):
    """A role that owns actions, from the manager to the person who cleans the floors."""

    kind: Literal["person", "system"] = Field(
        "person", description="A person follows scripts; a system does not."
    )


class Channel(Named):
    """A way the customer and the service meet: in person, phone, website, app, e-mail."""


class Regulation(Named):
    """A rule that binds the service: a law, a standard, a licence condition, a policy."""

    source: Text | None = Field(
        None, description="Where the rule is written: the law, standard or policy and article."
    )


class Metric(Named):
    """A figure the service is managed by: how it is today, where it should be, and which
    way is better."""

    unit: Text | None = Field(None, description="The unit of the figures: %, min, points ...")
    baseline: Figure | None = Field(None, description="The figure today, as last measured.")
    target: Figure | None = Field(None, description="The figure the service aims for.")
    direction: Literal["up", "down"] | None = Field(
        None, description="Which way is better: up (satisfaction) or down (time in queue)."
    )


class StepMetric(Metric):
    """A metric tracked at a step: the id of a blueprint metric (``csat``), or a metric
    of the step's own, with a title."""

    SHORTHAND = "id"
    SHORTHAND_NUMBERS = False  # an id is text

    @classmethod
    def _refuse_number(cls, number: float) -> None:
        _id_text(number)  # "an id is text, not the number 5: write it in quotes"

    title: Text | None = Field(  # type: ignore[assignment]
        None,
        description="The metric's name; omitted, the item refers to the blueprint metric "
        "with its id.",
    )

    @model_validator(mode="after")
    def _named_or_referred(self) -> StepMetric:
        if self.title is None and not self.id:
            raise ValueError("a metric needs a title, or the id of a blueprint metric")
        return self

    @property
    def refers(self) -> bool:
        """True when the item only names a blueprint metric (no title of its own)."""
        return self.title is None


class Emotion(Node):
    """How the customer, and the staff, feel at a step: -2 (very bad) to +2 (very good).
    Written as a number, it is the customer's (``emotion: -1``)."""

    customer: Feeling | None = Field(None, description="The customer's feeling, -2 to +2.")
    staff: Feeling | None = Field(None, description="The staff's feeling, -2 to +2.")

    @model_validator(mode="before")
    @classmethod
    def _customer_alone(cls, data: Any) -> Any:
        if isinstance(data, int | float) and not isinstance(data, bool):
            return {"customer": data}
        return data


class LaneNames(Node):
    """Titles for the five fixed lanes (e.g. ``frontstage: Onstage``)."""

    evidence: Text | None = Field(None, description="Title of the physical evidence lane.")
    customer: Text | None = Field(None, description="Title of the customer actions lane.")
    frontstage: Text | None = Field(
        None, description="Title of the frontstage lane: what staff do in view of the customer."
    )
    backstage: Text | None = Field(
        None, description="Title of the backstage lane: staff work the customer does not see."
    )
    support: Text | None = Field(
        None, description="Title of the support lane: systems, suppliers, other departments."
    )

    def title(self, lane: str) -> str:
        value = getattr(self, lane)
        return value if isinstance(value, str) and value else DEFAULT_LANE_TITLES[lane]


class Wait(Node):
    """A point where the customer waits: how long, and how long is tolerated.

    Written as text, it is the wait's description (``wait: Queue at the desk``), or its
    expected time when the text is a duration (``wait: 20m``).
    """

    SHORTHAND = "text"
    SHORTHAND_NUMBERS = False  # ``wait: 10``: ten what? A duration needs its unit.

    @classmethod
    def _from_text(cls, text: str) -> Any:
        try:
            parse_duration(text)
        except ValueError:
            return {"text": text}
        return {"expected": text}

    text: Text | None = Field(None, description="What the customer waits for, or where.")
    expected: Duration | None = Field(None, description="How long the wait usually lasts.")
    max: Duration | None = Field(
        None, description="The longest tolerated wait (the standard); omitted: standards.max_wait."
    )


class FailPoint(Node):
    """Where the service can go wrong, scored as in service FMEA."""

    SHORTHAND = "text"

    id: Id = Field("", description="Unique across the file. Derived from the text if omitted.")
    text: Text = Field(description="What goes wrong, as the customer would notice it.")
    severity: Score | None = Field(
        None, description="FMEA severity, 1-10: how bad it is for the customer (10: worst)."
    )
    occurrence: Score | None = Field(
        None, description="FMEA occurrence, 1-10: how often it happens (10: almost always)."
    )
    detection: Score | None = Field(
        None,
        description="FMEA detection, 1-10: how hard it is to catch before it reaches the "
        "customer (10: never caught).",
    )
    prevention: Text | None = Field(None, description="What stops it from happening.")
    recovery: Text | None = Field(
        None, description="What staff do when it happens anyway: the service recovery."
    )

    @property
    def risk(self) -> int | None:
        """Risk priority number: severity x occurrence x detection, if all are scored."""
        if self.severity is None or self.occurrence is None or self.detection is None:
            return None
        return self.severity * self.occurrence * self.detection


class Evidence(Node):
    """Something the customer sees or touches: signage, a web page, a receipt."""

    SHORTHAND = "text"

    id: Id = Field("", description="Unique across the file. Derived from the text if omitted.")
    text: Text = Field(description="What the customer sees, hears or touches.")
    note: Text | None = Field(None, description="A remark for the team; shown in reports.")


class Action(Node):
    """Something the customer, staff or a system does in a step."""

    SHORTHAND = "text"

    id: Id = Field(
        "", description="Unique across the file; flows name it. Derived from the text if omitted."
    )
    text: Text = Field(description="What is done, starting with a verb.")
    actor: Id | None = Field(None, description="The id of the actor who owns it (see actors).")
    channel: Id | None = Field(
        None, description="The channel it happens through (see channels); omitted: the step's."
    )
    regulations: list[Id] = Field(
        default_factory=_empty, description="Ids of the regulations that bind it."
    )
    duration: Duration | None = Field(None, description="The standard time to complete it.")
    script: Text | None = Field(None, description="What staff say: the standard wording.")
    wait: Wait | None = Field(
        None,
        description="A wait for the customer before or during the action: a duration, a "
        "description, or a mapping with expected and max.",
    )
    fail_points: list[FailPoint] = Field(
        default_factory=_empty, description="Where the action can go wrong, scored as in FMEA."
    )
    note: Text | None = Field(None, description="A remark for the team; shown in reports.")

    __slots__ = ("_lane",)
    if TYPE_CHECKING:
        _lane: str

    @property
    def lane(self) -> str:
        """The lane the action is written in: customer, frontstage, backstage or support."""
        try:
            return self._lane
        except AttributeError:
            return ""


class Step(Node):
    """A column: one step of the customer's journey, with what happens in every lane."""

    SHORTHAND = "title"

    id: Id = Field("", description="Unique across the file. Derived from the title if omitted.")
    title: Text = Field(description="The step as the customer would name it.")
    phase: Id | None = Field(None, description="The phase id; omitted: the previous step's.")
    segments: list[Id] = Field(
        default_factory=_empty, description="Segment ids this step applies to; empty: all."
    )
    channel: Id | None = Field(
        None, description="The channel the customer meets the service through (see channels)."
    )
    emotion: Emotion | None = Field(
        None,
        description="How the customer (and the staff) feel at this step, -2 to +2; a number "
        "alone is the customer's.",
    )
    metrics: list[StepMetric] = Field(
        default_factory=_empty,
        description="Metrics tracked at this step: ids of blueprint metrics, or metrics of "
        "its own.",
    )
    evidence: list[Evidence] = Field(
        default_factory=_empty, description="What the customer sees or touches at this step."
    )
    customer: list[Action] = Field(
        default_factory=_empty, description="What the customer does, above the line of interaction."
    )
    frontstage: list[Action] = Field(
        default_factory=_empty,
        description="What staff do in view of the customer, above the line of visibility.",
    )
    backstage: list[Action] = Field(
        default_factory=_empty,
        description="What staff do out of view, above the line of internal interaction.",
    )
    support: list[Action] = Field(
        default_factory=_empty,
        description="What systems, suppliers and other departments do for the step.",
    )
    note: Text | None = Field(None, description="A remark for the team; shown in reports.")

    __slots__ = ("_phase_inherited",)
    if TYPE_CHECKING:
        _phase_inherited: bool

    @property
    def phase_inherited(self) -> bool:
        """True when ``phase`` was not written here but carried over from the step before."""
        try:
            return self._phase_inherited
        except AttributeError:
            return False

    def lane(self, name: str) -> list[Action]:
        actions: list[Action] = getattr(self, name)
        return actions

    def actions(self) -> list[Action]:
        """Every action of the step, lane by lane (customer, frontstage, backstage, support)."""
        return [*self.customer, *self.frontstage, *self.backstage, *self.support]


class Flow(Node):
    """An arrow between two actions: ``a -> b`` or a mapping with a label."""

    model_config = ConfigDict(populate_by_name=False)

    SHORTHAND = "from"  # 'a -> b' is parsed by _from_text

    from_: Id = Field(alias="from", description="The id of the action the arrow leaves.")
    to: Id = Field(description="The id of the action the arrow reaches.")
    label: Text | None = Field(None, description="Text written on the arrow.")

    __slots__ = ("_implicit",)
    if TYPE_CHECKING:
        _implicit: bool

    @classmethod
    def _from_text(cls, text: str) -> Any:
        left, arrow, right = text.partition("->")
        left, right = left.strip(_STRIP), right.strip(_STRIP)
        if not arrow or not left or not right or "->" in right:
            raise ValueError(f"a flow is written 'from -> to', not {quote(text)}")
        return {"from": left, "to": right}

    @property
    def implicit(self) -> bool:
        """True for the arrows that chain customer actions in step order."""
        try:
            return self._implicit
        except AttributeError:
            return False


class Blueprint(Node):
    """A service blueprint: steps as columns, lanes as rows, flows as arrows."""

    model_config = ConfigDict(
        title="Service blueprint",
        json_schema_extra={"$comment": "blueprint-cli format version 1"},
    )

    blueprint: Annotated[Literal[1], BeforeValidator(_number)] = Field(
        description="Format version. Always 1."
    )
    title: Text | None = Field(None, description="The service's name, shown over the diagram.")
    description: Text | None = Field(
        None, description="What the blueprint covers: the service, its scope, its customers."
    )
    segments: list[Segment] = Field(
        default_factory=_empty,
        description="Customer groups; a step that names segments happens to those only.",
    )
    phases: list[Phase] = Field(
        default_factory=_empty,
        description="Groups of steps, from before the visit to after it; steps name them.",
    )
    actors: list[Actor] = Field(
        default_factory=_empty, description="The roles and systems that own actions."
    )
    channels: list[Channel] = Field(
        default_factory=_empty,
        description="The channels the customer meets the service through; steps and actions "
        "name them.",
    )
    regulations: list[Regulation] = Field(
        default_factory=_empty,
        description="Rules that bind the service (laws, standards, policies); actions name them.",
    )
    metrics: list[Metric] = Field(
        default_factory=_empty,
        description="Figures the whole service is managed by; steps may name them too.",
    )
    lanes: LaneNames = Field(
        default_factory=LaneNames,
        description="Titles for the five lanes; the lanes and their order are fixed.",
    )
    standards: Standards = Field(
        default_factory=Standards, description="Standards that apply to the whole service."
    )
    steps: list[Step] = Field(
        default_factory=_empty,
        description="The columns: the customer's steps in journey order, each with its lanes.",
    )
    flows: list[Flow] = Field(
        default_factory=_empty,
        description="Arrows between actions, 'from -> to'; customer actions are chained in "
        "step order without them.",
    )

    @model_validator(mode="after")
    def _complete(self) -> Blueprint:
        self.assign_paths()
        self._inherit_phases()
        derive_ids(self)
        return self

    def assign_paths(self, indices: Mapping[Path, Sequence[int]] | None = None) -> None:
        """Give every node the data path it was read from, and every action its lane.

        ``indices`` maps a list's path to the original index of each item it still
        holds, for data that had items removed before validation (see validate.py);
        without it, list positions are the original ones.
        """
        index = indices or {}
        set_path = _PATH.__set__  # the slot's own setter: one C call per node

        def paths(parent: Path, key: str, count: int) -> list[Path]:
            kept = index.get((*parent, key)) if index else None
            if kept is None:
                return [(*parent, key, i) for i in range(count)]
            return [(*parent, key, kept[i]) for i in range(count)]

        set_path(self, ())
        set_path(self.lanes, ("lanes",))
        set_path(self.standards, ("standards",))
        set_lane = _LANE.__set__
        # the lists come from TREE; the nesting (blueprint > step > action) is the format's
        for key, _ in TREE["Blueprint"]:
            items = getattr(self, key)
            for node, path in zip(items, paths((), key, len(items)), strict=True):
                set_path(node, path)
        for segment in self.segments:
            if segment.standards is not None:
                set_path(segment.standards, (*segment._bp_path, "standards"))
        step_lists, action_lists = TREE["Step"], TREE["Action"]
        for step in self.steps:
            at = step._bp_path
            if step.emotion is not None:
                set_path(step.emotion, (*at, "emotion"))
            for key, child in step_lists:
                items = getattr(step, key)
                if not items:
                    continue
                if child != "Action":
                    for item, path in zip(items, paths(at, key, len(items)), strict=True):
                        set_path(item, path)
                    continue
                for action, here in zip(items, paths(at, key, len(items)), strict=True):
                    set_lane(action, key)
                    set_path(action, here)
                    if action.wait is not None:
                        set_path(action.wait, (*here, "wait"))
                    for sub, _ in action_lists:
                        subs = getattr(action, sub)
                        if subs:
                            for item, path in zip(subs, paths(here, sub, len(subs)), strict=True):
                                set_path(item, path)
        for flow in self.flows:
            _IMPLICIT.__set__(flow, False)

    def _inherit_phases(self) -> None:
        current: str | None = None
        for step in self.steps:
            inherited = step.phase is None and current is not None
            if inherited:
                step.phase = current
            step._set("_phase_inherited", inherited)
            current = step.phase

    # -- queries shared by the rules, renderers and reports

    def actions(self) -> Iterator[Action]:
        for step in self.steps:
            yield from step.actions()

    def fail_points(self) -> Iterator[tuple[Step, Action, FailPoint]]:
        for step in self.steps:
            for action in step.actions():
                for fp in action.fail_points:
                    yield step, action, fp

    def all_flows(self) -> list[Flow]:
        """The written flows, then the implicit chain of customer actions in step order.

        Segments are alternatives: the chain joins only steps that can happen to the same
        customer. A step that names segments belongs to those, a step that names none to
        all; each segment's steps are chained in order, and the links of all segments are
        drawn once each. "Book by phone" and "Book online" both follow "Choose a
        treatment" and lead to "Arrive", and never to each other."""
        chain: list[Flow] = []
        seen: set[tuple[str, str]] = set()

        def link(a: Action, b: Action) -> None:
            if (a.id, b.id) in seen:
                return
            seen.add((a.id, b.id))
            flow = Flow.model_validate({"from": a.id, "to": b.id})
            flow._set("_implicit", True)
            flow._set("_bp_path", b.path)
            chain.append(flow)

        # Each segment named anywhere is followed on its own. A step for all sets every
        # segment's last action (``common``); a step for some overrides theirs: linear in
        # the segments written, however many a file names.
        named = len({s.id for s in self.segments} | {s for st in self.steps for s in st.segments})
        common: Action | None = None
        override: dict[str, Action] = {}
        for step in self.steps:
            customer = step.customer
            if not customer:
                continue
            if step.segments:
                for segment in dict.fromkeys(step.segments):
                    previous = override.get(segment, common)
                    if previous is not None:
                        link(previous, customer[0])
                    override[segment] = customer[-1]
            else:
                before = list({id(a): a for a in override.values()}.values())
                if common is not None and len(override) < max(named, 1):
                    before.insert(0, common)
                for previous in before:
                    link(previous, customer[0])
                common, override = customer[-1], {}
            for first, second in itertools.pairwise(customer):
                link(first, second)
        return [*self.flows, *chain]


#: The shape of the tree, written once: for each kind of node, its lists of child nodes
#: (key, child kind) in document order. The paths given to nodes, the ids derived, and
#: the names in validation messages all walk this table.
TREE: dict[str, tuple[tuple[str, str], ...]] = {
    "Blueprint": (
        ("segments", "Segment"),
        ("phases", "Phase"),
        ("actors", "Actor"),
        ("channels", "Channel"),
        ("regulations", "Regulation"),
        ("metrics", "Metric"),
        ("steps", "Step"),
        ("flows", "Flow"),
    ),
    "Step": (
        ("metrics", "StepMetric"),
        ("evidence", "Evidence"),
        *((lane, "Action") for lane in ACTION_LANES),
    ),
    "Action": (("fail_points", "FailPoint"),),
}

#: What a node of each kind is called in messages and derived ids.
ID_KIND = {
    "Segment": "segment",
    "Phase": "phase",
    "Actor": "actor",
    "Channel": "channel",
    "Regulation": "regulation",
    "Metric": "metric",
    "StepMetric": "metric",
    "Step": "step",
    "Flow": "flow",
    "Evidence": "evidence",
    "Action": "action",
    "FailPoint": "fail point",
}
_ID_TEXT = dict.fromkeys(
    ("Segment", "Phase", "Actor", "Channel", "Regulation", "Metric", "StepMetric", "Step"), "title"
)
_ID_TEXT.update({"Evidence": "text", "Action": "text", "FailPoint": "text"})


#: What an item of each list is called: "step", "customer action", "fail point" ...
ITEM_KIND = {
    key: f"{key} {ID_KIND[child]}" if child == "Action" else ID_KIND[child]
    for children in TREE.values()
    for key, child in children
}


# The slots' descriptors: setting through them skips pydantic's __setattr__.
_PATH: Any = Node.__dict__["_bp_path"]
_LANE: Any = Action.__dict__["_lane"]
_IMPLICIT: Any = Flow.__dict__["_implicit"]


def identified(bp: Blueprint) -> Iterator[tuple[str, Node, str]]:
    """Every node with an id, in document order (each node's children right after it),
    with its kind and the text its id derives from; as ``TREE`` says, flows have none."""
    for key, child in TREE["Blueprint"]:
        if child == "Step":
            break
        kind, text = ID_KIND[child], _ID_TEXT[child]
        for named in getattr(bp, key):
            yield kind, named, getattr(named, text)
    step_lists, action_lists = TREE["Step"], TREE["Action"]
    for step in bp.steps:
        yield "step", step, step.title
        for key, child in step_lists:
            kind, text = ID_KIND[child], _ID_TEXT[child]
            items = getattr(step, key)
            if child == "StepMetric":  # one that names a blueprint metric is not a node
                items = [m for m in items if not m.refers]
            for item in items:
                yield kind, item, getattr(item, text)
                if child == "Action":
                    for sub, grandchild in action_lists:
                        sub_kind, sub_text = ID_KIND[grandchild], _ID_TEXT[grandchild]
                        for fp in getattr(item, sub):
                            yield sub_kind, fp, getattr(fp, sub_text)


def derive_ids(bp: Blueprint) -> None:
    """Fill in omitted ids: a slug of the text, made unique against every id in the file."""
    taken = {getattr(node, "id", "") for _, node, _ in identified(bp)}
    next_suffix: dict[str, int] = {}  # base -> the next number to try: linear, not quadratic
    for kind, node, text in identified(bp):
        if getattr(node, "id", ""):
            continue
        base = slugify(text, kind.replace(" ", "-"))
        candidate, n = base, next_suffix.get(base, 1)
        if n > 1:
            candidate = f"{base}-{n}"
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        next_suffix[base] = n + 1
        taken.add(candidate)
        node.id = candidate  # type: ignore[attr-defined]
