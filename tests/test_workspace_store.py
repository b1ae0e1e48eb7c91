"""The workspace store: batches written in one transaction, undone whole, read back as the shipped schema.

The behaviour every backend shares runs on both (the ``workspace`` fixture: a GeoPackage
folder, then a PostGIS database on a throwaway server, see ``tests/pg_server.py``); the
GeoPackage's own file-level guarantees follow, and ``tests/test_pg_store.py`` has the
PostGIS counterparts (a dropped connection, roles, partitions).
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import pytest

from layers.readers import ImportedFile, ImportedRow
from layers.schema import SITE_STATUS, SITES
from layers.store import WorkspaceError, is_database_location, open_workspace
from layers.workspace import apply_defaults, list_workspace_rows, load_workspace_dataset, plan_import, write_import
from tests.export_cases import MINI

ROOT = Path(__file__).resolve().parent.parent


def site_cells(site_id: str = "test_strip", **changes: str) -> dict[str, str]:
    cells = dict.fromkeys(SITES.columns, "")
    cells.update(id=site_id, name="Test strip", kind="air_base", group="libya", country="LY", lat="31.10000",
                 lon="20.20000", coord_source="notes.csv row 1", role="strip seen on imagery",
                 sources="https://example.org/x (Example, 2025-01-01)", confidence="medium")
    cells.update(changes)
    return cells


def status_cells(site_id: str, **changes: str) -> dict[str, str]:
    cells = dict.fromkeys(SITE_STATUS.columns, "")
    cells.update(site_id=site_id, date="2025-01-02", status="reported", note="aircraft seen",
                 sources="https://example.org/y (Example, 2025-01-02)", confidence="low")
    cells.update(changes)
    return cells


def imported(path: Path, *rows: tuple[str, dict[str, str]]) -> ImportedFile:
    return ImportedFile(path, tuple(ImportedRow(kind, n, f"line {n}", cells) for n, (kind, cells) in
                                    enumerate(rows, start=2)))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(location: str) -> object:
    """Everything a workspace holds: the file's bytes (GeoPackage), else every batch, row, position and leg."""
    if not is_database_location(location):
        return digest(Path(location) / "workspace.gpkg")
    store = open_workspace(location, create=False)
    try:
        return (store.list_batches(), store.read_rows(), store.read_positions().to_dict("list"),
                store.read_legs().to_dict("list"), store.list_simplified_batches())
    finally:
        store.close()


def test_a_batch_is_stored_listed_and_read_back_as_text_cells(workspace: str) -> None:
    store = open_workspace(workspace)
    batch = store.add_batch("notes.csv", {"sites": [site_cells()]}, source="my notes")
    assert [b.id for b in store.list_batches()] == [batch.id] == ["b0001"]
    (row,) = store.read_rows()["sites"]
    assert row.cells == site_cells() | {"lat": "31.1", "lon": "20.2"}
    assert (row.batch.file_name, row.number, row.batch.source) == ("notes.csv", 1, "my notes")


def test_the_workspace_is_a_geopackage_qgis_and_gdal_open(tmp_path: Path) -> None:
    store = open_workspace(tmp_path)
    store.add_batch("notes.csv", {"sites": [site_cells()], "statuses": [status_cells("test_strip")]})
    store.close()
    sites = gpd.read_file(tmp_path / "workspace.gpkg", layer="sites")
    assert sites.crs.to_epsg() == 4326
    assert (sites.loc[0, "name"], round(sites.geometry[0].x, 5), round(sites.geometry[0].y, 5)) == (
        "Test strip", 20.2, 31.1)
    assert gpd.read_file(tmp_path / "workspace.gpkg", layer="site_statuses").loc[0, "status"] == "reported"


def test_undo_removes_one_batch_and_leaves_the_others(workspace: str) -> None:
    store = open_workspace(workspace)
    first = store.add_batch("a.csv", {"sites": [site_cells("a_strip")]})
    second = store.add_batch("b.csv", {"sites": [site_cells("b_strip")]})
    assert store.remove_batch(first.id).file_name == "a.csv"
    assert [b.id for b in store.list_batches()] == [second.id]
    assert [r.cells["id"] for r in store.read_rows()["sites"]] == ["b_strip"]


def test_batch_numbers_are_never_reused_after_an_undo(workspace: str) -> None:
    store = open_workspace(workspace)
    store.remove_batch(store.add_batch("a.csv", {"sites": [site_cells()]}).id)
    assert store.add_batch("b.csv", {"sites": [site_cells()]}).id == "b0002"


