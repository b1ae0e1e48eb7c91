"""The sources pages of a slide: each route's line, then every footnote in full, with its link.

They follow the briefing page in the PDF, the deck's slide, and a PNG slide whose sources
do not all fit (``png_pages``). Each route's line gives its distance, flight time,
countries crossed and closed airspace with its sources as links
(:mod:`dashboard.export.route_notes`); each footnoted source its full address as a
clickable link. Nothing here loads a backend: the PNG's pages are drawn without loading
the PDF's.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from matplotlib.figure import Figure

from layers.sources import parse_source

from dashboard.export.briefing import BriefingSpec, PageSize
from dashboard.export.export_style import use_export_style
from dashboard.export.footnotes import SITE_POSITIONS_NOTE, SourceNote
from dashboard.export.furniture import INK, MUTED, draw_marking
from dashboard.export.route_notes import ROUTE_NOTES_HEADING, RouteNote

SOURCES_PT = 7.5
SOURCE_LINE = 1.35
URL_CHARS = 150
CLAIM_CHARS = 185


def build_source_pages(notes: list[SourceNote], spec: BriefingSpec, page: PageSize, *,
                       routes: Sequence[RouteNote] = ()) -> list[Figure]:
    """Return pages listing each route's line, then each footnote in full: number, outlet, link and claims supported.

    The figures are made under the exports' matplotlib settings, so their text is literal
    (no math text) even when this is called outside :func:`write_pdf`.
    """
    with use_export_style():
        return _draw_pages(notes, spec, page, routes)


def _draw_pages(notes: list[SourceNote], spec: BriefingSpec, page: PageSize,
                routes: Sequence[RouteNote]) -> list[Figure]:
    pages: list[Figure] = []
    line_in = SOURCES_PT * SOURCE_LINE / 72
    top_in, bottom_in = page.height_in - 0.75, 0.55
    rows_per_page = int((top_in - bottom_in) / line_in)
    # A footnote taller than a page (a source behind hundreds of claims) goes on over pages.
    room = max(rows_per_page - 1, 1)
    heading: list[tuple[str, str, str | None]] = [("", ROUTE_NOTES_HEADING, None)]
    laid_out = [*([heading] if routes else []), *map(_layout_route, routes), *map(_layout_note, notes)]
    blocks = [lines[start:start + room] for lines in laid_out for start in range(0, len(lines), room)]
    blocks.append([("", SITE_POSITIONS_NOTE, None)])
    current: list[list[tuple[str, str, str | None]]] = []
    used = 0.0  # rows, with a 0.4-row gap after each block
    for block in blocks:
        if used + len(block) + 0.4 > rows_per_page and current:
            pages.append(_draw_page(current, spec, page, len(pages)))
            current, used = [], 0
        current.append(block)
        used += len(block) + 0.4
    pages.append(_draw_page(current, spec, page, len(pages)))
    for number, figure in enumerate(pages, start=2):  # the briefing itself is page 1
        figure.text(1 - 0.3 / page.width_in, 0.42 / page.height_in, f"Page {number} of {len(pages) + 1}",
                    fontsize=8, color=INK, ha="right", va="baseline")
    return pages


def _layout_note(note: SourceNote) -> list[tuple[str, str, str | None]]:
    """Return the lines of one footnote: (number, text, link URL or None).

    The head is ``SourceNote.display`` (the host is named when the label does not name
    it); the address is a link only when it is an http(s) URL with a host. This page is
    where the full text of every footnote is kept, so long text is wrapped, not cut.
    """
    head = note.display + (f"  ({note.domain})" if note.label and note.source.label_matches_host else "")
    heads = textwrap.wrap(head, CLAIM_CHARS) or [""]
    # The address in ASCII (any font prints it, a reader can type it), broken over lines
    # rather than cut; every line links to the address itself.
    printed = note.source.ascii_url
    urls = [printed[start:start + URL_CHARS] for start in range(0, len(printed), URL_CHARS)] or [""]
    claims = textwrap.wrap(f"Supports: {note.describe_claims()}", CLAIM_CHARS) or [""]
    return [(str(note.number), heads[0], None), *[("", line, None) for line in heads[1:]],
            *[("", line, note.url if note.is_link else None) for line in urls], *[("", line, None) for line in claims]]


def _layout_route(note: RouteNote) -> list[tuple[str, str, str | None]]:
    """Return the lines of one route: its line (wrapped, never cut), then each closure it flags with its links."""
    lines: list[tuple[str, str, str | None]] = [
        ("→" if index == 0 else "", line, None) for index, line in enumerate(textwrap.wrap(note.text, CLAIM_CHARS))]
    for name, sources in note.closures:
        lines.append(("", f"Closed airspace: {name}", None))
        for source in map(parse_source, sources):
            lines.append(("", f"{source.display}: {source.ascii_url}"[:CLAIM_CHARS],
                          source.url if source.is_link else None))
    return lines


def _draw_page(blocks: list[list[tuple[str, str, str | None]]], spec: BriefingSpec, page: PageSize,
               index: int) -> Figure:
    figure = Figure(figsize=(page.width_in, page.height_in), facecolor="white")
    height = page.height_in
    draw_marking(figure, spec.marking, 1 - 0.15 / height, rule_below=True)
    draw_marking(figure, spec.marking, 0.15 / height, rule_below=False)
    heading = "Sources" if index == 0 else "Sources (continued)"
    figure.text(0.3 / page.width_in, 1 - 0.5 / height, f"{heading}: {spec.title}", fontsize=13,
                fontweight="bold", color=INK, va="baseline")
    y = 1 - 0.8 / height
    step = SOURCES_PT * SOURCE_LINE / 72 / height
    left, indent = 0.3 / page.width_in, 0.65 / page.width_in
    for block in blocks:
        for number, text, url in block:
            if number:
                figure.text(left, y, number, fontsize=SOURCES_PT, fontweight="bold", color=INK, va="top")
            figure.text(indent, y, text, fontsize=SOURCES_PT, va="top", url=url,
                        color="#0B4F8A" if url else (INK if number else MUTED))
            y -= step
        y -= step * 0.4
    return figure
