"""Constructed ADS-B samples for tests and benchmarks, in documented layouts (never downloaded).

:func:`build_hmeimim_al_khadim_trace` is a readsb ``trace_full`` of An-124 RA-82038
(154076) flying Hmeimim (OSLK) -> al-Khadim (HL59) on 26 Dec 2024 along the geodesic:
on the ground at OSLK, a climb to FL300, cruise, then silence for ``gap_minutes`` over the
sea north of Cyrenaica, positions again on the descent 30 km out, and the landing roll at
HL59. The times and the path are made up for the test; only the airfields' positions
(airportsdata) and the aircraft's identity (tar1090-db, data/aircraft.csv) are real.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
from pyproj import Geod

from layers.airfields import find_airfield

GEOD = Geod(ellps="WGS84")
START = 1735232400.0  # 2024-12-26T17:00:00Z
STEP_S = 30.0


def build_hmeimim_al_khadim_trace(gap_minutes: float = 40.0, *, dark_from_km: float = 250.0,
                                  dark_until_km: float = 30.0) -> dict:
    """Return the trace (see the module docstring); the gap starts ``dark_from_km`` before HL59."""
    origin, destination = find_airfield("OSLK"), find_airfield("HL59")
    azimuth, _, total_m = GEOD.inv(origin.lon, origin.lat, destination.lon, destination.lat)
    points: list[list] = []
    t = 0.0

    def add(distance_km: float, altitude: float | str, speed: float, rate: float) -> None:
        lon, lat, back = GEOD.fwd(origin.lon, origin.lat, azimuth, distance_km * 1000.0)
        track = (back + 180.0) % 360.0
        details = {"flight": "RFF8038 "} if not points else None
        points.append([round(t, 1), round(lat, 6), round(lon, 6), altitude, speed, round(track, 1), 0,
                       rate, details, "adsb_icao", None if altitude == "ground" else altitude])

    for _ in range(5):  # parked and taxiing at OSLK
        add(0.0, "ground", 8.0, 0)
        t += STEP_S
    flown_km, altitude = 0.0, 0.0
    total_km = total_m / 1000.0
    while flown_km < total_km - dark_from_km:
        speed = 250.0 if altitude < 10_000 else 430.0
        rate = 2000.0 if altitude < 30_000 else 0.0
        altitude = min(altitude + rate * STEP_S / 60, 30_000.0)
        flown_km += speed * 1.852 * STEP_S / 3600
        add(flown_km, round(altitude), speed, rate)
        t += STEP_S
    t += gap_minutes * 60.0 - STEP_S
    flown_km, altitude = total_km - dark_until_km, 9_000.0
    while flown_km < total_km - 1.0:
        add(flown_km, round(altitude), 180.0, -1500.0)
        flown_km += 180.0 * 1.852 * STEP_S / 3600
        altitude = max(altitude - 750.0, 1_000.0)
        t += STEP_S
    for _ in range(4):
        add(total_km, "ground", 40.0, 0)
        t += STEP_S
    return {"icao": "154076", "r": "RA-82038", "t": "A124", "dbFlags": 1, "timestamp": START, "trace": points}


def write_trace(folder: Path, doc: dict, *, gzipped: bool = False) -> Path:
    """Write a trace as readsb names it, ``trace_full_<hex>.json`` (gzip inside when ``gzipped``)."""
    path = folder / f"trace_full_{doc['icao']}.json"
    data = json.dumps(doc).encode()
    path.write_bytes(gzip.compress(data) if gzipped else data)
    return path


def build_opensky_state_vectors(rows: int, *, aircraft: int = 10, seed: int = 7) -> dict[str, np.ndarray]:
    """Return OpenSky state-vector columns: ``aircraft`` aircraft in straight lines, one report each 10 s."""
    rng = np.random.default_rng(seed)
    per = rows // aircraft
    index = np.arange(rows) % per
    plane = np.arange(rows) // per
    start_lat, start_lon = rng.uniform(30, 40, aircraft), rng.uniform(15, 35, aircraft)
    time = 1735200000 + index * 10
    lat = start_lat[plane] - index * 0.0003
    lon = start_lon[plane] - index * 0.0003
    return {"time": time, "icao24": np.array([f"{0x150000 + p:06x}" for p in range(aircraft)])[plane],
            "lat": lat, "lon": lon, "velocity": np.full(rows, 220.0), "heading": np.full(rows, 225.0),
            "vertrate": np.zeros(rows), "callsign": np.array([f"TEST{p:03d}" for p in range(aircraft)])[plane],
            "onground": np.zeros(rows, dtype=bool), "alert": np.zeros(rows, dtype=bool),
            "spi": np.zeros(rows, dtype=bool), "squawk": np.full(rows, "7000"),
            "baroaltitude": np.full(rows, 9144.0), "geoaltitude": np.full(rows, 9300.0),
            "lastposupdate": time - 0.5, "lastcontact": time - 0.2}


def import_sample_track(workspace: Path, *, gap_minutes: float = 40.0, confidence: str = "medium") -> Path:
    """Import :func:`build_hmeimim_al_khadim_trace` into the workspace folder (through the real importer)."""
    from layers.store import open_workspace
    from layers.tracks.importing import plan_track_import, write_track_import

    workspace.mkdir(parents=True, exist_ok=True)
    path = write_trace(workspace.parent, build_hmeimim_al_khadim_trace(gap_minutes))
    plan = plan_track_import(path)
    assert not plan.refused, plan.describe()
    store = open_workspace(workspace)
    try:
        write_track_import(plan, store, source="constructed test track", confidence=confidence)
    finally:
        store.close()
    return workspace
