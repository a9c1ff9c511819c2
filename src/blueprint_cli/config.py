"""Configuration: ``[tool.blueprint]`` in pyproject.toml, or blueprint.toml / .blueprint.toml.

The nearest configuration file is found by walking up from each checked file (from the
current directory for stdin and for run-wide settings such as ``fail-on``), as ruff
and yamllint users expect, up to the project's root (a ``.git``, or a
``pyproject.toml``) and never above it. Command-line options override it.

    [tool.blueprint]                 # in blueprint.toml: the same keys at the top level
    select = ["BP0", "BP1"]          # codes, prefixes, rule names, or "ALL"; default: all
    ignore = ["BP113", "isolated-action"]
    fail-on = "warning"              # error (default), warning or info
    include = ["*.yaml", "*.yml"]    # files taken from directories (globs on the path)
    exclude = ["drafts/*"]           # globs relative to this file's folder, or file names
    per-file-ignores = {"legacy/*" = ["BP1"]}  # rules not run on the files a glob matches
    high-risk-rpn = 150              # options of rules (see `blueprint rules CODE`)
    max-file-size-mb = 20            # limits (see README, "Limits and safety")
    max-depth = 100
    max-alias-nodes = 50000
    max-render-steps = 2000

    [tool.blueprint.severity]        # per-rule severity overrides
    BP101 = "error"

    [tool.blueprint.audit]           # blueprint audit report
    weights = {evidence = 1, wait = 2, "fail point" = 3}  # per kind of check; default 1
    critical = ["no-reservation", "register"]  # ids whose miss fails the visit
    occurrence-scale = [[0.5, 10], [0.333, 9]]  # rate -> FMEA occurrence, descending
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from blueprint_cli.findings import Severity
from blueprint_cli.load import DEFAULT_LIMITS, Limits
from blueprint_cli.text import name as safe
from blueprint_cli.text import quote

CONFIG_FILES = ("blueprint.toml", ".blueprint.toml", "pyproject.toml")
_BASE_KEYS = (
    "select",
    "ignore",
    "fail-on",
    "severity",
    "include",
    "exclude",
    "per-file-ignores",
    "max-file-size-mb",
    "max-depth",
    "max-alias-nodes",
    "max-render-steps",
    "audit",
)
_AUDIT_KEYS = ("weights", "critical", "occurrence-scale")
MAX_RENDER_STEPS = 2000
#: The highest value each limit may be raised to: past these, a file is an attack.
LIMIT_MAXIMA = {
    "max-file-size-mb": 1024,
    "max-depth": 1000,  # the YAML parser's own limit
    "max-alias-nodes": 10_000_000,
    "max-render-steps": 100_000,
}
#: A configuration file is read only up to this size.
MAX_CONFIG_BYTES = 1024 * 1024
DEFAULT_INCLUDE = ("*.yaml", "*.yml")


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file, and the line
    and column where they are known. ``key`` is the key at fault, to find its line."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True, slots=True)
class AuditSettings:
    """``[tool.blueprint.audit]``: how ``blueprint audit report`` scores visits."""

    weights: tuple[tuple[str, float], ...] = ()  # (kind of check, weight); others weigh 1
    critical: frozenset[str] = frozenset()  # ids of evidence, actions or fail points
    occurrence_scale: tuple[tuple[float, int], ...] | None = None  # None: the default


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
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()  # (glob, codes)
    audit: AuditSettings = AuditSettings()

    @property
    def root(self) -> str | None:
        """The folder that globs are relative to: the configuration file's."""
        return os.path.dirname(os.path.abspath(self.path)) if self.path is not None else None


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
    _ignoring: dict[tuple[int, frozenset[str]], Settings] = field(default_factory=dict)

    def for_path(self, path: str | None) -> Settings:
        """Settings for a file (None: stdin, resolved from the current directory)."""
        if path is None:
            return self._resolve(None)
        parent = os.path.dirname(path)  # a thousand files in a folder: one search
        settings = self._by_parent.get(parent)
        if settings is None:
            settings = self._by_parent[parent] = self._resolve(path)
        if settings.per_file_ignores:
            return self._per_file(settings, path)
        return settings

    def for_directory(self, directory: str) -> Settings:
        """Settings for the files of a directory (its include and exclude)."""
        return self.for_path(os.path.join(directory, "*"))

    def _per_file(self, settings: Settings, path: str) -> Settings:
        rel = relative_to(path, settings.root)
        ignored: frozenset[str] = frozenset()
        for pattern, codes in settings.per_file_ignores:
            if rel is not None and matches(rel, (pattern,)):
                ignored |= codes
        if not ignored:
            return settings
        key = (id(settings), ignored)
        if key not in self._ignoring:
            self._ignoring[key] = replace(settings, enabled=settings.enabled - ignored)
        return self._ignoring[key]

    def _resolve(self, path: str | None) -> Settings:
        if self.overrides.config is not None:
            config_path: Path | None = Path(self.overrides.config)
        else:
            start = os.path.dirname(os.path.abspath(path)) if path else os.getcwd()
            config_path = self._find(start)
        if config_path not in self._by_file:
            if config_path is None:
                self._by_file[None] = build_settings({}, self.overrides, None)
            else:
                text, table = read_table(config_path)
                try:
                    settings = build_settings(table, self.overrides, config_path)
                except ConfigError as exc:
                    raise ConfigError(f"{_locate(config_path, text, exc.key)}{exc}") from None
                self._by_file[config_path] = settings
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
            if found is not None or _is_project_root(current):
                break  # never a configuration from above the project (a shared /tmp)
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        for d in walked:
            self._by_dir[d] = found
        return found


