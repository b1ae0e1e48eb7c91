"""Where each part of a briefing slide goes: marking, title, map, legend panel, footnotes, footer.

Sizes are in inches and text in points, so a page of the same width has the same layout
at any pixel density. The legend panel runs down the right-hand side beside the map and
the footnotes; the footnotes sit under the map: the routes' lines (a long one wrapped over
two rows), then the sources in one or two columns, each line whole (furniture.draw_footnotes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from dashboard.export.briefing import PageSize
from dashboard.export.furniture import measure_footnotes_in

MARGIN_IN = 0.2
MARKING_IN = 0.3
TITLE_IN = 0.7  # the title (22 pt) and the subtitle under it (furniture.draw_title_block)
FOOTER_IN = 0.24
PANEL_IN = 2.9  # the legend wraps a long label (legend.draw_legend) rather than run past it
GAP_IN = 0.2
# Up to 3 notes: one column; then two. A source's grades, outlet and date (up to about 300 pt)
# fit one line of a column half the map's width, with a claim or two; a third of it cut them.
FOOTNOTE_COLUMNS = ((3, 1), (None, 2))
NOTE_LINES = 2  # rows planned per footnote: a note takes one line or wraps over two
MAX_FOOTNOTE_SHARE = 0.26  # of the page height
# Rows of route lines on the slide: the busiest two or three (a line wraps over two rows when
# it must) and the row counting the rest, which go to the PDF's sources pages, the PPTX's
# route slides and notes, and the KML balloons; six rows took a tenth of the 1080p slide.
MAX_ROUTE_ROWS = 4
# Source rows at most (two columns: about fifteen sources named in full and the line saying where
# the rest continue), so a slide without routes gives the map the room too.
MAX_SOURCE_ROWS = 8


@dataclass(frozen=True)
class SlideLayout:
    """Where each part of the slide goes, in figure fractions (left, bottom, width, height)."""

    map_rect: tuple[float, float, float, float]
    panel_rect: tuple[float, float, float, float]
    footnote_rect: tuple[float, float, float, float]
    footnote_rows: int
    footnote_columns: int
    marking_top: float
    marking_bottom: float
    title_top: float | None
    footer_y: float
    left: float
    right: float
    route_rows: int = 0  # rows of route lines above the sources (dashboard.export.route_notes)


def plan_layout(page: PageSize, footnote_count: int, with_title_block: bool, route_count: int = 0) -> SlideLayout:
    """Return the slide layout for a page, the number of footnotes and the number of route lines to fit.

    The route lines (one a row, across the block) take at most ``MAX_ROUTE_ROWS`` rows
    and half the rows the block may have; the sources take the rest.
    """
    width, height = page.width_in, page.height_in
    marking = MARKING_IN if with_title_block else 0.0
    title = TITLE_IN if with_title_block else 0.0
    line_in = measure_footnotes_in(1) - measure_footnotes_in(0)
    max_rows = max(int((height * MAX_FOOTNOTE_SHARE - measure_footnotes_in(0)) / line_in), 3)
    route_rows = min(route_count, MAX_ROUTE_ROWS, max_rows // 2)
    if route_rows:  # the route lines' heading takes room too
        max_rows = max(int((height * MAX_FOOTNOTE_SHARE - measure_footnotes_in(0, route_rows)) / line_in), 2)
    columns = choose_footnote_columns(footnote_count)
    rows = min(max(math.ceil(footnote_count * NOTE_LINES / columns), 1), max_rows, MAX_SOURCE_ROWS)
    notes_h = measure_footnotes_in(rows, route_rows)
    bottom = marking + FOOTER_IN
    notes_bottom = bottom + 0.04
    main_bottom = notes_bottom + notes_h + GAP_IN * 0.6
    main_top = height - marking - title - (GAP_IN * 0.5 if with_title_block else MARGIN_IN * 0.5)
    map_w = width - 2 * MARGIN_IN - PANEL_IN - GAP_IN
    return SlideLayout(
        map_rect=(MARGIN_IN / width, main_bottom / height, map_w / width, (main_top - main_bottom) / height),
        panel_rect=((MARGIN_IN + map_w + GAP_IN) / width, notes_bottom / height, PANEL_IN / width,
                    (main_top - notes_bottom) / height),
        footnote_rect=(MARGIN_IN / width, notes_bottom / height, map_w / width, notes_h / height),
        footnote_rows=rows,
        footnote_columns=columns,
        marking_top=(height - MARKING_IN / 2) / height,
        marking_bottom=(MARKING_IN / 2) / height,
        title_top=(height - marking) / height if with_title_block else None,
        footer_y=(marking + FOOTER_IN / 2) / height,
        left=MARGIN_IN / width,
        right=1 - MARGIN_IN / width,
        route_rows=route_rows,
    )


def choose_footnote_columns(count: int) -> int:
    """Return how many columns the footnotes take: few notes get long lines, many get three columns."""
    return next(columns for most, columns in FOOTNOTE_COLUMNS if most is None or count <= most)
