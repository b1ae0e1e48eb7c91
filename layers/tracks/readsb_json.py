"""Readers of readsb JSON: traces (``trace_full``, ``trace_recent``) and ``aircraft.json`` snapshots.

Traces are ``trace_full_<hex>.json`` / ``trace_recent_<hex>.json``; snapshots are readsb's
``aircraft.json`` and the ADS-B Exchange v2 API answer (same aircraft objects). readsb feeds
ADS-B Exchange, adsb.lol and airplanes.live, so their files share these layouts, checked here
against wiedehopf/readsb (commit 0c87e59, 2024-10-17): ``README-json.md`` (sections "trace jsons",
"aircraft.json" and ``&jv2``), ``json_out.c`` ``sprintTracePoint`` (which writes a trace point
and its flag bits) and ``toString.h`` ``addrtype_enum_string`` (the source words).

A trace is ``{icao, timestamp, r, t, desc, dbFlags, trace: [point, ...]}``; each point is a
list (files written before 2022 stop after index 8):

=====  ==========================================  =============================================
index  readsb                                      table column (units)
=====  ==========================================  =============================================
0      seconds after the top-level ``timestamp``   ``time`` = timestamp + seconds (UTC)
1, 2   lat, lon (degrees)                          ``lat``, ``lon``
3      altitude (ft), ``"ground"`` or null         ``alt_baro_ft``; ``alt_geom_ft`` when flag 8;
                                                   ``"ground"``: ``on_ground``, altitude NaN
4      ground speed (kt) or null                   ``ground_speed_kt``
5      track (degrees) or null; the true heading   ``track_deg``; NaN on the ground (a heading
       when the altitude is ``"ground"``           is not a track over ground)
6      flags: 1 stale, 2 new leg, 4 rate is        ``stale``, ``new_leg``; 8 sends index 3 to
       geometric, 8 altitude is geometric          ``alt_geom_ft``; 4 changes nothing (one rate)
7      vertical rate (ft/min) or null              ``vertical_rate_fpm`` (index 11 if null)
8      aircraft details object or null             its ``flight``: ``callsign`` from this point
                                                   on, until a new leg starts
9      source (``adsb_icao``, ``mlat`` ...)        ``position_source`` (table below); else the
                                                   details' ``type``
10     geometric altitude (ft) or null             ``alt_geom_ft``
11     geometric vertical rate (ft/min) or null    ``vertical_rate_fpm`` when index 7 is null
12-13  indicated airspeed, roll                    not read
=====  ==========================================  =============================================

Top level: ``icao`` gives ``icao24`` (a leading ``~``, readsb's mark of a non-ICAO address, is
removed and noted), ``r`` the ``registration``, ``t`` the ``aircraft_type``; ``dbFlags & 1``
(military in readsb's database) is noted.

``aircraft.json`` is ``{now (s), aircraft: [...]}``; the ADS-B Exchange v2 layout is
``{now (ms), ctime, ptime, total, msg, ac: [...]}`` with the same aircraft objects:
``hex`` → ``icao24``, ``flight`` → ``callsign``, ``r``, ``t``, ``lat``, ``lon``,
``alt_baro`` (ft or ``"ground"``) → ``alt_baro_ft`` / ``on_ground``, ``alt_geom`` →
``alt_geom_ft``, ``gs`` → ``ground_speed_kt``, ``track`` → ``track_deg``, ``baro_rate``
(else ``geom_rate``) → ``vertical_rate_fpm``, ``type`` → ``position_source``; ``time`` is
``now - seen_pos`` and ``stale`` is ``seen_pos > 15``. Aircraft without ``lat``/``lon`` are
counted in a note, not read (``rr_lat``/``rr_lon`` are rough guesses from the receiver's place,
and ``lastPosition`` would repeat one position in every snapshot).

==========================================================  ===================
readsb source words                                          ``position_source``
==========================================================  ===================
``adsb_icao``, ``adsb_icao_nt``, ``adsb_other``             ``adsb``
``adsr_icao``, ``adsr_other``                               ``adsr``
``tisb_icao``, ``tisb_other``, ``tisb_trackfile``           ``tisb``
``mlat`` / ``adsc``                                         ``mlat`` / ``adsc``
``other``, ``mode_s``, ``mode_ac``                          ``other``
``unknown``, null, missing, or a word readsb does not use   "" (other words noted)
==========================================================  ===================
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from layers.errors import Problem
from layers.readers.files import make_row_problem
from layers.tracks.positions import TrackFile, build_position_frame, empty_positions

TRACE_FORMAT = "readsb trace_full"
AIRCRAFT_FORMAT = "readsb aircraft.json"
"""The format of both snapshot layouts (readsb's and ADS-B Exchange v2's), so folders may mix them."""
STALE_AFTER_S = 15.0
"""readsb's age beyond which an aircraft.json position is stale (``seen_pos`` seconds)."""
SOURCE_WORDS = {"adsb_icao": "adsb", "adsb_icao_nt": "adsb", "adsb_other": "adsb", "adsr_icao": "adsr",
                "adsr_other": "adsr", "tisb_icao": "tisb", "tisb_other": "tisb", "tisb_trackfile": "tisb",
                "mlat": "mlat", "adsc": "adsc", "other": "other", "mode_s": "other", "mode_ac": "other",
                "unknown": ""}
