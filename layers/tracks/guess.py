"""Telling a track from a file of rows when the user gives no ``--kind``.

Only unmistakable signs count, since a wrong guess would send a file of rows to the
track readers: a folder, a Parquet or gzip file, JSON with a readsb or OpenSky layout,
a CSV whose header is Flightradar24's or OpenSky's, a KML with ``gx:Track``. Anything
else (a Flightradar24 KML of time-stamped placemarks looks like a KML of events) is read
as rows unless ``--kind track`` is given.
"""

from __future__ import annotations

import json
from pathlib import Path

from layers.readers import MAX_IMPORT_BYTES
from layers.tracks import fr24, opensky_json, opensky_table, readsb_json, track_kml
from layers.tracks.detect import split_header

_SNIFF_BYTES = 65_536


def looks_like_track(path: Path) -> bool:
    """Return whether ``path`` is plainly an ADS-B track (see the module docstring); never raises."""
    if path.is_dir():
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
        if head.lstrip()[:1] in (b"{", b"[") and path.stat().st_size <= MAX_IMPORT_BYTES:
            head = path.read_bytes()  # JSON is told by its keys: the whole document is needed
    except OSError:
        return False  # the row readers say why it cannot be read
    return looks_like_track_bytes(head)


def looks_like_track_bytes(raw: bytes) -> bool:
    """Return whether a file's bytes (an upload, or a file's start) are plainly an ADS-B track."""
    head = raw[:_SNIFF_BYTES]
    if head.startswith((b"PAR1", b"\x1f\x8b")):
        return True
    text = head.decode("utf-8-sig", errors="replace")
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return _looks_like_track_json(raw)
    if stripped.startswith("<"):
        return "gx:Track" in text
    first_line = text.splitlines()[0] if text else ""
    names = split_header(first_line)
    return (fr24.looks_like_fr24_csv(first_line) or opensky_table.looks_like_opensky_columns(names)
            or opensky_table.looks_like_traffic_columns(names))


def _looks_like_track_json(raw: bytes) -> bool:
    try:
        doc = json.loads(raw)
    except ValueError:
        return False
    return (readsb_json.looks_like_trace_full(doc) or readsb_json.looks_like_aircraft_json(doc)
            or opensky_json.looks_like_opensky_tracks(doc) or opensky_json.looks_like_opensky_flights(doc))


def looks_like_track_kml(path: Path) -> bool:
    """Return whether ``path`` is a KML file of timed positions (a track the row readers would misread)."""
    if path.suffix.lower() != ".kml":
        return False
    try:
        return track_kml.looks_like_track_kml(path.read_bytes()[:MAX_IMPORT_BYTES])
    except OSError:
        return False
