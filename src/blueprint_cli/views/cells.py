"""User text made safe for the cells of the tables the views write: a spreadsheet's
(never a formula) and a Markdown table's (never markup, a table break or a link).
Every writer of CSV or Markdown escapes through these two, so that the guard is the
same in the register, the audit, its checklist and the diff."""

from __future__ import annotations

import re
from typing import Any

from blueprint_cli.text import one_line, visible

#: What makes a spreadsheet read a cell as a formula (or start a new row before one).
_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n")
_AUTOLINK = re.compile(r"(?i)(\b(?:https?|ftp|mailto|xmpp))(:)|(\bwww)(\.)|([\w.+-])(@)(?=[\w-])")


def spreadsheet_cell(value: Any) -> str:
    """A spreadsheet cell: never a formula (``=HYPERLINK(...)`` is shown, not run)."""
    text = visible("" if value is None else value)
    return "'" + text if text.startswith(_FORMULA) else text


def markdown_text(value: Any) -> str:
    """A Markdown table cell that is the user's text and nothing more: one line, no
    markup, no table break, and no link GitHub would make of a bare URL, ``www.`` or an
    e-mail."""
    text = one_line("" if value is None else " ".join(str(value).split()))
    for ch in "\\|*_`[]<>#~":  # "![" is no image once "[" is escaped
        text = text.replace(ch, "\\" + ch)
    return _AUTOLINK.sub(lambda m: "\\".join(g for g in m.groups() if g is not None), text)