"""readsb's source words (``addrtype_enum_string``) and the ``position_source`` each maps onto."""
# A v2 ``now`` below this is seconds (1e11 ms is 1973; 1e11 s is the year 5138): some mirrors of
# the API document and send seconds there.
_MILLISECONDS_FROM = 1e11
_TRACE_FIELDS = ("time", "lat", "lon", "altitude", "ground_speed", "track", "flags", "vertical_rate", "details",
                 "source", "geometric_altitude", "geometric_vertical_rate")
_ROW_COLUMNS = ("time", "callsign", "lat", "lon", "alt_baro_ft", "alt_geom_ft", "ground_speed_kt", "track_deg",
                "vertical_rate_fpm", "on_ground", "position_source", "stale", "new_leg", "point")
_HINT = "export the file again from its source (readsb, ADS-B Exchange, adsb.lol): readsb does not write this"
_ALTITUDE = 'of feet, "ground" or null'
_FLAG_STALE, _FLAG_NEW_LEG, _FLAG_ALT_GEOM = 1, 2, 8
_MILITARY = 1


def looks_like_trace_full(doc: object) -> bool:
    """Return True when a parsed JSON document is a readsb trace (``trace_full`` or ``trace_recent``).

    Parameters
    ----------
    doc : object
        The parsed JSON document.
    """
    return isinstance(doc, dict) and isinstance(doc.get("trace"), list) and ("icao" in doc or "timestamp" in doc)


def looks_like_aircraft_json(doc: object) -> bool:
    """Return True when a parsed JSON document is a readsb ``aircraft.json`` or ADS-B Exchange v2 answer.

    Parameters
    ----------
    doc : object
        The parsed JSON document.
    """
    if not isinstance(doc, dict) or "now" not in doc:
        return False
    # The v2 API answers ``"ac": null`` when no aircraft matched the query.
    return isinstance(doc.get("aircraft"), list) or ("ac" in doc and isinstance(doc["ac"], list | None))


