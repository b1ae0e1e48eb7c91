"""A track layer row cut into the parts the aircraft was seen, with a time and altitude per vertex.

The ``track`` layer draws one line per flight through its display vertices, which may run
straight across a gap (the thinning keeps few vertices where the path is straight). An
export draws the gap with its own dashed line, so the solid track must stop where the
aircraft went dark and start again where it was seen next: :func:`split_track_at_gaps`
cuts the vertices at each gap of the same flight and adds the gap's two ends (the last
position before the silence and the first after it, which are real positions with their
times and altitudes) to the parts they bound.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry

from layers.missing import is_present


@dataclass(frozen=True)
class TrackVertex:
    """One vertex of a track part: where, when (ISO UTC) and how high (feet, None unknown)."""

    lon: float
    lat: float
    time: str
    altitude_ft: float | None


@dataclass(frozen=True)
class TrackPart:
    """A run of vertices the aircraft was seen along, in time order (two or more)."""

    vertices: tuple[TrackVertex, ...]

    @property
    def lonlat(self) -> list[tuple[float, float]]:
        """The vertices as (lon, lat) pairs."""
        return [(v.lon, v.lat) for v in self.vertices]


def list_track_vertices(track: pd.Series) -> list[TrackVertex]:
    """Return the vertices of a ``track`` row with the time and altitude of each.

    A track crossing the antimeridian is a MultiLineString whose parts gained a vertex at
    +/-180 on each side of the cut; those are dropped so each vertex is a position again.
    """
    coords = [point for line in iter_lines(track.geometry) for point in line.coords]
    times = list(track["times"] or [])
    if len(coords) != len(times):
        coords = [point for point in coords if abs(point[0]) != 180.0]
    if len(coords) != len(times):
        raise ValueError(f"track {track['id']}: {len(coords)} vertices but {len(times)} times")
    altitudes = list(track["altitudes_ft"] or [None] * len(times))
    return [TrackVertex(float(x), float(y), str(t), float(a) if is_present(a) else None)
            for (x, y, *_), t, a in zip(coords, times, altitudes, strict=True)]


def split_track_at_gaps(track: pd.Series, gaps: pd.DataFrame) -> list[TrackPart]:
    """Return the parts of ``track`` between the gaps of its flight (see the module docstring).

    Parameters
    ----------
    track : pandas.Series
        A row of the ``track`` layer.
    gaps : pandas.DataFrame
        The ``gap`` layer (any flights; only those of ``track["flight_id"]`` are used).
    """
    vertices = list_track_vertices(track)
    mine = gaps.loc[gaps["flight_id"] == track["flight_id"]] if not gaps.empty else gaps
    parts: list[list[TrackVertex]] = []
    rest = vertices
    for _, gap in mine.sort_values("start").iterrows() if not mine.empty else []:
        start, end = pd.Timestamp(gap["start"]), pd.Timestamp(gap["end"])
        last, after = _gap_ends(gap)
        before = [v for v in rest if pd.Timestamp(v.time) < start]
        rest = [v for v in rest if pd.Timestamp(v.time) > end]
        parts.append([*before, last])
        rest = [after, *rest]
    parts.append(rest)
    return [TrackPart(tuple(part)) for part in parts if len(part) >= 2]


def cut_tracks_at_gaps(tracks: gpd.GeoDataFrame, gaps: pd.DataFrame) -> gpd.GeoDataFrame:
    """Return a copy of the ``track`` layer whose lines stop where each flight went dark.

    Each geometry becomes the parts of :func:`split_track_at_gaps` (a MultiLineString
    when there are several), for maps that draw lines and do not need the times. The
    input frame is left as it is.
    """
    if tracks.empty or gaps.empty:
        return tracks
    lines: list[BaseGeometry | None] = []
    for _, track in tracks.iterrows():
        parts = [LineString(part.lonlat) for part in split_track_at_gaps(track, gaps)]
        lines.append(parts[0] if len(parts) == 1 else MultiLineString(parts) if parts else None)
    out = tracks.copy()
    out[out.geometry.name] = gpd.GeoSeries(lines, index=tracks.index, crs=tracks.crs)
    return out


def _gap_ends(gap: pd.Series) -> tuple[TrackVertex, TrackVertex]:
    lines = list(iter_lines(gap.geometry))
    (x0, y0, *_), (x1, y1, *_) = lines[0].coords[0], lines[-1].coords[-1]
    return (TrackVertex(float(x0), float(y0), _iso(gap["start"]), _feet(gap["last_alt_ft"])),
            TrackVertex(float(x1), float(y1), _iso(gap["end"]), _feet(gap["next_alt_ft"])))


def iter_lines(geometry: BaseGeometry | None) -> list[LineString]:
    """Return the LineStrings of a LineString or MultiLineString (none for anything else)."""
    if isinstance(geometry, MultiLineString):
        return list(geometry.geoms)
    if isinstance(geometry, LineString):
        return [geometry]
    return []


def _iso(value: object) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%dT%H:%M:%SZ")  # type: ignore[arg-type]


def _feet(value: object) -> float | None:
    return float(value) if is_present(value) else None  # type: ignore[arg-type]
