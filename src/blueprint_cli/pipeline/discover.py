"""Command-line paths -> the files to read: files, directories walked, '-' for stdin.

Which files a directory gives is decided by the settings that apply there (``include``,
``exclude``, globs relative to the configuration file's folder, or file and folder
names), and only its blueprints are taken: YAML files without a top-level ``blueprint``
key (a CI workflow, a compose file) are skipped (``load.sniff``). A file named on the
command line is always taken, unless ``force_exclude`` is set and the configuration
excludes it, or ``only_blueprints`` is set and it is not a blueprint: pre-commit passes
every changed YAML file by name.

Problems with paths (missing, unreadable, not a regular file) and with configuration
files are *recorded* as one-line errors, never raised: one bad path never stops the
others.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from blueprint_cli.config import ConfigError, Resolver, Settings, matches, relative_to
from blueprint_cli.load import MAX_FILE_BYTES, read_limited
from blueprint_cli.load.sniff import is_blueprint_file, is_observation_file
from blueprint_cli.text import name as safe

STDIN = "-"


@dataclass(frozen=True, slots=True)
class Source:
    """One file to check. ``name`` is how it is shown; ``path`` is None for stdin."""

    name: str
    path: str | None

    def read(self, max_bytes: int = MAX_FILE_BYTES) -> bytes:
        """The file's bytes, at most one past ``max_bytes`` (the loader reports the excess)."""
        if self.path is None:
            return read_limited(sys.stdin.buffer, max_bytes)
        with open(self.path, "rb") as handle:
            return read_limited(handle, max_bytes)