def read_trace_full(path: Path, doc: dict[str, Any], *, icao24: str = "") -> TrackFile:
    """Read a readsb trace (``trace_full_<hex>.json`` or ``trace_recent_<hex>.json``) into positions.

    Parameters
    ----------
    path : Path
        The file (its name becomes ``provenance``).
    doc : dict
        The parsed document (see :func:`looks_like_trace_full`).
    icao24 : str, optional
        The address to use when the file gives no ``icao`` (the dispatcher takes it from the
        file name).

    Returns
    -------
    TrackFile
        Format ``readsb trace_full``: one position per point, in file order. Problems name the
        point (1-based), the field and the value; a point whose time, lat or lon cannot be read
        is left out.
    """
    found = _Found(path)
    address = _trace_address(found, doc, icao24)
    start = _number(doc.get("timestamp"))
    if start is None or math.isnan(start):
        found.problems.append(Problem(path, 0, "timestamp", _shown(doc.get("timestamp")),
                                      "the trace has no timestamp in seconds, the time its points count from",
                                      "export the trace again: readsb writes timestamp at its top level"))
        return found.track_file(TRACE_FORMAT, empty_positions())
    columns: dict[str, list[Any]] = {name: [] for name in _ROW_COLUMNS}
    callsign = ""
    for number, point in enumerate(doc["trace"], start=1):
        row = _read_trace_point(found, number, point)
        if row is None:
            continue
        # A callsign belongs to one flight: the previous leg's is not evidence for the next.
        if row["new_leg"]:
            callsign = ""
        flight = row.pop("flight")
        callsign = flight if flight is not None else callsign
        row["time"] += start
        _append(columns, row, callsign=callsign)
    rows = len(columns["point"])
    frame = build_position_frame({**columns, "icao24": [address] * rows, "provenance": [path.name] * rows,
                                  "registration": [found.text("the trace", "r", doc.get("r"))] * rows,
                                  "aircraft_type": [found.text("the trace", "t", doc.get("t"))] * rows})
    flags = doc.get("dbFlags")
    if isinstance(flags, int) and not isinstance(flags, bool) and flags & _MILITARY:
        described = f" ({doc['desc']})" if isinstance(doc.get("desc"), str) and doc["desc"] else ""
        found.notes.append(f"readsb's database flags {address or 'this aircraft'}{described} as military (dbFlags)")
    return found.track_file(TRACE_FORMAT, frame)


def read_aircraft_json(path: Path, doc: dict[str, Any]) -> TrackFile:
    """Read one readsb ``aircraft.json`` snapshot (or ADS-B Exchange v2 answer) into positions.

    Parameters
    ----------
    path : Path
        The file (its name becomes ``provenance``).
    doc : dict
        The parsed document (see :func:`looks_like_aircraft_json`): ``now`` in seconds and
        ``aircraft``, or ``now`` in milliseconds and ``ac``.

    Returns
    -------
    TrackFile
        Format ``readsb aircraft.json`` (either layout): one position per aircraft with ``lat``
        and ``lon``, timed ``now - seen_pos``; the others are counted in a note. ``point`` is the
        aircraft's 1-based place in the list.
    """
    v2 = "aircraft" not in doc
    found = _Found(path)
    now = _number(doc.get("now"))
    if now is None or math.isnan(now):
        unit = "milliseconds" if v2 else "seconds"
        found.problems.append(Problem(path, 0, "now", _shown(doc.get("now")), f"the snapshot has no now in {unit}, "
                                      "the time its positions count back from",
                                      "export the snapshot again: readsb writes now at its top level"))
        return found.track_file(AIRCRAFT_FORMAT, empty_positions())
    if v2 and now >= _MILLISECONDS_FROM:
        now /= 1000
    elif v2:
        found.notes.append("now is in seconds, not the milliseconds of the ADS-B Exchange v2 layout: read as seconds")
    columns: dict[str, list[Any]] = {name: [] for name in (*_ROW_COLUMNS, "icao24", "registration", "aircraft_type")}
    unplaced = non_icao = 0
    for number, plane in enumerate(doc.get("ac" if v2 else "aircraft") or [], start=1):
        if not isinstance(plane, dict):
            found.problem(f"point {number}", "aircraft", "is not an aircraft object", plane)
            continue
        if plane.get("lat") is None or plane.get("lon") is None:
            unplaced += 1
            continue
        row = _read_aircraft(found, number, plane, now)
        if row is None:
            continue
        non_icao += row["icao24"].startswith("~")
        row["icao24"] = row["icao24"].removeprefix("~")
        _append(columns, row, callsign=row.pop("flight"))
    if unplaced:
        found.notes.append(f"{unplaced} aircraft without a position (no lat/lon) not read")
    if non_icao:
        found.notes.append(f"{non_icao} aircraft with a non-ICAO address (readsb writes ~ before it): read without "
                           "the ~")
    frame = build_position_frame({**columns, "provenance": [path.name] * len(columns["point"])})
    return found.track_file(AIRCRAFT_FORMAT, frame)


