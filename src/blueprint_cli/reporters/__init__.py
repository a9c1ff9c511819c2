"""Reporters, chosen by name. Each turns a Report into text on a stream."""

from __future__ import annotations

import importlib
from typing import Protocol, TextIO

from blueprint_cli.findings import Report


class Reporter(Protocol):
    def __call__(
        self, result: Report, out: TextIO, *, color: bool, quiet: bool = False
    ) -> None: ...


# name -> "module:function", imported only when chosen (rich stays out of start-up)
REPORTERS: dict[str, str] = {
    "text": "blueprint_cli.reporters.text:report",
    "json": "blueprint_cli.reporters.json:report",
    "sarif": "blueprint_cli.reporters.sarif:report",
    "github": "blueprint_cli.reporters.github:report",
    "junit": "blueprint_cli.reporters.junit:report",
    "gitlab": "blueprint_cli.reporters.gitlab:report",
}


def get_reporter(name: str) -> Reporter:
    module, _, func = REPORTERS[name].partition(":")
    reporter: Reporter = getattr(importlib.import_module(module), func)
    return reporter
