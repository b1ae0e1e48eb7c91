"""The readsb JSON readers: trace_full / trace_recent traces, aircraft.json and ADS-B Exchange v2 snapshots.

The documents are built here from readsb's README-json.md layouts (not downloaded).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from layers.tracks.positions import POSITION_COLUMNS
from layers.tracks.readsb_json import (
    AIRCRAFT_FORMAT,
    TRACE_FORMAT,
    looks_like_aircraft_json,
    looks_like_trace_full,
    read_aircraft_json,
    read_trace_full,
)

START = 1709272800.0  # 2024-03-01 06:00:00 UTC
NOW = 1709296200.0  # 2024-03-01 12:30:00 UTC
TRACE_PATH = Path("trace_full_154076.json")


def an124_trace(**top: Any) -> dict[str, Any]:
    """An-124 RA-82038 (hex 154076): a take-off from the ground, a stale and an MLAT point, a
    geometric altitude, then a landing and a new leg."""
    doc: dict[str, Any] = {
        "icao": "154076", "r": "RA-82038", "t": "A124", "desc": "ANTONOV AN-124 Ruslan", "dbFlags": 1,
        "timestamp": START,
        "trace": [
            [0.0, 55.9726, 37.4146, "ground", 8.4, 250.3, 0, None,
             {"type": "adsb_icao", "flight": "RFF7101 ", "alt_geom": 600}, "adsb_icao", None, None, None, None],
            [95.5, 55.99, 37.35, 1500, 165.0, 245.0, 4, 1856, None, "adsb_icao", 1650, 1856, 160, 0.5],
            [140.0, 56.05, 37.2, 3200, 210.0, 244.0, 1, 1600, None, "mlat", None, None, None, None],
            [200.0, 56.1, 37.05, 4100, 220.0, 240.0, 8, 1400, None, "adsb_icao", None, None, None, None],
            [3600.0, 55.6, 38.1, "ground", 0.0, 81.0, 2, None, None, "adsb_icao_nt"],
            [3660.4, 55.61, 38.11, 300, 140.0, 80.0, 0, None, {"flight": "RFF7102"}, "tisb_icao", None, 900],
        ],
    }
    return doc | top


def cell(track: Any, column: str) -> list[Any]:
    values = track.positions[column].tolist()
    return [None if isinstance(v, float) and math.isnan(v) else v for v in values]


def test_a_trace_reads_into_the_table_with_times_units_and_flags() -> None:
    track = read_trace_full(TRACE_PATH, an124_trace())
    assert track.format == TRACE_FORMAT == "readsb trace_full"
    assert track.problems == ()
    frame = track.positions
    assert list(frame.columns) == list(POSITION_COLUMNS)
    assert [t.isoformat() for t in frame["time"]] == [
        "2024-03-01T06:00:00+00:00", "2024-03-01T06:01:35.500000+00:00", "2024-03-01T06:02:20+00:00",
        "2024-03-01T06:03:20+00:00", "2024-03-01T07:00:00+00:00", "2024-03-01T07:01:00.400000+00:00"]
    assert str(frame["time"].dt.tz) == "UTC"
    assert set(frame["icao24"]) == {"154076"}
    assert set(frame["registration"]) == {"RA-82038"} and set(frame["aircraft_type"]) == {"A124"}
    assert cell(track, "lat") == [55.9726, 55.99, 56.05, 56.1, 55.6, 55.61]
    assert cell(track, "on_ground") == [True, False, False, False, True, False]
    # "ground" is not 0 ft; flag 8 (point 4) moves the altitude to the geometric column, flag 4
    # (point 2: the rate is geometric) does not.
    assert cell(track, "alt_baro_ft") == [None, 1500.0, 3200.0, None, None, 300.0]
    assert cell(track, "alt_geom_ft") == [None, 1650.0, None, 4100.0, None, None]
    assert cell(track, "ground_speed_kt") == [8.4, 165.0, 210.0, 220.0, 0.0, 140.0]
    # On the ground readsb writes the true heading there, not a track over ground.
    assert cell(track, "track_deg") == [None, 245.0, 244.0, 240.0, None, 80.0]
    # The last point has no rate at index 7: its geometric rate (index 11) is used.
    assert cell(track, "vertical_rate_fpm") == [None, 1856.0, 1600.0, 1400.0, None, 900.0]
    assert cell(track, "stale") == [False, False, True, False, False, False]
    assert cell(track, "new_leg") == [False, False, False, False, True, False]
    assert cell(track, "position_source") == ["adsb", "adsb", "mlat", "adsb", "adsb", "tisb"]
    assert cell(track, "implausible") == [False] * 6
    assert cell(track, "point") == [1, 2, 3, 4, 5, 6]
    assert set(frame["provenance"]) == {"trace_full_154076.json"}


def test_a_callsign_holds_from_its_details_until_a_new_leg() -> None:
    track = read_trace_full(TRACE_PATH, an124_trace())
    # Stripped; carried from point 1 to 4; the new leg at point 5 does not inherit it.
    assert cell(track, "callsign") == ["RFF7101", "RFF7101", "RFF7101", "RFF7101", "", "RFF7102"]


def test_no_callsign_is_invented_before_the_first_details() -> None:
    doc = an124_trace()
    doc["trace"][0][8] = None
    assert cell(read_trace_full(TRACE_PATH, doc), "callsign")[:4] == ["", "", "", ""]


def test_the_military_flag_is_noted_and_a_civil_aircraft_gets_no_note() -> None:
    assert read_trace_full(TRACE_PATH, an124_trace()).notes == (
        "readsb's database flags 154076 (ANTONOV AN-124 Ruslan) as military (dbFlags)",)
    assert read_trace_full(TRACE_PATH, an124_trace(dbFlags=2)).notes == ()


def test_older_short_points_read_with_the_source_from_their_details() -> None:
    doc = {"icao": "154076", "timestamp": START, "trace": [
        [0, 50.0, 30.0, 20000, 400.0, 90.0],
        [10, 50.01, 30.05, 20100, 401.0, 90.0, 0, 600, {"type": "mlat", "flight": "RFF7101"}],
    ]}
    track = read_trace_full(TRACE_PATH, doc)
    assert track.problems == ()
    assert cell(track, "position_source") == ["", "mlat"]
    assert cell(track, "callsign") == ["", "RFF7101"]
    assert cell(track, "vertical_rate_fpm") == [None, 600.0]
    assert cell(track, "registration") == ["", ""]
    assert cell(track, "alt_geom_ft") == [None, None]


def test_a_non_icao_address_loses_its_tilde_and_is_noted() -> None:
    track = read_trace_full(Path("trace_full_~2a0001.json"), an124_trace(icao="~2A0001", dbFlags=0))
    assert set(track.positions["icao24"]) == {"2a0001"}
    assert len(track.notes) == 1 and track.notes[0].startswith("2a0001 is a non-ICAO address")


def test_without_icao_the_address_comes_from_the_caller_and_is_noted() -> None:
    doc = an124_trace(dbFlags=0)
    del doc["icao"]
    track = read_trace_full(TRACE_PATH, doc, icao24="154076")
    assert set(track.positions["icao24"]) == {"154076"}
    assert track.notes == ("the file gives no icao: icao24 154076 taken from the file name",)
    assert set(read_trace_full(TRACE_PATH, doc).positions["icao24"]) == {""}


def test_an_address_that_differs_from_the_file_name_is_noted() -> None:
    track = read_trace_full(TRACE_PATH, an124_trace(dbFlags=0), icao24="abcdef")
    assert set(track.positions["icao24"]) == {"154076"}
    assert track.notes == ("the file's icao 154076 differs from abcdef in its name: 154076 used",)


def test_unknown_source_words_are_left_unknown_and_noted() -> None:
    doc = an124_trace(dbFlags=0)
    doc["trace"][1][9] = "flarm"
    doc["trace"][2][9] = "unknown"
    track = read_trace_full(TRACE_PATH, doc)
    assert cell(track, "position_source")[1:3] == ["", ""]
    assert track.notes == ("position sources readsb does not document, left unknown: flarm",)


def test_a_trace_without_timestamp_is_a_problem_naming_the_field() -> None:
    doc = an124_trace()
    del doc["timestamp"]
    track = read_trace_full(TRACE_PATH, doc)
    assert track.positions.empty and list(track.positions.columns) == list(POSITION_COLUMNS)
    (problem,) = track.problems
    assert (problem.line, problem.field) == (0, "timestamp")
    assert "no timestamp" in problem.message


def test_unreadable_values_are_problems_naming_point_field_and_value() -> None:
    doc = an124_trace(dbFlags=0)
    doc["trace"] += [
        [3700.0, "55.62", 38.12, 500, 150.0, 79.0, 0, 800],  # point 7: lat as text
        [None, 55.63, 38.13, 600, 150.0, 79.0, 0, 800],  # point 8: no time
        [3720.0, 55.64, 38.14, "air", "fast", 79.0, "x", 800],  # point 9: altitude, speed, flags
        [3730.0, 55.65, 38.15, 700],  # point 10: too short
    ]
    track = read_trace_full(TRACE_PATH, doc)
    found = [(p.line, p.field, p.value, p.message) for p in track.problems]
    assert found == [
        (0, "lat", "55.62", "point 7: lat is not a number or null"),
        (0, "time", "null", "point 8: time not given"),
        (0, "ground_speed", "fast", "point 9: ground_speed is not a number or null"),
        (0, "flags", "x", "point 9: flags is not a whole number of flag bits"),
        (0, "altitude", "air", 'point 9: altitude is not a number of feet, "ground" or null'),
        (0, "trace", "[3730.0, 55.65, 38.15, 700]",
         ("point 10: is not a trace point: one is a list of at least 6 values (time, lat, lon, altitude, ground "
          "speed, track)")),
    ]
    # Points without a time or place are left out; point 9 keeps its place, the rest unknown.
    assert cell(track, "point") == [1, 2, 3, 4, 5, 6, 9]
    last = track.positions.iloc[-1]
    assert math.isnan(last["alt_baro_ft"]) and math.isnan(last["ground_speed_kt"]) and not last["stale"]
    assert all(str(p).startswith("trace_full_154076.json: field ") for p in track.problems)


def test_a_trace_is_recognised_by_its_content() -> None:
    assert looks_like_trace_full(an124_trace())
    assert looks_like_trace_full(json.loads(json.dumps({"icao": "154076", "trace": []})))
    assert not looks_like_trace_full({"trace": []})
    assert not looks_like_trace_full({"icao": "154076", "trace": "none"})
    assert not looks_like_trace_full([an124_trace()])
    assert not looks_like_trace_full(snapshot())


def snapshot(**top: Any) -> dict[str, Any]:
    return {"now": NOW, "messages": 123456, "aircraft": [
        {"hex": "154076", "type": "adsb_icao", "flight": "RFF7101 ", "r": "RA-82038", "t": "A124",
         "alt_baro": 31000, "alt_geom": 31650, "gs": 430.5, "track": 181.2, "baro_rate": -64, "geom_rate": -32,
         "lat": 44.1, "lon": 35.2, "seen_pos": 2.4, "seen": 0.1},
        {"hex": "~2d0a11", "type": "tisb_other", "alt_baro": "ground", "gs": 5, "lat": 44.2, "lon": 35.3,
         "seen_pos": 20.0},
        {"hex": "4b1805", "type": "mode_s", "alt_baro": 12000, "seen": 1.0},
        {"hex": "3c4b26", "mlat": ["lat", "lon", "gs"], "lat": 50.0, "lon": 8.0, "seen_pos": 0.5,
         "alt_baro": 20000, "geom_rate": -800},
    ]} | top


def test_an_aircraft_json_snapshot_reads_one_position_per_placed_aircraft() -> None:
    path = Path("aircraft.json")
    track = read_aircraft_json(path, snapshot())
    assert track.format == AIRCRAFT_FORMAT == "readsb aircraft.json"
    assert track.problems == ()
    assert track.notes == ("1 aircraft without a position (no lat/lon) not read",
                           "1 aircraft with a non-ICAO address (readsb writes ~ before it): read without the ~")
    assert [t.isoformat() for t in track.positions["time"]] == [
        "2024-03-01T12:29:57.600000+00:00", "2024-03-01T12:29:40+00:00", "2024-03-01T12:29:59.500000+00:00"]
    assert cell(track, "icao24") == ["154076", "2d0a11", "3c4b26"]
    assert cell(track, "callsign") == ["RFF7101", "", ""]
    assert cell(track, "registration") == ["RA-82038", "", ""]
    assert cell(track, "aircraft_type") == ["A124", "", ""]
    assert cell(track, "alt_baro_ft") == [31000.0, None, 20000.0]
    assert cell(track, "alt_geom_ft") == [31650.0, None, None]
    assert cell(track, "on_ground") == [False, True, False]
    assert cell(track, "ground_speed_kt") == [430.5, 5.0, None]
    assert cell(track, "track_deg") == [181.2, None, None]
    assert cell(track, "vertical_rate_fpm") == [-64.0, None, -800.0]
    assert cell(track, "stale") == [False, True, False]
    assert cell(track, "position_source") == ["adsb", "tisb", "mlat"]
    assert cell(track, "point") == [1, 2, 4]
    assert set(track.positions["provenance"]) == {"aircraft.json"}


def test_the_adsbx_v2_layout_counts_now_in_milliseconds() -> None:
    doc = {"ac": [{"hex": "154076", "type": "mlat", "lat": 44.1, "lon": 35.2, "seen_pos": 0.5, "alt_baro": 9000}],
           "msg": "No error", "now": NOW * 1000, "total": 1, "ctime": NOW * 1000 - 500, "ptime": 12}
    track = read_aircraft_json(Path("adsbx.json"), doc)
    # One format for both layouts, so a folder of snapshots may mix them.
    assert track.format == AIRCRAFT_FORMAT
    assert track.problems == () and track.notes == ()
    assert track.positions["time"].tolist() == [pd.Timestamp("2024-03-01T12:29:59.5Z")]
    assert cell(track, "position_source") == ["mlat"]


def test_a_v2_answer_in_seconds_is_read_as_seconds_and_noted() -> None:
    doc = {"ac": [{"hex": "154076", "lat": 44.1, "lon": 35.2, "seen_pos": 1.0}], "now": NOW}
    track = read_aircraft_json(Path("adsbx.json"), doc)
    assert track.positions["time"].tolist() == [pd.Timestamp("2024-03-01T12:29:59Z")]
    assert track.notes == ("now is in seconds, not the milliseconds of the ADS-B Exchange v2 layout: read as seconds",)


def test_a_v2_answer_with_no_aircraft_is_empty_not_a_problem() -> None:
    doc = {"ac": None, "msg": "No error", "now": NOW * 1000, "total": 0}
    assert looks_like_aircraft_json(doc)
    track = read_aircraft_json(Path("adsbx.json"), doc)
    assert track.positions.empty and track.problems == ()


def test_snapshot_problems_name_point_field_and_value() -> None:
    doc = snapshot()
    doc["aircraft"][0]["lat"] = "44.1"
    doc["aircraft"][1]["gs"] = "slow"
    del doc["aircraft"][3]["seen_pos"]
    doc["aircraft"].append("154076")
    track = read_aircraft_json(Path("aircraft.json"), doc)
    assert [(p.field, p.value, p.message) for p in track.problems] == [
        ("lat", "44.1", "point 1: lat is not a number or null"),
        ("gs", "slow", "point 2: gs is not a number or null"),
        ("seen_pos", "null", "point 4: seen_pos not given: the position's time is unknown"),
        ("aircraft", "154076", "point 5: is not an aircraft object"),
    ]
    # The aircraft whose speed is unreadable keeps its position; the others have none to keep.
    assert cell(track, "point") == [2]
    assert cell(track, "ground_speed_kt") == [None]


def test_a_snapshot_without_now_is_a_problem_naming_the_field() -> None:
    doc = snapshot()
    doc["now"] = "noon"
    track = read_aircraft_json(Path("aircraft.json"), doc)
    assert track.positions.empty
    assert [(p.field, p.value) for p in track.problems] == [("now", "noon")]
    assert "no now in seconds" in track.problems[0].message


@pytest.mark.parametrize(("doc", "expected"), [
    (snapshot(), True),
    ({"now": NOW * 1000, "ac": []}, True),
    ({"aircraft": []}, False),
    ({"now": NOW, "ac": "none"}, False),
    (an124_trace(), False),
    ([snapshot()], False),
])
def test_a_snapshot_is_recognised_by_its_content(doc: object, expected: bool) -> None:
    assert looks_like_aircraft_json(doc) is expected
