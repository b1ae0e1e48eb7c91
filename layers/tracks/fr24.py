"""Reader of Flightradar24's CSV download, and the icao24 rule for files that name no aircraft.

The CSV a Flightradar24 subscriber downloads for one flight has the header
``Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction``, one line per position:

=============  =========================================  ====================================
column         Flightradar24 (unit)                       table column
=============  =========================================  ====================================
``Timestamp``  seconds since 1970 (UTC)                   ``time``
``UTC``        ISO 8601 text, ``2024-12-27T10:15:02Z``    ``time`` where ``Timestamp`` is empty
                                                          or absent (the same instant, as text)
``Callsign``   text                                       ``callsign``
``Position``   ``"lat,lon"`` (quoted), degrees            ``lat``, ``lon``
``Altitude``   ft, 0 on the ground                        ``alt_baro_ft`` (NaN on the ground)
``Speed``      kt over ground                             ``ground_speed_kt``
``Direction``  degrees, track over ground                 ``track_deg``
=============  =========================================  ====================================

The ground: Flightradar24 writes altitude 0 for an aircraft on the ground instead of its
altitude, and has no ground flag in the file. A position with altitude 0 and a speed under
:data:`GROUND_SPEED_KT` (50 kt: taxiing, not a take-off run or a low pass) is read as
``on_ground`` True, with its altitude NaN, since 0 is not a measured altitude (see
:func:`read_fr24_ground`, also used for Flightradar24 KML). Altitude 0 at 50 kt or more, or
with no speed, is kept as written. The altitude is taken to be barometric (what ADS-B
transponders report and Flightradar24 shows); the file does not say.

The file gives no Mode S address. :func:`resolve_icao24` takes it from the caller's
``icao24`` (``--icao24``), else from the file name when it holds exactly one token of 6 hex
digits (``fr24_154076_RA82038.csv``); Flightradar24's own 8-hex-digit flight id
(``RA82038_38a1b2c3.csv``) is not an address, and never matches. Otherwise positions have
no icao24 and a note says how to give it. :mod:`layers.tracks.track_kml` uses the same rule.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd

from layers.errors import Problem
from layers.tracks.cells import (
    CellReport,
    read_csv_columns,
    read_datetimes,
    read_epoch_seconds,
    read_numbers,
    utc_array,
)
from layers.tracks.positions import TrackFile, build_position_frame, empty_positions

FR24_FORMAT = "Flightradar24 CSV"
FR24_COLUMNS = ("Timestamp", "UTC", "Callsign", "Position", "Altitude", "Speed", "Direction")
GROUND_SPEED_KT = 50.0
"""Below this speed an altitude of 0 is Flightradar24's mark of an aircraft on the ground."""
# A 6-hex-digit token with no letter or digit either side (underscore, dot, dash do not count).
_HEX_TOKEN = re.compile(r"(?<![0-9A-Za-z])[0-9A-Fa-f]{6}(?![0-9A-Za-z])")
_ADDRESS = re.compile(r"[0-9a-f]{6}")
_NAMES = {name.lower(): name for name in FR24_COLUMNS}
_POSITION = re.compile(r"^\s*([^,]*?)\s*,\s*([^,]*?)\s*$")


def looks_like_fr24_csv(first_line: str) -> bool:
    """Return True when ``first_line`` is a Flightradar24 CSV header.

    ``Position`` and three more of :data:`FR24_COLUMNS` (in any case and order) must be
    there, so a file missing a column is still recognised and its reader can name it.
    """
    cells = next(csv.reader([first_line.lstrip("\ufeff").strip()]), [])
    names = {cell.strip().lower() for cell in cells}
    return "position" in names and len(names.intersection(_NAMES)) >= 4


def icao24_from_file_name(name: str) -> str:
    """Return the one 6-hex-digit token of a file name, lower-cased, or "" when there is none or several.

    Examples
    --------
    >>> icao24_from_file_name("fr24_154076_RA82038.csv")
    '154076'
    >>> icao24_from_file_name("RA82038_38a1b2c3.csv")
    ''
    """
    tokens = _HEX_TOKEN.findall(name)
    return tokens[0].lower() if len(tokens) == 1 else ""


def resolve_icao24(path: Path, given: str) -> tuple[str, list[str], list[Problem]]:
    """Return the icao24 for a file that holds none, the notes saying where it came from, and problems.

    Parameters
    ----------
    path : Path
        The file; its name is searched when ``given`` is empty.
    given : str
        The address the user gave (``--icao24``), or "".

    Returns
    -------
    tuple
        The address (6 lower-case hex digits, or ""), notes, and a problem when ``given`` is
        not 6 hex digits (then no address is used).
    """
    address = given.strip().lower()
    if address:
        if _ADDRESS.fullmatch(address):
            return address, [], []
        return "", [], [Problem(path, 0, "icao24", given, "the icao24 given is not 6 hex digits",
                                "give the aircraft's Mode S address, e.g. --icao24 154076")]
    address = icao24_from_file_name(path.name)
    if address:
        return address, [f"the file gives no icao24: {address} taken from its name (give --icao24 to set another)"], []
    note = ("the file gives no icao24 and its name holds no 6-hex-digit address: positions are read without one; "
            "give it with --icao24")
    return "", [note], []