def test_undo_of_an_unknown_batch_changes_nothing(workspace: str) -> None:
    store = open_workspace(workspace)
    store.add_batch("a.csv", {"sites": [site_cells()]})
    store.close()
    before = snapshot(workspace)
    reopened = open_workspace(workspace)
    with pytest.raises(WorkspaceError, match=r"no batch 'b0099'.*batches: b0001"):
        reopened.remove_batch("b0099")
    reopened.close()
    assert snapshot(workspace) == before


def test_a_failed_write_leaves_the_workspace_as_it_was(workspace: str) -> None:
    store = open_workspace(workspace)
    store.add_batch("a.csv", {"sites": [site_cells()]})
    before = snapshot(workspace)
    with pytest.raises(ValueError, match="could not convert"):
        store.add_batch("b.csv", {"sites": [site_cells("ok_strip"), site_cells("bad_strip", lat="north")]})
    store.close()
    assert snapshot(workspace) == before


def start_write_and_pause(workspace: Path, write: str, *, every: int, pause_at: int) -> subprocess.Popen[str]:
    """Start a child that runs ``write`` on the store, pausing mid-transaction; return it once paused.

    The child's page cache is tiny, so changed pages reach the file before the commit;
    SQLite's progress hook (every ``every`` instructions) pauses it at call ``pause_at``
    with the transaction open, ready to be killed.
    """
    code = (
        "import sys, time; sys.path.insert(0, sys.argv[2])\n"
        "from layers.store import open_workspace\n"
        "from tests.test_workspace_store import site_cells\n"
        "store = open_workspace(sys.argv[1])\n"
        "store.connection.execute('PRAGMA cache_size = 5')\n"
        "calls = []\n"
        "def report():\n"
        "    calls.append(1)\n"
        f"    if len(calls) == {pause_at}:\n"
        "        print('paused', flush=True); time.sleep(60)\n"
        "    return 0\n"
        f"store.connection.set_progress_handler(report, {every})\n"
        f"{write}\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code, str(workspace), str(ROOT)], stdout=subprocess.PIPE,
                             text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "paused", "the write finished before it could be interrupted"
    return child


def kill(child: subprocess.Popen[str]) -> None:
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)


def test_a_killed_import_leaves_the_workspace_byte_for_byte_as_before(tmp_path: Path) -> None:
    store = open_workspace(tmp_path)
    store.add_batch("a.csv", {"sites": [site_cells()]})
    store.close()
    path = tmp_path / "workspace.gpkg"
    before = digest(path)
    child = start_write_and_pause(
        tmp_path, "store.add_batch('big.csv', {'sites': [site_cells(f's{i:06d}') for i in range(50_000)]})",
        every=1000, pause_at=2000)
    assert digest(path) != before, "the file already holds part of the batch when the process dies"
    assert (tmp_path / "workspace.gpkg-journal").exists(), "the batch is half written when the process dies"
    kill(child)
    reopened = open_workspace(tmp_path)  # SQLite rolls the hot journal back on open
    assert [b.id for b in reopened.list_batches()] == ["b0001"]
    reopened.close()
    assert digest(path) == before


