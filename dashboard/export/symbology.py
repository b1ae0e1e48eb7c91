"""Draw the map layers with matplotlib in the shared symbology of ``layers.style``.

Every colour, marker, status fill, outline, dash pattern and line width comes from
``layers.style``, which the live map uses too; this module only translates it to
matplotlib (1 CSS pixel of the live map = 0.75 pt here, the CSS definition).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.patches import Polygon as PolygonPatch
from matplotlib.path import Path
from matplotlib.transforms import offset_copy
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry

from layers import Snapshot
from layers.names import shorten_site_name
from layers.route_ends import split_route_line
from layers.route_marks import UNCERTAIN_END_DASH, UNCERTAIN_END_OPACITY, stripe_width, stub_width
from layers.style import (
    ACTOR_MARKS,
    CONFIDENCE_MARKS,
    CORRIDOR_STYLE,
    EVENT_COLOUR,
    FLIGHT_COLOUR,
    GROUP_COLOURS,
    KIND_SYMBOLS,
    OBSERVATION_STYLE,
    OTHER_ACTOR_STYLE,
    ROUTE_STYLES,
    STALE_OPACITY,
    STATUS_STYLES,
    UNCERTAINTY_COLOUR,
    StatusStyle,
    choose_actor_mark,
    route_width,
)
from layers.vocabulary import rank_site

from dashboard.export.canvas import get_figure
from dashboard.export.projection import MapProjection, build_geodesic_circle

PT_PER_CSS_PX = 0.75
SITE_MARKER_PT = 11.0
SITE_EDGE_PT = 1.1
BADGE_PT = 10.5
EVENT_PT = 14.0
BADGE_OFFSET_PT = 9.5
OBSERVATION_PT = 11.0
# The almond of the observation eye (``webmap.symbols.EYE_PATH``), as a marker path.
EYE_MARKER = Path([(-1, 0), (0, 0.8), (1, 0), (0, -0.8), (-1, 0), (-1, 0)],
                  [Path.MOVETO, Path.CURVE3, Path.CURVE3, Path.CURVE3, Path.CURVE3, Path.CLOSEPOLY])


@dataclass(frozen=True)
class LabelCandidate:
    """A text the map would like to write next to a point, most important first.

    ``prefer`` lists the directions (as in ``placement.DIRECTIONS``) to try before the
    usual order, e.g. below an aircraft first; ``lines`` is how many lines the text may
    take (its first ``lines - 1`` line breaks are kept).
    """

    priority: int
    x: float
    y: float
    text: str
    clearance_pt: float = SITE_MARKER_PT / 2 + 2
    style: dict = field(default_factory=dict, hash=False, compare=False)
    prefer: tuple[tuple[float, float], ...] = ()
    lines: int = 1


@dataclass
class DrawnMap:
    """What was drawn: label candidates and the points labels must not cover."""

    labels: list[LabelCandidate] = field(default_factory=list)
    obstacles_xy: list[tuple[float, float, float]] = field(default_factory=list)  # x, y, radius in pt
    anchors_xy: list[tuple[float, float]] = field(default_factory=list)  # labelled points: sites, places


def draw_layers(ax: Axes, snapshot: Snapshot, projection: MapProjection, metres_per_pt: float) -> DrawnMap:
    """Draw the records' layers of ``snapshot`` on ``ax`` (map metres), bottom layer first.

    The ADS-B layers are drawn by ``track_symbology.draw_track_layers`` into the same
    ``DrawnMap``; every symbol's z-order, not the call order, decides what is on top.

    Parameters
    ----------
    ax : Axes
        Axes whose data coordinates are the projection's metres.
    snapshot : Snapshot
        The layers as cut to the frame (events already limited to what is drawn).
    projection : MapProjection
    metres_per_pt : float
        Map metres per typographic point, to offset parallel routes by a line width.
    """
    drawn = DrawnMap()
    _draw_corridors(ax, snapshot.corridors, projection)
    _draw_uncertainty(ax, snapshot, projection, drawn)
    _draw_routes(ax, snapshot.routes, projection, metres_per_pt)
    _draw_sites(ax, snapshot.sites, snapshot, projection, drawn)
    _draw_flight_badges(ax, snapshot.flights, projection, drawn, metres_per_pt)
    _draw_events(ax, snapshot.events, projection, drawn, metres_per_pt)
    _draw_observations(ax, snapshot.observations, projection, drawn, metres_per_pt)
    return drawn


def draw_site_marker(ax: Axes, x: Iterable[float], y: Iterable[float], *, kind: str, group: str | None,
                     status: str, size_pt: float = SITE_MARKER_PT, transform=None, zorder: float = 5,
                     mark: str | None = None, grade: str | None = None, stale: bool = False) -> None:
    """Draw site symbols: shape by kind, colour by group, fill, outline and strokes by status.

    ``group=None`` draws the status in neutral grey (legend entries for status). ``mark``
    (a key of ``ACTOR_MARKS``, from ``choose_actor_mark``) draws a status row of another
    actor as the live map does: a white shape outlined in grey with the actor's letter.
    ``grade`` (a confidence level) writes its letter (``CONFIDENCE_MARKS``) in a white disc
    at the lower right; ``stale`` fades the shape to ``STALE_OPACITY``, as on the live map.
    """
    style = STATUS_STYLES[status]
    colour = GROUP_COLOURS[group] if group else "#7F7F7F"
    alpha = STALE_OPACITY if stale else 1.0
    x, y = list(x), list(y)
    kwargs = {"transform": transform} if transform is not None else {}
    if mark is not None:
        style = StatusStyle(style.label, 0.92, OTHER_ACTOR_STYLE.outline, style.dashed, style.strokes)
        colour = "#FFFFFF"
        for px, py in zip(x, y, strict=True):
            ax.text(px, py, ACTOR_MARKS[mark].letter, color=OTHER_ACTOR_STYLE.colour, fontsize=size_pt * 0.62,
                    fontweight="bold", ha="center", va="center", zorder=zorder + 0.2, alpha=alpha,
                    path_effects=[patheffects.withStroke(linewidth=2, foreground="white")], **kwargs)
    marker = KIND_SYMBOLS[kind].marker
    # A white halo under the outline, as on the live map, keeps symbols clear of lines and land.
    ax.scatter(x, y, s=size_pt ** 2, marker=marker, facecolors="none", edgecolors=[to_rgba("white", alpha)],
               linewidths=SITE_EDGE_PT + 2.2, zorder=zorder - 0.05, **kwargs)
    ax.scatter(x, y, s=size_pt ** 2, marker=marker,
               facecolors=[to_rgba(colour, style.fill_opacity * alpha)], edgecolors=[to_rgba(style.outline, alpha)],
               linewidths=SITE_EDGE_PT, linestyles=(0, (2.5, 1.5)) if style.dashed else "solid",
               zorder=zorder, **kwargs)
    if style.strokes:
        ax.scatter(x, y, s=size_pt ** 2, marker=_stroke_marker(style), facecolors="none",
                   edgecolors=[to_rgba(style.outline, alpha)], linewidths=SITE_EDGE_PT * 1.2, zorder=zorder + 0.1,
                   path_effects=[patheffects.withStroke(linewidth=SITE_EDGE_PT * 3,
                                                        foreground=to_rgba("white", alpha))], **kwargs)
    if grade in CONFIDENCE_MARKS:
        base = transform if transform is not None else ax.transData
        corner = offset_copy(base, fig=get_figure(ax), x=size_pt * 0.42, y=-size_pt * 0.42, units="points")
        for px, py in zip(x, y, strict=True):
            ax.text(px, py, CONFIDENCE_MARKS[grade], color="#1A1A1A", fontsize=size_pt * 0.5, fontweight="bold",
                    ha="center", va="center", zorder=zorder + 0.3, transform=corner,
                    bbox={"boxstyle": "circle,pad=0.12", "facecolor": "white", "edgecolor": "#1A1A1A",
                          "linewidth": 0.5})


def _stroke_marker(style: StatusStyle) -> Path:
    """Return a status's strokes (``layers.style``, 20x20 box, y down) as a marker path the size of the shape.

    Two invisible corner points keep matplotlib from scaling a short stroke up to the marker's size.
    """
    vertices: list[tuple[float, float]] = [(-1.0, -1.0), (1.0, 1.0)]
    codes = [Path.MOVETO, Path.MOVETO]
    for x1, y1, x2, y2 in style.strokes:
        vertices += [((x1 - 10) / 10, (10 - y1) / 10), ((x2 - 10) / 10, (10 - y2) / 10)]
        codes += [Path.MOVETO, Path.LINETO]
    return Path(vertices, codes)


def _draw_sites(ax: Axes, sites: pd.DataFrame, snapshot: Snapshot, projection: MapProjection,
                drawn: DrawnMap) -> None:
    if sites.empty:
        return
    xs, ys = projection.to_map(sites.geometry.x.to_numpy(), sites.geometry.y.to_numpy())
    sites = sites.assign(_x=xs, _y=ys)
    busy = _busy_site_ids(snapshot)
    # Draw the least certain first, so an active site is never hidden under a withdrawn one.
    order = sites["status"].map(rank_site).sort_values(ascending=False).index
    marks = [choose_actor_mark(s, a) or "" for s, a in zip(sites["status"], sites["status_actor"], strict=True)]
    grades = [g if g in CONFIDENCE_MARKS else "" for g in sites["status_confidence"]]
    sites = sites.assign(_mark=marks, _grade=grades, _stale=sites["status_stale"].fillna(False).astype(bool))
    for (kind, group, status, mark, grade, stale), part in sites.loc[order].groupby(
            ["kind", "group", "status", "_mark", "_grade", "_stale"], sort=False):
        draw_site_marker(ax, part["_x"], part["_y"], kind=str(kind), group=str(group), status=str(status),
                         mark=str(mark) or None, grade=str(grade) or None, stale=bool(stale))
    for _, site in sites.iterrows():
        drawn.obstacles_xy.append((site["_x"], site["_y"], SITE_MARKER_PT / 2 + 1))
        drawn.anchors_xy.append((site["_x"], site["_y"]))
        priority = rank_site(site["status"], busy=site["id"] in busy)
        if site["_mark"] and priority:  # another actor's site is labelled as one Russia left
            priority = max(priority, 2)
        style = {"color": "#1A1A1A" if priority < 3 else "#666666",
                 "fontsize": 9.5 if priority < 2 else 8.5,
                 "fontweight": "bold" if priority == 0 else "normal"}
        drawn.labels.append(LabelCandidate(priority, site["_x"], site["_y"], shorten_site_name(site["name"]),
                                           style=style))


def _busy_site_ids(snapshot: Snapshot) -> set[str]:
    busy: set[str] = set()
    if not snapshot.routes.empty:
        busy |= set(snapshot.routes["from_id"]) | set(snapshot.routes["to_id"])
    if not snapshot.flights.empty:
        busy |= set(snapshot.flights["destination"].dropna()) | set(snapshot.flights["origin"].dropna())
    return busy


def _draw_routes(ax: Axes, routes: pd.DataFrame, projection: MapProjection, metres_per_pt: float) -> None:
    if routes.empty:
        return
    widths = {rid: route_width(int(n)) * PT_PER_CSS_PX for rid, n in zip(routes["id"], routes["flights"], strict=True)}
    pairs: dict[tuple[str, str], list[pd.Series]] = {}
    for _, route in routes.iterrows():
        pairs.setdefault(tuple(sorted((route["from_id"], route["to_id"]))), []).append(route)
    # Thin lines on top of thick ones; legs sharing a pair of places are drawn side by side.
    for pair, legs in pairs.items():
        gap = max(widths[leg["id"]] for leg in legs) + 1.5
        for index, leg in enumerate(legs):
            shift_pt = (index - (len(legs) - 1) / 2) * gap
            if (leg["from_id"], leg["to_id"]) != pair:
                shift_pt = -shift_pt  # offset_curve's left depends on direction
            if leg.geometry is None or leg.geometry.is_empty:
                continue  # both ends' areas cover the leg: listed, not drawn (layers/route_ends.py)
            offset = shift_pt * metres_per_pt
            parts = split_route_line(leg.geometry, bool(leg["from_uncertain"]), bool(leg["to_uncertain"]))
            style, width = ROUTE_STYLES[leg["record_type"]], widths[leg["id"]]
            for coords in _project_offset(parts.certain, projection, offset):
                ax.plot(coords[:, 0], coords[:, 1], color=style.colour, linewidth=width, zorder=3 + 1 / width,
                        linestyle=(0, style.dash) if style.dash else "solid", solid_capstyle="round",
                        path_effects=[patheffects.withStroke(linewidth=width + 2, foreground="white", alpha=0.7)])
                if int(leg["reports_unstated"] or 0):  # a count report gives no figure: hollow (layers/route_marks.py)
                    ax.plot(coords[:, 0], coords[:, 1], color="white", linewidth=stripe_width(width),
                            zorder=3 + 1 / width, linestyle=(0, style.dash) if style.dash else "solid",
                            solid_capstyle="butt")
                _draw_arrowhead(ax, coords, style.colour, width, zorder=3.5)
            thin = stub_width(width)
            for stub in parts.uncertain:  # next to an end whose airfield is not named: thin, dashed, faded
                for coords in _project_offset(stub, projection, offset):
                    ax.plot(coords[:, 0], coords[:, 1], color=style.colour, linewidth=thin, zorder=3 + 1 / width,
                            alpha=UNCERTAIN_END_OPACITY, linestyle=(0, UNCERTAIN_END_DASH), solid_capstyle="butt")


def _project_offset(geometry: BaseGeometry, projection: MapProjection, offset: float) -> list[np.ndarray]:
    return [np.asarray((line.offset_curve(offset) if offset else line).coords)
            for line in _project_lines(geometry, projection)]


def _draw_arrowhead(ax: Axes, coords: np.ndarray, colour: str, width: float, zorder: float) -> None:
    if len(coords) < 2:
        return
    lengths = np.r_[0, np.cumsum(np.hypot(*np.diff(coords, axis=0).T))]
    at = np.searchsorted(lengths, lengths[-1] * 0.55)
    at = int(min(max(at, 1), len(coords) - 1))
    ax.annotate("", xy=coords[at], xytext=coords[at - 1], zorder=zorder,
                arrowprops={"arrowstyle": "-|>,head_length=0.9,head_width=0.45", "color": colour,
                            "linewidth": 0, "mutation_scale": 6 + width * 1.6, "shrinkA": 0, "shrinkB": 0})


def _draw_corridors(ax: Axes, corridors: pd.DataFrame, projection: MapProjection) -> None:
    width = 2.5 * PT_PER_CSS_PX * 1.6
    for geometry in corridors.geometry if not corridors.empty else []:
        for line in _project_lines(geometry, projection):
            coords = np.asarray(line.coords)
            ax.plot(coords[:, 0], coords[:, 1], color=CORRIDOR_STYLE.colour, linewidth=width,
                    linestyle=(0, CORRIDOR_STYLE.dash), alpha=0.9, zorder=2)


def _draw_uncertainty(ax: Axes, snapshot: Snapshot, projection: MapProjection, drawn: DrawnMap) -> None:
    for lon, lat, radius_km, name in list_named_places(snapshot):
        circle = build_geodesic_circle(lon, lat, radius_km)
        xs, ys = projection.to_map(*np.asarray(circle.exterior.coords).T)
        ax.add_patch(PolygonPatch(np.column_stack([xs, ys]), closed=True, zorder=2.5, linewidth=1.1,
                                  facecolor=to_rgba(UNCERTAINTY_COLOUR, 0.09),
                                  edgecolor=UNCERTAINTY_COLOUR, linestyle=(0, (3, 2))))
        x, y = projection.to_map(lon, lat)
        label = f"{shorten_site_name(name)} area"  # the legend says what the circle means
        drawn.labels.append(LabelCandidate(0, float(x), float(y), label, clearance_pt=6,
                                           style={"color": "#8A5A00", "fontsize": 9, "fontstyle": "italic"}))


def list_named_places(snapshot: Snapshot) -> list[tuple[float, float, float, str]]:
    """Return (lon, lat, radius_km, name) of every named place the map draws, once each."""
    found: dict[tuple[float, float], tuple[float, float, float, str]] = {}
    for _, route in snapshot.routes.iterrows() if not snapshot.routes.empty else []:
        # The places' centres: the drawn line stops at the edge of an uncertain end's circle.
        ends = [((route["from_lon"], route["from_lat"]), route["from_radius_km"], route["from_name"]),
                ((route["to_lon"], route["to_lat"]), route["to_radius_km"], route["to_name"])]
        for (lon, lat), radius, name in ends:
            if radius:
                found.setdefault((round(lon, 3), round(lat, 3)), (lon, lat, radius, name))
    for frame, name_of in ((snapshot.flights, lambda r: r["destination_name"] if r["located_at"] == "destination"
                            else r["origin_name"]),
                           (snapshot.events, lambda r: r["place_names"][0] if r["place_names"] else "")):
        for _, row in frame.iterrows() if not frame.empty else []:
            if row.geometry is not None and row["uncertainty_km"] and not pd.isna(row["uncertainty_km"]):
                lon, lat = row.geometry.x, row.geometry.y
                found.setdefault((round(lon, 3), round(lat, 3)), (lon, lat, row["uncertainty_km"], name_of(row)))
    return list(found.values())


def _draw_flight_badges(ax: Axes, flights: pd.DataFrame, projection: MapProjection, drawn: DrawnMap,
                        metres_per_pt: float) -> None:
    if flights.empty:
        return
    transform = offset_copy(ax.transData, fig=get_figure(ax), x=BADGE_OFFSET_PT, y=BADGE_OFFSET_PT, units="points")
    for lon, lat, count in _count_by_place(flights):
        x, y = projection.to_map(lon, lat)
        ax.plot([x], [y], marker="o", markersize=BADGE_PT, color=FLIGHT_COLOUR, markeredgecolor="white",
                markeredgewidth=1.0, transform=transform, zorder=7, linestyle="none")
        ax.text(x, y, str(count), transform=transform, color="white", fontsize=7, fontweight="bold",
                ha="center", va="center_baseline", zorder=7.1)
        # Where the badge is drawn (up and right of the place), so a label may still sit below the place.
        shift = BADGE_OFFSET_PT * metres_per_pt
        drawn.obstacles_xy.append((float(x) + shift, float(y) + shift, BADGE_PT / 2 + 2))


def _draw_events(ax: Axes, events: pd.DataFrame, projection: MapProjection, drawn: DrawnMap,
                 metres_per_pt: float) -> None:
    if events.empty:
        return
    transform = offset_copy(ax.transData, fig=get_figure(ax), x=-BADGE_OFFSET_PT, y=BADGE_OFFSET_PT, units="points")
    for lon, lat, _ in _count_by_place(events):
        x, y = projection.to_map(lon, lat)
        ax.plot([x], [y], marker="*", markersize=EVENT_PT, color=EVENT_COLOUR, markeredgecolor="#000000",
                markeredgewidth=0.9, transform=transform, zorder=7.5, linestyle="none")
        shift = BADGE_OFFSET_PT * metres_per_pt
        drawn.obstacles_xy.append((float(x) - shift, float(y) + shift, EVENT_PT / 2 + 1))


def draw_observation_marker(ax: Axes, x: float, y: float, *, size_pt: float = OBSERVATION_PT, transform=None,
                            zorder: float = 7.4) -> None:
    """Draw the observation eye (``layers.style.OBSERVATION_STYLE``) on a white disc, as the live map does."""
    style = OBSERVATION_STYLE
    kwargs = {"transform": transform} if transform is not None else {}
    ax.plot([x], [y], marker="o", markersize=size_pt, color="white", markeredgecolor=style.outline,
            markeredgewidth=0.8, zorder=zorder, linestyle="none", **kwargs)
    ax.plot([x], [y], marker=EYE_MARKER, markersize=size_pt * 0.78, color="white", markeredgecolor=style.colour,
            markeredgewidth=1.2, zorder=zorder + 0.05, linestyle="none", **kwargs)
    ax.plot([x], [y], marker="o", markersize=size_pt * 0.3, color=style.colour, markeredgewidth=0,
            zorder=zorder + 0.1, linestyle="none", **kwargs)


def _draw_observations(ax: Axes, observations: pd.DataFrame, projection: MapProjection, drawn: DrawnMap,
                       metres_per_pt: float) -> None:
    if observations.empty:
        return
    transform = offset_copy(ax.transData, fig=get_figure(ax), x=-BADGE_OFFSET_PT, y=-BADGE_OFFSET_PT, units="points")
    for lon, lat, _ in _count_by_place(observations):
        x, y = projection.to_map(lon, lat)
        draw_observation_marker(ax, float(x), float(y), transform=transform)
        # Down and left of the place, so a label may still sit above or to the right.
        shift = BADGE_OFFSET_PT * metres_per_pt
        drawn.obstacles_xy.append((float(x) - shift, float(y) - shift, OBSERVATION_PT / 2 + 1))


def _count_by_place(frame: gpd.GeoDataFrame) -> list[tuple[float, float, int]]:
    """Return (lon, lat, records) of each place records are drawn at (to ~10 m), west first."""
    located = frame[frame.geometry.notna()]
    counts = located.groupby([located.geometry.x.round(4), located.geometry.y.round(4)]).size()
    # The index holds the (lon, lat) keys, which pandas types only as Hashable.
    return [(float(lon), float(lat), int(n)) for (lon, lat), n in zip(counts.index, counts, strict=True)]


def _iter_lines(geometry: BaseGeometry) -> Iterable[LineString]:
    if isinstance(geometry, MultiLineString):
        yield from geometry.geoms
    elif isinstance(geometry, LineString):
        yield geometry


def _project_lines(geometry: BaseGeometry, projection: MapProjection) -> list[LineString]:
    lines = []
    for line in _iter_lines(geometry):
        xs, ys = projection.to_map(*np.asarray(line.coords).T)
        lines.append(LineString(np.column_stack([xs, ys])))
    return lines
