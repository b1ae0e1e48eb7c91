"""One constructed flight written in every ADS-B track format Airbridge reads (never downloaded).

Each ``write_*`` function takes :func:`tests.track_samples.build_hmeimim_al_khadim_trace`
(An-124 RA-82038, 154076, Hmeimim OSLK -> al-Khadim HL59 on 26 Dec 2024, dark for 40
minutes over the sea) and writes it as one format, into ``folder``, returning the file
(or folder) an analyst would import. The files are constructed from the layouts the
reader modules document (:mod:`layers.tracks.readsb_json`, :mod:`layers.tracks.opensky_json`,
:mod:`layers.tracks.opensky_table`, :mod:`layers.tracks.fr24`,
:mod:`layers.tracks.track_kml`), converting back from the trace's units where the format
uses others: feet to metres, knots and ft/min to m/s, seconds to milliseconds or ISO 8601
text. Nothing here is a download; only the airfields' positions and the aircraft's
identity behind the trace are real.

Where a format holds less than the trace, it is written with less, as the source would:

* readsb ``aircraft.json`` / ADS-B Exchange v2: one snapshot per position, each reporting
  the position ``seen_pos`` seconds before ``now``; the callsign is in every snapshot (it
  is the aircraft's current state), the ground heading is ``true_heading``, not ``track``.
  readsb lists an aircraft while its position is under 60 s old, so when the aircraft
  falls silent (over the sea, after landing) the next snapshot still holds the last
  position, ``seen_pos`` 30 s older;
* OpenSky state vectors: no altitudes and no vertical rate on the ground (surface
  positions carry none: ``NULL``); one vector per position, its ``time`` the whole second
  after the position's own ``lastposupdate``; and, as the reader documents, OpenSky goes
  on repeating the last vector each second for up to 300 s after the last message: after
  the last position before a silence, ``time`` advances while ``lastposupdate``,
  ``lastcontact`` and the place stay (``stale_repeats=False`` leaves these out);
* ``traffic``: the same vectors renamed and in ft, kt, ft/min, one per position;
* Flightradar24 (CSV and KML): altitude 0 on the ground, no address, no ground flag;
* FlightAware KML: airborne positions only (its track log starts after take-off and ends
  on final), altitudes in whole metres, no speeds;
* OpenSky ``/tracks``: every 10th position (and the last), as OpenSky thins its tracks;
  altitudes in metres, null on the ground;
* OpenSky ``/flights``: one leg, OSLK -> HL59, from the first to the last position.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from layers.airfields import find_airfield
from tests.track_samples import build_hmeimim_al_khadim_trace, write_trace

M_PER_FT = 0.3048
MS_PER_KT = 1852 / 3600
MS_PER_FPM = 0.3048 / 60
SEEN_POS_S = 0.3
"""How old each position is in its snapshot (readsb's ``seen_pos``)."""
SNAPSHOT_EVERY_S = 30.0
"""The snapshots' cadence (the trace's)."""
SNAPSHOT_KEEPS_S = 60.0
"""readsb lists an aircraft in ``aircraft.json`` while its position is younger than this."""
REPEAT_FOR_S = 300
"""OpenSky repeats the last state vector each second for this long after the last message."""
TRACKS_EVERY = 10
"""The OpenSky ``/tracks`` answer keeps one position in this many."""
ICAO24 = "154076"


@dataclass(frozen=True)
class TracePoint:
    """One trace point in the trace's units: epoch seconds, degrees, ft, kt, ft/min."""

    time: float
    lat: float
    lon: float
    on_ground: bool
    altitude_ft: float | None
    geometric_ft: float | None
    speed_kt: float | None
    track_deg: float | None
    rate_fpm: float | None
    source: str


def read_points(doc: dict) -> list[TracePoint]:
    """Return the points of a readsb trace (the layout of :mod:`layers.tracks.readsb_json`)."""
    points = []
    for point in doc["trace"]:
        ground = point[3] == "ground"
        points.append(TracePoint(time=doc["timestamp"] + point[0], lat=point[1], lon=point[2], on_ground=ground,
                                 altitude_ft=None if ground else float(point[3]),
                                 geometric_ft=None if point[10] is None else float(point[10]),
                                 speed_kt=point[4], track_deg=point[5], rate_fpm=point[7], source=point[9]))
    return points


def trace_callsign(doc: dict) -> str:
    """Return the callsign of the trace as readsb writes it (8 characters, padded)."""
    return next(p[8]["flight"] for p in doc["trace"] if p[8] and p[8].get("flight"))


def _doc(doc: dict | None) -> dict:
    return build_hmeimim_al_khadim_trace() if doc is None else doc


def _folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _iso(seconds: float, *, offset: bool = False) -> str:
    text = pd.Timestamp(seconds, unit="s", tz="UTC").strftime("%Y-%m-%dT%H:%M:%S")
    return text + ("+00:00" if offset else "Z")


def _metres(feet: float | None) -> float | None:
    return None if feet is None else feet * M_PER_FT


def _per_second(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


# readsb ---------------------------------------------------------------------------------------------


def write_readsb_trace(folder: Path, doc: dict | None = None) -> Path:
    """Write ``trace_full_154076.json``, gzipped inside as readsb's web server stores it."""
    return write_trace(_folder(folder), _doc(doc), gzipped=True)


def _aircraft_object(doc: dict, point: TracePoint, seen_pos: float = SEEN_POS_S) -> dict:
    """Return a readsb aircraft object (README-json.md "aircraft.json") for one position."""
    plane: dict = {"hex": doc["icao"], "type": point.source, "flight": trace_callsign(doc), "r": doc["r"],
                   "t": doc["t"], "dbFlags": doc["dbFlags"],
                   "alt_baro": "ground" if point.on_ground else round(point.altitude_ft or 0)}
    if point.geometric_ft is not None:
        plane["alt_geom"] = round(point.geometric_ft)
    plane["gs"] = point.speed_kt
    if point.on_ground:
        plane["true_heading"] = point.track_deg  # on the ground readsb's trace holds the heading
    else:
        plane["track"] = point.track_deg
        plane["baro_rate"] = point.rate_fpm
    plane |= {"squawk": "1000", "category": "A5", "lat": point.lat, "lon": point.lon, "nic": 8, "rc": 186,
              "seen_pos": round(seen_pos, 1), "version": 2, "mlat": [], "tisb": [], "messages": 1200,
              "seen": round(max(seen_pos - 0.2, 0.1), 1),
              "rssi": -18.4}
    return plane


def snapshot_positions(doc: dict) -> list[tuple[float, TracePoint]]:
    """Return (snapshot time, position) pairs: a snapshot each 30 s while the aircraft is heard.

    Each position is in the snapshot taken ``SEEN_POS_S`` after it; when no position
    follows within a snapshot interval, the later snapshots go on listing it (older) for
    as long as readsb keeps an aircraft whose position is under :data:`SNAPSHOT_KEEPS_S` old.
    """
    points = read_points(doc)
    taken = []
    for number, point in enumerate(points):
        following = points[number + 1].time if number + 1 < len(points) else math.inf
        now = point.time + SEEN_POS_S
        while now < following and now - point.time < SNAPSHOT_KEEPS_S:
            taken.append((now, point))
            now += SNAPSHOT_EVERY_S
    return taken


def write_aircraft_json_folder(folder: Path, doc: dict | None = None) -> Path:
    """Write a folder of readsb ``aircraft.json`` snapshots (``now`` in seconds), see :func:`snapshot_positions`."""
    doc = _doc(doc)
    snapshots = _folder(folder / "aircraft_json")
    for taken, point in snapshot_positions(doc):
        now = round(taken, 1)
        plane = _aircraft_object(doc, point, seen_pos=now - point.time)
        snapshot = {"now": now, "messages": 4_200_000, "aircraft": [plane]}
        (snapshots / f"aircraft_{now:.1f}.json").write_text(json.dumps(snapshot), encoding="utf-8")
    return snapshots


def write_adsbx_v2_folder(folder: Path, doc: dict | None = None) -> Path:
    """Write a folder of ADS-B Exchange v2 API answers (``ac``, ``now`` in ms), see :func:`snapshot_positions`."""
    doc = _doc(doc)
    answers = _folder(folder / "adsbx_v2")
    for now, point in snapshot_positions(doc):
        now_ms = round(now * 1000)
        plane = _aircraft_object(doc, point, seen_pos=now - point.time)
        answer = {"ac": [plane], "msg": "No error", "now": now_ms, "total": 1, "ctime": now_ms, "ptime": 3}
        (answers / f"hex_{doc['icao']}_{now_ms}.json").write_text(json.dumps(answer), encoding="utf-8")
    return answers


# OpenSky state vectors and traffic -------------------------------------------------------------------


STATE_VECTOR_COLUMNS = ("time", "icao24", "lat", "lon", "velocity", "heading", "vertrate", "callsign", "onground",
                        "alert", "spi", "squawk", "baroaltitude", "geoaltitude", "lastposupdate", "lastcontact",
                        "hour")


def build_state_vectors(doc: dict | None = None, *, stale_repeats: bool = True) -> list[dict]:
    """Return ``state_vectors_data4`` rows (OpenSky units: m, m/s, epoch s) for the trace's positions.

    With ``stale_repeats``, the last vector before each silence (and the file's last) is
    repeated each second for up to :data:`REPEAT_FOR_S` s, ``time`` advancing, the rest unchanged.
    """
    doc = _doc(doc)
    rows = []
    points = read_points(doc)
    for number, point in enumerate(points):
        vector_time = math.floor(point.time) + 1
        rows.append({
            "time": vector_time, "icao24": doc["icao"], "lat": point.lat, "lon": point.lon,
            "velocity": _per_second(point.speed_kt, MS_PER_KT), "heading": point.track_deg,
            "vertrate": None if point.on_ground else _per_second(point.rate_fpm, MS_PER_FPM),
            "callsign": trace_callsign(doc), "onground": point.on_ground, "alert": False, "spi": False,
            "squawk": "1000", "baroaltitude": _metres(point.altitude_ft), "geoaltitude": _metres(point.geometric_ft),
            "lastposupdate": point.time, "lastcontact": point.time + 0.5, "hour": vector_time - vector_time % 3600,
        })
        following = points[number + 1].time if number + 1 < len(points) else math.inf
        repeats = range(vector_time + 1, math.floor(min(following, point.time + REPEAT_FOR_S)))
        if stale_repeats and following - point.time > REPEAT_FOR_S:
            rows += [rows[-1] | {"time": second, "hour": second - second % 3600} for second in repeats]
    return rows


def write_opensky_states_csv(folder: Path, doc: dict | None = None, *, stale_repeats: bool = True,
                             separator: str = ",") -> Path:
    """Write OpenSky state vectors as the Impala shell prints them (``-B``: ``NULL``, true/false).

    ``separator`` is ``","`` (``--output_delimiter=,``) or the shell's own tab.
    """
    def cell(value: object) -> str:
        if value is None:
            return "NULL"
        if isinstance(value, bool):
            return "true" if value else "false"
        return repr(value) if isinstance(value, float) else str(value)

    lines = [separator.join(STATE_VECTOR_COLUMNS)]
    lines += [separator.join(cell(row[name]) for name in STATE_VECTOR_COLUMNS)
              for row in build_state_vectors(doc, stale_repeats=stale_repeats)]
    path = _folder(folder) / f"states_154076_20241226.{'csv' if separator == ',' else 'tsv'}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


_STATE_VECTOR_TYPES = {"time": pa.int64(), "icao24": pa.string(), "callsign": pa.string(), "onground": pa.bool_(),
                       "alert": pa.bool_(), "spi": pa.bool_(), "squawk": pa.string(), "hour": pa.int64()}


def write_opensky_states_parquet(folder: Path, doc: dict | None = None, *, stale_repeats: bool = True) -> Path:
    """Write OpenSky state vectors as Parquet, with the table's column types (int, string, double, bool)."""
    rows = build_state_vectors(doc, stale_repeats=stale_repeats)
    schema = pa.schema([(name, _STATE_VECTOR_TYPES.get(name, pa.float64())) for name in STATE_VECTOR_COLUMNS])
    table = pa.table({name: [row[name] for row in rows] for name in STATE_VECTOR_COLUMNS}, schema=schema)
    path = _folder(folder) / "states_154076_20241226.parquet"
    pq.write_table(table, path)
    return path


def write_traffic_parquet(folder: Path, doc: dict | None = None) -> Path:
    """Write ``Traffic.data`` as the traffic library's ``to_parquet`` does (renamed columns; ft, kt, ft/min).

    traffic's history query renames ``time`` to ``timestamp`` and ``lastposupdate`` to
    ``last_position`` (both UTC datetimes), ``lat``/``lon`` to ``latitude``/``longitude``,
    ``velocity``/``heading``/``vertrate``/``baroaltitude`` to ``groundspeed``/``track``/
    ``vertical_rate``/``altitude``, converts them to kt, ft/min and ft, and drops ``lastcontact``.
    """
    frame = pd.DataFrame(build_state_vectors(doc, stale_repeats=False))
    frame = frame.drop(columns=["lastcontact"]).rename(columns={
        "time": "timestamp", "lastposupdate": "last_position", "lat": "latitude", "lon": "longitude",
        "velocity": "groundspeed", "heading": "track", "vertrate": "vertical_rate", "baroaltitude": "altitude"})
    for column in ("timestamp", "last_position", "hour"):
        frame[column] = pd.to_datetime(frame[column], unit="s", utc=True).dt.as_unit("ns")
    frame["altitude"] = frame["altitude"] / M_PER_FT
    frame["geoaltitude"] = frame["geoaltitude"] / M_PER_FT
    frame["groundspeed"] = frame["groundspeed"] / MS_PER_KT
    frame["vertical_rate"] = frame["vertical_rate"] / MS_PER_FPM
    frame["callsign"] = frame["callsign"].str.strip()
    path = _folder(folder) / "traffic_154076_20241226.parquet"
    frame.to_parquet(path, index=False)
    return path


# Flightradar24 and FlightAware -----------------------------------------------------------------------


def _fr24_altitude_ft(point: TracePoint) -> int:
    return 0 if point.on_ground else round(point.altitude_ft or 0)


def write_fr24_csv(folder: Path, doc: dict | None = None, *, name: str = "fr24_154076_RA82038.csv") -> Path:
    """Write a Flightradar24 CSV download (``Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction``).

    The file names no aircraft address; ``name`` may hold it (the default does), or the
    importer is given ``--icao24``. Flightradar24's own download name is like
    ``RA82038_38a1b2c3.csv`` (its flight id, not an address).
    """
    doc = _doc(doc)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Timestamp", "UTC", "Callsign", "Position", "Altitude", "Speed", "Direction"])
    callsign = trace_callsign(doc).strip()
    for point in read_points(doc):
        writer.writerow([round(point.time), _iso(point.time), callsign, f"{point.lat},{point.lon}",
                         _fr24_altitude_ft(point), round(point.speed_kt or 0), round(point.track_deg or 0)])
    path = _folder(folder) / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


_KML_OPEN = ('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2" '
             'xmlns:gx="http://www.google.com/kml/ext/2.2">\n')


def write_fr24_kml(folder: Path, doc: dict | None = None, *, name: str = "fr24_154076_RA82038.kml") -> Path:
    """Write a Flightradar24 KML download: a ``Route`` folder of timed placemarks and a ``Trail`` of lines.

    Each Route placemark has the position's time (``+00:00``), a Point in degrees and
    metres, and a description with ``Altitude: N ft``, ``Speed: N kt`` and ``Heading: N&deg;``.
    """
    doc = _doc(doc)
    points = read_points(doc)
    callsign = trace_callsign(doc).strip()
    route = []
    for point in points:
        description = (f"<div><div><span><b>Altitude:</b></span> <span>{_fr24_altitude_ft(point):,} ft</span></div>\n"
                       f"<div><span><b>Speed:</b></span> <span>{round(point.speed_kt or 0)} kt</span></div>\n"
                       f"<div><span><b>Heading:</b></span> <span>{round(point.track_deg or 0)}&deg;</span></div>\n"
                       "</div>")
        metres = 0 if point.on_ground else round((point.altitude_ft or 0) * M_PER_FT)
        route.append(
            f"<Placemark><name>{_iso(point.time)[:19].replace('T', ' ')} UTC</name>"
            f"<description><![CDATA[{description}]]></description>"
            f"<TimeStamp><when>{_iso(point.time, offset=True)}</when></TimeStamp>"
            f"<Style><IconStyle><heading>{round(point.track_deg or 0)}</heading><Icon>"
            "<href>http://maps.google.com/mapfiles/kml/shapes/airports.png</href></Icon></IconStyle></Style>"
            f"<Point><altitudeMode>absolute</altitudeMode><coordinates>{point.lon},{point.lat},{metres}"
            "</coordinates></Point></Placemark>\n")
    trail = [f"<Placemark><Style><LineStyle><color>ffffffff</color><width>2</width></LineStyle></Style>"
             f"<MultiGeometry><LineString><tessellate>1</tessellate><altitudeMode>clampToGround</altitudeMode>"
             f"<coordinates>{a.lon},{a.lat},0 {b.lon},{b.lat},0</coordinates></LineString></MultiGeometry>"
             f"<name>P-{number}</name><description><![CDATA[<div><div><span><b>Altitude:</b></span> "
             f"<span>{_fr24_altitude_ft(a):,} ft</span></div>\n<div><span><b>Speed:</b></span> "
             f"<span>{round(a.speed_kt or 0)} kt - {round(b.speed_kt or 0)} kt</span></div>\n"
             f"<div><span><b>Timestamp:</b></span><br/><span>{_iso(a.time)[:19].replace('T', ' ')} UTC<br/>"
             f"{_iso(b.time)[:19].replace('T', ' ')} UTC</span></div>\n</div>]]></description></Placemark>\n"
             for number, (a, b) in enumerate(pairwise(points), 1)]
    header = (f"<Document><name>{callsign}</name><description><![CDATA[<div>{callsign}<br/>Aircraft (A124) "
              f"Antonov An-124 Ruslan<br/>Registration {doc['r']}</div>]]></description>\n")
    # Flightradar24 declares only the KML namespace (no gx: it writes no gx:Track).
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n'
            + header + "<Folder><name>Route</name>\n" + "".join(route) + "</Folder>\n"
            "<Folder><name>Trail</name>\n" + "".join(trail) + "</Folder>\n</Document>\n</kml>\n")
    path = _folder(folder) / name
    path.write_text(text, encoding="utf-8")
    return path


def write_flightaware_kml(folder: Path, doc: dict | None = None,
                          *, name: str = "FlightAware_RFF8038_OSLK_HL59_20241226.kml") -> Path:
    """Write a FlightAware "Google Earth" track log: airport placemarks and one ``gx:Track``.

    The track holds the airborne positions only, ``<when>`` times then ``lon lat alt``
    coordinates with the altitude in whole metres; its Placemark is named with the ident
    (the callsign). FlightAware's file names no aircraft address (give ``--icao24``).
    """
    doc = _doc(doc)
    airborne = [point for point in read_points(doc) if not point.on_ground]
    ident = trace_callsign(doc).strip()
    whens = "".join(f"<when>{_iso(p.time)}</when>\n" for p in airborne)
    coords = "".join(f"<gx:coord>{p.lon:.5f} {p.lat:.5f} {round((p.altitude_ft or 0) * M_PER_FT)}</gx:coord>\n"
                     for p in airborne)
    airports = "".join(
        f"<Placemark><name>{code} Airport</name><description><![CDATA[{airfield.name}]]></description>"
        f"<Point><coordinates>{airfield.lon:.6f},{airfield.lat:.6f},0</coordinates></Point></Placemark>\n"
        for code, airfield in ((code, find_airfield(code)) for code in ("OSLK", "HL59")))
    text = (_KML_OPEN + "<Document>\n"
            f"<name>FlightAware ✈ {ident} 26-Dec-2024 (LTK / OSLK-HL59)</name>\n" + airports
            + f"<Placemark><name>{ident}</name><description>OSLK - HL59</description>\n"
            "<gx:Track><extrude>1</extrude><tessellate>1</tessellate><altitudeMode>absolute</altitudeMode>\n"
            + whens + coords + "</gx:Track></Placemark>\n</Document>\n</kml>\n")
    path = _folder(folder) / name
    path.write_text(text, encoding="utf-8")
    return path


# OpenSky REST API ------------------------------------------------------------------------------------


def write_opensky_tracks(folder: Path, doc: dict | None = None) -> Path:
    """Write an OpenSky ``/tracks/all`` answer: every 10th position (and the last), altitudes in metres.

    A waypoint is ``[time, latitude, longitude, baro_altitude, true_track, on_ground]``,
    the time in whole seconds, the altitude null on the ground.
    """
    doc = _doc(doc)
    points = read_points(doc)
    kept = points[::TRACKS_EVERY]
    if kept[-1] is not points[-1]:
        kept.append(points[-1])
    path_list = [[round(p.time), p.lat, p.lon, _metres(p.altitude_ft), p.track_deg, p.on_ground] for p in kept]
    answer = {"icao24": doc["icao"], "callsign": trace_callsign(doc), "startTime": path_list[0][0],
              "endTime": path_list[-1][0], "path": path_list}
    path = _folder(folder) / "opensky_tracks_154076.json"
    path.write_text(json.dumps(answer), encoding="utf-8")
    return path


def write_opensky_flights(folder: Path, doc: dict | None = None) -> Path:
    """Write an OpenSky ``/flights/aircraft`` answer: one flight, OSLK -> HL59, first to last position."""
    doc = _doc(doc)
    points = read_points(doc)
    flight = {"icao24": doc["icao"], "firstSeen": round(points[0].time), "estDepartureAirport": "OSLK",
              "lastSeen": round(points[-1].time), "estArrivalAirport": "HL59", "callsign": trace_callsign(doc),
              "estDepartureAirportHorizDistance": 120, "estDepartureAirportVertDistance": 30,
              "estArrivalAirportHorizDistance": 150, "estArrivalAirportVertDistance": 40,
              "departureAirportCandidatesCount": 1, "arrivalAirportCandidatesCount": 1}
    path = _folder(folder) / "opensky_flights_154076.json"
    path.write_text(json.dumps([flight]), encoding="utf-8")
    return path