@dataclass(slots=True)
class Discovery:
    sources: list[Source] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: directories that gave no blueprint: (directory, YAML files skipped as not blueprints)
    empty_dirs: list[tuple[str, int]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files that are not blueprints
    warnings: list[str] = field(default_factory=list)
    roots: dict[str, str] = field(default_factory=dict)  # file -> the directory it was found in

    def error(self, message: str) -> None:
        if message not in self.errors:
            self.errors.append(message)


def _included(rel: str, path: str, settings: Settings) -> bool:
    return _matches(rel, path, settings.root, settings.include, folders=False)


def _excluded(rel: str, path: str, settings: Settings) -> bool:
    return _matches(rel, path, settings.root, settings.exclude, folders=True)


def _matches(
    rel: str, path: str, root: str | None, patterns: tuple[str, ...], *, folders: bool
) -> bool:
    """Does a glob match the file: relative to the configuration's folder when it is below
    it, else relative to the directory walked?"""
    if not patterns:
        return False
    below_config = relative_to(path, root)
    return matches(below_config if below_config is not None else rel, patterns, folders)


def _outside(path: str, trees: tuple[str, ...]) -> bool:
    """Is ``path`` reached through a symbolic link (the file's own, or a folder's on the
    way) to a place outside every one of ``trees``?"""
    target = os.path.realpath(path)
    if target == os.path.abspath(path):
        return False  # no link on the way
    return not any(
        target == tree or target.startswith(tree.rstrip(os.sep) + os.sep) for tree in trees
    )


def _named_outside(path: str, trees: tuple[str, ...]) -> bool:
    """``_outside`` for a path named on the command line: only a path written inside the
    current directory can be a link a pull request added; one written elsewhere (an
    absolute path through a linked home folder) is the user's own choice."""
    here = os.getcwd()
    written = os.path.abspath(path)
    if written != here and not written.startswith(here.rstrip(os.sep) + os.sep):
        return False
    return _outside(path, trees)


def _link_warning(path: str, tree: str) -> str:
    return (
        f"{safe(path)}: not read: a link to a file outside {safe(tree)} "
        "(--follow-external-links reads it)"
    )


def discover(
    paths: Iterable[str],
    resolver: Resolver,
    stdin_name: str = "<stdin>",
    force_exclude: bool = False,
    external_links: bool = False,
    only_blueprints: bool = False,
    kind: str = "blueprint",
) -> Discovery:
    """Expand paths in the order given; directories are walked in sorted order, and
    give their blueprints only (so do files named, with ``only_blueprints``).

    A file reached through a symbolic link that leaves the tree (the directory walked;
    for a file named on the command line, the current directory or the link's own) is
    not read unless ``external_links``: a pull request must not make CI print a secret
    it links to.

    ``kind`` is what the run takes: blueprints, or the observations of audit visits
    (``observation: 1``), which a walk of a folder of blueprints skips and a walk for an
    audit takes alone."""
    found = Discovery()
    wanted = is_observation_file if kind == "observation" else is_blueprint_file
    seen: set[object] = set()

    def add(source: Source, key: object) -> None:
        if key not in seen:  # the same file named twice, or reached through a link
            seen.add(key)
            found.sources.append(source)

    for path in paths:
        if path == STDIN:
            add(Source(safe(stdin_name), None), STDIN)
            continue
        try:
            info = os.stat(path)
        except FileNotFoundError:
            found.error(f"{safe(path)}: no such file or directory")
            continue
        except OSError as exc:
            found.error(f"{safe(path)}: {exc.strerror or exc}")
            continue
        if stat.S_ISDIR(info.st_mode):
            cwd = (os.path.realpath(os.getcwd()),)
            if not external_links and _named_outside(path.rstrip("/") or path, cwd):
                found.warnings.append(_link_warning(path, "the current directory"))
                continue
            before = len(found.skipped)
            files = _walk(path, found, resolver, external_links, wanted)
            if not files:
                found.empty_dirs.append((path, len(found.skipped) - before))
            for file, key in files:
                found.roots.setdefault(file, path)
                add(Source(safe(file), file), key)
        elif stat.S_ISREG(info.st_mode):
            parent = os.path.dirname(path) or "."
            here: tuple[str, ...] = (os.path.realpath(os.getcwd()),)
            if os.path.realpath(parent) == os.path.abspath(parent):  # no link to the folder
                here += (os.path.abspath(parent),)
            if not external_links and _named_outside(path, here):
                found.warnings.append(_link_warning(path, "the current directory"))
                continue
            if force_exclude or only_blueprints:
                try:
                    settings = resolver.for_path(path)
                except ConfigError as exc:
                    found.error(str(exc))
                    continue
                if force_exclude and _excluded(os.path.basename(path), path, settings):
                    continue
                if only_blueprints and not wanted(path, settings.limits.max_bytes):
                    found.skipped.append(safe(path))
                    continue
            add(Source(safe(path), path), _identity(path, info))
        else:
            found.error(f"{safe(path)}: not a regular file")
    return found


def _walk(
    top: str,
    found: Discovery,
    resolver: Resolver,
    external_links: bool,
    wanted: Callable[[str, int], bool] = is_blueprint_file,
) -> list[tuple[str, object]]:
    """Matching blueprints under ``top``, sorted, with their identity (device, inode);
    hidden and excluded directories are skipped, links to directories are not followed,
    and files that are not blueprints go to ``found.skipped``."""
    files: list[tuple[str, object]] = []
    tree = (os.path.realpath(top),)

    def on_error(exc: OSError) -> None:
        found.error(f"{safe(exc.filename)}: {exc.strerror or exc}")

    for root, dirs, names in os.walk(top, onerror=on_error):
        try:
            settings = resolver.for_directory(root)
        except ConfigError as exc:
            found.error(str(exc))
            dirs[:] = []
            continue
        below = os.path.relpath(root, top).replace(os.sep, "/")
        prefix = "" if below == "." else below + "/"
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".") and not _excluded(prefix + d, os.path.join(root, d), settings)
        )
        for name in sorted(names):
            if name.startswith("."):
                continue
            full = os.path.join(root, name)
            rel = prefix + name
            if not _included(rel, full, settings) or _excluded(rel, full, settings):
                continue
            try:
                info = os.stat(full)
            except OSError:
                continue  # a dangling link or a file that vanished: nothing to check
            if not stat.S_ISREG(info.st_mode):
                continue
            if not external_links and _outside(full, tree):
                found.warnings.append(_link_warning(full, top))
                continue
            if not wanted(full, settings.limits.max_bytes):
                found.skipped.append(safe(full))
                continue
            files.append((full, _identity(full, info)))
    return files


def _identity(path: str, info: os.stat_result) -> object:
    """What makes two names one file: device and inode (hard links and symlinks are one
    file), or the resolved path where the file system gives no inode numbers (0)."""
    if info.st_ino:
        return (info.st_dev, info.st_ino)
    return os.path.realpath(path)
