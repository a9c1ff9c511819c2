"""`blueprint init`: a starter blueprint, written where nothing is yet.

The starters are YAML files shipped with the package (``blueprint_cli/starters/``): each
a plausible service blueprint that lints clean with the default configuration, with
comments that teach the format. ``init`` copies one byte for byte (only ``--title``
changes its top-level ``title:`` line), and never over anything: an existing file, a
directory or a dangling symlink at the name is refused, and the file is created with
an exclusive link (``fileio.write_new``), so a file that appears meanwhile is kept too.
A missing folder is refused rather than created: a typo in a path should not leave
folders behind.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shlex
import sys
from dataclasses import dataclass

from blueprint_cli.fileio import YAML_SUFFIXES, write_new
from blueprint_cli.findings import Outcome
from blueprint_cli.text import name as safe
from blueprint_cli.text import quote

STDOUT = "-"
DEFAULT_FILE = "blueprint.yaml"
DEFAULT_TEMPLATE = "service"

#: The starters, in the order ``--list`` shows them, with one line each.
STARTERS: dict[str, str] = {
    "service": "a haircut at a salon: every part of the format, once (default)",
    "hotel": "a night at a city hotel: book, check in, breakfast, check out",
    "restaurant": "dinner at a restaurant: book, seat, order, eat, pay, review",
    "clinic": "an outpatient visit: book, nurse, consultant, test, results",
    "garage": "a car service: book, drop off, approve extra work, collect",
    "retail": "a shoe store: reserve or walk in, try on, pay, bring back",
    "online-order": "online groceries: basket, substitutes, delivery, refund",
    "public-service": "planning permission: advice, apply, neighbours, decision",
}

#: Other names a user may reach for first: a few obvious ones, not a thesaurus.
ALIASES: dict[str, str] = {
    "generic": "service",
    "hotel-stay": "hotel",
    "clinic-visit": "clinic",
    "doctor": "clinic",
    "car-service": "garage",
    "garage-service": "garage",
    "retail-store": "retail",
    "shop": "retail",
    "store": "retail",
    "ecommerce": "online-order",
    "online": "online-order",
    "webshop": "online-order",
    "public": "public-service",
    "permit": "public-service",
}


@dataclass(slots=True)
class InitOptions:
    target: str = DEFAULT_FILE  # a file to create, or "-" for stdout
    template: str = DEFAULT_TEMPLATE
    title: str | None = None  # replaces the starter's title
    list_only: bool = False


@dataclass(slots=True)
class InitResult(Outcome):
    template: str = ""  # the starter used (its canonical name)
    written: str | None = None  # the file created (shown safely); None: stdout or nothing
    text: str = ""  # --list: the listing


def listing() -> str:
    """The starters, one a line, names aligned: ``name  description``."""
    width = max(len(name) for name in STARTERS)
    return "".join(f"{name.ljust(width)}  {about}\n" for name, about in STARTERS.items())


def resolve(name: str) -> str | None:
    """A template's canonical name, from its name or an alias (any case); None if unknown."""
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    if key in STARTERS:
        return key
    return ALIASES.get(key)


def unknown(name: str) -> str:
    """The error for a name that is no template: the closest one, then the list."""
    key = name.strip().lower()
    close = difflib.get_close_matches(key, [*STARTERS, *ALIASES], n=1, cutoff=0.6)
    hint = f"; did you mean {quote(resolve(close[0]))}?" if close else ""
    return f"unknown template {quote(name)}{hint} (templates: {', '.join(STARTERS)})"


def starter_text(template: str) -> str:
    """The starter as shipped (``template`` is a canonical name)."""
    from importlib.resources import files

    return (files("blueprint_cli") / "starters" / f"{template}.yaml").read_text(encoding="utf-8")


_TITLE_LINE = re.compile(r"^title:[^\n]*$", re.MULTILINE)
#: A title written plain in YAML means the same to YAML 1.1 and 1.2 readers: it starts
#: with a letter (one starting with a digit may read as a number, a time or a date), and
#: holds no character that starts a comment, a mapping, a flow collection or an alias.
_PLAIN = re.compile(r"[^\W\d_][\w .,'()&/+-]*")
_YAML11_WORDS = frozenset(("y", "n", "yes", "no", "on", "off", "true", "false", "null"))


def yaml_text(value: str) -> str:
    """``value`` as a YAML scalar: plain when that reads back the same everywhere,
    otherwise double-quoted (JSON's escapes are YAML's)."""
    plain = (
        _PLAIN.fullmatch(value) and value == value.strip() and value.lower() not in _YAML11_WORDS
    )
    return value if plain else json.dumps(value, ensure_ascii=False)


def with_title(text: str, title: str) -> str:
    """The starter with its top-level ``title:`` replaced (the first one, at column 0)."""
    return _TITLE_LINE.sub(lambda _: f"title: {yaml_text(title)}", text, count=1)


def target_problem(target: str) -> str | None:
    """Why a new file may not be created at ``target``; None when it may (as far as can
    be known before creating it)."""
    shown = safe(target)
    if os.path.isdir(target):
        example = os.path.join(target, DEFAULT_FILE)
        return f"{shown}: is a directory; name the file to create (e.g. {safe(example)})"
    if os.path.lexists(target):
        return f"{shown}: already exists; not overwritten (choose another name)"
    folder = os.path.dirname(target)
    if folder and not os.path.isdir(folder):
        return f"{shown}: folder {safe(folder)} does not exist (create it first)"
    return None


def next_steps(target: str) -> list[str]:
    """What to run next on the new file, as `cargo new` says: lint, render, show."""
    arg = shlex.quote(safe(target))
    picture = shlex.quote(safe(os.path.splitext(target)[0] + ".svg"))
    steps = [
        (f"blueprint lint {arg}", "check it: no findings to start with"),
        (f"blueprint render {arg}", f"draw it: {picture}"),
        (f"blueprint show {arg}", "read it as a table in the terminal"),
    ]
    width = max(len(command) for command, _ in steps)
    return [f"{command.ljust(width)}  # {why}" for command, why in steps]


def run_init(options: InitOptions) -> InitResult:
    """Write the chosen starter to ``options.target`` (or stdout), or list the starters."""
    if options.list_only:
        return InitResult(text=listing())
    template = resolve(options.template)
    if template is None:
        return InitResult(errors=[unknown(options.template)])
    result = InitResult(template=template)
    text = starter_text(template)
    if options.title is not None:
        if not options.title.strip():
            result.errors.append("--title: a title cannot be empty")
            return result
        text = with_title(text, options.title)
    data = text.encode("utf-8")
    target = options.target
    if target == STDOUT:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return result
    problem = target_problem(target)
    if problem is not None:
        result.errors.append(problem)
        return result
    if not target.lower().endswith(YAML_SUFFIXES):
        result.warnings.append(
            f"{safe(target)}: not named .yaml or .yml; `blueprint lint DIR` only finds "
            "blueprints named so (name the file itself to lint it)"
        )
    try:
        write_new(target, data)
    except FileExistsError:  # created between the check and the write
        result.errors.append(
            f"{safe(target)}: already exists; not overwritten (choose another name)"
        )
        return result
    except OSError as exc:
        result.errors.append(f"{safe(target)}: {exc.strerror or exc}")
        return result
    result.written = safe(target)
    return result
