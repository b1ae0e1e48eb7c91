"""Draw the ADS-B layers with matplotlib: reach areas, tracks, gaps and last positions.

In the style the live map shares (``layers.style``): the flown track solid, the silence
dashed in another colour, the reach area a faint fill with a dotted edge, and each
aircraft's last position an arrowhead turned to its track over ground (a dot when the
source gives no track), labelled with its registration and callsign and the time it was
last seen. Tracks arrive already cut at their gaps
(:func:`dashboard.export.track_parts.cut_tracks_at_gaps`), so a solid line never crosses
the time the aircraft was not seen.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.patches import Polygon as PolygonPatch
from pyproj import Geod
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from layers import Snapshot
from layers.missing import is_present
from layers.style import (
    GAP_STYLE,
    POSITION_COLOUR,
    REACH_FILL_OPACITY,
    REACH_STYLE,
    TRACK_STYLE,
    TRACK_WIDTH,
    LineStyle,
)
from layers.vocabulary import BUSY_SITE_RANK

from dashboard.export.feature_notes import place_key
from dashboard.export.projection import MapProjection
from dashboard.export.symbology import PT_PER_CSS_PX, DrawnMap, LabelCandidate
from dashboard.export.track_parts import iter_lines

LINE_PT = TRACK_WIDTH * PT_PER_CSS_PX
POSITION_PT = 13.0
# The aircraft is what an ADS-B slide is about: its label is placed before any site's.
POSITION_LABEL_PRIORITY = BUSY_SITE_RANK - 1
POSITION_LABEL_STYLE = {"color": "#00466E", "fontsize": 8.5, "fontweight": "bold", "linespacing": 1.0}
# Below the aircraft first, then below to either side: the sites' labels try the right first.
POSITION_LABEL_PREFER = ((0.0, -1.0), (0.8, -0.8), (-0.8, -0.8))
OBSTACLE_EVERY_PT = 36.0  # labels keep off the tracks: a small obstacle this often along each line
# An arrowhead pointing up (north on the page), in marker units; matplotlib scales it to the marker size.
ARROWHEAD = np.array([(0.0, 1.0), (0.72, -0.78), (0.0, -0.38), (-0.72, -0.78), (0.0, 1.0)])
GEOD = Geod(ellps="WGS84")


def draw_track_layers(ax: Axes, snapshot: Snapshot, projection: MapProjection, metres_per_pt: float,
                      drawn: DrawnMap) -> None:
    """Draw the reach areas, tracks, gaps and last positions of ``snapshot`` on ``ax`` (map metres)."""
    for geometry in _geometries(snapshot.reaches):
        if isinstance(geometry, Polygon):
            xs, ys = projection.to_map(*np.asarray(geometry.exterior.coords).T)
            ax.add_patch(PolygonPatch(np.column_stack([xs, ys]), closed=True, zorder=2.3, linewidth=1.2,
                                      facecolor=to_rgba(REACH_STYLE.colour, REACH_FILL_OPACITY),
                                      edgecolor=REACH_STYLE.colour, linestyle=(0, REACH_STYLE.dash or (1, 2))))
    for style, frame, zorder in ((TRACK_STYLE, snapshot.tracks, 3.6), (GAP_STYLE, snapshot.gaps, 3.7)):
        for geometry in _geometries(frame):
            for line in iter_lines(geometry):
                xs, ys = projection.to_map(*np.asarray(line.coords)[:, :2].T)
                draw_track_line(ax, np.asarray(xs), np.asarray(ys), style, zorder=zorder)
                drawn.obstacles_xy.extend(_sample(np.asarray(xs), np.asarray(ys), OBSTACLE_EVERY_PT * metres_per_pt))
    _draw_positions(ax, snapshot.positions, projection, drawn)


def draw_track_line(ax: Axes, xs: np.ndarray, ys: np.ndarray, style: LineStyle, *, zorder: float = 3.6) -> None:
    """Draw one track or gap line (solid or dashed as ``style`` says) with a white halo.

    A dashed line is a little wider, on a solid white band, so its dashes stay apart from
    a dashed route beside it (a count report on the same leg is drawn right next to it).
    """
    width = LINE_PT * (1.25 if style.dash else 1.0)
    ax.plot(xs, ys, color="white", linewidth=width + 2.4, alpha=0.9, zorder=zorder - 0.01,
            solid_capstyle="butt")
    ax.plot(xs, ys, color=style.colour, linewidth=width, zorder=zorder,
            linestyle=(0, style.dash) if style.dash else "solid", solid_capstyle="round", dash_capstyle="butt")


def draw_position_marker(ax: Axes, x: float, y: float, angle_deg: float | None, *, size_pt: float = POSITION_PT,
                         zorder: float = 6.5) -> None:
    """Draw a last-position symbol: an arrowhead pointing ``angle_deg`` (page degrees, 0 = east), or a dot."""
    # A dark outline inside a white halo keeps the symbol apart from a site symbol of the same blue under it.
    halo = [patheffects.withStroke(linewidth=3.2, foreground="white")]
    if angle_deg is None:
        ax.plot([x], [y], marker="o", markersize=size_pt * 0.5, color=POSITION_COLOUR, markeredgecolor="#1A1A1A",
                markeredgewidth=0.9, linestyle="none", zorder=zorder, path_effects=halo)
        return
    turn = math.radians(angle_deg - 90.0)
    rotation = np.array([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]])
    ax.plot([x], [y], marker=ARROWHEAD @ rotation.T, markersize=size_pt, color=POSITION_COLOUR,
            markeredgecolor="#1A1A1A", markeredgewidth=0.9, linestyle="none", zorder=zorder, path_effects=halo)


def describe_position_label(row: pd.Series) -> str:
    r"""Return a last position's label: the registration (else the callsign), then when it was seen.

    Two short lines, to fit between crowded airfields: the aircraft, then the time as a
    date-time group (day, hour, minute, ``Z``: ``261918Z`` is 26th 19:18 UTC), so a
    position from an earlier day reads as such. The callsign is in the track's footnote
    claim, the KML and the data exports.

    Examples
    --------
    >>> describe_position_label(pd.Series({"registration": "RA-82038", "callsign": "RFF8038",
    ...                                     "icao24": "154076", "time": "2024-12-26T19:18:00Z"}))
    'RA-82038\n261918Z'
    >>> describe_position_label(pd.Series({"registration": None, "callsign": "RFF 8038",
    ...                                     "icao24": "154076", "time": "2024-12-26T19:18:00Z"}))
    'RFF 8038\n261918Z'
    """
    who = next((str(row[key]) for key in ("registration", "callsign") if is_present(row.get(key))),
               str(row.get("icao24") or "").upper() or "unidentified")
    return f"{' '.join(who.split())}\n{pd.Timestamp(row['time']):%d%H%MZ}"


def measure_page_angle(projection: MapProjection, lon: float, lat: float, bearing_deg: float) -> float:
    """Return the direction on the map (degrees, 0 = east, counter-clockwise) of a true bearing at a point."""
    lon2, lat2, _ = GEOD.fwd(lon, lat, bearing_deg, 10_000.0)
    (x0, x1), (y0, y1) = projection.to_map(np.array([lon, lon2]), np.array([lat, lat2]))
    return math.degrees(math.atan2(float(y1 - y0), float(x1 - x0)))


def _draw_positions(ax: Axes, positions: pd.DataFrame, projection: MapProjection, drawn: DrawnMap) -> None:
    for _, row in positions.iterrows() if not positions.empty else []:
        if row.geometry is None or row.geometry.is_empty:
            continue
        lon, lat = row.geometry.x, row.geometry.y
        x, y = (float(v) for v in projection.to_map(lon, lat))
        heading = row.get("track_deg")
        angle = measure_page_angle(projection, lon, lat, float(heading)) if is_present(heading) else None
        draw_position_marker(ax, x, y, angle)
        drawn.obstacles_xy.append((x, y, POSITION_PT / 2 + 1))
        drawn.anchors_xy.append((x, y))
        drawn.labels.append(LabelCandidate(POSITION_LABEL_PRIORITY, x, y, describe_position_label(row),
                                           clearance_pt=POSITION_PT / 2 + 2.5, style=dict(POSITION_LABEL_STYLE),
                                           prefer=POSITION_LABEL_PREFER, lines=2, key=place_key(lon, lat)))


def _geometries(frame: pd.DataFrame) -> list[BaseGeometry]:
    if frame.empty:
        return []
    return [g for g in frame.geometry if g is not None and not g.is_empty]


def _sample(xs: np.ndarray, ys: np.ndarray, step: float) -> list[tuple[float, float, float]]:
    """Return points every ``step`` map metres along a line, as small label obstacles (3 pt)."""
    lengths = np.r_[0.0, np.cumsum(np.hypot(np.diff(xs), np.diff(ys)))]
    if lengths[-1] <= 0 or step <= 0:
        return []
    at = np.arange(0.0, lengths[-1], step)
    return [(float(x), float(y), 3.0) for x, y in zip(np.interp(at, lengths, xs), np.interp(at, lengths, ys),
                                                        strict=True)]
