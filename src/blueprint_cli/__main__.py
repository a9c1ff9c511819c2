"""``python -m blueprint_cli`` and the ``blueprint`` command."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):  # answered before typer is even imported
        from blueprint_cli.about import version_text

        sys.stdout.write(version_text())
        return
    from blueprint_cli.cli import app
    from blueprint_cli.pipeline import gcpolicy

    gcpolicy.for_batch()
    app()


if __name__ == "__main__":
    main()
