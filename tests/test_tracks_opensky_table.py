"""OpenSky state vectors and traffic tables, CSV and Parquet: units, times, problems."""

from __future__ import annotations

import io
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from layers.tracks.opensky_table import (
    looks_like_opensky_columns,
    looks_like_traffic_columns,
    read_position_csv,
    read_position_parquet,
)

OPENSKY_HEADER = ("time,icao24,lat,lon,velocity,heading,vertrate,callsign,onground,alert,spi,squawk,"
                  "baroaltitude,geoaltitude,lastposupdate,lastcontact,hour")
TRAFFIC_HEADER = ("timestamp,icao24,latitude,longitude,altitude,groundspeed,track,vertical_rate,callsign,onground,"
                  "geoaltitude,registration,typecode")
T0 = 1735294500  # 2024-12-27T10:15:00Z


def opensky_row(t: int, *, lat: str = "50.1", onground: str = "false", lastpos: str = "") -> str:
    return (f"{t},004abc,{lat},8.6,100,90,5,DLH123  ,{onground},false,false,1000,3048,3100,{lastpos},{t},"
            f"{T0 - T0 % 3600}")


def write(tmp_path: Path, name: str, text: str) -> tuple[Path, bytes]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path, path.read_bytes()


def test_opensky_csv_is_converted_to_feet_knots_and_feet_per_minute(tmp_path: Path) -> None:
    text = "\n".join([OPENSKY_HEADER, opensky_row(T0, lastpos=f"{T0 - 1.5}"), opensky_row(T0 + 1)]) + "\n"
    track = read_position_csv(*write(tmp_path, "states.csv", text))
    assert track.format == "OpenSky state vectors CSV"
    assert track.point_noun == "line"
    assert track.problems == ()
    first = track.positions.iloc[0]
    assert first["icao24"] == "004abc"  # leading zeros kept: the address is text
    assert first["callsign"] == "DLH123"
    assert first["ground_speed_kt"] == pytest.approx(194.384, abs=1e-3)
    assert first["vertical_rate_fpm"] == pytest.approx(984.252, abs=1e-3)
    assert first["alt_baro_ft"] == pytest.approx(10_000.0)
    assert first["alt_geom_ft"] == pytest.approx(10_170.603, abs=1e-3)
    assert first["track_deg"] == 90.0
    assert first["provenance"] == "states.csv"
    assert first["position_source"] == ""


def test_position_time_is_lastposupdate_when_given_else_time(tmp_path: Path) -> None:
    text = "\n".join([OPENSKY_HEADER, opensky_row(T0, lastpos=f"{T0 - 1.5}"), opensky_row(T0 + 1)]) + "\n"
    times = read_position_csv(*write(tmp_path, "states.csv", text)).positions["time"]
    assert times.iloc[0] == pd.Timestamp("2024-12-27T10:14:58.5Z")
    assert times.iloc[1] == pd.Timestamp("2024-12-27T10:15:01Z")


@pytest.mark.parametrize(("cell", "expected"), [("true", True), ("false", False), ("1", True), ("0", False),
                                                ("True", True), ("", False)])
def test_onground_reads_words_and_digits(tmp_path: Path, cell: str, expected: bool) -> None:
    text = "\n".join([OPENSKY_HEADER, opensky_row(T0, onground=cell), opensky_row(T0 + 1, onground="true")])
    track = read_position_csv(*write(tmp_path, "states.csv", text))
    assert track.problems == ()
    assert bool(track.positions["on_ground"].iloc[0]) is expected


def test_points_are_file_lines_even_after_blank_lines(tmp_path: Path) -> None:
    text = "\n".join([OPENSKY_HEADER, opensky_row(T0), "", opensky_row(T0 + 1), opensky_row(T0 + 2)]) + "\n"
    track = read_position_csv(*write(tmp_path, "states.csv", text))
    assert track.positions["point"].tolist() == [2, 4, 5]


def test_points_are_first_lines_of_rows_whose_quoted_cells_span_lines(tmp_path: Path) -> None:
    text = (f'time,icao24,lat,lon,callsign\n{T0},004abc,1,2,"A\n\nB"\n\n{T0 + 1},004abc,1,2,"C ""x"""\n'
            f"{T0 + 2},004abc,1,2,D\n")
    track = read_position_csv(*write(tmp_path, "states.csv", text))
    assert track.positions["point"].tolist() == [2, 6, 7]
    assert track.positions["callsign"].tolist() == ["A\n\nB", 'C "x"', "D"]


