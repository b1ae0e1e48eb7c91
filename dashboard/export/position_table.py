"""The raw ADS-B positions behind a snapshot's tracks, as one Point table for the data exports.

The map layers show each flight thinned for display and each aircraft's last position;
an analyst in QGIS wants every position received. :func:`build_position_table` returns,
for the track flights the snapshot shows (``layers.tracks.map_layers.select_flights``),
every position up to the end of the selected day with the columns of the position table
(:mod:`layers.tracks.positions`: ``time`` in UTC, altitudes in feet, speeds in knots),
the flight it belongs to, its sources and confidence, and ``last_shown`` marking the
position the map draws as the aircraft's last.

Without the positions (a caller that passes no :class:`~layers.tracks.trackset.TrackSet`)
the table holds the snapshot's last positions only, in the same columns, and a warning
says so.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import pandas as pd

from layers import Snapshot
from layers.dataset import CRS
from layers.tracks.map_layers import day_end, select_flights
from layers.tracks.positions import POSITION_COLUMNS
from layers.tracks.trackset import TrackSet

TABLE_COLUMNS = ("id", "flight_id", "sources", "confidence", "last_shown", *POSITION_COLUMNS)
"""Columns of the table, ``lat``/``lon`` kept beside the Point for spreadsheets."""


class PositionsLeftOutWarning(UserWarning):
    """The export was given no positions, so only the last position of each aircraft is written."""


def build_position_table(snapshot: Snapshot, tracks: TrackSet | None) -> gpd.GeoDataFrame:
    """Return the positions of the snapshot's track flights (see the module docstring).

    Parameters
    ----------
    snapshot : Snapshot
        The layers as exported (an empty ``position`` layer, when it is hidden, gives an
        empty table).
    tracks : TrackSet or None
        ``dataset.tracks`` of the dataset the snapshot was built from.
    """
    shown = snapshot.positions
    if shown.empty:
        return _to_table([])
    if tracks is None or tracks.empty:
        warnings.warn("the export was given no ADS-B positions (pass tracks=dataset.tracks): the positions "
                      "layer holds only the last position of each aircraft", PositionsLeftOutWarning, stacklevel=3)
        return _to_table([_describe_last(row) for _, row in shown.iterrows()])
    flights = select_flights(tracks, snapshot.selection)
    flights = flights.loc[flights["icao24"].isin(set(shown["icao24"]))]
    last = {(row["flight_id"], pd.Timestamp(row["time"])) for _, row in shown.iterrows()}
    cut = day_end(snapshot.selection)
    rows = []
    for flight in flights.to_dict("records"):
        seen = tracks.positions.loc[flight["rows"]]
        seen = seen.loc[seen["time"] < cut]
        for number, position in enumerate(seen.to_dict("records"), start=1):
            record = {column: position[column] for column in POSITION_COLUMNS}
            rows.append({**record, "id": f"{flight['id']}-p{number:05d}", "flight_id": flight["id"],
                         "sources": list(flight["sources"]), "confidence": flight["confidence"],
                         "last_shown": (flight["id"], pd.Timestamp(position["time"])) in last})
    return _to_table(rows)


def _describe_last(row: pd.Series) -> dict[str, object]:
    """Return a table row for a ``position`` layer feature (the fallback without positions)."""
    return {"id": row["id"], "flight_id": row["flight_id"], "sources": list(row["sources"]),
            "confidence": row["confidence"], "last_shown": True, "time": pd.Timestamp(row["time"]),
            "icao24": row["icao24"], "callsign": row["callsign"], "registration": row["registration"],
            "lat": row.geometry.y, "lon": row.geometry.x, "alt_baro_ft": row["altitude_ft"],
            "ground_speed_kt": row["ground_speed_kt"], "track_deg": row["track_deg"], "on_ground": row["on_ground"],
            "provenance": row["provenance"]}


def _to_table(rows: list[dict[str, object]]) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    frame["time"] = pd.to_datetime(frame["time"], utc=True)
    for column in ("lat", "lon", "alt_baro_ft", "alt_geom_ft", "ground_speed_kt", "track_deg", "vertical_rate_fpm"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    points = gpd.points_from_xy(frame["lon"], frame["lat"], crs=CRS)
    return gpd.GeoDataFrame(frame, geometry=points, crs=CRS)