def _is_project_root(directory: str) -> bool:
    """A repository's root (``.git``), or a project's (its ``pyproject.toml``, even one
    that does not configure blueprint): the search for a configuration stops there."""
    return os.path.exists(os.path.join(directory, ".git")) or os.path.isfile(
        os.path.join(directory, "pyproject.toml")
    )


def _config_in(directory: str) -> Path | None:
    for name in CONFIG_FILES:
        candidate = Path(directory, name)
        if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
            return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    """Does this pyproject.toml configure blueprint? One that cannot be read is an error:
    whether it would have, nobody can tell, and a CI gate must not change without notice."""
    data = _parse_toml(path)[1]
    tool = data.get("tool")
    return isinstance(tool, dict) and "blueprint" in tool


def _parse_toml(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
        if len(raw) > MAX_CONFIG_BYTES:
            raise ConfigError(f"{safe(path)}: over 1 MiB: not a configuration file")
        text = raw.decode("utf-8")
    except OSError as exc:
        raise ConfigError(f"{safe(path)}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{safe(path)}:{_byte_position(path, exc.start)}: not UTF-8 text"
        ) from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = _TOML_AT.search(message)
        if at is not None and at.group(1):
            where = f"{at.group(1)}:{at.group(2)}"
        else:  # "(at end of document)"
            lines = text.split("\n")
            where = f"{len(lines)}:{len(lines[-1]) + 1}"
        raise ConfigError(
            f"{safe(path)}:{where}: invalid TOML: {_TOML_AT.sub('', message)}"
        ) from None


_TOML_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)")


def _byte_position(path: Path, offset: int) -> str:
    try:
        raw = path.read_bytes()[:offset]
    except OSError:  # pragma: no cover - it was just read
        return "1:1"
    line_start = raw.rfind(b"\n") + 1
    line = raw.count(b"\n") + 1
    return f"{line}:{len(raw[line_start:].decode('utf-8', 'replace')) + 1}"


def read_table(path: Path) -> tuple[str, dict[str, Any]]:
    """The configuration file's text and its blueprint table."""
    text, data = _parse_toml(path)
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("blueprint", {})
        if not isinstance(table, dict):
            raise ConfigError(f"{_locate(path, text, 'blueprint')}[tool.blueprint] must be a table")
        return text, table
    return text, data


