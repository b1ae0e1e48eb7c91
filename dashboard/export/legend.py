"""The legend of a static map, built only from what the map actually draws."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Ellipse
from shapely.geometry.base import BaseGeometry

from layers import Snapshot
from layers.missing import is_present
from layers.route_marks import (
    UNCERTAIN_END_DASH,
    UNCERTAIN_END_LABEL,
    UNCERTAIN_END_OPACITY,
    UNSTATED_LABEL,
    WIDTH_COUNTS,
    WIDTH_DETAIL,
    stripe_width,
    stub_width,
)
from layers.style import (
    ACTOR_MARKS,
    CONFIDENCE_MARK_LABEL,
    CONFIDENCE_MARKS,
    CORRIDOR_STYLE,
    EVENT_COLOUR,
    FLIGHT_COLOUR,
    GAP_STYLE,
    GROUP_COLOURS,
    GROUP_LABELS,
    KIND_SYMBOLS,
    OBSERVATION_STYLE,
    OTHER_ACTOR_STYLE,
    REACH_FILL_OPACITY,
    REACH_STYLE,
    ROUTE_STYLES,
    STALE_LABEL,
    STATUS_STYLES,
    TRACK_STYLE,
    UNCERTAINTY_COLOUR,
    choose_actor_mark,
    route_width,
)
from layers.timeline import describe_window_length
from layers.vocabulary import LAYER_TITLES

from dashboard.export.canvas import get_figure, get_renderer
from dashboard.export.cluster_spread import SPREAD_LABEL, draw_true_position
from dashboard.export.dtg import format_day, format_day_range
from dashboard.export.line_breaks import Measure, wrap_words
from dashboard.export.projection import build_geodesic_circle
from dashboard.export.site_marker import draw_site_marker
from dashboard.export.symbology import PT_PER_CSS_PX, draw_observation_marker, list_named_places
from dashboard.export.track_symbology import draw_position_marker, draw_track_line

ROW_PT = 15.0
HEADING_PT = 19.0
SECTION_GAP_PT = 5.0
LABEL_PT = 9.5
HEADING_SIZE_PT = 9.5
SYMBOL_WIDTH_PT = 26.0
WRAP_LINE_PT = 11.5  # from a wrapped label's line to the next, at full size
MAX_LABEL_LINES = 3
UNBROKEN_SHRINK = 0.88  # the legend may shrink this far to keep every label on one line


@dataclass(frozen=True)
class LegendEntry:
    """One row of the legend: how to draw its symbol and what it says."""

    # "group", "kind", "status", "stale", "grade", "actor", "route", "width", "note" (text only), "unstated",
    # "stub", "badge", "event", "observation", "corridor", "uncertainty", "track", "gap", "reach", "position",
    # "spread"
    symbol: str
    key: str
    label: str


@dataclass(frozen=True)
class LegendSection:
    """A heading and its rows."""

    heading: str
    entries: tuple[LegendEntry, ...]


def build_legend(snapshot: Snapshot, frame: BaseGeometry | None = None, *,
                 spread: bool = False) -> list[LegendSection]:
    """Return the legend sections for what ``snapshot`` (as drawn) contains, in map order.

    A symbol appears in the legend only when at least one feature drawn with it is on
    the map, so the legend never explains something the map does not show. ``frame``
    (lon/lat) is the map frame: an uncertainty circle counts only if it reaches into it.
    ``spread`` says that the map set some site symbols off their true positions
    (``cluster_spread``): the legend then shows the tie and dot that mark them.
    """
    selection = snapshot.selection
    sections: list[LegendSection] = []
    sites = snapshot.sites
    if not sites.empty:
        sections.append(LegendSection("Site colour = affiliation", tuple(
            LegendEntry("group", g, GROUP_LABELS[g]) for g in GROUP_COLOURS if g in set(sites["group"]))))
        sections.append(LegendSection("Site shape = kind", tuple(
            LegendEntry("kind", k, symbol.label) for k, symbol in KIND_SYMBOLS.items() if k in set(sites["kind"]))))
        shown = set(sites["status"])
        sections.append(LegendSection(f"Status on {format_day(selection.as_of)}", (
            *(LegendEntry("status", s, style.label) for s, style in STATUS_STYLES.items() if s in shown),
            *((LegendEntry("stale", "", STALE_LABEL),) if sites["status_stale"].fillna(False).any() else ()),
            *((LegendEntry("grade", "", CONFIDENCE_MARK_LABEL),)
              if sites["status_confidence"].isin(list(CONFIDENCE_MARKS)).any() else ()),
            *((LegendEntry("spread", "", SPREAD_LABEL),) if spread else ()))))
        marks = {choose_actor_mark(s, a) for s, a in zip(sites["status"], sites["status_actor"], strict=True)}
        sections.append(LegendSection(OTHER_ACTOR_STYLE.label, tuple(
            LegendEntry("actor", m, mark.label) for m, mark in ACTOR_MARKS.items() if m in marks)))
    flights = _describe_window(snapshot)
    rows: list[LegendEntry] = []
    if not snapshot.routes.empty:
        types = set(snapshot.routes["record_type"])
        rows += [LegendEntry("route", t, style.label) for t, style in ROUTE_STYLES.items() if t in types]
        drawn = snapshot.routes[snapshot.routes.geometry.notna()]
        most = int(snapshot.routes["flights"].max())
        if most > 1:
            rows.append(LegendEntry("width", str(most), f"Width = {WIDTH_COUNTS}, 1 to {most}:"))
            rows.append(LegendEntry("note", "", WIDTH_DETAIL))
        if (drawn["reports_unstated"].fillna(0).astype(int) > 0).any():
            rows.append(LegendEntry("unstated", "", UNSTATED_LABEL))
        if (drawn["from_uncertain"].astype(bool) | drawn["to_uncertain"].astype(bool)).any():
            rows.append(LegendEntry("stub", "", UNCERTAIN_END_LABEL))
    if not snapshot.flights.empty and snapshot.flights.geometry.notna().any():
        rows.append(LegendEntry("badge", "", "Flight records, at destination"))
    if any(frame is None or build_geodesic_circle(lon, lat, radius).intersects(frame)
           for lon, lat, radius, _ in list_named_places(snapshot)):
        rows.append(LegendEntry("uncertainty", "", "Airfield not named: the area it is in"))
    if rows:
        sections.append(LegendSection(flights, tuple(rows)))
    sections.append(LegendSection(LAYER_TITLES["track"], _list_track_entries(snapshot)))
    other: list[LegendEntry] = []
    if not snapshot.events.empty:
        other.append(LegendEntry("event", "", "Event in the window"))
    if not snapshot.observations.empty:
        other.append(LegendEntry("observation", "", OBSERVATION_STYLE.label))
    if not snapshot.corridors.empty:
        other.append(LegendEntry("corridor", "", CORRIDOR_STYLE.label))
    if other:
        sections.append(LegendSection("Also shown", tuple(other)))
    return [s for s in sections if s.entries]


def _list_track_entries(snapshot: Snapshot) -> tuple[LegendEntry, ...]:
    """Return the ADS-B rows: one per track layer on the map, in drawing order."""
    rows = [LegendEntry(symbol, "", style.label) for symbol, style, frame in (
        ("track", TRACK_STYLE, snapshot.tracks), ("gap", GAP_STYLE, snapshot.gaps),
        ("reach", REACH_STYLE, snapshot.reaches)) if not frame.empty]
    positions = snapshot.positions
    if not positions.empty:
        pointing = positions["track_deg"].map(is_present)
        if pointing.any():
            rows.append(LegendEntry("position", "arrow", "Last position, pointing along its track"))
        if not pointing.all():
            rows.append(LegendEntry("position", "dot", "Last position, direction not reported"))
    return tuple(rows)


def measure_legend_pt(sections: list[LegendSection]) -> float:
    """Return the height of the legend in points at full size."""
    rows = sum(len(s.entries) for s in sections)
    return len(sections) * (HEADING_PT + SECTION_GAP_PT) + rows * ROW_PT


def draw_legend(ax: Axes, sections: list[LegendSection], scale: float = 1.0) -> None:
    """Draw the legend on ``ax``, whose data coordinates are points from the top-left corner.

    A label wider than the axes wraps onto further lines under its symbol, and the whole
    legend shrinks below ``scale`` when, so wrapped, it is taller than the axes or a
    heading or word is wider: no label runs past the panel or off the page.

    Parameters
    ----------
    ax : Axes
        An axes with ``xlim(0, width_pt)`` and ``ylim(height_pt, 0)``.
    sections : list of LegendSection
    scale : float
        Shrinks row spacing and text when the legend is taller than the space for it.
    """
    scale, labels = _fit_legend(ax, sections, scale)
    y = 0.0
    lines = iter(labels)
    for section in sections:
        y += HEADING_PT * scale
        ax.text(0, y - 5 * scale, section.heading, fontsize=HEADING_SIZE_PT * scale, fontweight="bold",
                color="#1A1A1A", va="baseline")
        for entry in section.entries:
            y += ROW_PT * scale
            middle = y - ROW_PT * scale / 2
            _draw_symbol(ax, entry, SYMBOL_WIDTH_PT / 2, middle, scale)
            label = next(lines)
            for index, text in enumerate(label):
                ax.text(SYMBOL_WIDTH_PT + 6, middle + index * WRAP_LINE_PT * scale, text, fontsize=LABEL_PT * scale,
                        color="#1A1A1A", va="center_baseline")
            y += (len(label) - 1) * WRAP_LINE_PT * scale
        y += SECTION_GAP_PT * scale


def _fit_legend(ax: Axes, sections: list[LegendSection], scale: float) -> tuple[float, list[list[str]]]:
    """Return the scale at which the legend fits ``ax`` and each entry's label lines at that scale."""
    (_, width_pt), (bottom, top) = ax.get_xlim(), ax.get_ylim()
    height_pt = abs(bottom - top)
    room_pt = width_pt - SYMBOL_WIDTH_PT - 6
    label_pt, heading_pt = _measure_pt(ax, LABEL_PT), _measure_pt(ax, HEADING_SIZE_PT, bold=True)
    widest = max((heading_pt(s.heading) for s in sections), default=0.0)
    words = [word for s in sections for e in s.entries for word in e.label.split()]
    widest_word = max(map(label_pt, words), default=0.0)
    scale = min(scale, width_pt / max(widest, 1.0), room_pt / max(widest_word, 1.0))
    # A little smaller rather than a label broken for a word or two ("counted as / 1)").
    unbroken = min((room_pt / max(label_pt(e.label), 1.0) for s in sections for e in s.entries), default=scale)
    if unbroken >= scale * UNBROKEN_SHRINK:
        scale = min(scale, unbroken)
    labels: list[list[str]] = []
    for _ in range(8):  # each round shrinks to the height found; wrapping less, it settles in two or three
        labels = [wrap_words(e.label, room_pt / scale, label_pt, MAX_LABEL_LINES) or [e.label]
                  for s in sections for e in s.entries]
        height = (measure_legend_pt(sections) + sum(len(label) - 1 for label in labels) * WRAP_LINE_PT) * scale
        if height <= height_pt:
            break
        scale *= height_pt / height
    return scale, labels