def test_unparsable_cells_are_named_by_line_field_and_value(tmp_path: Path) -> None:
    text = "\n".join([OPENSKY_HEADER, opensky_row(T0), opensky_row(T0 + 1, lat="abc"),
                      opensky_row(T0 + 2, onground="maybe")]) + "\n"
    track = read_position_csv(*write(tmp_path, "states.csv", text))
    found = {(p.line, p.field, p.value, p.message) for p in track.problems}
    assert found == {(3, "lat", "abc", "not a number"), (4, "onground", "maybe", "not true, false, 1 or 0")}
    assert np.isnan(track.positions["lat"].iloc[1])  # never invented
    assert "states.csv:3: field 'lat'" in str(next(p for p in track.problems if p.field == "lat"))


def test_times_in_milliseconds_are_refused(tmp_path: Path) -> None:
    text = f"time,icao24,lat,lon\n{T0 * 1000},004abc,1,2\n"
    problem, = read_position_csv(*write(tmp_path, "ms.csv", text)).problems
    assert (problem.line, problem.field, problem.value) == (2, "time", str(T0 * 1000))
    assert "seconds since 1970" in problem.message


def test_missing_required_column_is_named_with_what_the_layout_needs(tmp_path: Path) -> None:
    text = f"time,icao24,lon,velocity,heading,baroaltitude\n{T0},004abc,8.6,100,90,3048\n"
    track = read_position_csv(*write(tmp_path, "states.csv", text))
    problem, = track.problems
    assert problem.line == 1
    assert "'lat'" in problem.message and "time, icao24, lat, lon" in problem.message
    assert track.positions.empty


def test_a_header_repeated_by_the_impala_shell_is_skipped(tmp_path: Path) -> None:
    text = "\n".join([OPENSKY_HEADER, opensky_row(T0), OPENSKY_HEADER, opensky_row(T0 + 1)]) + "\n"
    track = read_position_csv(*write(tmp_path, "states.csv", text))
    assert track.problems == ()
    assert track.positions["point"].tolist() == [2, 4]
    assert track.positions["lat"].tolist() == [50.1, 50.1]
    assert any("repeated header" in note for note in track.notes)


def test_a_row_with_too_few_cells_names_its_line(tmp_path: Path) -> None:
    text = f"time,icao24,lat,lon\n{T0},004abc,1,2\n{T0 + 1},004abc,1\n"
    problem, = read_position_csv(*write(tmp_path, "states.csv", text)).problems
    assert (problem.line, problem.value) == (3, f"{T0 + 1},004abc,1")
    assert "3 cells" in problem.message


def test_tab_separated_impala_output_is_read(tmp_path: Path) -> None:
    text = f"time\ticao24\tlat\tlon\n{T0}\t3c6444\t50.0\t8.0\n"
    track = read_position_csv(*write(tmp_path, "impala.tsv", text))
    assert track.positions[["icao24", "lat"]].values.tolist() == [["3c6444", 50.0]]


def test_traffic_csv_keeps_its_nautical_units_and_reads_iso_times(tmp_path: Path) -> None:
    text = (TRAFFIC_HEADER + "\n"
            "2024-12-27 10:15:02+00:00,154076,55.1,37.2,35000,450,270,-1000,SDM123,False,35500,RA-82038,A124\n"
            "2024-12-27T10:15:03,154076,55.2,37.3,35000,450,270,-1000,SDM123,True,35500,RA-82038,A124\n"
            "yesterday,154076,55.3,37.4,35000,450,270,-1000,SDM123,False,35500,RA-82038,A124\n")
    track = read_position_csv(*write(tmp_path, "traffic.csv", text))
    assert track.format == "traffic CSV"
    first = track.positions.iloc[0]
    assert first["time"] == pd.Timestamp("2024-12-27T10:15:02Z")
    assert (first["alt_baro_ft"], first["alt_geom_ft"], first["ground_speed_kt"]) == (35000, 35500, 450)
    assert (first["vertical_rate_fpm"], first["registration"], first["aircraft_type"]) == (-1000, "RA-82038", "A124")
    assert track.positions["on_ground"].tolist() == [False, True, False]
    assert track.positions["time"].iloc[1] == pd.Timestamp("2024-12-27T10:15:03Z")
    assert any("no time zone" in note for note in track.notes)
    problem, = track.problems
    assert (problem.line, problem.field, problem.value, problem.message) == (4, "timestamp", "yesterday",
                                                                             "not a time")