def read_fr24_ground(altitude_ft: np.ndarray, speed_kt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return ``on_ground`` and the altitudes with Flightradar24's ground 0 made NaN.

    Parameters
    ----------
    altitude_ft, speed_kt : numpy.ndarray
        Altitudes (ft) and ground speeds (kt) as Flightradar24 gives them (NaN unknown).

    Returns
    -------
    tuple of numpy.ndarray
        ``on_ground``: altitude exactly 0 and speed under :data:`GROUND_SPEED_KT`; and the
        altitudes, NaN where ``on_ground``.
    """
    ground = (altitude_ft == 0) & (np.nan_to_num(speed_kt, nan=np.inf) < GROUND_SPEED_KT)
    return ground, np.where(ground, np.nan, altitude_ft)


def read_fr24_csv(path: Path, raw: bytes, *, icao24: str = "") -> TrackFile:
    """Read a Flightradar24 CSV download.

    Parameters
    ----------
    path : Path
        The file (its name becomes each position's ``provenance``, and may give the icao24).
    raw : bytes
        The file's bytes, already size-checked and un-gzipped by the dispatcher.
    icao24 : str, optional
        The aircraft's Mode S address (``--icao24``); see :func:`resolve_icao24`.

    Returns
    -------
    TrackFile
        ``point`` is each row's line (header = line 1); problems name the line, column and cell.
    """
    frame, report = read_csv_columns(path, raw, _NAMES)
    if frame is None:
        return TrackFile(path, FR24_FORMAT, empty_positions(), problems=tuple(report.problems), point_noun="line")
    missing = [name for name in ("Position", "Timestamp") if name.lower() not in frame]
    if missing == ["Timestamp"] and "utc" in frame:
        missing = []
    if missing:
        problem = Problem(path, 1, "(header)", "", f"no {', '.join(repr(m) for m in missing)} column: a "
                          f"Flightradar24 CSV has {', '.join(FR24_COLUMNS)}",
                          "download the flight's CSV from Flightradar24 again, with its header line")
        return TrackFile(path, FR24_FORMAT, empty_positions(), problems=(problem,), point_noun="line")
    address, notes, problems = resolve_icao24(path, icao24)
    report.problems.extend(problems)
    rows = len(frame)
    columns: dict[str, object] = {"icao24": np.full(rows, address, dtype=object),
                                  "provenance": np.full(rows, path.name, dtype=object)}
    columns["lat"], columns["lon"] = _read_position(frame["position"], report)
    time = (read_epoch_seconds(frame["timestamp"], "Timestamp", report) if "timestamp" in frame
            else pd.Series(pd.NaT, index=range(rows), dtype="datetime64[ns, UTC]"))
    if "utc" in frame:
        written = read_datetimes(frame["utc"], "UTC", report, notes).set_axis(time.index)
        time = time.where(time.notna(), written)
    columns["time"] = utc_array(time)
    speed = read_numbers(frame["speed"], "Speed", report, "speed in kt") if "speed" in frame else np.full(rows, np.nan)
    columns["ground_speed_kt"] = speed
    if "altitude" in frame:
        altitude = read_numbers(frame["altitude"], "Altitude", report, "altitude in ft")
        columns["on_ground"], columns["alt_baro_ft"] = read_fr24_ground(altitude, speed)
    if "direction" in frame:
        columns["track_deg"] = read_numbers(frame["direction"], "Direction", report, "direction in degrees")
    if "callsign" in frame:
        columns["callsign"] = frame["callsign"]
    columns["point"] = report.lines
    return TrackFile(path, FR24_FORMAT, build_position_frame(columns, rows), problems=tuple(report.problems),
                     notes=tuple(dict.fromkeys(notes)), point_noun="line")


def _read_position(values: pd.Series, report: CellReport) -> tuple[np.ndarray, np.ndarray]:
    """Return the latitudes and longitudes of ``"lat,lon"`` cells, reporting cells that are not."""
    text = values.astype("string")
    parts = text.str.extract(_POSITION)
    lat = pd.to_numeric(parts[0], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    lon = pd.to_numeric(parts[1], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    given = text.fillna("").str.strip().ne("").to_numpy(dtype=bool)
    bad = given & (np.isnan(lat) | np.isnan(lon))
    report.add(bad, values, "Position", "not a latitude,longitude pair",
               'write the position as "latitude,longitude" in decimal degrees, quoted')
    return np.where(bad, np.nan, lat), np.where(bad, np.nan, lon)
