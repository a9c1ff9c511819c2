"""Configuration: ``[tool.blueprint]`` in pyproject.toml, or blueprint.toml / .blueprint.toml.

The nearest configuration file is found by walking up from each checked file (from the
current directory for stdin and for run-wide settings such as ``fail-on``), as ruff
and yamllint users expect. Command-line options override it.

    [tool.blueprint]                 # in blueprint.toml: the same keys at the top level
    select = ["BP0", "BP1"]          # codes, prefixes, rule names, or "ALL"; default: all
    ignore = ["BP113", "isolated-action"]
    fail-on = "warning"              # error (default), warning or info
    include = ["*.yaml", "*.yml"]    # files taken from directories (globs on the path)
    exclude = ["drafts/*"]
    high-risk-rpn = 150              # options of rules (see `blueprint rules CODE`)
    max-file-size-mb = 20            # limits (see README, "Limits and safety")
    max-depth = 100
    max-alias-nodes = 50000
    max-render-steps = 2000

    [tool.blueprint.severity]        # per-rule severity overrides
    BP101 = "error"
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from blueprint_cli.findings import Severity
from blueprint_cli.load import DEFAULT_LIMITS, Limits

CONFIG_FILES = ("blueprint.toml", ".blueprint.toml", "pyproject.toml")
_BASE_KEYS = (
    "select",
    "ignore",
    "fail-on",
    "severity",
    "include",
    "exclude",
    "max-file-size-mb",
    "max-depth",
    "max-alias-nodes",
    "max-render-steps",
)
MAX_RENDER_STEPS = 2000
DEFAULT_INCLUDE = ("*.yaml", "*.yml")


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file."""


@dataclass(frozen=True, slots=True)
class Settings:
    """What applies to one file: which rules run, at which severity, with which options."""

    enabled: frozenset[str]
    severity: Mapping[str, Severity]
    options: Mapping[str, Mapping[str, Any]]  # code -> option values
    fail_on: Severity = Severity.ERROR
    path: str | None = None  # the configuration file, if any
    include: tuple[str, ...] = DEFAULT_INCLUDE  # globs for files found in directories
    exclude: tuple[str, ...] = ()
    limits: Limits = DEFAULT_LIMITS
    max_render_steps: int = MAX_RENDER_STEPS


@dataclass(slots=True)
class Overrides:
    """Command-line options: each, when given, replaces the configuration's value."""

    select: list[str] | None = None
    ignore: list[str] | None = None
    fail_on: Severity | None = None
    config: str | None = None  # use this file for every path instead of searching


@dataclass(slots=True)
class Resolver:
    """Settings for each file, from the nearest configuration and the overrides."""

    overrides: Overrides = field(default_factory=Overrides)
    _by_dir: dict[str, Path | None] = field(default_factory=dict)
    _by_file: dict[Path | None, Settings] = field(default_factory=dict)

    _by_parent: dict[str, Settings] = field(default_factory=dict)  # a file's directory as written

    def for_path(self, path: str | None) -> Settings:
        """Settings for a file (None: stdin, resolved from the current directory)."""
        if path is None:
            return self._resolve(None)
        parent = os.path.dirname(path)  # a thousand files in a folder: one search
        settings = self._by_parent.get(parent)
        if settings is None:
            settings = self._by_parent[parent] = self._resolve(path)
        return settings

    def _resolve(self, path: str | None) -> Settings:
        if self.overrides.config is not None:
            config_path: Path | None = Path(self.overrides.config)
        else:
            start = os.path.dirname(os.path.abspath(path)) if path else os.getcwd()
            config_path = self._find(start)
        if config_path not in self._by_file:
            table = read_table(config_path) if config_path is not None else {}
            self._by_file[config_path] = build_settings(table, self.overrides, config_path)
        return self._by_file[config_path]

    def _find(self, directory: str) -> Path | None:
        walked = []
        found: Path | None = None
        current = directory
        while True:
            if current in self._by_dir:
                found = self._by_dir[current]
                break
            walked.append(current)
            found = _config_in(current)
            if found is not None:
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        for d in walked:
            self._by_dir[d] = found
        return found


def _config_in(directory: str) -> Path | None:
    for name in CONFIG_FILES:
        candidate = Path(directory, name)
        if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
            return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False  # not ours to complain about unless it names [tool.blueprint]
    return isinstance(data.get("tool"), dict) and "blueprint" in data["tool"]


def read_table(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("blueprint", {})
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.blueprint] must be a table")
        return table
    return data


def build_settings(table: dict[str, Any], overrides: Overrides, path: Path | None) -> Settings:
    """A configuration table and the command-line overrides -> Settings. Checks every key."""
    from blueprint_cli.rules import RULES, expand, lookup

    where = f"{path}: " if path is not None else ""
    option_keys = {key: code for code, rule in RULES.items() for key in rule.options}
    known = [*_BASE_KEYS, *option_keys]
    for key in table:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(known)})"
            raise ConfigError(f"{where}unknown key {key!r}{hint}")

    def codes(name: str, value: Any) -> set[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}{name!r} must be a list of rule codes or names")
        found, unknown = expand(value)
        if unknown:
            raise ConfigError(f"{where}{name}: unknown rule {unknown[0]!r}")
        return found

    select = overrides.select if overrides.select is not None else table.get("select")
    enabled = codes("select", select) if select is not None else set(RULES)
    ignore = overrides.ignore if overrides.ignore is not None else table.get("ignore", [])
    enabled -= codes("ignore", ignore)

    severity = {code: rule.severity for code, rule in RULES.items()}
    overrides_table = table.get("severity", {})
    if not isinstance(overrides_table, dict):
        raise ConfigError(f"{where}'severity' must be a table of rule = severity")
    for key, value in overrides_table.items():
        rule = lookup(key)
        if rule is None:
            raise ConfigError(f"{where}severity: unknown rule {key!r}")
        severity[rule.code] = _severity(value, f"{where}severity.{key}")

    options = {code: dict(rule.options) for code, rule in RULES.items() if rule.options}
    for key, code in option_keys.items():
        if key in table:
            default = RULES[code].options[key]
            value = table[key]
            if type(value) is not type(default):
                raise ConfigError(
                    f"{where}{key!r} must be {type(default).__name__}, like {default!r}"
                )
            options[code][key] = value

    fail_on = overrides.fail_on
    if fail_on is None:
        fail_on = _severity(table.get("fail-on", "error"), f"{where}fail-on")
    globs = {}
    for key, default in (("include", DEFAULT_INCLUDE), ("exclude", ())):
        value = table.get(key, list(default))
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}{key!r} must be a list of glob patterns")
        globs[key] = tuple(value)
    sizes = {}
    for key, default in (
        ("max-file-size-mb", DEFAULT_LIMITS.max_bytes // (1024 * 1024)),
        ("max-depth", DEFAULT_LIMITS.max_depth),
        ("max-alias-nodes", DEFAULT_LIMITS.max_alias_nodes),
        ("max-render-steps", MAX_RENDER_STEPS),
    ):
        value = table.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"{where}{key!r} must be a positive whole number, like {default}")
        sizes[key] = value
    limits = Limits(
        sizes["max-file-size-mb"] * 1024 * 1024, sizes["max-depth"], sizes["max-alias-nodes"]
    )
    return Settings(
        frozenset(enabled),
        severity,
        options,
        fail_on,
        str(path) if path is not None else None,
        globs["include"],
        globs["exclude"],
        limits,
        sizes["max-render-steps"],
    )


def _severity(value: Any, where: str) -> Severity:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: must be one of error, warning, info")
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None
