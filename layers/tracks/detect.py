"""Which track format a file holds, told from its content, and reading it (or a folder of snapshots).

==============================  ============================================  ==========================
format                          told by                                       reader
==============================  ============================================  ==========================
readsb ``trace_full``/recent    JSON object with ``icao``, ``timestamp``,     ``readsb_json``
                                ``trace``
readsb ``aircraft.json``,       JSON object with ``now`` and ``aircraft``     ``readsb_json``
ADS-B Exchange v2 API           (or ``ac``)
OpenSky ``/flights``            JSON list of objects with ``firstSeen``       ``opensky_json``
OpenSky ``/tracks``             JSON object with ``startTime`` and ``path``   ``opensky_json``
OpenSky state vectors,          Parquet (``PAR1``) or CSV whose header names  ``opensky_table``
``traffic`` tables              their columns
Flightradar24 CSV               header ``Timestamp,UTC,Callsign,Position,…``  ``fr24``
Flightradar24 / FlightAware KML  KML with ``gx:Track`` or timed placemarks    ``track_kml``
==============================  ============================================  ==========================

A gzip file (``trace_full_*.json`` are often served gzipped under a ``.json`` name) is
un-gzipped first, to at most :data:`MAX_UNPACKED_BYTES`. A folder is read as snapshots
(``aircraft.json`` files, at most :data:`MAX_FOLDER_FILES`), each file's positions
attributed to it, then sorted by aircraft and time; a report repeated in consecutive
snapshots (same aircraft, time and place) is kept once and counted in a note.
"""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import re
import zlib
from pathlib import Path

import pandas as pd

from layers.errors import DataValidationError, Problem
from layers.readers import MAX_IMPORT_BYTES
from layers.readers.files import make_file_problem, read_import_bytes
from layers.tracks import fr24, opensky_json, opensky_table, readsb_json, track_kml
from layers.tracks.positions import TrackFile, drop_repeated_reports, empty_positions

MAX_UNPACKED_BYTES = 8 * MAX_IMPORT_BYTES
"""Largest un-gzipped track (400 MiB): readsb traces compress ~10:1; more is a zip bomb."""
MAX_FOLDER_FILES = 10_000
FORMATS = ("readsb trace_full", "readsb aircraft.json", "OpenSky flights JSON", "OpenSky tracks JSON",
           "state vectors (CSV or Parquet)", "Flightradar24 CSV", "track KML")


class UnknownTrackFormatError(ValueError):
    """Raised when a file is none of the track formats; the message lists them."""


def read_track_source(path: Path | str, *, icao24: str = "") -> TrackFile:
    """Read a track file, or a folder of ``aircraft.json`` snapshots, with the reader its content calls for.

    Parameters
    ----------
    path : Path or str
        The file or folder.
    icao24 : str
        The aircraft's address for formats that do not carry it (Flightradar24).

    Returns
    -------
    TrackFile
        What the reader found; a refused file has problems and no positions.
    """
    path = Path(path)
    if path.is_dir() and not path.is_symlink():
        return _read_folder(path)
    try:
        raw = _unpack(path, read_import_bytes(path))
    except DataValidationError as exc:
        return TrackFile(path, "unread", empty_positions(), problems=tuple(exc.problems))
    return read_track_bytes(path, raw, icao24=icao24.strip().lower())


def read_track_upload(path: Path, raw: bytes, *, icao24: str = "") -> TrackFile:
    """Read a track file's bytes already in memory (an upload), un-gzipping them first when gzip."""
    try:
        unpacked = _unpack(path, raw)
    except DataValidationError as exc:
        return TrackFile(path, "unread", empty_positions(), problems=tuple(exc.problems))
    return read_track_bytes(path, unpacked, icao24=icao24.strip().lower())


