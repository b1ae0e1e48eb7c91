"""``python -m layers import FILE --kind track``: what is written, what is refused, and why."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from layers import cli, gpkg_positions
from layers.store import WorkspaceError, is_database_location, open_workspace
from layers.tracks.importing import plan_track_import
from tests.track_samples import build_hmeimim_al_khadim_trace, write_trace


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def count_positions(workspace: Path | str) -> int:
    if is_database_location(str(workspace)):
        store = open_workspace(str(workspace), create=False)
        try:
            return len(store.read_positions())
        finally:
            store.close()
    with sqlite3.connect(Path(workspace) / "workspace.gpkg") as db:
        return db.execute("SELECT count(*) FROM track_positions").fetchone()[0]


def test_a_trace_imports_as_one_batch_and_shows_in_geojson(tmp_path: Path, workspace: str, capsys) -> None:
    trace = write_trace(tmp_path, build_hmeimim_al_khadim_trace(), gzipped=True)
    code, out, _ = run(capsys, "import", str(trace), "--kind", "track", "--workspace", workspace,
                       "--confidence", "high", "--source", "adsb.lol history")
    points = len(build_hmeimim_al_khadim_trace()["trace"])
    assert code == 0
    assert f"imported {points} positions as batch b0001" in out
    assert count_positions(workspace) == points
    code, out, _ = run(capsys, "imports", "--workspace", workspace)
    assert "trace_full_154076.json  track  201 rows" in out
    code, out, _ = run(capsys, "geojson", "--as-of", "2024-12-26", "--window-days", "1", "--workspace", workspace)
    layers = [f["properties"]["layer"] for f in json.loads(out)["features"]]
    assert layers.count("track") == 1 and layers.count("gap") == 1
    track = next(f for f in json.loads(out)["features"] if f["properties"]["layer"] == "track")
    assert track["properties"]["confidence"] == "high"
    assert track["properties"]["sources"] == ["file:trace_full_154076.json (adsb.lol history)"]


def test_the_kind_track_is_guessed_from_the_content_and_said(tmp_path: Path, capsys) -> None:
    trace = write_trace(tmp_path, build_hmeimim_al_khadim_trace())
    code, out, _ = run(capsys, "import", str(trace), "--workspace", str(tmp_path / "ws"), "--dry-run")
    assert code == 0
    assert "kind guessed from the file: track" in out and "dry run: nothing was written" in out
    assert not (tmp_path / "ws").exists()


def broken(tmp_path: Path, change) -> Path:
    doc = build_hmeimim_al_khadim_trace()
    change(doc["trace"])
    return write_trace(tmp_path, doc)


@pytest.mark.parametrize(("change", "expected"), [
    (lambda t: t.__setitem__(20, [t[18][0] - 1, *t[20][1:]]),
     "field 'time': point 21: earlier than the position before it (times must increase)"),
    (lambda t: t.__setitem__(20, [t[19][0], *t[20][1:]]),
     "field 'time': point 21: the same time as the position before it (duplicate timestamp)"),
    (lambda t: t.__setitem__(30, [t[30][0], 95.0, *t[30][2:]]),
     "field 'lat': point 31: latitude outside -90..90 (or missing) (value '95.0')"),
    (lambda t: t.__setitem__(30, [t[30][0], t[30][1], -181.5, *t[30][3:]]),
     "field 'lon': point 31: longitude outside -180..180 (or missing) (value '-181.5')"),
    (lambda t: t.clear(), "field '(file)': no positions found in this readsb trace_full file"),
])
def test_bad_input_is_refused_whole_naming_file_point_field_and_value(tmp_path: Path, capsys, change,
                                                                     expected: str) -> None:
    run(capsys, "import", str(write_trace(tmp_path, build_hmeimim_al_khadim_trace())), "--kind", "track",
        "--workspace", str(tmp_path / "ws"))
    before = (tmp_path / "ws" / "workspace.gpkg").read_bytes()
    (tmp_path / "bad").mkdir()
    code, _, err = run(capsys, "import", str(broken(tmp_path / "bad", change)), "--kind", "track",
                       "--workspace", str(tmp_path / "ws"))
    assert code == 1
    assert f"trace_full_154076.json: {expected}" in err
    assert "nothing was written" in err
    assert (tmp_path / "ws" / "workspace.gpkg").read_bytes() == before


def test_a_jump_faster_than_mach_1_is_flagged_kept_and_left_out_of_the_track(tmp_path: Path, capsys) -> None:
    doc = build_hmeimim_al_khadim_trace()
    doc["trace"][40] = [doc["trace"][40][0], 40.0, 10.0, *doc["trace"][40][3:]]
    code, out, _ = run(capsys, "import", str(write_trace(tmp_path, doc)), "--kind", "track", "--workspace",
                       str(tmp_path / "ws"))
    assert code == 0
    assert "note: 1 position was reached faster than Mach 1 (662 kt) from the position before" in out
    assert "point 41 (2024-12-26T17:20:00Z, 40.0000, 10.0000)" in out
    code, out, _ = run(capsys, "geojson", "--as-of", "2024-12-26", "--workspace", str(tmp_path / "ws"))
    track = next(f for f in json.loads(out)["features"] if f["properties"]["layer"] == "track")
    vertices = [point for part in track["geometry"]["coordinates"] for point in part]
    assert [10.0, 40.0] not in vertices
    assert vertices[0][0] > 35  # still starts at Hmeimim, not in the Mediterranean


def test_a_file_of_rows_given_as_a_track_and_a_track_given_as_rows_are_refused(tmp_path: Path, capsys) -> None:
    trace = write_trace(tmp_path, build_hmeimim_al_khadim_trace())
    code, _, err = run(capsys, "import", str(trace), "--kind", "sites", "--workspace", str(tmp_path / "ws"))
    assert code == 1 and "trace_full_154076.json" in err
    assert not (tmp_path / "ws").exists() or count_positions(tmp_path / "ws") == 0


def test_a_write_that_fails_part_way_leaves_the_workspace_as_it_was(tmp_path: Path, workspace: str,
                                                                   monkeypatch) -> None:
    plan = plan_track_import(write_trace(tmp_path, build_hmeimim_al_khadim_trace()))
    store = open_workspace(workspace)
    positions = plan.track.positions.copy()
    positions["callsign"] = positions["callsign"].astype(object)
    if is_database_location(workspace):
        from layers import pg_positions

        monkeypatch.setattr(pg_positions, "CHUNK_ROWS", 50)
        positions.loc[150, "callsign"] = "RFF\x00"  # PostgreSQL text cannot hold NUL: the fourth chunk fails
        failure: type[Exception] = WorkspaceError
    else:
        monkeypatch.setattr(gpkg_positions, "CHUNK_ROWS", 50)
        positions.loc[150, "callsign"] = object()  # SQLite cannot bind it: the fourth chunk fails
        failure = sqlite3.ProgrammingError
    written: list[int] = []
    with pytest.raises(failure):
        store.add_track_batch("x.json", positions, track_format="readsb trace_full",
                              progress=lambda done, _: written.append(done))
    assert written == [50, 100, 150], "three chunks were written before the fourth failed"
    assert store.list_batches() == [] and store.read_positions().empty
    store.close()
    assert count_positions(workspace) == 0


def test_a_workspace_made_before_tracks_gains_the_tables_and_keeps_its_batches(tmp_path: Path) -> None:
    store = open_workspace(tmp_path / "ws")
    store.add_batch("notes.csv", {"events": [{"id": "e-x", "date": "2024-12-20", "title": "t", "description": "d",
                                              "category": "other", "sources": "file:notes.csv",
                                              "confidence": "low"}]})
    store.close()
    with sqlite3.connect(tmp_path / "ws" / "workspace.gpkg") as db:  # as schema 1 left it
        db.execute("DROP TABLE track_positions")
        db.execute("DROP TABLE track_batches")
        db.execute("DROP TABLE track_legs")
        db.execute("DROP TABLE aircraft")
        db.execute("DELETE FROM gpkg_contents WHERE table_name IN ('track_positions', 'track_batches', 'track_legs', "
                   "'aircraft')")
        db.execute("DELETE FROM gpkg_geometry_columns WHERE table_name = 'track_positions'")
    store = open_workspace(tmp_path / "ws", create=False)
    assert [b.file_name for b in store.list_batches()] == ["notes.csv"]
    assert store.read_positions().empty
    store.close()


def test_a_watchlist_row_names_the_aircraft_of_a_track(tmp_path: Path, capsys) -> None:
    watchlist = tmp_path / "watch.csv"
    watchlist.write_text("icao24,registration,type,operator,note,source,confidence\n"
                         "abc123,RA-00001,IL76,Test operator,constructed,,medium\n", encoding="utf-8")
    code, out, _ = run(capsys, "import", str(watchlist), "--workspace", str(tmp_path / "ws"))
    assert code == 0 and "1 aircraft" in out
    doc = build_hmeimim_al_khadim_trace()
    doc.update(icao="abc123", r=None, t=None)
    run(capsys, "import", str(write_trace(tmp_path, doc)), "--kind", "track", "--workspace", str(tmp_path / "ws"))
    code, out, _ = run(capsys, "geojson", "--as-of", "2024-12-26", "--workspace", str(tmp_path / "ws"))
    track = next(f for f in json.loads(out)["features"] if f["properties"]["layer"] == "track")
    assert track["properties"]["registration"] == "RA-00001"


def test_a_watchlist_row_for_an_aircraft_already_listed_is_refused(tmp_path: Path, capsys) -> None:
    watchlist = tmp_path / "watch.csv"
    watchlist.write_text("icao24,registration,type,operator,note,source,confidence\n"
                         "154076,RA-82038,A124,,,,low\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(watchlist), "--workspace", str(tmp_path / "ws"))
    assert code == 1 and "field 'icao24': the watchlist already has this aircraft" in err


def test_the_shipped_watchlist_names_the_four_aircraft_with_their_tar1090_db_source() -> None:
    table = pd.read_csv(Path(__file__).parents[1] / "data" / "aircraft.csv", dtype=str)
    assert dict(zip(table["icao24"], table["registration"], strict=True)) == {
        "152c29": "RA-76841", "152c2d": "RA-76845", "154076": "RA-82038", "778684": "YK-ATD"}
    assert table["source"].str.contains("tar1090-db").all()


def test_opensky_flight_legs_become_flight_records_with_the_estimates(tmp_path: Path, workspace: str, capsys) -> None:
    answer = tmp_path / "flights.json"
    answer.write_text(json.dumps([
        {"icao24": "154076", "firstSeen": 1735232520, "estDepartureAirport": "OSLK", "lastSeen": 1735240680,
         "estArrivalAirport": "HL59", "callsign": "RFF8038 "},
        {"icao24": "152c29", "firstSeen": 1735300000, "estDepartureAirport": None, "lastSeen": 1735310000,
         "estArrivalAirport": "HLLB", "callsign": ""},
    ]), encoding="utf-8")
    code, out, _ = run(capsys, "import", str(answer), "--workspace", workspace)
    assert code == 0 and "imported 2 flight legs as batch b0001" in out
    code, out, _ = run(capsys, "geojson", "--as-of", "2024-12-27", "--workspace", workspace)
    flights = {f["id"]: f["properties"] for f in json.loads(out)["features"] if f["properties"]["layer"] == "flight"}
    first = flights["leg-154076-20241226t170200"]
    assert (first["origin"], first["destination"]) == ("hmeimim", "al_khadim")
    assert first["registration"] == "RA-82038"
    second = flights["leg-152c29-20241227t114640"]
    assert second["origin"] is None and second["destination"] == "benina"
    assert "OpenSky's estimate (estDepartureAirport null)" in second["notes"]
    assert not [f for f in json.loads(out)["features"] if f["properties"]["layer"] == "track"]
