"""The one position table every track reader fills, with its units.

===================  ==============================  ===========================================
column               type                            meaning and unit
===================  ==============================  ===========================================
``time``             datetime64[ns, UTC]             when the position was measured (UTC)
``icao24``           str                             Mode S address, 6 lower-case hex digits
                                                     ("" when the file gives none)
``callsign``         str                             as transmitted, stripped ("" when none)
``registration``     str                             when the file or the watchlist says it
``aircraft_type``    str                             ICAO type designator when the file says it
``lat``, ``lon``     float64                         WGS 84 degrees
``alt_baro_ft``      float64                         barometric altitude, feet (NaN unknown;
                                                     0 is not assumed for "ground")
``alt_geom_ft``      float64                         geometric (GNSS) altitude, feet
``ground_speed_kt``  float64                         knots
``track_deg``        float64                         true track over ground, degrees
``vertical_rate_fpm``  float64                       feet per minute (negative descending)
``on_ground``        bool                            the source says the aircraft was on the
                                                     ground
``position_source``  str                             ``adsb``, ``mlat``, ``tisb``, ``adsr``,
                                                     ``adsc``, ``other`` or "" (unknown)
``stale``            bool                            readsb's flag: position older than 15 s
                                                     when reported (kept, drawn, not a gap)
``new_leg``          bool                            readsb's flag: a new leg starts here
``implausible``      bool                            set by :mod:`layers.tracks.checks`: reached
                                                     faster than Mach 1 from the last good
                                                     position; kept, flagged, left out of lines
``point``            int64                           the position's line (line-based formats) or
                                                     index (1-based) in its file: how problems
                                                     name it (see ``TrackFile.point_noun``)
``provenance``       str                             the file (and, in a workspace, the batch)
===================  ==============================  ===========================================

Conversions are written once, here: metres to feet, metres per second to knots and to
feet per minute.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from layers.errors import Problem

FT_PER_M = 1 / 0.3048
"""Feet in a metre (the international foot is exactly 0.3048 m)."""
KT_PER_MS = 3600 / 1852
"""Knots in a metre per second (the nautical mile is exactly 1852 m)."""
FPM_PER_MS = 60 / 0.3048
"""Feet per minute in a metre per second."""
KM_PER_NM = 1.852

TEXT_COLUMNS = ("icao24", "callsign", "registration", "aircraft_type", "position_source", "provenance")
FLOAT_COLUMNS = ("lat", "lon", "alt_baro_ft", "alt_geom_ft", "ground_speed_kt", "track_deg", "vertical_rate_fpm")
BOOL_COLUMNS = ("on_ground", "stale", "new_leg", "implausible")
POSITION_COLUMNS = ("time", "icao24", "callsign", "registration", "aircraft_type", "lat", "lon", "alt_baro_ft",
                    "alt_geom_ft", "ground_speed_kt", "track_deg", "vertical_rate_fpm", "on_ground",
                    "position_source", "stale", "new_leg", "implausible", "point", "provenance")
POSITION_SOURCES = ("adsb", "mlat", "tisb", "adsr", "adsc", "other")
"""The ``position_source`` words; readers map their format's own codes onto these."""


@dataclass(frozen=True)
class FlightLeg:
    """A flight leg a file states outright (OpenSky ``/flights``), not one split from positions.

    Attributes
    ----------
    icao24, callsign : str
        The aircraft and its callsign ("" when not given).
    first_seen, last_seen : pandas.Timestamp
        UTC times of the first and last position the source holds.
    departure, arrival : str
        The source's estimated airfield ICAO codes ("" when it has no estimate).
    index : int
        The leg's place in the file (1-based).
    """

    icao24: str
    callsign: str
    first_seen: pd.Timestamp
    last_seen: pd.Timestamp
    departure: str
    arrival: str
    index: int