def test_a_second_writer_waits_and_then_lands(tmp_path: Path) -> None:
    open_workspace(tmp_path).close()
    holder = sqlite3.connect(tmp_path / "workspace.gpkg", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    code = ("import sys; sys.path.insert(0, sys.argv[2])\n"
            "from layers.store import open_workspace\n"
            "from tests.test_workspace_store import site_cells\n"
            "print(open_workspace(sys.argv[1]).add_batch('b.csv', {'sites': [site_cells()]}).id)")
    child = subprocess.Popen([sys.executable, "-c", code, str(tmp_path), str(ROOT)], stdout=subprocess.PIPE,
                             text=True)
    time.sleep(0.5)  # the writer is now waiting on the lock (proving a wait needs some time to pass)
    holder.execute("COMMIT")
    out, _ = child.communicate(timeout=30)
    assert out.strip() == "b0001"
    assert time.monotonic() - started >= 0.5


def test_reading_a_missing_workspace_says_how_to_make_one(workspace: str) -> None:
    with pytest.raises(WorkspaceError, match=r"no workspace at .*python -m layers import FILE"):
        open_workspace(workspace, create=False)


def test_a_file_that_is_not_a_workspace_is_refused(tmp_path: Path) -> None:
    (tmp_path / "workspace.gpkg").write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(WorkspaceError, match="not a readable Airbridge workspace"):
        open_workspace(tmp_path)


def test_workspace_rows_join_the_shipped_data_with_their_provenance(workspace: str) -> None:
    store = open_workspace(workspace)
    store.add_batch("notes.csv", {"sites": [site_cells()], "statuses": [status_cells("hmeimim")]})
    store.close()
    dataset = load_workspace_dataset(MINI, workspace)
    assert dataset.sites.loc["test_strip", "provenance"] == "batch b0001 (notes.csv)"
    assert dataset.sites.loc["hmeimim", "provenance"] == "shipped"
    added = dataset.site_status[dataset.site_status["provenance"] != "shipped"]
    assert list(added["site_id"]) == ["hmeimim"], "a workspace may add statuses to a shipped site"


def test_an_import_that_reuses_a_shipped_id_is_refused_not_an_overwrite(workspace: str, tmp_path: Path) -> None:
    store = open_workspace(workspace)
    plan = plan_import(imported(tmp_path / "clash.csv", ("sites", site_cells("hmeimim"))), store, data_dir=MINI)
    assert plan.refused
    assert any("duplicate id" in str(p) and "clash.csv:2" in str(p) for p in plan.problems)
    assert store.list_batches() == []


def test_one_bad_row_refuses_the_file_unless_keep_valid(workspace: str, tmp_path: Path) -> None:
    store = open_workspace(workspace)
    file = imported(tmp_path / "mixed.csv", ("sites", site_cells("good_strip")),
                    ("sites", site_cells("bad_strip", country="Libya")))
    refused = plan_import(file, store, data_dir=MINI)
    assert refused.refused and "mixed.csv:3: field 'country'" in str(refused.problems[0])
    kept = plan_import(file, store, data_dir=MINI, keep_valid=True)
    assert not kept.refused and [r.cells["id"] for r in kept.accepted] == ["good_strip"]
    batch = write_import(kept, store)
    assert batch.rows == 1


def test_rows_that_refer_to_a_left_out_row_are_left_out_too(workspace: str, tmp_path: Path) -> None:
    store = open_workspace(workspace)
    file = imported(tmp_path / "chain.csv", ("sites", site_cells("bad_strip", country="Libya")),
                    ("statuses", status_cells("bad_strip")), ("sites", site_cells("good_strip")))
    kept = plan_import(file, store, data_dir=MINI, keep_valid=True)
    assert [r.cells.get("id") or r.cells["site_id"] for r in kept.accepted] == ["good_strip"]


def test_missing_source_and_confidence_take_the_documented_defaults(workspace: str, tmp_path: Path) -> None:
    file = apply_defaults(imported(tmp_path / "notes.csv", ("sites", site_cells(sources="", confidence=""))),
                          source="my notebook")
    assert file.rows[0].cells["sources"] == "file:notes.csv (my notebook)"
    assert file.rows[0].cells["confidence"] == "low"
    store = open_workspace(workspace)
    assert not plan_import(file, store, data_dir=MINI).refused


def test_stored_rows_name_their_batch_in_problems(workspace: str) -> None:
    store = open_workspace(workspace)
    store.add_batch("notes.csv", {"statuses": [status_cells("no_such_site")]})
    rows = list_workspace_rows(store)
    where = "workspace.gpkg" if not is_database_location(workspace) else store.location.split("://", 1)[1]
    assert str(rows[0].file).endswith(f"{where} batch b0001 (notes.csv)")
    with pytest.raises(Exception, match=r"batch b0001 \(notes.csv\):1: field 'site_id': no such id"):
        load_workspace_dataset(MINI, workspace)


def test_a_killed_undo_leaves_the_workspace_byte_for_byte_as_before(tmp_path: Path) -> None:
    store = open_workspace(tmp_path)
    store.add_batch("big.csv", {"sites": [site_cells(f"s{i:06d}") for i in range(20_000)]})
    store.close()
    path = tmp_path / "workspace.gpkg"
    before = digest(path)
    child = start_write_and_pause(tmp_path, "store.remove_batch('b0001')", every=100, pause_at=500)
    assert digest(path) != before, "the file already lacks part of the batch when the process dies"
    kill(child)
    reopened = open_workspace(tmp_path)
    assert [b.id for b in reopened.list_batches()] == ["b0001"]
    assert len(reopened.read_rows()["sites"]) == 20_000
    reopened.close()
    assert digest(path) == before
