"""Column and row labels as workshops write them -> the names of the format.

A label matches when it is one of a name's words, ignoring case, spaces, ``_`` and
``-``, and a trailing ``:`` (``Physical evidence``, ``PHYSICAL_EVIDENCE``, ``props``);
a label close to one (``Backstge``) is a typo, with a did-you-mean.
"""

from __future__ import annotations

import difflib
import re

#: The lanes of the grid, and the labels a workshop gives their rows.
LANE_LABELS: dict[str, tuple[str, ...]] = {
    "evidence": (
        "evidence",
        "physical evidence",
        "touchpoint",
        "touchpoints",
        "touch points",
        "props",
        "physical props",
    ),
    "customer": (
        "customer",
        "customer actions",
        "customer action",
        "customer journey",
        "user actions",
        "guest actions",
    ),
    "frontstage": (
        "frontstage",
        "front stage",
        "frontstage actions",
        "onstage",
        "on stage",
        "onstage actions",
        "front office",
    ),
    "backstage": (
        "backstage",
        "back stage",
        "backstage actions",
        "back office",
    ),
    "support": (
        "support",
        "support processes",
        "support process",
        "support actions",
        "support activities",
        "processes",
        "systems",
        "support systems",
    ),
}
#: Words that make a longer label name a lane (``Onstage / visible employee actions``).
_LANE_WORDS = (
    ("evidence", "evidence"),
    ("touchpoint", "evidence"),
    ("props", "evidence"),
    ("customer", "customer"),
    ("onstage", "frontstage"),
    ("frontstage", "frontstage"),
    ("backstage", "backstage"),
    ("support", "support"),
)

_SPACES = re.compile(r"[\s_\-]+")


def normal(label: str) -> str:
    """``  Physical_Evidence: `` -> ``physical evidence``."""
    return _SPACES.sub(" ", label.strip().rstrip(":").strip().lower()).strip()


def lane_of(label: str) -> str | None:
    """The lane a row label names, or None."""
    key = normal(label)
    for lane, labels in LANE_LABELS.items():
        if key in labels:
            return lane
    joined = key.replace(" ", "")
    for lane, labels in LANE_LABELS.items():
        if any(joined == known.replace(" ", "") for known in labels):
            return lane
    words = set(key.replace("/", " ").split())
    for word, lane in _LANE_WORDS:
        if word in words:
            return lane
    return None


def is_synonym(label: str) -> bool:
    """Whether a label is one of the usual names of its lane (not a title of its own)."""
    key = normal(label)
    return any(key in labels for labels in LANE_LABELS.values())


def close_to(label: str, choices: dict[str, str]) -> str | None:
    """The canonical name whose label is closest to ``label``, when it is close:
    ``choices`` maps labels (normalised) to canonical names."""
    key = normal(label)
    close = difflib.get_close_matches(key, list(choices), n=1, cutoff=0.75)
    return choices[close[0]] if close else None


def lane_labels() -> dict[str, str]:
    return {label: lane for lane, labels in LANE_LABELS.items() for label in labels}
