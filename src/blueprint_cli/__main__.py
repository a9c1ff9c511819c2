"""``python -m blueprint_cli`` and the ``blueprint`` command.

Three answers come before typer is imported, as they are the ones paid for most often:
``--version``; ``blueprint lint FILE...`` with no options but ``--force-exclude``
and ``--only-blueprints`` (how pre-commit calls the hook, once per batch of changed
files); and ``blueprint diff OLD NEW`` with no options. All run the same code as
through typer; anything else goes through the command-line parser.
"""

from __future__ import annotations

import gc
import os
import sys

TYPE_CHECKING = False  # typing is not imported for --version and the fast paths
if TYPE_CHECKING:
    from typing import NoReturn

#: The exit code of a crash: never 1 ("problems found") or 2 (usage), so that CI tells
#: a bug in blueprint from a finding in a blueprint.
EXIT_INTERNAL = 3
REPORT_URL = "https://github.com/blueprint-cli/blueprint/issues"

#: The options `lint` may be given on the fast path: flags with no value.
FAST_LINT_FLAGS = frozenset({"--force-exclude", "--only-blueprints"})


def fast_lint_args(argv: list[str]) -> list[str] | None:
    """The paths of ``lint PATH... [--force-exclude] [--only-blueprints]``, or None for
    anything else."""
    if len(argv) < 2 or argv[0] != "lint":
        return None
    paths = [a for a in argv[1:] if a not in FAST_LINT_FLAGS]
    if not paths or any(a.startswith("-") and a != "-" for a in paths):
        return None
    return paths


def fast_diff_args(argv: list[str]) -> tuple[str, str] | None:
    """OLD and NEW of ``diff OLD NEW`` (two files, no options), or None for anything else
    (a directory is typer's to refuse, with its usage line)."""
    if len(argv) != 3 or argv[0] != "diff":
        return None
    old, new = argv[1], argv[2]
    if old.startswith("-") or new.startswith("-") or os.path.isdir(old) or os.path.isdir(new):
        return None
    return old, new


def without_pydantic_plugins() -> None:
    """The command runs no pydantic plugins (they are for applications that observe their
    own models), so it does not load pydantic's plugin finder: importing it costs
    ``importlib.metadata`` and a scan of every installed package, a quarter of a
    one-file lint. Anything else pydantic asks of that module comes from the real one."""
    name = "pydantic.plugin._loader"
    if name in sys.modules:
        return
    import types

    stub = types.ModuleType(name)

    def get_plugins() -> tuple[()]:
        return ()

    def real(attribute: str) -> object:  # pragma: no cover - pydantic asks only get_plugins
        if attribute.startswith("__"):  # what the import system asks of any module
            raise AttributeError(attribute)
        import importlib.util
        import os

        import pydantic.plugin

        path = os.path.join(os.path.dirname(pydantic.plugin.__file__), "_loader.py")
        spec = importlib.util.spec_from_file_location(name + "_real", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return getattr(module, attribute)

    stub.get_plugins = get_plugins  # type: ignore[attr-defined]
    stub.__getattr__ = real  # type: ignore[method-assign]
    sys.modules[name] = stub


def on_signals_exit() -> None:
    """SIGTERM and SIGHUP end the command as an exception would, so that a file being
    written is cleaned up (its temporary file removed) instead of left behind."""
    import signal

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)


def main() -> None:
    try:
        run(sys.argv[1:])
    except (SystemExit, KeyboardInterrupt):
        raise
    except BrokenPipeError:  # `blueprint ... | head`: the reader has gone, as under SIGPIPE
        from blueprint_cli.fileio import stdout_to_devnull

        stdout_to_devnull()
        raise SystemExit(128 + 13) from None
    except OSError as exc:
        import errno

        if exc.errno not in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            _internal(exc)
        # a full disk (or `> /dev/full`): the user's to fix, not a bug; what is left in
        # the buffers is dropped instead of failing again at exit
        from blueprint_cli.fileio import stdout_to_devnull

        stdout_to_devnull()
        sys.stderr.write(f"blueprint: error: cannot write: {exc.strerror or exc}\n")
        raise SystemExit(2) from None
    except Exception as exc:  # a bug: one line, a hint, and a code of its own
        _internal(exc)


def _internal(exc: Exception) -> NoReturn:
    """A bug: one line, a hint, and an exit code of its own."""
    detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    sys.stderr.write(
        f"blueprint: internal error: {_visible(detail)}\n"
        f"blueprint: this is a bug in blueprint, not in your files: please report it at "
        f"{REPORT_URL} (with the command; PYTHONTRACEBACK=1 shows where)\n"
    )
    if os.environ.get("PYTHONTRACEBACK"):
        import traceback

        traceback.print_exc()
    raise SystemExit(EXIT_INTERNAL) from None


def _visible(text: str) -> str:
    from blueprint_cli.text import one_line

    return one_line(text)


def run(argv: list[str]) -> None:
    for name in ("stdout", "stderr"):  # started with a closed descriptor (`>&-`)
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w"))  # noqa: SIM115 - for the whole run
    if argv in (["--version"], ["-V"]):
        from blueprint_cli.about import version_text

        sys.stdout.write(version_text())
        return
    without_pydantic_plugins()
    on_signals_exit()
    from blueprint_cli.pipeline import gcpolicy

    gcpolicy.for_batch()
    try:
        paths = fast_lint_args(argv)
        if paths is not None:
            from blueprint_cli.pipeline.lint import LintRequest, run_lint
            from blueprint_cli.pipeline.run import RunOptions

            options = RunOptions(
                force_exclude="--force-exclude" in argv,
                only_blueprints="--only-blueprints" in argv,
            )
            code = run_lint(LintRequest(paths, options))
            sys.stdout.flush()
            raise SystemExit(code)
        pair = fast_diff_args(argv)
        if pair is not None:
            from blueprint_cli.pipeline.diff import DiffRequest, run_diff

            code = run_diff(DiffRequest(*pair))
            sys.stdout.flush()
            raise SystemExit(code)
        from blueprint_cli.cli import app

        app()
    finally:
        gc.freeze()  # what is left is freed by the exit: no last collection over it


if __name__ == "__main__":
    main()