def test_traffic_parquet_with_utc_datetimes(tmp_path: Path) -> None:
    frame = pd.DataFrame({"timestamp": pd.to_datetime(["2024-12-27T10:15:02Z", "2024-12-27T10:15:03Z"]),
                          "icao24": ["154076", "154076"], "latitude": [55.1, 55.2], "longitude": [37.2, 37.3],
                          "altitude": [0.0, 250.0], "onground": [True, False], "typecode": ["A124", "A124"]})
    buffer = io.BytesIO()
    frame.to_parquet(buffer)
    track = read_position_parquet(tmp_path / "traffic.parquet", buffer.getvalue())
    assert track.format == "traffic Parquet"
    assert track.point_noun == "point"
    assert track.positions["time"].tolist() == list(frame["timestamp"])
    assert track.positions["on_ground"].tolist() == [True, False]
    assert track.positions["alt_baro_ft"].tolist() == [0.0, 250.0]
    assert track.positions["point"].tolist() == [1, 2]


def test_parquet_problems_name_the_point(tmp_path: Path) -> None:
    frame = pd.DataFrame({"time": [T0, T0 + 1], "icao24": ["004abc"] * 2, "lat": [1.0, 2.0], "lon": ["3", "east"],
                          "velocity": [1.0, 2.0]})
    buffer = io.BytesIO()
    frame.to_parquet(buffer)
    problem, = read_position_parquet(tmp_path / "states.parquet", buffer.getvalue()).problems
    assert (problem.line, problem.field, problem.value) == (0, "lon", "east")
    assert problem.message.startswith("point 2: ")


def test_a_file_that_is_not_parquet_gives_one_problem(tmp_path: Path) -> None:
    track = read_position_parquet(tmp_path / "x.parquet", b"PAR1 not really")
    problem, = track.problems
    assert problem.message == "not readable as Parquet"
    assert track.positions.empty


def test_a_200000_row_opensky_parquet_reads_quickly(tmp_path: Path) -> None:
    rows = 200_000
    frame = pd.DataFrame({"time": np.arange(rows) + T0, "icao24": "3c6444", "lat": np.linspace(50, 52, rows),
                          "lon": np.linspace(8, 9, rows), "velocity": np.full(rows, 200.0),
                          "heading": np.full(rows, 45.0), "vertrate": np.zeros(rows), "callsign": "DLH4AB  ",
                          "onground": np.zeros(rows, dtype=bool), "baroaltitude": np.full(rows, 10_000.0),
                          "geoaltitude": np.full(rows, 10_100.0), "lastposupdate": np.arange(rows) + T0 - 0.25})
    buffer = io.BytesIO()
    frame.to_parquet(buffer)
    started = time.perf_counter()
    track = read_position_parquet(tmp_path / "states.parquet", buffer.getvalue())
    elapsed = time.perf_counter() - started
    assert track.format == "OpenSky state vectors Parquet"
    assert len(track.positions) == rows
    assert track.positions["alt_baro_ft"].iloc[-1] == pytest.approx(32_808.399, abs=1e-3)
    assert track.positions["time"].iloc[-1] == pd.Timestamp(T0 + rows - 1 - 0.25, unit="s", tz="UTC")
    assert elapsed < 5, f"took {elapsed:.1f} s"


def test_layouts_are_told_apart_by_their_column_names() -> None:
    opensky, traffic = OPENSKY_HEADER.split(","), TRAFFIC_HEADER.split(",")
    assert looks_like_opensky_columns(opensky) and not looks_like_traffic_columns(opensky)
    assert looks_like_traffic_columns(traffic) and not looks_like_opensky_columns(traffic)
    assert looks_like_opensky_columns(["Time", "ICAO24", "lon", "velocity"])  # lat missing: still recognised
    fr24 = ["Timestamp", "UTC", "Callsign", "Position", "Altitude", "Speed", "Direction"]
    assert not looks_like_opensky_columns(fr24) and not looks_like_traffic_columns(fr24)