def _locate(path: Path, text: str, key: str | None) -> str:
    """``path:line:col: `` of the line that sets ``key`` (its first part, for a dotted key
    or a table; ``audit.weights``: the ``weights`` line of the ``audit`` table when it is
    written there), or ``path: `` when it cannot be found."""
    if key is not None and key.startswith("audit."):
        table, _, rest = key.partition(".")
        header = re.compile(
            rf"^[ \t]*\[[ \t]*(?:tool\.)?(?:blueprint\.)?{re.escape(table)}[ \t]*\]", re.MULTILINE
        )
        found = header.search(text)
        if found is not None:
            inner = re.compile(
                rf"^[ \t]*[\"']?({re.escape(rest.split('.')[0])})[\"']?[ \t]*=", re.MULTILINE
            )
            end = re.compile(r"^[ \t]*\[", re.MULTILINE).search(text, found.end())
            match = inner.search(text, found.end(), end.start() if end else len(text))
            if match is not None:
                line = text.count("\n", 0, match.start()) + 1
                col = match.start(1) - (text.rfind("\n", 0, match.start(1)) + 1) + 1
                return f"{safe(path)}:{line}:{col}: "
    if key is not None:
        head = re.escape(key.split(".")[0])
        pattern = re.compile(
            rf"^[ \t]*(?:\[[ \t]*(?:tool\.)?(?:blueprint\.)?)?[\"']?({head})[\"']?[ \t]*[=.\]]",
            re.MULTILINE,
        )
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            col = match.start(1) - (text.rfind("\n", 0, match.start(1)) + 1) + 1
            return f"{safe(path)}:{line}:{col}: "
    return f"{safe(path)}: "


def relative_to(path: str, root: str | None) -> str | None:
    """``path`` relative to ``root``, with ``/``; None when it is not below it."""
    if root is None:
        return None
    rel = os.path.relpath(os.path.abspath(path), root)
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return None
    return rel.replace(os.sep, "/")


def matches(rel: str, patterns: tuple[str, ...], folders: bool = False) -> bool:
    """Does a glob match the relative path, or (a glob without ``/``) its file name, or
    with ``folders`` the name of a folder on the way?"""
    parts = rel.split("/")
    names = parts if folders else parts[-1:]
    for pattern in patterns:
        glob = pattern.rstrip("/")
        if fnmatch.fnmatchcase(rel, glob):
            return True
        if "/" not in glob and any(fnmatch.fnmatchcase(name, glob) for name in names):
            return True
    return False


def build_settings(table: dict[str, Any], overrides: Overrides, path: Path | None) -> Settings:
    """A configuration table and the command-line overrides -> Settings. Checks every key;
    a ConfigError names the key (the Resolver adds the file, line and column)."""
    from blueprint_cli.rules import RULES, expand, lookup, unknown_rule

    option_keys = {key: code for code, rule in RULES.items() for key in rule.options}
    known = [*_BASE_KEYS, *option_keys]
    for key in table:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(known)})"
            raise ConfigError(f"unknown key {quote(key)}{hint}", key)

    def codes(name: str, value: Any) -> set[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{name!r} must be a list of rule codes or names", name)
        found, unknown = expand(value)
        if unknown:
            raise ConfigError(f"{name}: {unknown_rule(unknown[0])}", name)
        return found

    select = overrides.select if overrides.select is not None else table.get("select")
    enabled = codes("select", select) if select is not None else set(RULES)
    ignore = overrides.ignore if overrides.ignore is not None else table.get("ignore", [])
    enabled -= codes("ignore", ignore)

    severity = {code: rule.severity for code, rule in RULES.items()}
    overrides_table = table.get("severity", {})
    if not isinstance(overrides_table, dict):
        raise ConfigError("'severity' must be a table of rule = severity", "severity")
    for key, value in overrides_table.items():
        rule = lookup(key)
        if rule is None:
            raise ConfigError(f"severity: {unknown_rule(key)}", "severity")
        severity[rule.code] = _severity(value, f"severity.{key}")

    ignores = table.get("per-file-ignores", {})
    if not isinstance(ignores, dict):
        raise ConfigError(
            "'per-file-ignores' must be a table of glob = [rule codes or names]",
            "per-file-ignores",
        )
    per_file = tuple(
        (glob, frozenset(codes(f"per-file-ignores.{glob}", value)))
        for glob, value in ignores.items()
    )

    options = {code: dict(rule.options) for code, rule in RULES.items() if rule.options}
    for key, code in option_keys.items():
        if key in table:
            default = RULES[code].options[key]
            value = table[key]
            if type(value) is not type(default):
                raise ConfigError(
                    f"{key!r} must be {type(default).__name__}, like {default!r}", key
                )
            low, high = RULES[code].ranges.get(key, (value, value))
            if not low <= value <= high:
                raise ConfigError(f"{key!r} must be from {low} to {high}, not {value!r}", key)
            options[code][key] = value

    fail_on = overrides.fail_on
    if fail_on is None:
        fail_on = _severity(table.get("fail-on", "error"), "fail-on")
    globs = {}
    for key, default in (("include", DEFAULT_INCLUDE), ("exclude", ())):
        value = table.get(key, list(default))
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{key!r} must be a list of glob patterns", key)
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
            raise ConfigError(f"{key!r} must be a positive whole number, like {default}", key)
        if value > LIMIT_MAXIMA[key]:
            raise ConfigError(f"{key!r} can be at most {LIMIT_MAXIMA[key]:,}", key)
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
        per_file,
        _audit(table.get("audit", {})),
    )


