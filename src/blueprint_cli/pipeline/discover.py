"""Command-line paths -> the files to read: files, directories walked, '-' for stdin.

Problems with paths (missing, unreadable, not a regular file) are *recorded* as one-line
errors, never raised: one bad path never stops the others.
"""

from __future__ import annotations

import fnmatch
import os
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

from blueprint_cli.load import MAX_FILE_BYTES, read_limited

SUFFIX_GLOBS = ("*.yaml", "*.yml")
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
    empty_dirs: list[str] = field(default_factory=list)  # directories with no blueprint files


def discover(
    paths: Iterable[str],
    stdin_name: str = "<stdin>",
    include: tuple[str, ...] = SUFFIX_GLOBS,
    exclude: tuple[str, ...] = (),
) -> Discovery:
    """Expand paths in the order given; directories are walked in sorted order, taking the
    files that match ``include`` and not ``exclude`` (globs on the path below the
    directory, or on the file name). A file named on the command line is always taken."""
    found = Discovery()
    seen: set[object] = set()

    def add(source: Source, key: object) -> None:
        if key not in seen:  # the same file named twice, or reached through a link
            seen.add(key)
            found.sources.append(source)

    for path in paths:
        if path == STDIN:
            add(Source(stdin_name, None), STDIN)
            continue
        try:
            info = os.stat(path)
        except FileNotFoundError:
            found.errors.append(f"{path}: no such file or directory")
            continue
        except OSError as exc:
            found.errors.append(f"{path}: {exc.strerror or exc}")
            continue
        if stat.S_ISDIR(info.st_mode):
            files = _walk(path, found.errors, include, exclude)
            if not files:
                found.empty_dirs.append(path)
            for file, key in files:
                add(Source(file, file), key)
        elif stat.S_ISREG(info.st_mode):
            add(Source(path, path), _identity(path, info))
        else:
            found.errors.append(f"{path}: not a regular file")
    return found


def _matches(rel: str, patterns: tuple[str, ...]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(rel, p) or fnmatch.fnmatchcase(name, p) for p in patterns)


def _walk(
    top: str, errors: list[str], include: tuple[str, ...], exclude: tuple[str, ...]
) -> list[tuple[str, object]]:
    """Matching files under ``top``, sorted, with their identity (device, inode); hidden
    directories are skipped, and links to directories are not followed (no loops)."""
    files: list[tuple[str, object]] = []

    def on_error(exc: OSError) -> None:
        errors.append(f"{exc.filename}: {exc.strerror or exc}")

    for root, dirs, names in os.walk(top, onerror=on_error):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        below = os.path.relpath(root, top).replace(os.sep, "/")
        prefix = "" if below == "." else below + "/"
        for name in sorted(names):
            if name.startswith("."):
                continue
            rel = prefix + name
            if _matches(rel, include) and not _matches(rel, exclude):
                full = os.path.join(root, name)
                try:
                    info = os.stat(full)
                except OSError:
                    continue  # a dangling link or a file that vanished: nothing to check
                if stat.S_ISREG(info.st_mode):
                    files.append((full, _identity(full, info)))
    return files


def _identity(path: str, info: os.stat_result) -> object:
    """What makes two names one file: device and inode (hard links and symlinks are one
    file), or the resolved path where the file system gives no inode numbers (0)."""
    if info.st_ino:
        return (info.st_dev, info.st_ino)
    return os.path.realpath(path)