def read_track_bytes(path: Path, raw: bytes, *, icao24: str = "") -> TrackFile:
    """Read the (un-gzipped) bytes of one track file: detect its format and run its reader."""
    if raw.startswith(b"PAR1"):
        return opensky_table.read_position_parquet(path, raw)
    head = raw.lstrip()[:1]
    if head in (b"{", b"["):
        return _read_json(path, raw, icao24)
    if head == b"<" or raw.startswith(b"\xef\xbb\xbf<"):
        if track_kml.looks_like_track_kml(raw):
            return track_kml.read_track_kml(path, raw, icao24=icao24)
        return _refuse(path, "a KML or XML file without a gx:Track or time-stamped placemarks")
    first_line = raw[:4096].decode("utf-8-sig", errors="replace").splitlines()[0] if raw else ""
    if fr24.looks_like_fr24_csv(first_line):
        return fr24.read_fr24_csv(path, raw, icao24=icao24)
    names = split_header(first_line)
    if opensky_table.looks_like_opensky_columns(names) or opensky_table.looks_like_traffic_columns(names):
        return opensky_table.read_position_csv(path, raw)
    return _refuse(path, "not a track format Airbridge reads")


def split_header(first_line: str) -> list[str]:
    """Return the column names of a CSV header line (Impala's shell writes tabs, exports commas)."""
    return [name.strip().strip('"') for name in re.split(r"[,\t]", first_line)]


def _read_json(path: Path, raw: bytes, icao24: str) -> TrackFile:
    try:
        doc = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return TrackFile(path, "JSON", empty_positions(), problems=(
            make_file_problem(path, f"not valid JSON ({exc})", "export the track again"),))
    if readsb_json.looks_like_trace_full(doc):
        return readsb_json.read_trace_full(path, doc, icao24=icao24)
    if readsb_json.looks_like_aircraft_json(doc):
        return readsb_json.read_aircraft_json(path, doc)
    if opensky_json.looks_like_opensky_tracks(doc):
        return opensky_json.read_opensky_tracks(path, doc)
    if opensky_json.looks_like_opensky_flights(doc):
        return opensky_json.read_opensky_flights(path, doc)
    return _refuse(path, "a JSON file that is not a readsb trace, an aircraft.json snapshot or an OpenSky "
                         "flights or tracks answer")


def _refuse(path: Path, what: str) -> TrackFile:
    problem = Problem(path, 0, "(kind)", "track", f"{what}, so it cannot be imported as a track",
                      f"import one of: {', '.join(FORMATS)}; or give the --kind that fits the file")
    return TrackFile(path, "unknown", empty_positions(), problems=(problem,))


def _unpack(path: Path, raw: bytes) -> bytes:
    if not raw.startswith(b"\x1f\x8b"):
        return raw
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as handle:
            unpacked = handle.read(MAX_UNPACKED_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise DataValidationError([make_file_problem(path, f"a damaged gzip file ({exc})",
                                                     "download it again")]) from None
    if len(unpacked) > MAX_UNPACKED_BYTES:
        raise DataValidationError([make_file_problem(path, f"un-gzips to more than {MAX_UNPACKED_BYTES:,} bytes",
                                                     "split the track into several files")])
    return unpacked


def _read_folder(folder: Path) -> TrackFile:
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.is_symlink()
                   and p.name.lower().endswith((".json", ".json.gz", ".gz")))
    if not files:
        return TrackFile(folder, "folder", empty_positions(), problems=(
            make_file_problem(folder, "a folder with no .json snapshots", "point at aircraft.json files or a file"),))
    if len(files) > MAX_FOLDER_FILES:
        return TrackFile(folder, "folder", empty_positions(), problems=(
            make_file_problem(folder, f"{len(files):,} files, more than {MAX_FOLDER_FILES:,}",
                              "import the folder in parts"),))
    parts: list[pd.DataFrame] = []
    problems: list[Problem] = []
    notes: list[str] = []
    for file in files:
        track = read_track_source(file)
        if track.format != "readsb aircraft.json" and not track.problems:
            problems.append(make_file_problem(file, f"a {track.format} file in a folder of snapshots",
                                              "import it on its own, or move it out of the folder"))
        problems.extend(track.problems)
        notes.extend(f"{file.name}: {note}" for note in track.notes)
        parts.append(track.positions)
    frame = pd.concat(parts, ignore_index=True) if parts else empty_positions()
    frame, repeated = drop_repeated_reports(frame)
    if repeated:
        notes.append(f"{repeated:,} positions repeated in consecutive snapshots kept once")
    frame = frame.sort_values(["icao24", "time"], kind="stable").reset_index(drop=True)
    return dataclasses.replace(TrackFile(folder, "readsb aircraft.json", frame), problems=tuple(problems),
                               notes=tuple(notes))
