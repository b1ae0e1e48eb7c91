"""Reader of KML tracks: FlightAware's ``gx:Track`` and Flightradar24's time-stamped placemarks.

**FlightAware** ("Google Earth" download of a flight's track log): a Document named like
``FlightAware ✈ RYR5580 15-Oct-2022 (EDI / EGPH-ALC / LEAL)`` holding a Placemark for each
airport (a Point, no time: not read) and one Placemark, named with the flight's ident,
holding a ``gx:Track`` of parallel ``<when>`` and ``<gx:coord>`` lists:

==================================  ======================================  ====================
KML                                 FlightAware (unit)                      table column
==================================  ======================================  ====================
``<when>``                          ISO 8601 time, UTC (``Z``)              ``time``
``<gx:coord>lon lat alt</…>``       degrees, degrees, metres                ``lon``, ``lat``,
                                                                            ``alt_baro_ft``
the track Placemark's ``<name>``    the ident (``RYR5580``, ``N494SA``)     ``callsign``; a
                                                                            hyphenated one
                                                                            (``RA-82038``) is a
                                                                            ``registration``
Document ``<name>``                 ``FlightAware ✈ <ident> ...``           the same, when the
                                                                            Placemark has none
==================================  ======================================  ====================

FlightAware's altitude is the transponder's pressure altitude converted to metres, hence
``alt_baro_ft``; any other KML ``gx:Track`` (format ``KML gx:Track``) has KML's own altitude,
metres above sea level, read into ``alt_geom_ft``, and no callsign.

**Flightradar24** (a flight's KML download): a Document with a Folder named ``Route`` of
Placemarks, one per position (a ``Trail`` folder of LineStrings has no times: not read):

===========================================  ================================  =================
KML                                          Flightradar24 (unit)              table column
===========================================  ================================  =================
``<TimeStamp><when>``                        ISO 8601 time, ``+00:00``         ``time``
``<Point><coordinates>lon,lat,alt``          degrees, degrees, metres          ``lon``, ``lat``;
                                                                               ``alt_baro_ft``
                                                                               when no Altitude
``<description>`` ``Altitude: 12,000 ft``    ft (HTML spans)                   ``alt_baro_ft``
``<description>`` ``Speed: 450 kt``          kt                                ``ground_speed_kt``
``<description>`` ``Heading: 270°``          degrees (``&deg;``)               ``track_deg``
===========================================  ================================  =================

Flightradar24's altitude 0 on the ground is read as in :func:`layers.tracks.fr24.read_fr24_ground`
(``on_ground``, altitude NaN). Time-stamped Point placemarks outside that layout (format
``KML time-stamped points``) give time, position and KML's altitude (``alt_geom_ft``) only.

Verified against third-party readers, not Flightradar24's or FlightAware's own documents:
Sky Dolly's ``FlightRadar24KmlParser.cpp`` (Route folder, description patterns
``<b>Speed:</b></span> <span>N kt</span>`` and ``<b>Heading:</b></span> <span>N&deg;</span>``,
coordinates in metres), ``FlightAwareKmlParser.cpp`` (the track Placemark's name is the
flight number) and Sitrec's track manager (the Document name pattern). Not verified: the
exact ``Altitude`` wording (some readers match ``Altitude:</b></span> <span>N ft``), thousands
separators, and where, if anywhere, a Flightradar24 KML names the callsign (so none is read).
Description fields are matched leniently by label and unit; one that does not match is left
NaN and counted in a note. Neither file names the aircraft's address:
:func:`layers.tracks.fr24.resolve_icao24` gives it. The XML is parsed by :mod:`defusedxml`
with DTDs forbidden (no entity expansion, no external fetches).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import ErrorString

import defusedxml  # type: ignore[import-untyped, unused-ignore]
import defusedxml.ElementTree as SafeElementTree  # type: ignore[import-untyped, unused-ignore]
import numpy as np
import pandas as pd

from layers.errors import Problem
from layers.readers.files import make_file_problem, make_row_problem, name_where
from layers.tracks.cells import CellReport, read_datetimes, utc_array
from layers.tracks.fr24 import read_fr24_ground, resolve_icao24
from layers.tracks.positions import FT_PER_M, TrackFile, build_position_frame, empty_positions

FLIGHTAWARE_FORMAT = "FlightAware KML"
TRACK_FORMAT = "KML gx:Track"
FR24_KML_FORMAT = "Flightradar24 KML"
POINTS_FORMAT = "KML time-stamped points"
_KML_TAG = re.compile(rb"<(?:[\w.-]+:)?kml[\s>]")
_TRACK_TAG = re.compile(rb"<(?:[\w.-]+:)?Track[\s>]")
_STAMP_TAG = re.compile(rb"<(?:[\w.-]+:)?TimeStamp[\s>]")
_POINT_TAG = re.compile(rb"<(?:[\w.-]+:)?Point[\s>]")
_IDENT = re.compile(r"[A-Z0-9]{2,8}")
_REGISTRATION = re.compile(r"[A-Z0-9]{1,2}-[A-Z0-9]{1,5}")
_FLIGHTAWARE_NAME = re.compile(r"FlightAware\s*\S?\s*([A-Z0-9-]{2,9})\s")
_NUMBER = r"(-?\d[\d,]*(?:\.\d+)?)"
_FIELDS = {"altitude": re.compile(rf"\bAltitude\s*:\s*{_NUMBER}\s*ft\b", re.IGNORECASE),
           "speed": re.compile(rf"\bSpeed\s*:\s*{_NUMBER}\s*(?:kt|kts|knots)\b", re.IGNORECASE),
           "heading": re.compile(rf"\bHeading\s*:\s*{_NUMBER}\s*(?:°|deg\b|$|\s)", re.IGNORECASE)}
_LABELS = {name: re.compile(rf"\b{name}\s*:", re.IGNORECASE) for name in _FIELDS}
_XML_HINT = "export the track again as KML from FlightAware or Flightradar24"


def looks_like_track_kml(raw: bytes) -> bool:
    """Return True when ``raw`` is KML holding a ``gx:Track`` or time-stamped Point placemarks.

    A byte search, not a parse: the dispatcher asks every file, and the reader parses it safely.
    """
    return bool(_KML_TAG.search(raw[:65536])) and (
        bool(_TRACK_TAG.search(raw)) or (bool(_STAMP_TAG.search(raw)) and bool(_POINT_TAG.search(raw))))


def read_track_kml(path: Path, raw: bytes, *, icao24: str = "") -> TrackFile:
    """Read a FlightAware or Flightradar24 KML track (or any KML of tracks or time-stamped points).

    Parameters
    ----------
    path : Path
        The file (its name becomes each position's ``provenance``, and may give the icao24).
    raw : bytes
        The KML document, already size-checked and un-gzipped by the dispatcher.
    icao24 : str, optional
        The aircraft's Mode S address (``--icao24``); see :func:`layers.tracks.fr24.resolve_icao24`.

    Returns
    -------
    TrackFile
        ``point`` is each position's 1-based index in the file; problems name ``point N``.
    """
    try:
        root = SafeElementTree.fromstring(raw, forbid_dtd=True)
    except (defusedxml.DTDForbidden, defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden):
        return _refused(path, "the file declares a DTD or entities (<!DOCTYPE ...>), which a track import refuses")
    except ParseError as exc:
        line, column = exc.position
        reason = ErrorString(exc.code) if isinstance(exc.code, int) else str(exc)
        return _refused(path, f"not readable as XML: {reason} at line {line}, column {column + 1}")
    except (ValueError, LookupError) as exc:  # an encoding expat cannot read
        return _refused(path, f"not readable XML ({exc})")
    if _local(root.tag) != "kml":
        return _refused(path, f"the root element is <{_local(root.tag)}>, not <kml>")
    placemarks = [element for element in root.iter() if _local(element.tag) == "Placemark"]
    document = next((e for e in root.iter() if _local(e.tag) == "Document"), root)
    rows = _Rows()
    problems: list[Problem] = []
    if any(_local(element.tag) == "Track" for element in root.iter()):
        flightaware = _child_text(document, "name").startswith("FlightAware")
        fmt = FLIGHTAWARE_FORMAT if flightaware else TRACK_FORMAT
        for number, placemark in enumerate(placemarks, 1):
            _read_tracks(path, number, placemark, rows, problems)
        if flightaware:
            rows.ident(_ident(_child_text(document, "name"), document=True))
    else:
        route = any(_local(e.tag) == "Folder" and _child_text(e, "name") == "Route" for e in root.iter())
        fmt = FR24_KML_FORMAT if route or any(_FIELDS["speed"].search(_description(p)) for p in placemarks) else (
            POINTS_FORMAT)
        for placemark in placemarks:
            _read_point(placemark, rows)
    address, notes, found = resolve_icao24(path, icao24)
    return _track_file(path, fmt, rows, address=address, problems=problems + found, notes=notes)


class _Rows:
    """Positions as read, in file order: cell texts and numbers, converted together at the end."""

    def __init__(self) -> None:
        self.when: list[str] = []
        self.coord: list[str] = []
        self.callsign: list[str] = []
        self.registration: list[str] = []
        self.description: list[str] = []

    def add(self, when: str, coord: str, description: str = "") -> None:
        self.when.append(when)
        self.coord.append(coord)
        self.description.append(description)

    def ident(self, names: tuple[str, str], start: int = 0) -> None:
        """Give the rows from ``start`` on the callsign and registration (keeping ones already set)."""
        for rows, name in ((self.callsign, names[0]), (self.registration, names[1])):
            rows.extend([""] * (len(self.when) - len(rows)))
            rows[start:] = [old or name for old in rows[start:]]


def _read_tracks(path: Path, number: int, placemark: Element, rows: _Rows, problems: list[Problem]) -> None:
    name = _child_text(placemark, "name")
    start = len(rows.when)
    for track in (element for element in placemark.iter() if _local(element.tag) == "Track"):
        whens = [(child.text or "").strip() for child in track if _local(child.tag) == "when"]
        coords = [(child.text or "").strip() for child in track if _local(child.tag) == "coord"]
        if len(whens) != len(coords):
            problems.append(make_row_problem(
                path, name_where("placemark", number, name), "gx:Track", f"has {len(whens)} <when> and "
                f"{len(coords)} <gx:coord>: each time needs its position, so the track is not read", _XML_HINT))
            continue
        for when, coord in zip(whens, coords, strict=True):
            rows.add(when, coord)
    rows.ident(_ident(name), start)


def _read_point(placemark: Element, rows: _Rows) -> None:
    stamp = next((e for e in placemark if _local(e.tag) == "TimeStamp"), None)
    point = next((e for e in placemark.iter() if _local(e.tag) == "Point"), None)
    if stamp is None or point is None:
        return  # airports, trails and labels: no time, so no position of the flight
    # Point coordinates are lon,lat[,alt]; the track's form is lon lat alt, so write it so.
    rows.add(_child_text(stamp, "when"), _child_text(point, "coordinates").replace(",", " "),
             _description(placemark))


def _ident(name: str, *, document: bool = False) -> tuple[str, str]:
    """Return (callsign, registration) from FlightAware's Placemark or Document name."""
    if document:
        found = _FLIGHTAWARE_NAME.match(name.strip())
        name = found.group(1) if found else ""
    text = name.strip()
    if _REGISTRATION.fullmatch(text):
        return "", text
    return (text, "") if _IDENT.fullmatch(text) else ("", "")


def _track_file(path: Path, fmt: str, rows: _Rows, *, address: str, problems: list[Problem],
                notes: list[str]) -> TrackFile:
    count = len(rows.when)
    report = CellReport(path, None, problems)
    lon, lat, alt_m = _coordinates(rows.coord, report)
    times = read_datetimes(pd.Series(rows.when, dtype="string"), "when", report, notes)
    columns: dict[str, object] = {"time": utc_array(times), "lat": lat, "lon": lon,
                                  "icao24": np.full(count, address, dtype=object),
                                  "provenance": np.full(count, path.name, dtype=object)}
    if fmt == FR24_KML_FORMAT:
        fields = {name: _description_numbers(rows.description, name, notes) for name in _FIELDS}
        altitude = np.where(np.isnan(fields["altitude"]), alt_m * FT_PER_M, fields["altitude"])
        columns["on_ground"], columns["alt_baro_ft"] = read_fr24_ground(altitude, fields["speed"])
        columns["ground_speed_kt"], columns["track_deg"] = fields["speed"], fields["heading"]
    else:
        columns["alt_baro_ft" if fmt == FLIGHTAWARE_FORMAT else "alt_geom_ft"] = alt_m * FT_PER_M
    if fmt == FLIGHTAWARE_FORMAT:
        rows.ident(("", ""))
        columns["callsign"], columns["registration"] = rows.callsign, rows.registration
    if not count:
        notes.append("the file holds no time-stamped position (no gx:Track point, no Point with a TimeStamp)")
    positions = build_position_frame(columns, count) if count else empty_positions()
    return TrackFile(path, fmt, positions, problems=tuple(report.problems), notes=tuple(dict.fromkeys(notes)))


def _coordinates(texts: list[str], report: CellReport) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return lon, lat and altitude (m, NaN when not given) of ``lon lat [alt]`` texts, reporting others."""
    values = np.full((len(texts), 3), np.nan)
    bad = np.zeros(len(texts), dtype=bool)
    for row, text in enumerate(texts):
        parts = text.split()
        try:
            numbers = [float(part) for part in parts]
        except ValueError:
            numbers = []
        if len(numbers) in (2, 3):
            values[row, : len(numbers)] = numbers
        else:
            bad[row] = True
    report.add(bad, pd.Series(texts, dtype=object), "coordinates", "not longitude, latitude[, altitude]",
               "write the position as longitude, latitude and altitude in metres, decimal numbers")
    return values[:, 0], values[:, 1], values[:, 2]


def _description_numbers(descriptions: list[str], name: str, notes: list[str]) -> np.ndarray:
    """Return one Flightradar24 description field as numbers (NaN where absent or not matched)."""
    numbers = np.full(len(descriptions), np.nan)
    unmatched = 0
    for row, text in enumerate(descriptions):
        found = _FIELDS[name].search(text)
        if found:
            numbers[row] = float(found.group(1).replace(",", ""))
        elif _LABELS[name].search(text):
            unmatched += 1
    if unmatched:
        notes.append(f"{unmatched} description{'s give' if unmatched > 1 else ' gives'} a {name} that is not a number "
                     "in the expected unit: not read")
    return numbers


def _description(placemark: Element) -> str:
    """Return a placemark's description as plain text: tags dropped, entities (&deg;) decoded."""
    text = _child_text(placemark, "description")
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", text)).split())


def _refused(path: Path, message: str) -> TrackFile:
    return TrackFile(path, TRACK_FORMAT, empty_positions(), problems=(make_file_problem(path, message, _XML_HINT),))


def _child_text(element: Element, name: str) -> str:
    child = next((c for c in element if _local(c.tag) == name), None)
    return (child.text or "").strip() if child is not None else ""


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
