"""``blueprint --version``: the package, the Python running it, and the Graphviz it
would draw with. Imports nothing heavy: it answers before typer is imported."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from blueprint_cli import __version__


def graphviz_version() -> str:
    """Graphviz's version as ``dot -V`` reports it, or "not found"."""
    dot = shutil.which("dot")
    if dot is None:
        return "not found"
    try:
        done = subprocess.run([dot, "-V"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return "not found"
    match = re.search(r"version\s+(\S+)", done.stderr + done.stdout)
    return match.group(1) if match else "unknown version"


def version_text() -> str:
    return (
        f"blueprint {__version__}\n"
        f"Python {'.'.join(map(str, sys.version_info[:3]))} ({sys.implementation.name})\n"
        f"Graphviz {graphviz_version()}\n"
    )
