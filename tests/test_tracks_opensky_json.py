"""The OpenSky REST JSON readers: /flights/* answers into legs, /tracks/all answers into positions.

The documents are built here from the OpenSky REST API documentation's layouts (not downloaded).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from layers.tracks.opensky_json import (
    FLIGHTS_FORMAT,
    TRACKS_FORMAT,
    looks_like_opensky_flights,
    looks_like_opensky_tracks,
    read_opensky_flights,
    read_opensky_tracks,
)
from layers.tracks.positions import POSITION_COLUMNS, FlightLeg

DEPARTED = 1709272800  # 2024-03-01 06:00:00 UTC
ARRIVED = 1709290800  # 2024-03-01 11:00:00 UTC


def flight(**fields: Any) -> dict[str, Any]:
    return {"icao24": "154076", "firstSeen": DEPARTED, "estDepartureAirport": "UUEE", "lastSeen": ARRIVED,
            "estArrivalAirport": None, "callsign": "RFF7101 ", "estDepartureAirportHorizDistance": 1200,
            "estDepartureAirportVertDistance": 50, "estArrivalAirportHorizDistance": None,
            "estArrivalAirportVertDistance": None, "departureAirportCandidatesCount": 0,
            "arrivalAirportCandidatesCount": 0} | fields


def track_doc(**fields: Any) -> dict[str, Any]:
    return {"icao24": "154076", "callsign": "RFF7101 ", "startTime": DEPARTED, "endTime": DEPARTED + 3600, "path": [
        [DEPARTED, 55.9726, 37.4146, None, 250.0, True],
        [DEPARTED + 300, 56.1, 37.0, 3000.0, 244.0, False],
        [DEPARTED + 1200, None, None, 9000.0, 240.0, False],
        [DEPARTED + 3600, 57.0, 36.0, 10000.0, 239.5, False],
    ]} | fields


def test_flights_become_legs_in_utc_with_no_positions() -> None:
    doc = [flight(), flight(icao24="3C4B26", callsign=None, estDepartureAirport=None, estArrivalAirport="EDDF",
                            firstSeen=ARRIVED + 7200, lastSeen=ARRIVED + 9000)]
    track = read_opensky_flights(Path("flights.json"), doc)
    assert track.format == FLIGHTS_FORMAT == "OpenSky flights JSON"
    assert track.problems == ()
    assert track.positions.empty and list(track.positions.columns) == list(POSITION_COLUMNS)
    assert track.legs == (
        FlightLeg("154076", "RFF7101", pd.Timestamp("2024-03-01T06:00:00Z"), pd.Timestamp("2024-03-01T11:00:00Z"),
                  "UUEE", "", 1),
        FlightLeg("3c4b26", "", pd.Timestamp("2024-03-01T13:00:00Z"), pd.Timestamp("2024-03-01T13:30:00Z"),
                  "", "EDDF", 2),
    )
    assert str(track.legs[0].first_seen.tz) == "UTC"


def test_unreadable_flights_are_problems_naming_flight_field_and_value() -> None:
    doc = [flight(), flight(firstSeen="yesterday"), flight(lastSeen=None), flight(icao24=None), "RFF7101"]
    track = read_opensky_flights(Path("flights.json"), doc)
    assert [(p.line, p.field, p.value, p.message) for p in track.problems] == [
        (0, "firstSeen", "yesterday", "flight 2: firstSeen is not a number or null"),
        (0, "lastSeen", "null", "flight 3: lastSeen not given: a time in seconds since 1970 is needed"),
        (0, "icao24", "null", "flight 4: icao24 not given"),
        (0, "(flight)", "RFF7101", "flight 5: is not a flight object"),
    ]
    assert [leg.index for leg in track.legs] == [1]


def test_a_track_becomes_simplified_positions_in_feet() -> None:
    track = read_opensky_tracks(Path("track_154076.json"), track_doc())
    assert track.format == TRACKS_FORMAT == "OpenSky tracks JSON"
    assert track.simplified is True
    assert track.problems == ()
    assert track.notes[0].startswith("the track is simplified by OpenSky")
    assert "gaps in it are not evidence of going dark" in track.notes[0]
    assert track.notes[1:] == ("1 waypoints without a latitude and longitude not read",)
    frame = track.positions
    assert list(frame.columns) == list(POSITION_COLUMNS)
    assert [t.isoformat() for t in frame["time"]] == [
        "2024-03-01T06:00:00+00:00", "2024-03-01T06:05:00+00:00", "2024-03-01T07:00:00+00:00"]
    assert math.isnan(frame["alt_baro_ft"].iloc[0])
    assert frame["alt_baro_ft"].iloc[1:].round(2).tolist() == [9842.52, 32808.4]
    assert frame["alt_geom_ft"].isna().all() and frame["ground_speed_kt"].isna().all()
    assert frame["track_deg"].tolist() == [250.0, 244.0, 239.5]
    assert frame["on_ground"].tolist() == [True, False, False]
    assert frame["lat"].tolist() == [55.9726, 56.1, 57.0]
    assert frame["point"].tolist() == [1, 2, 4]
    assert set(frame["icao24"]) == {"154076"} and set(frame["callsign"]) == {"RFF7101"}
    assert set(frame["provenance"]) == {"track_154076.json"}
    assert set(frame["position_source"]) == {""}
    assert not frame["stale"].any() and not frame["new_leg"].any()


def test_the_documented_calllsign_spelling_is_read() -> None:
    doc = track_doc()
    doc["calllsign"] = doc.pop("callsign")
    assert set(read_opensky_tracks(Path("t.json"), doc).positions["callsign"]) == {"RFF7101"}


def test_unreadable_waypoints_are_problems_naming_point_field_and_value() -> None:
    doc = track_doc()
    doc["path"][1][1] = "56.1"
    doc["path"][3][5] = "yes"
    doc["path"].append([DEPARTED + 4000, 57.1])
    track = read_opensky_tracks(Path("t.json"), doc)
    assert [(p.field, p.value, p.message) for p in track.problems] == [
        ("latitude", "56.1", "point 2: latitude is not a number or null"),
        ("on_ground", "yes", "point 4: on_ground is not true, false or null"),
        ("path", f"[{DEPARTED + 4000}, 57.1]", ("point 5: is not a waypoint: one is a list [time, latitude, "
                                                "longitude, baro_altitude, true_track, on_ground]")),
    ]
    assert track.positions["point"].tolist() == [1, 4]
    assert track.positions["on_ground"].tolist() == [True, False]


def test_a_track_without_a_path_list_is_a_problem() -> None:
    track = read_opensky_tracks(Path("t.json"), track_doc(path=None))
    assert track.positions.empty and track.simplified
    assert [(p.field, p.value) for p in track.problems] == [("path", "null")]


@pytest.mark.parametrize(("doc", "flights", "tracks"), [
    ([flight()], True, False),
    (track_doc(), False, True),
    ([], False, False),
    ([{"icao24": "154076"}], False, False),
    ({"icao24": "154076", "path": []}, False, False),
    ({"icao": "154076", "timestamp": 1.0, "trace": []}, False, False),
])
def test_answers_are_recognised_by_their_content(doc: object, flights: bool, tracks: bool) -> None:
    assert looks_like_opensky_flights(doc) is flights
    assert looks_like_opensky_tracks(doc) is tracks