def _measure_pt(ax: Axes, size_pt: float, *, bold: bool = False) -> Measure:
    """Return a function giving the width in points of a text at ``size_pt`` on ``ax``'s figure."""
    figure = get_figure(ax)
    renderer = get_renderer(figure)
    font = FontProperties(size=size_pt, weight="bold" if bold else "normal")

    @functools.cache
    def measure(text: str) -> float:
        return float(renderer.get_text_width_height_descent(text, font, ismath=False)[0]) * 72 / figure.dpi

    return measure


def _draw_symbol(ax: Axes, entry: LegendEntry, x: float, y: float, scale: float) -> None:
    size = 10.5 * scale
    half = SYMBOL_WIDTH_PT / 2 - 1
    if entry.symbol == "group":
        draw_site_marker(ax, [x], [y], kind="airport", group=entry.key, status="active", size_pt=size)
    elif entry.symbol == "kind":
        ax.scatter([x], [y], s=size ** 2, marker=KIND_SYMBOLS[entry.key].marker, facecolors="#BDBDBD",
                   edgecolors="#000000", linewidths=1.0, zorder=5)
    elif entry.symbol == "status":
        draw_site_marker(ax, [x], [y], kind="airport", group=None, status=entry.key, size_pt=size)
    elif entry.symbol == "stale":
        draw_site_marker(ax, [x], [y], kind="airport", group=None, status="active", size_pt=size, stale=True)
    elif entry.symbol == "grade":
        draw_site_marker(ax, [x], [y], kind="airport", group=None, status="active", size_pt=size, grade="high")
    elif entry.symbol == "actor":
        draw_site_marker(ax, [x], [y], kind="airport", group=None, status="active", size_pt=size, mark=entry.key)
    elif entry.symbol == "spread":
        # As the map draws it: the symbol set off, its tie to a white dot at the true position.
        draw_true_position(ax, (x - 3, y), (x + half - 2, y), gid="legend:spread")
        draw_site_marker(ax, [x - 3], [y], kind="airport", group=None, status="active", size_pt=size)
    elif entry.symbol == "observation":
        draw_observation_marker(ax, x, y, size_pt=11 * scale, zorder=5)
    elif entry.symbol == "route":
        style = ROUTE_STYLES[entry.key]
        ax.plot([x - half, x + half], [y, y], color=style.colour, linewidth=route_width(1) * PT_PER_CSS_PX,
                linestyle=(0, style.dash) if style.dash else "solid", solid_capstyle="butt")
    elif entry.symbol == "width":
        for offset, flights in ((-half / 2, 1), (half / 2, int(entry.key))):
            ax.plot([x + offset - half / 2 + 1, x + offset + half / 2 - 1], [y, y], color="#1A1A1A",
                    linewidth=route_width(flights) * PT_PER_CSS_PX, solid_capstyle="butt")
    elif entry.symbol in {"unstated", "stub"}:
        _draw_marked_route(ax, entry.symbol, x, y, half)
    elif entry.symbol == "badge":
        ax.plot([x], [y], marker="o", markersize=10 * scale, color=FLIGHT_COLOUR, markeredgecolor="white")
        ax.text(x, y, "n", color="white", fontsize=7 * scale, fontweight="bold", ha="center", va="center_baseline")
    elif entry.symbol == "event":
        ax.plot([x], [y], marker="*", markersize=13 * scale, color=EVENT_COLOUR, markeredgecolor="#000000",
                markeredgewidth=0.9)
    elif entry.symbol == "corridor":
        ax.plot([x - half, x + half], [y, y], color=CORRIDOR_STYLE.colour, linewidth=3,
                linestyle=(0, CORRIDOR_STYLE.dash))
    elif entry.symbol in {"track", "gap"}:
        draw_track_line(ax, np.array([x - half, x + half]), np.array([y, y]),
                        TRACK_STYLE if entry.symbol == "track" else GAP_STYLE, zorder=5)
    elif entry.symbol == "reach":
        ax.add_patch(Ellipse((x, y), 2 * half, 11 * scale, facecolor=to_rgba(REACH_STYLE.colour, REACH_FILL_OPACITY),
                             edgecolor=REACH_STYLE.colour, linewidth=1.2, linestyle=(0, REACH_STYLE.dash or (1, 2))))
    elif entry.symbol == "position":
        # Markers turn in page space, so 0 degrees points right whichever way the axis runs.
        draw_position_marker(ax, x, y, 0.0 if entry.key == "arrow" else None, size_pt=12 * scale, zorder=5)
    elif entry.symbol == "uncertainty":
        ax.scatter([x], [y], s=(12 * scale) ** 2, marker="o", facecolors=[(0.9, 0.62, 0.0, 0.15)],
                   edgecolors=UNCERTAINTY_COLOUR, linestyles=(0, (3, 2)), linewidths=1.1)


def _draw_marked_route(ax: Axes, symbol: str, x: float, y: float, half: float) -> None:
    # As symbology._draw_routes draws them: a hollow line, or a line thinning into a faded dashed stub.
    colour, width = ROUTE_STYLES["individual"].colour, route_width(4) * PT_PER_CSS_PX
    if symbol == "unstated":
        ax.plot([x - half, x + half], [y, y], color=colour, linewidth=width, solid_capstyle="butt")
        ax.plot([x - half, x + half], [y, y], color="white", linewidth=stripe_width(width), solid_capstyle="butt")
        return
    ax.plot([x - half, x], [y, y], color=colour, linewidth=width, solid_capstyle="butt")
    ax.plot([x, x + half], [y, y], color=colour, linewidth=stub_width(width), alpha=UNCERTAIN_END_OPACITY,
            linestyle=(0, UNCERTAIN_END_DASH), solid_capstyle="butt")


def _describe_window(snapshot: Snapshot) -> str:
    selection = snapshot.selection
    start = selection.start
    if start is None:
        return f"Flights to {format_day(selection.as_of)} ({describe_window_length(None)})"
    return f"Flights {format_day_range(start.date(), selection.as_of)}"