def _known(key: str, known: tuple[str, ...], what: str, at: str) -> str:
    if key in known:
        return key
    close = difflib.get_close_matches(key, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(known)})"
    raise ConfigError(f"{what} {quote(key)}{hint}", at)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _audit(table: Any) -> AuditSettings:
    """``[tool.blueprint.audit]`` checked: weights per kind of check, critical ids, and
    the occurrence scale (descending thresholds of the rate, each with its score)."""
    if table == {}:
        return AuditSettings()  # no audit table: lint does not import the audit's figures
    from blueprint_cli.analysis.audit import KINDS

    if not isinstance(table, dict):
        raise ConfigError("'audit' must be a table ([tool.blueprint.audit])", "audit")
    for key in table:
        _known(key, _AUDIT_KEYS, "unknown key", f"audit.{key}")
    weights: dict[str, float] = {}
    raw = table.get("weights", {})
    if not isinstance(raw, dict):
        raise ConfigError(
            "audit.weights must be a table of kind = weight, like {wait = 2}", "audit.weights"
        )
    for key, value in raw.items():
        kind = _known(key.replace("-", " "), KINDS, "audit.weights: unknown kind", "audit.weights")
        if not _number(value) or not 0 < value <= 1000:
            raise ConfigError(
                f"audit.weights.{key} must be a positive number (at most 1000), not {value!r}",
                "audit.weights",
            )
        weights[kind] = float(value)
    critical = table.get("critical", [])
    if not isinstance(critical, list) or not all(isinstance(c, str) and c for c in critical):
        raise ConfigError(
            "audit.critical must be a list of ids of evidence, actions or fail points",
            "audit.critical",
        )
    scale = None
    if "occurrence-scale" in table:
        scale = _scale(table["occurrence-scale"])
    return AuditSettings(
        tuple(sorted(weights.items(), key=lambda kv: KINDS.index(kv[0]))),
        frozenset(critical),
        scale,
    )


def _scale(value: Any) -> tuple[tuple[float, int], ...]:
    at = "audit.occurrence-scale"
    shape = f"{at} must be a list of [rate, score] pairs, like [[0.5, 10], [0.333, 9]]"
    if not isinstance(value, list) or not value:
        raise ConfigError(shape, at)
    out: list[tuple[float, int]] = []
    for pair in value:
        if not isinstance(pair, list) or len(pair) != 2 or not _number(pair[0]):
            raise ConfigError(shape, at)
        rate, score = pair
        if not 0 < rate <= 1:
            raise ConfigError(f"{at}: a rate is from 0 to 1 (visits), not {rate!r}", at)
        if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 10:
            raise ConfigError(f"{at}: a score is a whole number from 1 to 10, not {score!r}", at)
        if out and (rate >= out[-1][0] or score >= out[-1][1]):
            raise ConfigError(
                f"{at}: rates and scores must both descend ({list(out[-1])} then {pair})", at
            )
        out.append((float(rate), score))
    return tuple(out)


def _severity(value: Any, key: str) -> Severity:
    if not isinstance(value, str):
        raise ConfigError(f"{key}: must be one of error, warning, info", key)
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise ConfigError(f"{key}: {exc}", key) from None
