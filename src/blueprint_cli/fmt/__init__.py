"""`blueprint fmt`: one canonical layout for blueprint files, comments kept.

``tree`` reads the text into a small tree with the spans of its nodes and its comments,
``emit`` writes it the canonical way, ``schema`` holds what the model says (key order,
durations), and ``safety`` proves, before anything is written, that the new text means
what the old one did and that formatting it again changes nothing.
"""

from blueprint_cli.fmt.safety import Refused, format_bytes, format_text
from blueprint_cli.fmt.tree import Unformattable

__all__ = ["Refused", "Unformattable", "format_bytes", "format_text"]
