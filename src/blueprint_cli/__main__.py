"""``python -m blueprint_cli`` and the ``blueprint`` command."""

from __future__ import annotations


def main() -> None:
    from blueprint_cli.cli import app

    app()


if __name__ == "__main__":
    main()