@dataclass(frozen=True)
class TrackFile:
    """What a track reader found in one file (or folder).

    Attributes
    ----------
    path : Path
        The file or folder read.
    format : str
        The format's name as messages say it (``readsb trace_full``, ``OpenSky state vectors CSV``).
    positions : pandas.DataFrame
        The position table (:data:`POSITION_COLUMNS`), in file order.
    legs : tuple of FlightLeg
        Flight legs the file states (OpenSky ``/flights``); empty for position files.
    problems : tuple of Problem
        What makes the file unusable, each naming the file, point and field.
    notes : tuple of str
        What the user should know: an icao24 taken from the file name, a simplified track,
        positions flagged as implausible jumps.
    simplified : bool
        True when the source thinned the track itself (OpenSky ``/tracks``): gaps in it
        are not evidence of going dark.
    point_noun : str
        How messages name a position: ``line`` (CSV, where ``point`` is the line number,
        header = 1) or ``point`` (JSON, KML, Parquet: ``point`` is the 1-based index).
    """

    path: Path
    format: str
    positions: pd.DataFrame
    legs: tuple[FlightLeg, ...] = ()
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    simplified: bool = False
    point_noun: str = "point"


def build_position_frame(columns: Mapping[str, Any], length: int | None = None) -> pd.DataFrame:
    """Return a position table from whichever columns a reader has, the rest filled as unknown.

    Parameters
    ----------
    columns : mapping of str to array-like
        Columns by :data:`POSITION_COLUMNS` name, already in this module's units. ``time``
        may be datetimes, or seconds since 1970 as numbers.
    length : int, optional
        Number of rows, when no column is given (an empty file).

    Raises
    ------
    KeyError
        If a column is not one of :data:`POSITION_COLUMNS` (a reader's mistake).
    """
    unknown = set(columns) - set(POSITION_COLUMNS)
    if unknown:
        raise KeyError(f"not position columns: {sorted(unknown)}")
    sizes = {len(values) for values in columns.values()}
    rows = sizes.pop() if sizes else (length or 0)
    frame: dict[str, Any] = {}
    time = columns.get("time", np.full(rows, np.nan))
    if isinstance(time, pd.Series) and isinstance(time.dtype, pd.DatetimeTZDtype):
        # Through naive UTC datetime64: to_numpy() of a tz-aware column would make Timestamp objects.
        frame["time"] = time.dt.tz_convert("UTC").dt.tz_localize(None).dt.as_unit("ns").to_numpy()
    elif len(time) and not np.issubdtype(np.asarray(time).dtype, np.number):
        frame["time"] = pd.to_datetime(time, utc=True).as_unit("ns")
    else:
        frame["time"] = pd.to_datetime(np.asarray(time, dtype="float64") * 1e9, utc=True, unit="ns")
    for name in TEXT_COLUMNS:
        values = columns.get(name)
        # pandas' string dtype keeps text in Arrow buffers, not as a million Python objects.
        frame[name] = (pd.Series(values).astype("str").fillna("").str.strip().reset_index(drop=True)
                       if values is not None else pd.Series([""] * rows, dtype="str"))
    for name in FLOAT_COLUMNS:
        values = columns.get(name)
        frame[name] = (pd.to_numeric(pd.Series(values), errors="coerce").astype("float64").to_numpy()
                       if values is not None else np.full(rows, np.nan))
    for name in BOOL_COLUMNS:
        values = columns.get(name)
        frame[name] = (pd.Series(values).fillna(False).astype(bool).to_numpy()
                       if values is not None else np.zeros(rows, dtype=bool))
    point = columns.get("point")
    frame["point"] = np.asarray(point, dtype="int64") if point is not None else np.arange(1, rows + 1, dtype="int64")
    result = pd.DataFrame(frame, columns=list(POSITION_COLUMNS))
    result["time"] = pd.to_datetime(result["time"], utc=True)
    result["icao24"] = result["icao24"].str.lower()
    return result


def iterate_rows(frame: pd.DataFrame) -> Iterator[Any]:
    """Return a frame's rows as named tuples (typed Any: their fields are the frame's columns)."""
    return frame.itertuples(index=False)


def drop_repeated_reports(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Return the table with repeats of one report (same aircraft, time and place) kept once, and how many went.

    Snapshot formats list an aircraft's last position again until it times out (readsb's
    ``aircraft.json``), and OpenSky's state vectors repeat the last vector each second
    with its ``lastposupdate`` unchanged: the same report seen again, not a new position.
    A repeat at the same time but another place stays, and is refused as a duplicate
    timestamp (:mod:`layers.tracks.checks`).
    """
    kept = frame.drop_duplicates(subset=["icao24", "time", "lat", "lon"])
    return kept, len(frame) - len(kept)


def empty_positions() -> pd.DataFrame:
    """Return a position table with no rows (and every column)."""
    return build_position_frame({}, 0)
