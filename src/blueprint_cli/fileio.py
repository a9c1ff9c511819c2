"""Writing files the safe way: never half-written, never onto a blueprint."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile

from blueprint_cli.text import name as safe


def write_atomic(
    target: str, data: bytes, mode: int | None = None, owner: tuple[int, int] | None = None
) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same directory; with
    ``mode``, the file gets those permission bits, and with ``owner`` (uid, gid) that
    owner where this process may give it (a file rewritten keeps its own)."""
    directory = os.path.dirname(os.path.abspath(target))
    os.makedirs(directory, exist_ok=True)
    tmp = _temporary(target, data, mode)
    if owner is not None and hasattr(os, "chown"):
        with contextlib.suppress(OSError):  # only root may give a file away
            os.chown(tmp, *owner)
    try:
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _temporary(target: str, data: bytes, mode: int | None = None) -> str:
    """A temporary file beside ``target`` holding ``data``, with ``mode`` (default: a new
    file's, as the umask makes it); its path."""
    directory = os.path.dirname(os.path.abspath(target))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(target)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask if mode is None else mode)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


YAML_SUFFIXES = (".yaml", ".yml")


def same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def refusal(target: str, inputs: list[str], what: str) -> str | None:
    """Why ``what`` may not be written to ``target``: it is one of the inputs, or a YAML
    file (a blueprint, or something else a user wrote). None when it may."""
    for path in inputs:
        if same_file(path, target):
            shown, blueprint = safe(target), safe(path)
            if shown == blueprint:  # named as the input: say it once
                return f"{shown}: writing the {what} there would overwrite the blueprint itself"
            return f"{shown}: writing the {what} there would overwrite the blueprint {blueprint}"
    if target.lower().endswith(YAML_SUFFIXES):
        return f"{safe(target)}: refusing to write the {what} to a YAML file"
    return None


def stdout_to_devnull() -> None:
    """After a closed pipe (``blueprint ... | head``): point stdout at /dev/null, so that
    Python's flush at exit does not fail again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def write_new(target: str, data: bytes) -> None:
    """Create ``target`` holding ``data``, never replacing anything already there.

    The data goes to a temporary file in the same directory, which is then hard-linked
    to ``target``: the link fails with FileExistsError when any entry has the name (a
    file, a directory, a dangling symlink), even one created a moment before, and a
    reader never sees the file half-written. Where hard links are not supported, the
    file is created with O_EXCL (still never over anything) and written in place. The
    directory must exist: a new file's folder is not created for it.
    """
    tmp = _temporary(target, data)
    try:
        try:
            os.link(tmp, target)
        except FileExistsError:
            raise
        except OSError:  # no hard links here (some network and FAT file systems)
            _write_exclusive(target, data)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _write_exclusive(target: str, data: bytes) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise
