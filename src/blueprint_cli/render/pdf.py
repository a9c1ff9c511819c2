"""A PDF in pages: Graphviz draws the whole diagram on one page, pypdf cuts it.

The drawing becomes one form XObject, stored once; each page shows pieces of it (the
title, the lane strip, a run of step columns, part of the legend), each clipped to its
rectangle, as render/pages.py planned. The document's Title is the blueprint's. pypdf
is imported here, when a PDF is written, never by ``blueprint lint``.
"""

from __future__ import annotations

import dataclasses
import io

from blueprint_cli import __version__
from blueprint_cli.render.dot import Diagram
from blueprint_cli.render.layout import LANE_TITLE_W, MARGIN
from blueprint_cli.render.pages import MAX_SIDE, Geometry, Page, plan


def pdf_dot(diagram: Diagram) -> str:
    """The DOT for the PDF Graphviz draws: no pad or margin, and an invisible point at two
    corners, so that its page is the diagram's canvas exactly (Graphviz sizes a page by
    what is drawn, not by ``bb``)."""
    corners = tuple(
        f'  "pdf:corner:{i}" [shape=point, style=invis, width=0, height=0, fixedsize=true, '
        f'label="", pos="{x:.2f},{y:.2f}!"];'
        for i, (x, y) in enumerate(((0.0, 0.0), (diagram.width, diagram.height)))
    )
    attrs = (*diagram.graph_attrs, "pad=0", "margin=0")
    return dataclasses.replace(diagram, graph_attrs=attrs, body=(*diagram.body, *corners)).text()


def geometry(diagram: Diagram) -> Geometry:
    top, bottom = diagram.grid
    return Geometry(
        width=diagram.width,
        height=diagram.height,
        strip=MARGIN + LANE_TITLE_W,
        grid_top=top,
        grid_bottom=bottom,
        cuts=diagram.cuts,
        rows=diagram.rows,
        legend_w=diagram.legend_width,
    )


def paginate(data: bytes, diagram: Diagram, paper: str | None) -> tuple[bytes, str | None]:
    """The PDF Graphviz drew from ``pdf_dot``, in pages, with its Title; and a warning
    when it had to be scaled down without paper."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        StreamObject,
    )

    drawn = PdfReader(io.BytesIO(data)).pages[0]
    box = drawn.mediabox
    canvas_h = float(box.height)
    writer = PdfWriter()
    contents = drawn["/Contents"].get_object()
    parts = [p.get_object() for p in contents] if isinstance(contents, ArrayObject) else [contents]
    resources = drawn["/Resources"].get_object()
    assert isinstance(resources, DictionaryObject)  # Graphviz (cairo) always gives them
    form = DecodedStreamObject()
    form.set_data(b"\n".join(p.get_data() for p in parts if isinstance(p, StreamObject)))
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in box),
            NameObject("/Resources"): resources.clone(writer),
        }
    )
    form_ref = writer._add_object(form.flate_encode())
    pages = plan(geometry(diagram), paper)
    for page in pages.pages:
        blank = writer.add_blank_page(page.width, page.height)
        blank[NameObject("/Resources")] = DictionaryObject(
            {
                NameObject("/XObject"): DictionaryObject({NameObject("/D"): form_ref}),
            }
        )
        stream = DecodedStreamObject()
        stream.set_data(_content(page, canvas_h))
        blank[NameObject("/Contents")] = writer._add_object(stream)
    producer = f"blueprint {__version__}"
    writer.add_metadata({"/Title": diagram.name, "/Producer": producer, "/Creator": producer})
    out = io.BytesIO()
    writer.write(out)
    warning = None
    if paper is None and pages.scale < 1:
        warning = (
            f"the PDF is drawn at {pages.scale:.0%} to keep its pages within {MAX_SIDE:,.0f} "
            "points (200 inches), what PDF readers show; give --paper, or draw one phase at "
            "a time with --phase"
        )
    return out.getvalue(), warning


def _content(page: Page, canvas_h: float) -> bytes:
    """The page's drawing: each piece, clipped, the drawing moved and scaled under it."""
    ops = []
    h = page.height
    for p in page.pieces:
        left, top, right, bottom = p.src
        s = p.scale
        w, ht = (right - left) * s, (bottom - top) * s
        tx, ty = p.x - left * s, h - p.y - (canvas_h - top) * s
        ops.append(
            f"q {p.x:.3f} {h - p.y - ht:.3f} {w:.3f} {ht:.3f} re W n "
            f"{s:.6f} 0 0 {s:.6f} {tx:.3f} {ty:.3f} cm /D Do Q"
        )
    return "\n".join(ops).encode("ascii")
