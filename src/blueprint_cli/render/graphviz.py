"""Running Graphviz: DOT text -> SVG, PNG or PDF bytes. Kept apart from building the DOT."""

from __future__ import annotations

GRAPHVIZ_FORMATS = ("svg", "png", "pdf", "json")  # json: for geometry tests
PNG_MAX_PIXELS = 32_767  # Graphviz's (cairo's) limit on either side of a bitmap
PNG_DPI = 144.0

#: what render adds to the hint (a page that embeds the picture has no --format dot)
DOT_HINT = "; '--format dot' works without it"
INSTALL_HINT = (
    "Graphviz is not installed (no 'neato' on PATH): install it with "
    "'apt-get install graphviz' (Debian, Ubuntu), 'brew install graphviz' (macOS) or "
    f"'choco install graphviz' (Windows){DOT_HINT}"
)


class RenderError(Exception):
    """Graphviz is missing or failed; the message is one line for the user."""


def png_dpi(width: float, height: float) -> tuple[float, bool]:
    """The resolution for a PNG of a canvas in points, and whether it had to be lowered."""
    largest = max(width, height, 1.0)
    fit = (PNG_MAX_PIXELS - 64) * 72 / largest
    return (PNG_DPI, False) if fit >= PNG_DPI else (max(int(fit), 1), True)


def run_graphviz(dot: str, fmt: str) -> bytes:
    """``neato -n2``: positions are all given, Graphviz only draws."""
    import graphviz

    if fmt not in GRAPHVIZ_FORMATS:
        raise ValueError(fmt)
    try:
        data: bytes = graphviz.pipe("neato", fmt, dot.encode("utf-8"), neato_no_op=2, quiet=True)
        return data
    except graphviz.ExecutableNotFound:
        raise RenderError(INSTALL_HINT) from None
    except graphviz.CalledProcessError as exc:
        stderr = exc.stderr.decode("utf-8", "replace") if isinstance(exc.stderr, bytes) else ""
        first = next(
            (line for line in stderr.splitlines() if line.strip()), f"exit {exc.returncode}"
        )
        raise RenderError(f"Graphviz failed: {first.strip()}") from None
