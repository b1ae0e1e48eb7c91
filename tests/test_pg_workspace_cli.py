"""A team's PostGIS workspace from the command line: every command, credentials, concurrency, copy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from layers import cli
from layers.store import open_workspace
from layers.workspace_copy import read_track_formats
from tests.conftest import CommandResult
from tests.export_cases import MINI
from tests.pg_server import EDITOR, VIEWER, PgServer
from tests.track_samples import build_hmeimim_al_khadim_trace, build_opensky_state_vectors, write_trace

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "docs" / "samples"
CONCURRENT_POSITIONS = 100_000


def run(run_main, *argv: str) -> CommandResult:
    return run_main(cli.main, *argv)


def test_every_command_takes_a_postgis_url(pg_server: PgServer, run_main, tmp_path: Path) -> None:
    url = pg_server.url(pg_server.create_database())
    result = run(run_main, "import", str(SAMPLES / "sites.csv"), "--data", str(MINI), "--workspace", url)
    assert result.returncode == 0, result.stderr
    assert "as batch b0001 into postgresql://postgres@/" in result.stdout
    assert f"(undo: python -m layers undo b0001 --workspace {url})" in result.stdout
    assert "sites.csv  sites  2 rows  by postgres" in run(run_main, "imports", "--workspace", url).stdout
    result = run(run_main, "validate", "--data", str(MINI), "--workspace", url)
    assert result.returncode == 0 and f"with workspace {url} is valid" in result.stdout
    result = run(run_main, "geojson", "--as-of", "2026-01-27", "--window-days", "cumulative", "--data", str(MINI),
                 "--workspace", url)
    assert "batch b0001 (sites.csv)" in {f["properties"]["provenance"] for f in json.loads(result.stdout)["features"]}
    from dashboard.export import cli as export_cli

    out = tmp_path / "x.geojson"
    assert run_main(export_cli.main, "--as-of", "2026-01-27", "--format", "geojson", "--out", str(out), "--data",
                    str(MINI), "--workspace", url).returncode == 0
    assert "batch b0001 (sites.csv)" in {f["properties"]["provenance"]
                                         for f in json.loads(out.read_text())["features"]}
    result = run(run_main, "undo", "b0001", "--workspace", url)
    assert result.returncode == 0 and "removed batch b0001 (sites.csv, 2 rows)" in result.stdout
    assert "no batches in postgresql://" in run(run_main, "imports", "--workspace", url).stdout


def test_airbridge_workspace_may_name_the_database(pg_server: PgServer, run_main, monkeypatch) -> None:
    url = pg_server.url(pg_server.create_database())
    monkeypatch.setenv("AIRBRIDGE_WORKSPACE", url)
    assert run(run_main, "import", str(SAMPLES / "events.csv"), "--data", str(MINI)).returncode == 0
    assert "events.csv  events" in run(run_main, "imports").stdout
    store = open_workspace(None)
    assert [b.file_name for b in store.list_batches()] == ["events.csv"]
    store.close()


def test_the_command_line_never_prints_the_password(team_logins: PgServer, team_database: str, run_main) -> None:
    url = team_logins.url(team_database, *EDITOR)
    results = [run(run_main, "import", str(SAMPLES / "sites.csv"), "--data", str(MINI), "--workspace", url),
               run(run_main, "imports", "--workspace", url), run(run_main, "undo", "b0099", "--workspace", url),
               run(run_main, "validate", "--data", str(MINI), "--workspace", url)]
    assert [r.returncode for r in results] == [0, 0, 1, 0]
    assert "by ana_editor" in results[1].stdout
    for result in results:
        assert EDITOR[1] not in result.stdout + result.stderr


@pytest.mark.parametrize(("where", "expected"), [
    ("wrong password", "wrong password for postgresql://ana_editor@127.0.0.1:"),
    ("no server", "cannot reach the PostgreSQL server of postgresql://ana_editor@127.0.0.1:1/"),
    ("no postgis", "the PostGIS extension is missing in database "),
])
def test_a_failed_connection_is_one_line_naming_the_cause(team_logins: PgServer, run_main, monkeypatch, where: str,
                                                          expected: str) -> None:
    monkeypatch.setenv("PGPASSWORD", "nope" if where == "wrong password" else EDITOR[1])
    url = {"wrong password": team_logins.tcp_url("postgres", EDITOR[0]),
           "no server": f"postgresql://{EDITOR[0]}@127.0.0.1:1/cell",
           "no postgis": team_logins.tcp_url(team_logins.create_database(postgis=False), EDITOR[0])}[where]
    result = run(run_main, "imports", "--workspace", url)
    assert result.returncode == 1
    assert result.stderr.startswith(expected) and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_a_viewer_import_is_refused_by_the_database_in_one_line(team_logins: PgServer, team_database: str, run_main,
                                                                monkeypatch) -> None:
    monkeypatch.setenv("PGPASSWORD", VIEWER[1])
    url = team_logins.url(team_database, VIEWER[0])
    result = run(run_main, "import", str(SAMPLES / "sites.csv"), "--data", str(MINI), "--workspace", url)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith("read-only: vic_viewer may not import in postgresql://vic_viewer@")
    assert "no batches" in run(run_main, "imports", "--workspace", url).stdout


def test_two_imports_of_100000_positions_at_once_both_land_and_undo_one_leaves_the_other(
        team_logins: PgServer, team_database: str, tmp_path: Path) -> None:
    files = []
    for seed in (1, 2):
        path = tmp_path / f"states_{seed}.parquet"
        pd.DataFrame(build_opensky_state_vectors(CONCURRENT_POSITIONS, aircraft=10, seed=seed)).to_parquet(path)
        files.append(path)
    url = team_logins.url(team_database, EDITOR[0])
    env = {**os.environ, "PGPASSWORD": EDITOR[1]}
    started = time.monotonic()
    children = [subprocess.Popen([sys.executable, "-m", "layers", "import", str(path), "--kind", "track",
                                  "--workspace", url], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for path in files]
    outputs = [child.communicate(timeout=300) for child in children]
    assert [child.returncode for child in children] == [0, 0], [err for _, err in outputs]
    assert all(f"imported {CONCURRENT_POSITIONS:,} positions as batch" in out for out, _ in outputs)
    elapsed = time.monotonic() - started
    store = open_workspace(url.replace(EDITOR[0], "postgres"))
    batches = store.list_batches()
    assert sorted(b.file_name for b in batches) == ["states_1.parquet", "states_2.parquet"]
    assert [b.rows for b in batches] == [CONCURRENT_POSITIONS] * 2 and {b.imported_by for b in batches} == {
        "ana_editor"}
    per_batch = store.read_positions().groupby("batch_id").size().to_dict()
    assert per_batch == {b.id: CONCURRENT_POSITIONS for b in batches}
    first, second = batches  # noqa: RUF059 (second is read by the query string)
    kept = store.read_positions().query("batch_id == @second.id").reset_index(drop=True)
    store.remove_batch(first.id)
    assert store.read_positions().drop(columns="batch_id").equals(kept.drop(columns="batch_id"))
    store.close()
    assert elapsed < 300


def build_gpkg_workspace(folder: Path, run_main) -> Path:
    """A GeoPackage workspace with rows of two kinds, a track, flight legs, and a gap in the batch numbers."""
    workspace = folder / "gpkg"
    trace = write_trace(folder, build_hmeimim_al_khadim_trace())
    legs = folder / "flights.json"
    legs.write_text(json.dumps([{"icao24": "154076", "firstSeen": 1735232520, "estDepartureAirport": "OSLK",
                                 "lastSeen": 1735240680, "estArrivalAirport": "HL59", "callsign": "RFF8038"}]))
    for path in (SAMPLES / "sites.csv", SAMPLES / "placemarks.kml", SAMPLES / "events.csv", trace, legs):
        assert run(run_main, "import", str(path), "--data", str(MINI), "--workspace", str(workspace)).returncode == 0
    assert run(run_main, "undo", "b0002", "--workspace", str(workspace)).returncode == 0
    return workspace


def read_everything(location: str) -> dict[str, object]:
    store = open_workspace(location, create=False)
    try:
        rows = {kind: [(r.batch.id, r.number, dict(r.cells)) for r in stored]
                for kind, stored in store.read_rows().items()}
        return {"batches": store.list_batches(), "rows": rows, "positions": store.read_positions(),
                "legs": store.read_legs(), "simplified": store.list_simplified_batches(),
                "formats": read_track_formats(store)}
    finally:
        store.close()


def test_workspace_copy_round_trips_geopackage_to_postgis_and_back(pg_server: PgServer, run_main,
                                                                   tmp_path: Path) -> None:
    source = build_gpkg_workspace(tmp_path, run_main)
    url = pg_server.url(pg_server.create_database())
    back = tmp_path / "back"
    to_pg = run(run_main, "workspace", "copy", str(source), url)
    assert to_pg.returncode == 0 and to_pg.stdout.startswith("copied 4 batches (")
    assert run(run_main, "workspace", "copy", url, str(back)).returncode == 0
    original, in_pg, again = (read_everything(str(source)), read_everything(url), read_everything(str(back)))
    assert [b.id for b in original["batches"]] == ["b0001", "b0003", "b0004", "b0005"]  # type: ignore[attr-defined]
    for copied in (in_pg, again):
        for key in ("batches", "rows", "simplified", "formats"):
            assert copied[key] == original[key], key
        pd.testing.assert_frame_equal(copied["positions"], original["positions"])  # type: ignore[arg-type]
        pd.testing.assert_frame_equal(copied["legs"], original["legs"])  # type: ignore[arg-type]
    assert len(in_pg["positions"]) == 201 and len(in_pg["legs"]) == 1  # type: ignore[arg-type]
    result = run(run_main, "import", str(SAMPLES / "airstrips.geojson"), "--data", str(MINI), "--workspace", url)
    assert "as batch b0006" in result.stdout, "numbering goes on after the copied batches"
    refused = run(run_main, "workspace", "copy", str(source), url)
    assert refused.returncode == 1 and "already holds 5 batches: copy into a new, empty workspace" in refused.stderr