@dataclass
class _Found:
    """What reading one file found besides positions: problems, notes, source words readsb does not use."""

    path: Path
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    strange_sources: set[str] = field(default_factory=set)

    def problem(self, where: str, name: str, message: str, value: object, hint: str = _HINT) -> None:
        self.problems.append(make_row_problem(self.path, where, name, message, hint, value=_shown(value)))

    def number(self, where: str, name: str, value: object, also: str = "or null") -> float:
        number = _number(value)
        if number is None:
            self.problem(where, name, f"{name} is not a number {also}", value)
            return math.nan
        return number

    def text(self, where: str, name: str, value: object) -> str:
        if value is None or isinstance(value, str):
            return value or ""
        self.problem(where, name, f"{name} is not text or null", value)
        return ""

    def source(self, where: str, name: str, word: object) -> str:
        if word is None:
            return ""
        if not isinstance(word, str):
            self.problem(where, name, f"{name} is not a source word (adsb_icao, mlat ...)", word)
            return ""
        if word not in SOURCE_WORDS:
            self.strange_sources.add(word)
        return SOURCE_WORDS.get(word, "")

    def track_file(self, fmt: str, frame: Any) -> TrackFile:
        notes = list(self.notes)
        if self.strange_sources:
            words = sorted(self.strange_sources)
            notes.append("position sources readsb does not document, left unknown: "
                         + ", ".join(words[:5]) + (" ..." if len(words) > 5 else ""))
        return TrackFile(self.path, fmt, frame, problems=tuple(self.problems), notes=tuple(notes))


def _append(columns: dict[str, list[Any]], row: dict[str, Any], *, callsign: str) -> None:
    row["callsign"] = callsign
    for name, values in columns.items():
        values.append(row[name])


def _read_trace_point(found: _Found, number: int, point: object) -> dict[str, Any] | None:
    """Return one trace point's cells (time still relative), or None when it has no time or place."""
    where = f"point {number}"
    if not isinstance(point, list) or len(point) < 6:
        found.problem(where, "trace", "is not a trace point: one is a list of at least 6 values (time, lat, lon, "
                      "altitude, ground speed, track)", point, "export the trace again")
        return None
    values = dict(zip(_TRACE_FIELDS, point, strict=False))
    before = len(found.problems)
    numbers = {name: found.number(where, name, values.get(name))
               for name in ("time", "lat", "lon", "ground_speed", "track", "vertical_rate", "geometric_altitude",
                            "geometric_vertical_rate")}
    for name in ("time", "lat", "lon"):
        if values[name] is None:
            found.problem(where, name, f"{name} not given", None,
                          "export the trace again: readsb writes the time, lat and lon of every point")
    if any(p.field in ("time", "lat", "lon") for p in found.problems[before:]):
        return None
    flags = 0 if values.get("flags") is None else values["flags"]
    if isinstance(flags, bool) or not isinstance(flags, int | float) or flags != int(flags) or flags < 0:
        found.problem(where, "flags", "flags is not a whole number of flag bits", flags)
        flags = 0
    flags = int(flags)
    on_ground = values["altitude"] == "ground"
    height = math.nan if on_ground else found.number(where, "altitude", values["altitude"], _ALTITUDE)
    details = values.get("details")
    if details is not None and not isinstance(details, dict):
        found.problem(where, "details", "details is not an aircraft object or null", details)
        details = None
    flight = details.get("flight") if details else None
    source = values.get("source")
    if source is None and details:
        source = details.get("type")
    geom, rate = numbers["geometric_altitude"], numbers["vertical_rate"]
    return {
        "time": numbers["time"], "lat": numbers["lat"], "lon": numbers["lon"],
        "alt_baro_ft": math.nan if flags & _FLAG_ALT_GEOM else height,
        "alt_geom_ft": height if flags & _FLAG_ALT_GEOM and math.isnan(geom) else geom,
        "ground_speed_kt": numbers["ground_speed"],
        "track_deg": math.nan if on_ground else numbers["track"],
        "vertical_rate_fpm": numbers["geometric_vertical_rate"] if math.isnan(rate) else rate,
        "on_ground": on_ground, "stale": bool(flags & _FLAG_STALE), "new_leg": bool(flags & _FLAG_NEW_LEG),
        "position_source": found.source(where, "source", source),
        "flight": flight if isinstance(flight, str) else None, "point": number,
    }


