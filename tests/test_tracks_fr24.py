"""Flightradar24 CSV downloads: units, the ground rule, the icao24 rule and problems."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from layers.tracks.fr24 import icao24_from_file_name, looks_like_fr24_csv, read_fr24_csv, resolve_icao24

HEADER = "Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction"
ROWS = [
    '1735294502,2024-12-27T10:15:02Z,RSD038,"55.972,37.413",0,12,250',      # taxiing
    '1735294510,2024-12-27T10:15:10Z,RSD038,"55.973,37.414",0,80,250',      # take-off run
    '1735294530,2024-12-27T10:15:30Z,RSD038,"55.980,37.420",1200,160,251',  # airborne
]


def write(tmp_path: Path, name: str, lines: list[str]) -> tuple[Path, bytes]:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, path.read_bytes()


def test_positions_are_read_in_the_table_units(tmp_path: Path) -> None:
    track = read_fr24_csv(*write(tmp_path, "fr24_154076_RA82038.csv", [HEADER, *ROWS]))
    assert track.format == "Flightradar24 CSV"
    assert track.point_noun == "line"
    assert track.problems == ()
    airborne = track.positions.iloc[2]
    assert airborne["time"] == pd.Timestamp("2024-12-27T10:15:30Z")
    assert (airborne["lat"], airborne["lon"]) == (55.98, 37.42)
    assert (airborne["alt_baro_ft"], airborne["ground_speed_kt"], airborne["track_deg"]) == (1200, 160, 251)
    assert airborne["callsign"] == "RSD038"
    assert track.positions["point"].tolist() == [2, 3, 4]
    assert track.positions["provenance"].unique().tolist() == ["fr24_154076_RA82038.csv"]


def test_altitude_zero_below_50_kt_is_on_the_ground_with_no_altitude(tmp_path: Path) -> None:
    positions = read_fr24_csv(*write(tmp_path, "fr24_154076.csv", [HEADER, *ROWS])).positions
    assert positions["on_ground"].tolist() == [True, False, False]
    assert math.isnan(positions["alt_baro_ft"].iloc[0])  # FR24's 0 is not a measured altitude
    assert positions["alt_baro_ft"].iloc[1] == 0  # 0 at 80 kt is kept as written


def test_utc_text_gives_the_time_when_timestamp_is_empty(tmp_path: Path) -> None:
    row = ',2024-12-27T10:16:00Z,RSD038,"55.99,37.43",2000,170,252'
    positions = read_fr24_csv(*write(tmp_path, "fr24_154076.csv", [HEADER, ROWS[0], row])).positions
    assert positions["time"].tolist() == [pd.Timestamp("2024-12-27T10:15:02Z"), pd.Timestamp("2024-12-27T10:16:00Z")]


def test_icao24_given_by_the_caller_wins(tmp_path: Path) -> None:
    track = read_fr24_csv(*write(tmp_path, "fr24_154076.csv", [HEADER, *ROWS]), icao24="15407A")
    assert track.positions["icao24"].unique().tolist() == ["15407a"]
    assert track.notes == ()


def test_icao24_comes_from_one_hex_token_in_the_file_name_with_a_note(tmp_path: Path) -> None:
    track = read_fr24_csv(*write(tmp_path, "fr24_154076_RA82038.csv", [HEADER, *ROWS]))
    assert track.positions["icao24"].unique().tolist() == ["154076"]
    assert any("154076 taken from its name" in note for note in track.notes)


def test_fr24_flight_ids_are_not_addresses_and_the_note_says_how_to_give_one(tmp_path: Path) -> None:
    track = read_fr24_csv(*write(tmp_path, "RA82038_38a1b2c3.csv", [HEADER, *ROWS]))
    assert track.positions["icao24"].unique().tolist() == [""]
    note, = track.notes
    assert "no icao24" in note and "--icao24" in note


@pytest.mark.parametrize(("name", "expected"), [
    ("fr24_154076_RA82038.csv", "154076"), ("RA82038_38a1b2c3.csv", ""), ("154076-3C6444.csv", ""),
    ("track.3C6444.csv", "3c6444"), ("a154076.csv", ""), ("flight.csv", ""), ("SDM3751-38a1b2c3.csv", ""),
])
def test_icao24_from_file_name(name: str, expected: str) -> None:
    assert icao24_from_file_name(name) == expected


def test_a_given_icao24_that_is_not_hex_is_a_problem(tmp_path: Path) -> None:
    address, notes, problems = resolve_icao24(tmp_path / "fr24_154076.csv", "RA82038")
    assert (address, notes) == ("", [])
    problem, = problems
    assert (problem.field, problem.value) == ("icao24", "RA82038")


def test_unparsable_cells_name_line_field_and_value(tmp_path: Path) -> None:
    bad = '1735294540,2024-12-27T10:15:40Z,RSD038,"north",high,160,251'
    track = read_fr24_csv(*write(tmp_path, "fr24_154076.csv", [HEADER, *ROWS, bad]))
    found = {(p.line, p.field, p.value, p.message) for p in track.problems}
    assert found == {(5, "Position", "north", "not a latitude,longitude pair"),
                     (5, "Altitude", "high", "not a number")}
    assert math.isnan(track.positions["lat"].iloc[3])


def test_a_missing_position_column_is_named(tmp_path: Path) -> None:
    track = read_fr24_csv(*write(tmp_path, "fr24_154076.csv", ["Timestamp,UTC,Callsign", "1735294502,x,RSD038"]))
    problem, = track.problems
    assert problem.line == 1 and "'Position'" in problem.message and "Direction" in problem.message
    assert track.positions.empty


def test_header_detection() -> None:
    assert looks_like_fr24_csv(HEADER)
    assert looks_like_fr24_csv("\ufeff" + HEADER.lower())
    assert not looks_like_fr24_csv("time,icao24,lat,lon,velocity")
    assert not looks_like_fr24_csv("Timestamp,UTC,Callsign,Altitude")  # no Position: not a track
