"""Map furniture of a briefing slide.

The marking, title block, scale bar, north arrow, graticule, locator inset, footnotes (the
routes' lines, then the numbered sources) and footer: everything around and on the map but
the layers and the legend.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon as PolygonPatch
from matplotlib.patches import Rectangle
from matplotlib.transforms import offset_copy

from layers.vocabulary import CONFIDENCE_LEVELS

from dashboard.export.canvas import get_figure, get_renderer
from dashboard.export.footnote_lines import MAX_CLAIM_CHARS, MAX_NOTE_LINES, lay_out_source
from dashboard.export.footnotes import SourceNote
from dashboard.export.line_breaks import Measure, wrap_words
from dashboard.export.projection import MapFrame, MapProjection, ScaleBar
from dashboard.export.route_notes import ROUTE_NOTES_HEADING

NORTH_ARROW_PT = 26  # the arrow's length
# From the map frame's upper right corner to the arrow's tip (right, down): the backdrop (a
# disc of 18 pt radius around the arrow's middle) and the "N" above the tip stay inside.
NORTH_ARROW_INSET_PT = (30.0, 34.0)

LAND = "#F1EFE9"
SEA = "#DCE8F0"
BORDER = "#A3A3A3"
INK = "#1A1A1A"
MUTED = "#555555"
SCALE_CAPTION_PT = 235.0  # width of the "True at ... across the map" caption
GRATICULE_STEPS = (1, 2, 5, 10, 15, 20, 30)
FOOTNOTE_PT = 7.3
FOOTNOTE_LINE = 1.33  # line height in font sizes
# No footnote line is longer: a line fits its column (about 190 characters at FOOTNOTE_PT
# across the widest block), and a claim longer than this is never laid out on the slide.
FOOTNOTE_CHARS = MAX_CLAIM_CHARS
ROUTE_HEADING_ROWS = 1.65  # the route lines' heading and the gap before the sources' heading, in rows


def draw_marking(fig: Figure, marking: str, y: float, *, rule_below: bool) -> None:
    """Write the marking line centred at height ``y`` (figure fraction), with a rule."""
    fig.text(0.5, y, marking, ha="center", va="center", fontsize=11, fontweight="bold", color=INK)
    height_in = fig.get_figheight()
    offset = (0.14 if rule_below else -0.14) / height_in
    fig.add_artist(_rule(fig, y - offset))


def draw_title_block(fig: Figure, title: str, subtitle: str, left: float, top: float) -> None:
    """Write the title and the subtitle (DTG, data as of, window) from ``top`` down."""
    height_in = fig.get_figheight()
    fig.text(left, top - 0.06 / height_in, title, ha="left", va="top", fontsize=22, fontweight="bold", color=INK)
    fig.text(left, top - 0.45 / height_in, subtitle, ha="left", va="top", fontsize=11.5, color=MUTED)


def draw_basemap(ax: Axes, countries: gpd.GeoDataFrame) -> None:
    """Fill land and draw borders; ``countries`` is already projected and clipped."""
    ax.set_facecolor(SEA)
    countries.plot(ax=ax, facecolor=LAND, edgecolor=BORDER, linewidth=0.6, zorder=1)


def draw_graticule(ax: Axes, projection: MapProjection, frame: MapFrame) -> None:
    """Draw meridians and parallels with degree labels along the bottom and left edges."""
    west, south, east, north = frame.lonlat.bounds
    step = next((s for s in GRATICULE_STEPS if (east - west) / s <= 8), 30)
    lats = np.linspace(max(south - step, -85), min(north + step, 85), 200)
    lons = np.linspace(west - step, east + step, 400)
    for lon in np.arange(math.floor(west / step) * step, east + step, step):
        xs, ys = projection.to_map(np.full_like(lats, lon), lats)
        ax.plot(xs, ys, color="#FFFFFF", linewidth=0.7, alpha=0.9, zorder=1.5)
        x_bottom = np.interp(frame.ymin, ys, xs) if np.all(np.diff(ys) > 0) else None
        if x_bottom is not None and frame.xmin < x_bottom < frame.xmax:
            ax.text(x_bottom, frame.ymin, f" {_degrees(lon, 'E', 'W')}", fontsize=7, color=MUTED,
                    ha="left", va="bottom", zorder=1.6)
    for lat in np.arange(math.floor(south / step) * step, north + step, step):
        xs, ys = projection.to_map(lons, np.full_like(lons, lat))
        ax.plot(xs, ys, color="#FFFFFF", linewidth=0.7, alpha=0.9, zorder=1.5)
        y_left = np.interp(frame.xmin, xs, ys) if np.all(np.diff(xs) > 0) else None
        if y_left is not None and frame.ymin < y_left < frame.ymax:
            ax.text(frame.xmin, y_left, f" {_degrees(lat, 'N', 'S')}", fontsize=7, color=MUTED,
                    ha="left", va="bottom", zorder=1.6)


def measure_scale_bar_box_pt(bar: ScaleBar, pt_per_metre: float) -> tuple[float, float]:
    """Return the (width, height) in points of the scale bar with its caption and backdrop."""
    return max(bar.map_length * pt_per_metre + 34, SCALE_CAPTION_PT), 50.0


def draw_scale_bar(ax: Axes, bar: ScaleBar, frame: MapFrame, pt_per_metre: float, corner: str = "lower left") -> Artist:
    """Draw a black-and-white scale bar in a lower corner of the map; return its backdrop."""
    box_w, box_h = (v / pt_per_metre for v in measure_scale_bar_box_pt(bar, pt_per_metre))
    margin = 8 / pt_per_metre
    left = frame.xmin + margin if corner == "lower left" else frame.xmax - margin - box_w
    x0, y0 = left + 10 / pt_per_metre, frame.ymin + margin + 24 / pt_per_metre
    bar_h = 5 / pt_per_metre
    segment = bar.map_length / bar.segments
    backdrop = ax.add_patch(Rectangle((left, y0 - 24 / pt_per_metre), box_w, box_h, facecolor="white",
                                      edgecolor="none", alpha=0.85, zorder=8))
    for i in range(bar.segments):
        ax.add_patch(Rectangle((x0 + i * segment, y0), segment, bar_h, facecolor=INK if i % 2 == 0 else "white",
                               edgecolor=INK, linewidth=0.8, zorder=9))
    step_km = bar.km / bar.segments
    roomy = segment * pt_per_metre >= 30  # points per segment: room to number every tick
    for i in range(bar.segments + 1) if roomy else (0, 1, bar.segments):
        text = f"{step_km * i:g}" + (" km" if i == bar.segments else "")
        ax.text(x0 + i * segment, y0 + bar_h + 3 / pt_per_metre, text, fontsize=8, ha="center", va="bottom",
                color=INK, zorder=9)
    hemisphere = "N" if bar.latitude >= 0 else "S"
    variation = "under 1%" if bar.variation < 0.005 else f"up to {bar.variation:.0%}"
    ax.text(x0, y0 - 5 / pt_per_metre,
            f"True at {abs(bar.latitude):.1f}° {hemisphere} (map centre); scale varies by {variation} across the map",
            fontsize=6.5, ha="left", va="top", color=MUTED, zorder=9)
    return backdrop


def draw_north_arrow(ax: Axes, projection: MapProjection, frame: MapFrame) -> Artist:
    """Draw an arrow pointing to true north at the map's centre, inside its upper right corner; return its backdrop.

    On a conic map north turns across the frame; an arrow turned to north at the corner
    where it stands read as a rotated map (issue 13), so it gives north at the centre, the
    convention of a map's north arrow. It is set a fixed distance in from the frame's
    corner (``NORTH_ARROW_INSET_PT``), so neither the arrow nor its backdrop is ever cut.
    """
    cx, cy = (frame.xmin + frame.xmax) / 2, (frame.ymin + frame.ymax) / 2
    lon, lat = projection.to_lonlat(cx, cy)
    nx, ny = projection.to_map(lon, float(lat) + 0.5)
    dx, dy = float(nx) - cx, float(ny) - cy
    norm = math.hypot(dx, dy)
    dx, dy = dx / norm, dy / norm
    figure = get_figure(ax)
    inset_x, inset_y = NORTH_ARROW_INSET_PT
    tip = offset_copy(ax.transAxes, fig=figure, x=-inset_x, y=-inset_y, units="points")
    (backdrop,) = ax.plot([1], [1], marker="o", markersize=36, color="white", alpha=0.8, zorder=8.5,
                          transform=offset_copy(ax.transAxes, fig=figure, x=-inset_x - dx * 10,
                                                y=-inset_y - dy * 10 + 2, units="points"))
    ax.annotate("", xy=(1, 1), xycoords=tip, xytext=(-dx * NORTH_ARROW_PT, -dy * NORTH_ARROW_PT),
                textcoords="offset points", zorder=9,
                arrowprops={"arrowstyle": "-|>,head_length=0.8,head_width=0.4", "color": INK, "linewidth": 1.6,
                            "mutation_scale": 14, "shrinkA": 0, "shrinkB": 0})
    ax.annotate("N", xy=(1, 1), xycoords=tip, xytext=(dx * 8, dy * 8), textcoords="offset points", ha="center",
                va="center", fontsize=11, fontweight="bold", color=INK, zorder=9)
    return backdrop


def draw_locator(ax: Axes, countries: gpd.GeoDataFrame, frame: MapFrame) -> None:
    """Draw a small overview map (lon/lat, aspect true at its middle) with the map frame in red."""
    west, south, east, north = frame.lonlat.bounds
    cx, cy = (west + east) / 2, (south + north) / 2
    stretch = 1 / math.cos(math.radians(cy))
    position = ax.get_position()
    figure = get_figure(ax)
    box_ratio = (position.width * figure.get_figwidth()) / (position.height * figure.get_figheight())
    half_h = max((north - south) * 1.3, 22.0)
    half_w = half_h * box_ratio * stretch
    if half_w < (east - west) * 1.1:
        half_w = (east - west) * 1.1
        half_h = half_w / stretch / box_ratio
    ax.set_facecolor(SEA)
    visible = countries.cx[cx - half_w:cx + half_w, max(cy - half_h, -89):min(cy + half_h, 89)]
    visible.plot(ax=ax, facecolor="#D9D6CC", edgecolor="#FFFFFF", linewidth=0.25)
    ax.add_patch(PolygonPatch(np.asarray(frame.lonlat.exterior.coords), closed=True, fill=False,
                              edgecolor="#C00000", linewidth=1.4, zorder=5))
    ax.set_aspect(stretch, adjustable="box")
    ax.set_xlim(cx - half_w, cx + half_w)
    ax.set_ylim(cy - half_h, cy + half_h)
    ax.apply_aspect()
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_edgecolor(MUTED)
        spine.set_linewidth(0.8)


def plan_footnotes(notes: list[SourceNote], max_rows: int, columns: int) -> tuple[list[SourceNote], int]:
    """Return the notes that may fit in ``columns`` x ``max_rows`` at a line each, and how many are left out.

    An upper bound: :func:`draw_footnotes` wraps a long note over two lines and returns
    how many notes it left out in all.
    """
    capacity = columns * max_rows
    if len(notes) <= capacity:
        return notes, 0
    kept = notes[: capacity - 1]
    return kept, len(notes) - len(kept)


PNG_PAGES_WHERE = "on the sources page saved beside this image (its name ends _2.png)"  # png_pages
MORE_SOURCES_WHERE = {"pdf": "on the sources pages that follow", "pptx": "on the sources slides that follow",
                      "png": PNG_PAGES_WHERE}
"""Where the footnotes left out of a slide are listed in full, by export format."""
MORE_ROUTES_WHERE = {"pdf": "on the sources pages that follow", "pptx": "on the slides that follow",
                     "png": PNG_PAGES_WHERE}
"""Where the route lines left out of a slide are given in full, by export format."""
ELSEWHERE_SOURCES = "in this view's PDF and PowerPoint exports"  # a frame of an animation or a map panel
ELSEWHERE_ROUTES = "in this view's PDF and PowerPoint exports and its KML route balloons"
SOURCES_HEADING = ("Sources for what the map shows, with the confidence grade of each claim "
                   f"({' / '.join(CONFIDENCE_LEVELS)} as graded in the data)")


def draw_footnotes(fig: Figure, notes: list[SourceNote], left_out: int, rect: tuple[float, float, float, float], *,
                   columns: int, positions_note: str, format_key: str = "png", routes: Sequence[str] = (),
                   route_rows: int = 0) -> tuple[int, bool]:
    """Write the routes' lines, then numbered source footnotes in columns, inside ``rect`` (figure fractions).

    ``routes`` (:func:`dashboard.export.route_notes.build_route_notes`' lines) take the
    top ``route_rows`` rows across the block's width, under their own heading; when there
    are more than fit, the last row says how many more and where they are in full. Each
    source: number, then its grades, outlet and date in full, then the claims it supports
    (:func:`dashboard.export.footnote_lines.lay_out_source`), on one line or wrapped over
    two within its column. No line is cut: the notes that do not fit are named on a last
    line saying where they continue (the PDF's sources pages, the PPTX's sources slides,
    the PNG's sources pages: ``MORE_SOURCES_WHERE``).

    Returns
    -------
    left_out : int
        How many of the notes (``left_out`` and those that did not fit) are not on the slide.
    routes_cut : bool
        Whether some route lines are not on the slide (counted on its last route row).
    """
    left, bottom, width, height = rect
    width_in, height_in = fig.get_figwidth(), fig.get_figheight()
    line = FOOTNOTE_PT * FOOTNOTE_LINE / 72 / height_in
    top = bottom + height
    routes_cut = False
    if routes and route_rows:
        routes_cut = _draw_route_lines(fig, routes, route_rows, (left, top, width), format_key=format_key)
        top -= (route_rows + ROUTE_HEADING_ROWS) * line
    fig.text(left, top, SOURCES_HEADING, fontsize=FOOTNOTE_PT + 0.7, fontweight="bold", color=INK, va="top",
             ha="left")
    rows = _count_rows(height * height_in, route_rows if routes else 0)
    column_w = width / columns
    number_w = 0.22 / width_in
    measure = _measure_footnote_px(fig)
    room_px = (column_w - number_w - 0.12 / width_in) * width_in * fig.dpi
    where = MORE_SOURCES_WHERE.get(format_key, ELSEWHERE_SOURCES)
    total = len(notes) + left_out
    # Every claim on two lines a note when all the notes fit so; else a line a note, to name more sources.
    laid_out = [lay_out_source(note, room_px, measure, max_lines=MAX_NOTE_LINES) for note in notes]
    slots, shown = _flow_notes([len(lines) for lines in laid_out], rows, columns, reserve=0)
    if shown < total:
        laid_out = [lay_out_source(note, room_px, measure) for note in notes]
        slots, shown = _flow_notes([len(lines) for lines in laid_out], rows, columns, reserve=0)
    more: list[str] = []
    if shown < total:
        # The line that names the notes left out, measured with the widest numbers it may give.
        probe = _describe_more_sources(total, total, where)
        reserve = len(wrap_words(probe, room_px, measure, MAX_NOTE_LINES) or [probe, ""])
        slots, shown = _flow_notes([len(lines) for lines in laid_out], rows, columns, reserve=reserve)
        text = _describe_more_sources(notes[shown].number if shown < len(notes) else total - left_out + 1, total,
                                      where)
        more = wrap_words(text, room_px, measure, reserve) or [text]
    for (column, row), note, lines in zip(slots, notes, laid_out, strict=False):
        _write_note(fig, (left + column * column_w, top - (row + 1.45) * line), str(note.number), lines,
                    number_w=number_w, line=line)
    if more:
        column, row = _place_more(slots, laid_out, rows, len(more))
        _write_note(fig, (left + column * column_w, top - (row + 1.45) * line), "+", more, number_w=number_w,
                    line=line)
    fig.text(left, top - (rows + 1.55) * line, positions_note, fontsize=FOOTNOTE_PT - 0.3, color=MUTED,
             va="top", ha="left")
    return total - shown, routes_cut


def _describe_more_sources(first: int, last: int, where: str) -> str:
    numbers = f"{first}–{last}" if last > first else f"{last}"
    return f"Sources {numbers} continue {where}, with every claim and link"


def _flow_notes(heights: Sequence[int], rows: int, columns: int, *, reserve: int) -> tuple[list[tuple[int, int]], int]:
    """Return the (column, row) of each note that fits, flowing down the columns in order, and how many fit.

    ``reserve`` rows at the foot of the last column are kept for the line naming the rest.
    """
    slots: list[tuple[int, int]] = []
    column, row = 0, 0
    for lines in heights:
        if row + lines > rows - (reserve if column == columns - 1 else 0):
            column, row = column + 1, 0
            if column >= columns or lines > rows - (reserve if column == columns - 1 else 0):
                break
        slots.append((column, row))
        row += lines
    return slots, len(slots)


def _place_more(slots: Sequence[tuple[int, int]], laid_out: Sequence[Sequence[str]], rows: int,
                lines: int) -> tuple[int, int]:
    """Return where the ``lines`` naming the notes left out go: under the last note shown, else atop the next column.

    :func:`_flow_notes` kept room for them at the foot of the last column.
    """
    if not slots:
        return 0, 0
    column, row = slots[-1]
    row += len(laid_out[len(slots) - 1])
    return (column, row) if row + lines <= rows else (column + 1, 0)


def _write_note(fig: Figure, at: tuple[float, float], number: str, lines: Sequence[str], *, number_w: float,
                line: float) -> None:
    x, y = at
    fig.text(x, y, number, fontsize=FOOTNOTE_PT, fontweight="bold", color=INK, va="top", ha="left")
    for index, text in enumerate(lines):
        fig.text(x + number_w, y - index * line, text, fontsize=FOOTNOTE_PT, color=INK, va="top", ha="left")


def _count_rows(height_in: float, route_rows: int) -> int:
    """Return how many source rows a footnote block ``height_in`` tall holds (:func:`measure_footnotes_in`)."""
    return max(round(height_in / (FOOTNOTE_PT * FOOTNOTE_LINE / 72) - 2.7
                     - (route_rows + ROUTE_HEADING_ROWS if route_rows else 0)), 1)


def _measure_footnote_px(fig: Figure) -> Measure:
    """Return a function giving the width in pixels of a footnote line on ``fig`` (the exports' font)."""
    renderer = get_renderer(fig)
    font = FontProperties(size=FOOTNOTE_PT)

    # Asked once per word (wrap_words): the renderer takes about a millisecond a call.
    @functools.cache
    def measure(text: str) -> float:
        return float(renderer.get_text_width_height_descent(text, font, ismath=False)[0])

    return measure


def _draw_route_lines(fig: Figure, routes: Sequence[str], rows: int, at: tuple[float, float, float], *,
                      format_key: str) -> bool:
    """Write the route lines' heading at ``at`` (left, top, width; figure fractions), then each route's line.

    A route's line wraps over two rows when it must; the routes that do not fit in
    ``rows`` rows are counted on the last row with where they are in full. Returns
    whether any was left out.
    """
    left, top, width = at
    line = FOOTNOTE_PT * FOOTNOTE_LINE / 72 / fig.get_figheight()
    fig.text(left, top, ROUTE_NOTES_HEADING, fontsize=FOOTNOTE_PT + 0.7, fontweight="bold", color=INK, va="top",
             ha="left")
    number_w = 0.22 / fig.get_figwidth()
    room_px = (width - number_w) * fig.get_figwidth() * fig.dpi
    measure = _measure_footnote_px(fig)
    where = MORE_ROUTES_WHERE.get(format_key, ELSEWHERE_ROUTES)
    laid_out = [wrap_words(text, room_px, measure, MAX_NOTE_LINES) for text in routes]
    shown: list[list[str]] = []
    for index, lines in enumerate(laid_out):
        used = sum(map(len, shown))
        rest = laid_out[index:]
        # A row is kept to count the routes left out, unless every one left fits.
        keep = 0 if all(rest) and used + sum(len(r or []) for r in rest) <= rows else 1
        if lines is None or used + len(lines) > rows - keep:
            break
        shown.append(lines)
    more = len(shown) < len(routes)
    if more:
        text = f"{len(routes) - len(shown)} more routes: each route's line is given in full {where}"
        shown.append(wrap_words(text, room_px, measure, 1) or [text])
    row = 0
    for row_lines in shown:
        marker = "+" if more and row_lines is shown[-1] else "•"
        _write_note(fig, (left, top - (row + 1.45) * line), marker, row_lines, number_w=number_w, line=line)
        row += len(row_lines)
    return more


def measure_footnotes_in(rows: int, route_rows: int = 0) -> float:
    """Return the height in inches of a footnote block of ``rows`` source rows and ``route_rows`` route lines."""
    routes = route_rows + ROUTE_HEADING_ROWS if route_rows else 0.0
    return (rows + 2.7 + routes) * FOOTNOTE_PT * FOOTNOTE_LINE / 72


def draw_footer(fig: Figure, left_text: str, right_text: str, *, y: float, left: float, right: float) -> None:
    """Write the footer line: attribution and projection on the left, generation on the right."""
    fig.text(left, y, left_text, fontsize=7.5, color=MUTED, ha="left", va="center")
    fig.text(right, y, right_text, fontsize=7.5, color=MUTED, ha="right", va="center")


def _rule(fig: Figure, y: float) -> Line2D:
    return Line2D([0.015, 0.985], [y, y], transform=fig.transFigure, color="#999999", linewidth=0.6)


def _degrees(value: float, positive: str, negative: str) -> str:
    return f"{abs(value):g}°{positive if value >= 0 else negative}"