def _read_aircraft(found: _Found, number: int, plane: dict[str, Any], now: float) -> dict[str, Any] | None:
    """Return one aircraft's cells, or None when its position or its age cannot be read."""
    where = f"point {number}"
    before = len(found.problems)
    numbers = {name: found.number(where, name, plane.get(name))
               for name in ("lat", "lon", "seen_pos", "alt_geom", "gs", "track", "baro_rate", "geom_rate")}
    if plane.get("seen_pos") is None:
        found.problem(where, "seen_pos", "seen_pos not given: the position's time is unknown", None,
                      "export the snapshot again: readsb gives seen_pos with every position")
    if any(p.field in ("lat", "lon", "seen_pos") for p in found.problems[before:]):
        return None
    altitude = plane.get("alt_baro")
    on_ground = altitude == "ground"
    texts = {name: found.text(where, name, plane.get(name)) for name in ("hex", "flight", "r", "t")}
    rate = numbers["baro_rate"]
    return {
        "time": now - numbers["seen_pos"], "lat": numbers["lat"], "lon": numbers["lon"], "icao24": texts["hex"],
        "flight": texts["flight"], "registration": texts["r"], "aircraft_type": texts["t"],
        "alt_baro_ft": math.nan if on_ground else found.number(where, "alt_baro", altitude, _ALTITUDE),
        "alt_geom_ft": numbers["alt_geom"], "ground_speed_kt": numbers["gs"], "track_deg": numbers["track"],
        "vertical_rate_fpm": numbers["geom_rate"] if math.isnan(rate) else rate,
        "on_ground": on_ground, "stale": numbers["seen_pos"] > STALE_AFTER_S, "new_leg": False,
        "position_source": _aircraft_source(found, where, plane), "point": number,
    }


def _aircraft_source(found: _Found, where: str, plane: dict[str, Any]) -> str:
    if plane.get("type") is not None:
        return found.source(where, "type", plane["type"])
    # Without ``type``, readsb's lists of the fields that came from MLAT or TIS-B still say it.
    for word in ("mlat", "tisb"):
        derived = plane.get(word)
        if isinstance(derived, list) and "lat" in derived:
            return word
    return ""


def _trace_address(found: _Found, doc: dict[str, Any], given: str) -> str:
    icao = doc.get("icao")
    given = given.strip().lower()
    if icao is None:
        if given:
            found.notes.append(f"the file gives no icao: icao24 {given} taken from the file name")
        return given
    if not isinstance(icao, str):
        found.problems.append(Problem(found.path, 0, "icao", _shown(icao), "the aircraft's address is not text",
                                      "export the trace again: readsb writes icao as 6 hex digits"))
        return given
    address = icao.strip().lower()
    if address.startswith("~"):
        address = address[1:]
        found.notes.append(f"{address} is a non-ICAO address (readsb writes ~ before it): it may not be one "
                           "airframe's Mode S address")
    if given and given.removeprefix("~") != address:
        found.notes.append(f"the file's icao {address} differs from {given} in its name: {address} used")
    return address


def _number(value: object) -> float | None:
    """Return a JSON number as a float (NaN for null), or None when the value is not a number."""
    if value is None:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _shown(value: object) -> str:
    """Return a value as messages quote it: text as it is, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)[:200]
