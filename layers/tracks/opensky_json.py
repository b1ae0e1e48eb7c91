"""Readers of the OpenSky Network REST API's JSON answers: ``/flights/*`` and ``/tracks/all``.

Layouts from the OpenSky REST API documentation (openskynetwork.github.io/opensky-api/rest.html;
its source, openskynetwork/opensky-api commit 16e3803, ``docs/free/rest.rst`` "Flights in Time
Interval", "Flights by Aircraft", "Arrivals/Departures by Airport", "Track by Aircraft", with
``flight-response.rst`` and ``track-response.rst``), and the ``Waypoint`` keys of that
repository's ``python/opensky_api.py``; the opensky-network Rust crate (docs.rs,
``flights::Flight``, ``tracks::Waypoint``) agrees. The track documentation spells the
callsign ``calllsign``: that key is read when ``callsign`` is absent.

``/flights/*`` answers a list of flight objects; each becomes a :class:`FlightLeg`:

===============================  ============================  ==============================
OpenSky                          unit                          FlightLeg
===============================  ============================  ==============================
``icao24``                       lower-case hex                ``icao24``
``firstSeen``, ``lastSeen``      seconds since 1970 (UTC)      ``first_seen``, ``last_seen``
``estDepartureAirport``          ICAO code or null             ``departure`` ("" for null)
``estArrivalAirport``            ICAO code or null             ``arrival`` ("" for null)
``callsign``                     8 characters or null          ``callsign`` (stripped)
``...Distance``, ``...Count``    metres, counts                not read
===============================  ============================  ==============================

``/tracks/all`` answers ``{icao24, startTime, endTime, callsign, path}``; ``callsign`` holds
for the whole track, and each ``path`` waypoint is a list:

=====  ==================  ==========================  ===================================
index  OpenSky             unit                        table column
=====  ==================  ==========================  ===================================
0      ``time``            seconds since 1970 (UTC)    ``time``
1, 2   ``latitude``,       WGS 84 degrees or null      ``lat``, ``lon`` (a waypoint without
       ``longitude``                                   them is counted in a note, not read)
3      ``baro_altitude``   metres or null              ``alt_baro_ft`` (× :data:`FT_PER_M`)
4      ``true_track``      degrees or null             ``track_deg``
5      ``on_ground``       boolean                     ``on_ground``
=====  ==================  ==========================  ===================================

OpenSky keeps a waypoint at least every 15 minutes in flight and where the track turns by
more than 2.5°, the altitude changes by more than 100 m or the on-ground state changes: the
track is simplified (``simplified=True``), so a long gap between waypoints is not evidence
that the aircraft went dark.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from layers.errors import Problem
from layers.readers.files import make_row_problem
from layers.tracks.positions import FT_PER_M, FlightLeg, TrackFile, build_position_frame, empty_positions

FLIGHTS_FORMAT = "OpenSky flights JSON"
TRACKS_FORMAT = "OpenSky tracks JSON"
SIMPLIFIED_NOTE = ("the track is simplified by OpenSky (a waypoint at least every 15 minutes in flight, and on "
                   "turns, climbs and landings): gaps in it are not evidence of going dark")
_WAYPOINT_FIELDS = ("time", "latitude", "longitude", "baro_altitude", "true_track", "on_ground")
_HINT = "download the answer again from the OpenSky REST API: it writes this field as a number or null"


def looks_like_opensky_flights(doc: object) -> bool:
    """Return True when a parsed JSON document is an OpenSky ``/flights/*`` answer (a list of flights).

    Parameters
    ----------
    doc : object
        The parsed JSON document. An empty list is not recognised: it could be any list.
    """
    return (isinstance(doc, list) and bool(doc) and isinstance(doc[0], dict) and "icao24" in doc[0]
            and ("firstSeen" in doc[0] or "lastSeen" in doc[0]))


def looks_like_opensky_tracks(doc: object) -> bool:
    """Return True when a parsed JSON document is an OpenSky ``/tracks/all`` answer.

    Parameters
    ----------
    doc : object
        The parsed JSON document.
    """
    return (isinstance(doc, dict) and isinstance(doc.get("path"), list) and "icao24" in doc
            and ("startTime" in doc or "endTime" in doc))


def read_opensky_flights(path: Path, doc: list[Any]) -> TrackFile:
    """Read an OpenSky ``/flights/*`` answer into flight legs (no positions).

    Parameters
    ----------
    path : Path
        The file.
    doc : list
        The parsed document (see :func:`looks_like_opensky_flights`).

    Returns
    -------
    TrackFile
        Format ``OpenSky flights JSON``: ``legs`` in file order, ``positions`` empty. A
        flight whose ``icao24``, ``firstSeen`` or ``lastSeen`` cannot be read is a problem
        naming it (``flight N``) and is left out.
    """
    problems: list[Problem] = []
    legs: list[FlightLeg] = []
    for number, flight in enumerate(doc, start=1):
        where = f"flight {number}"
        if not isinstance(flight, dict):
            problems.append(make_row_problem(path, where, "(flight)", "is not a flight object", _HINT,
                                             value=_shown(flight)))
            continue
        found = len(problems)
        times = {name: _required_number(path, where, name, flight.get(name), problems)
                 for name in ("firstSeen", "lastSeen")}
        texts = {name: _text(path, where, name, flight.get(name), problems)
                 for name in ("icao24", "callsign", "estDepartureAirport", "estArrivalAirport")}
        if flight.get("icao24") is None:
            problems.append(make_row_problem(path, where, "icao24", "icao24 not given", "download the answer again: "
                                             "OpenSky gives the icao24 of every flight", value="null"))
        if len(problems) > found:
            continue
        legs.append(FlightLeg(icao24=texts["icao24"].strip().lower(), callsign=texts["callsign"].strip(),
                              first_seen=_utc(times["firstSeen"]), last_seen=_utc(times["lastSeen"]),
                              departure=texts["estDepartureAirport"].strip(),
                              arrival=texts["estArrivalAirport"].strip(), index=number))
    return TrackFile(path, FLIGHTS_FORMAT, empty_positions(), legs=tuple(legs), problems=tuple(problems))


def read_opensky_tracks(path: Path, doc: dict[str, Any]) -> TrackFile:
    """Read an OpenSky ``/tracks/all`` answer into positions.

    Parameters
    ----------
    path : Path
        The file (its name becomes ``provenance``).
    doc : dict
        The parsed document (see :func:`looks_like_opensky_tracks`).

    Returns
    -------
    TrackFile
        Format ``OpenSky tracks JSON``, ``simplified=True`` with a note saying so; one
        position per waypoint with a latitude and longitude, altitudes in feet. Problems
        name the waypoint (``point N``), the field and the value.
    """
    problems: list[Problem] = []
    notes = [SIMPLIFIED_NOTE]
    icao24 = _text(path, "the track", "icao24", doc.get("icao24"), problems).strip().lower()
    key = "callsign" if "callsign" in doc or "calllsign" not in doc else "calllsign"
    callsign = _text(path, "the track", key, doc.get(key), problems).strip()
    if not isinstance(doc.get("path"), list):
        problems.append(Problem(path, 0, "path", _shown(doc.get("path")), "the track has no path list of "
                                "waypoints", "download the answer again from the OpenSky REST API"))
        return TrackFile(path, TRACKS_FORMAT, empty_positions(), problems=tuple(problems), notes=tuple(notes),
                         simplified=True)
    columns: dict[str, list[Any]] = {name: [] for name in ("time", "lat", "lon", "alt_baro_ft", "track_deg",
                                                           "on_ground", "point")}
    unplaced = 0
    for number, waypoint in enumerate(doc["path"], start=1):
        where = f"point {number}"
        if not isinstance(waypoint, list) or len(waypoint) < 3:
            problems.append(make_row_problem(
                path, where, "path", "is not a waypoint: one is a list [time, latitude, longitude, "
                "baro_altitude, true_track, on_ground]", _HINT, value=_shown(waypoint)))
            continue
        values = dict(zip(_WAYPOINT_FIELDS, waypoint, strict=False))
        found = len(problems)
        time = _required_number(path, where, "time", values["time"], problems)
        numbers = {name: _number(path, where, name, values.get(name), problems) for name in _WAYPOINT_FIELDS[1:5]}
        on_ground = values.get("on_ground")
        if on_ground is not None and not isinstance(on_ground, bool):
            problems.append(make_row_problem(path, where, "on_ground", "on_ground is not true, false or null", _HINT,
                                             value=_shown(on_ground)))
        if any(p.field in _WAYPOINT_FIELDS[:3] for p in problems[found:]):
            continue
        if math.isnan(numbers["latitude"]) or math.isnan(numbers["longitude"]):
            unplaced += 1
            continue
        for name, value in (("time", time), ("lat", numbers["latitude"]), ("lon", numbers["longitude"]),
                            ("alt_baro_ft", numbers["baro_altitude"] * FT_PER_M),
                            ("track_deg", numbers["true_track"]), ("on_ground", on_ground is True),
                            ("point", number)):
            columns[name].append(value)
    if unplaced:
        notes.append(f"{unplaced} waypoints without a latitude and longitude not read")
    rows = len(columns["point"])
    frame = build_position_frame({**columns, "icao24": [icao24] * rows, "callsign": [callsign] * rows,
                                  "provenance": [path.name] * rows})
    return TrackFile(path, TRACKS_FORMAT, frame, problems=tuple(problems), notes=tuple(notes), simplified=True)


def _utc(seconds: float) -> pd.Timestamp:
    return pd.Timestamp(seconds, unit="s", tz="UTC")


def _number(path: Path, where: str, field: str, value: object, problems: list[Problem]) -> float:
    """Return a JSON number as a float, NaN for null; a problem (and NaN) for anything else."""
    if value is None:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(make_row_problem(path, where, field, f"{field} is not a number or null", _HINT,
                                         value=_shown(value)))
        return math.nan
    return float(value)


def _required_number(path: Path, where: str, field: str, value: object, problems: list[Problem]) -> float:
    if value is None:
        problems.append(make_row_problem(path, where, field, f"{field} not given: a time in seconds since 1970 is "
                                         "needed", "download the answer again: OpenSky gives it for every record",
                                         value="null"))
        return math.nan
    return _number(path, where, field, value, problems)


def _text(path: Path, where: str, field: str, value: object, problems: list[Problem]) -> str:
    if value is None or isinstance(value, str):
        return value or ""
    problems.append(make_row_problem(path, where, field, f"{field} is not text or null",
                                     _HINT.replace("a number", "text"), value=_shown(value)))
    return ""


def _shown(value: object) -> str:
    """Return a value as messages quote it: text as it is, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)[:200]
