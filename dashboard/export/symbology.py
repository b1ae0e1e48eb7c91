"""Draw the map layers with matplotlib in the shared symbology of ``layers.style``.

Every colour, marker, status fill, outline, dash pattern and line width comes from
``layers.style``, which the live map uses too; this module only translates it to
matplotlib (1 CSS pixel of the live map = 0.75 pt here, the CSS definition). A site's
symbol is drawn by ``site_marker`` (the legend draws it too); ``badge_corners`` chooses where a badge goes;
``cluster_spread`` moves apart the symbols of sites that would cover each other.
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
    CONFIDENCE_MARKS,
    CORRIDOR_STYLE,
    EVENT_COLOUR,
    FLIGHT_COLOUR,
    OBSERVATION_STYLE,
    ROUTE_STYLES,
    UNCERTAINTY_COLOUR,
    choose_actor_mark,
    route_width,
)
from layers.vocabulary import rank_site

from dashboard.export.badge_corners import BADGE_OFFSET_PT, CORNERS, choose_corner
from dashboard.export.canvas import get_figure
from dashboard.export.cluster_spread import DOT_PT, TIE_PT, draw_true_position, find_shown_position, spread_clusters
from dashboard.export.feature_notes import PlaceKey, format_place_key, place_key
from dashboard.export.projection import MapProjection, build_geodesic_circle
from dashboard.export.site_marker import SITE_MARKER_PT, draw_site_marker

PT_PER_CSS_PX = 0.75
BADGE_PT = 10.5
EVENT_PT = 14.0
OBSERVATION_PT = 11.0
# The air bridge's two hubs (README): a briefing reader looks for them first, so they are
# labelled on every slide that draws them, whatever their status on the day.
ALWAYS_LABELLED_SITES = frozenset({"hmeimim", "al_khadim"})
# A Russian site in use or being left (Tartus in December 2024) is what a slide is about:
# labelled however crowded, as the ends of the routes are.
MUST_LABEL_STATUSES = ("active", "drawdown")
# The almond of the observation eye (``webmap.symbols.EYE_PATH``), as a marker path.
EYE_MARKER = Path([(-1, 0), (0, 0.8), (1, 0), (0, -0.8), (-1, 0), (-1, 0)],
                  [Path.MOVETO, Path.CURVE3, Path.CURVE3, Path.CURVE3, Path.CURVE3, Path.CLOSEPOLY])


@dataclass(frozen=True)
class LabelCandidate:
    """A text the map would like to write next to a point, most important first.

    ``prefer`` lists the directions (as in ``placement.DIRECTIONS``) to try before the
    usual order, e.g. below an aircraft first; ``lines`` is how many lines the text may
    take (its first ``lines - 1`` line breaks are kept). ``must_show`` asks for the label
    on every slide, however crowded (route ends, active Russian sites, the two hubs);
    ``key`` is the labelled place (``feature_notes.place_key``), whose footnote numbers
    the label carries; None for a label of no one place (a country).
    """

    priority: int
    x: float
    y: float
    text: str
    clearance_pt: float = SITE_MARKER_PT / 2 + 2
    style: dict = field(default_factory=dict, hash=False, compare=False)
    prefer: tuple[tuple[float, float], ...] = ()
    lines: int = 1
    must_show: bool = False
    key: PlaceKey | None = None


@dataclass(frozen=True)
class DrawnLine:
    """A line drawn on the map that labels keep off: map metres, half its drawn width in points.

    ``soft`` lines (schematic corridors) may be covered when no other spot is free.
    """

    coords: np.ndarray
    half_width_pt: float
    soft: bool = False


@dataclass
class DrawnMap:
    """What was drawn: label candidates and the points and lines labels must not cover."""

    labels: list[LabelCandidate] = field(default_factory=list)
    obstacles_xy: list[tuple[float, float, float]] = field(default_factory=list)  # x, y, radius in pt
    anchors_xy: list[tuple[float, float]] = field(default_factory=list)  # labelled points: sites, places
    lines: list[DrawnLine] = field(default_factory=list)
    # Sites whose symbols were spread apart (``cluster_spread``): true point -> where the symbol is.
    spread: dict[tuple[float, float], tuple[float, float]] = field(default_factory=dict)


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
    _draw_corridors(ax, snapshot.corridors, projection, drawn)
    _draw_uncertainty(ax, snapshot, projection, drawn)
    _draw_routes(ax, snapshot.routes, projection, metres_per_pt, drawn)
    _draw_sites(ax, snapshot.sites, snapshot, projection, drawn, metres_per_pt=metres_per_pt)
    _draw_flight_badges(ax, snapshot.flights, projection, drawn, metres_per_pt)
    _draw_events(ax, snapshot.events, projection, drawn, metres_per_pt)
    _draw_observations(ax, snapshot.observations, projection, drawn, metres_per_pt)
    return drawn


def _draw_sites(ax: Axes, sites: pd.DataFrame, snapshot: Snapshot, projection: MapProjection,
                drawn: DrawnMap, *, metres_per_pt: float) -> None:
    if sites.empty:
        return
    xs, ys = projection.to_map(sites.geometry.x.to_numpy(), sites.geometry.y.to_numpy())
    true_xy = np.column_stack([xs, ys])
    # Symbols that would cover each other are drawn apart, each tied to its true point; the
    # site's label, badges and stars go with its symbol.
    places = np.array([(c.x, c.y) for c in drawn.labels if c.clearance_pt], dtype=float).reshape(-1, 2)
    shown_xy = spread_clusters(true_xy / metres_per_pt, places / metres_per_pt) * metres_per_pt
    moved = np.hypot(*(shown_xy - true_xy).T) > 1e-6 * metres_per_pt
    sites = sites.assign(_x=shown_xy[:, 0], _y=shown_xy[:, 1], _tx=xs, _ty=ys, _moved=moved)
    busy = _busy_site_ids(snapshot)
    # Draw the least certain first, so an active site is never hidden under a withdrawn one.
    order = sites["status"].map(rank_site).sort_values(ascending=False).index
    marks = [choose_actor_mark(s, a) or "" for s, a in zip(sites["status"], sites["status_actor"], strict=True)]
    grades = [g if g in CONFIDENCE_MARKS else "" for g in sites["status_confidence"]]
    sites = sites.assign(_mark=marks, _grade=grades, _stale=sites["status_stale"].fillna(False).astype(bool))
    for (kind, group, status, mark, grade, stale), part in sites.loc[order].groupby(
            ["kind", "group", "status", "_mark", "_grade", "_stale"], sort=False):
        draw_site_marker(ax, part["_x"], part["_y"], kind=str(kind), group=str(group), status=str(status),
                         mark=str(mark) or None, grade=str(grade) or None, stale=bool(stale), gid="site-symbols")
    for _, site in sites.iterrows():
        if site["_moved"]:
            true, shown = (float(site["_tx"]), float(site["_ty"])), (float(site["_x"]), float(site["_y"]))
            key = format_place_key(place_key(site.geometry.x, site.geometry.y))
            draw_true_position(ax, shown, true, gid=f"spread:{key}")
            drawn.spread[true] = shown
            drawn.obstacles_xy.append((*true, DOT_PT / 2 + 1))
            drawn.lines.append(DrawnLine(np.array([shown, true]), TIE_PT / 2 + 1))
        drawn.obstacles_xy.append((site["_x"], site["_y"], SITE_MARKER_PT / 2 + 1))
        drawn.anchors_xy.append((site["_x"], site["_y"]))
        busy_site = site["id"] in busy
        priority = rank_site(site["status"], busy=busy_site)
        if site["_mark"] and priority:  # another actor's site is labelled as one Russia left
            priority = max(priority, 2)
        style = {"color": "#1A1A1A" if priority < 3 else "#666666",
                 "fontsize": 9.5 if priority < 2 else 8.5,
                 "fontweight": "bold" if priority == 0 else "normal"}
        must_show = (busy_site or site["id"] in ALWAYS_LABELLED_SITES
                     or (site["status"] in MUST_LABEL_STATUSES and bool(site["russian_presence"])))
        drawn.labels.append(LabelCandidate(priority, site["_x"], site["_y"], shorten_site_name(site["name"]),
                                           style=style, must_show=must_show,
                                           key=place_key(site.geometry.x, site.geometry.y)))


def _busy_site_ids(snapshot: Snapshot) -> set[str]:
    busy: set[str] = set()
    if not snapshot.routes.empty:
        busy |= set(snapshot.routes["from_id"]) | set(snapshot.routes["to_id"])
    if not snapshot.flights.empty:
        busy |= set(snapshot.flights["destination"].dropna()) | set(snapshot.flights["origin"].dropna())
    return busy


def _draw_routes(ax: Axes, routes: pd.DataFrame, projection: MapProjection, metres_per_pt: float,
                 drawn: DrawnMap) -> None:
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
                        path_effects=[patheffects.withStroke(linewidth=width + 2, foreground="white", alpha=0.7)],
                        gid=f"route:{leg['id']}")
                drawn.lines.append(DrawnLine(coords, width / 2 + 1))
                if int(leg["reports_unstated"] or 0):  # a count report gives no figure: hollow (layers/route_marks.py)
                    ax.plot(coords[:, 0], coords[:, 1], color="white", linewidth=stripe_width(width),
                            zorder=3 + 1 / width, linestyle=(0, style.dash) if style.dash else "solid",
                            solid_capstyle="butt")
                _draw_arrowhead(ax, coords, style.colour, width, zorder=3.5, drawn=drawn, gid=f"arrowhead:{leg['id']}",
                                metres_per_pt=metres_per_pt)
            thin = stub_width(width)
            for stub in parts.uncertain:  # next to an end whose airfield is not named: thin, dashed, faded
                for coords in _project_offset(stub, projection, offset):
                    ax.plot(coords[:, 0], coords[:, 1], color=style.colour, linewidth=thin, zorder=3 + 1 / width,
                            alpha=UNCERTAIN_END_OPACITY, linestyle=(0, UNCERTAIN_END_DASH), solid_capstyle="butt",
                            gid=f"route-stub:{leg['id']}")
                    drawn.lines.append(DrawnLine(coords, thin / 2 + 0.5))


def _project_offset(geometry: BaseGeometry, projection: MapProjection, offset: float) -> list[np.ndarray]:
    return [np.asarray((line.offset_curve(offset) if offset else line).coords)
            for line in _project_lines(geometry, projection)]


def _draw_arrowhead(ax: Axes, coords: np.ndarray, colour: str, width: float, zorder: float, *, drawn: DrawnMap,
                    gid: str, metres_per_pt: float) -> None:
    if len(coords) < 2:
        return
    lengths = np.r_[0, np.cumsum(np.hypot(*np.diff(coords, axis=0).T))]
    at = np.searchsorted(lengths, lengths[-1] * 0.55)
    at = int(min(max(at, 1), len(coords) - 1))
    scale = 6 + width * 1.6
    ax.annotate("", xy=coords[at], xytext=coords[at - 1], zorder=zorder, gid=gid,
                arrowprops={"arrowstyle": "-|>,head_length=0.9,head_width=0.45", "color": colour,
                            "linewidth": 0, "mutation_scale": scale, "shrinkA": 0, "shrinkB": 0})
    # The head reaches 0.9 scale back from its tip and 0.45 scale to either side: a disc
    # around its middle keeps labels off it.
    (tip_x, tip_y), (back_x, back_y) = coords[at], coords[at - 1]
    along = np.hypot(tip_x - back_x, tip_y - back_y)
    if along > 0:
        back = 0.45 * scale * metres_per_pt / along
        drawn.obstacles_xy.append((float(tip_x - (tip_x - back_x) * back), float(tip_y - (tip_y - back_y) * back),
                                   0.5 * scale + 1))


def _draw_corridors(ax: Axes, corridors: pd.DataFrame, projection: MapProjection, drawn: DrawnMap) -> None:
    width = 2.5 * PT_PER_CSS_PX * 1.6
    for geometry in corridors.geometry if not corridors.empty else []:
        for line in _project_lines(geometry, projection):
            coords = np.asarray(line.coords)
            ax.plot(coords[:, 0], coords[:, 1], color=CORRIDOR_STYLE.colour, linewidth=width,
                    linestyle=(0, CORRIDOR_STYLE.dash), alpha=0.9, zorder=2, gid="corridor")
            drawn.lines.append(DrawnLine(coords, width / 2, soft=True))


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
                                           style={"color": "#8A5A00", "fontsize": 9, "fontstyle": "italic"},
                                           key=place_key(lon, lat)))


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
    for lon, lat, count in _count_by_place(flights):
        x, y = (float(v) for v in projection.to_map(lon, lat))
        x, y = find_shown_position(drawn.spread, x, y, tolerance=metres_per_pt / 2)
        # Up and right of the place, so a label may still sit below it; another corner when that one is nearer a
        # neighbour than its own place.
        sx, sy = choose_corner(x, y, CORNERS[0], size_pt=BADGE_PT, anchors_xy=drawn.anchors_xy,
                               obstacles_xy=drawn.obstacles_xy, metres_per_pt=metres_per_pt)
        transform = offset_copy(ax.transData, fig=get_figure(ax), x=sx * BADGE_OFFSET_PT, y=sy * BADGE_OFFSET_PT,
                                units="points")
        gid = f"badge:{format_place_key(place_key(lon, lat))}"
        ax.plot([x], [y], marker="o", markersize=BADGE_PT, color=FLIGHT_COLOUR, markeredgecolor="white",
                markeredgewidth=1.0, transform=transform, zorder=7, linestyle="none", gid=gid)
        ax.text(x, y, str(count), transform=transform, color="white", fontsize=7, fontweight="bold",
                ha="center", va="center_baseline", zorder=7.1)
        shift = BADGE_OFFSET_PT * metres_per_pt
        drawn.obstacles_xy.append((x + sx * shift, y + sy * shift, BADGE_PT / 2 + 2))


def _draw_events(ax: Axes, events: pd.DataFrame, projection: MapProjection, drawn: DrawnMap,
                 metres_per_pt: float) -> None:
    if events.empty:
        return
    for lon, lat, _ in _count_by_place(events):
        x, y = (float(v) for v in projection.to_map(lon, lat))
        x, y = find_shown_position(drawn.spread, x, y, tolerance=metres_per_pt / 2)
        # Up and left first.
        sx, sy = choose_corner(x, y, CORNERS[1], size_pt=EVENT_PT, anchors_xy=drawn.anchors_xy,
                               obstacles_xy=drawn.obstacles_xy, metres_per_pt=metres_per_pt)
        transform = offset_copy(ax.transData, fig=get_figure(ax), x=sx * BADGE_OFFSET_PT, y=sy * BADGE_OFFSET_PT,
                                units="points")
        ax.plot([x], [y], marker="*", markersize=EVENT_PT, color=EVENT_COLOUR, markeredgecolor="#000000",
                markeredgewidth=0.9, transform=transform, zorder=7.5, linestyle="none",
                gid=f"event:{format_place_key(place_key(lon, lat))}")
        shift = BADGE_OFFSET_PT * metres_per_pt
        drawn.obstacles_xy.append((x + sx * shift, y + sy * shift, EVENT_PT / 2 + 1))


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
    for lon, lat, _ in _count_by_place(observations):
        x, y = (float(v) for v in projection.to_map(lon, lat))
        x, y = find_shown_position(drawn.spread, x, y, tolerance=metres_per_pt / 2)
        # Down and left of the place first, so a label may still sit above or to the right.
        sx, sy = choose_corner(x, y, CORNERS[2], size_pt=OBSERVATION_PT, anchors_xy=drawn.anchors_xy,
                               obstacles_xy=drawn.obstacles_xy, metres_per_pt=metres_per_pt)
        transform = offset_copy(ax.transData, fig=get_figure(ax), x=sx * BADGE_OFFSET_PT, y=sy * BADGE_OFFSET_PT,
                                units="points")
        draw_observation_marker(ax, x, y, transform=transform)
        shift = BADGE_OFFSET_PT * metres_per_pt
        drawn.obstacles_xy.append((x + sx * shift, y + sy * shift, OBSERVATION_PT / 2 + 1))


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
