"""An imported status row names its actor too: read, stored on both backends, and counted as Russian presence.

One status spec (``layers.schema.SITE_STATUS``) serves the shipped file and imports: ``actor``
is optional in it, so a file (or a workspace) from before the column still reads, and
validation requires it on shipped rows only.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import psycopg
import pytest

from layers import DataValidationError, TimeSelection, gpkg_store, load_dataset, pg_schema
from layers.features import build_site_layer
from layers.readers import read_import
from layers.schema import SITE_STATUS
from layers.store import open_workspace
from layers.workspace import apply_defaults, load_workspace_dataset, plan_import, write_import
from tests.conftest import MINI_DATA
from tests.pg_server import PgServer

OLD_HEADER = ",".join(c for c in SITE_STATUS.columns if c != "actor")
ROW = {"site_id": "benina", "date": "2024-12-01", "status": "active", "note": "Il-76 seen on the apron",
       "conflict": "", "sources": "https://example.org/benina (My notes, 2024-12-01)", "confidence": "medium"}


def write_statuses(folder: Path, *, actor: str | None) -> Path:
    """A status file as an analyst writes it: with an ``actor`` column, or as before it existed (None)."""
    columns = list(SITE_STATUS.columns) if actor is not None else OLD_HEADER.split(",")
    cells = ROW | ({"actor": actor} if actor is not None else {})
    path = folder / "statuses.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([columns, [cells[c] for c in columns]])
    return path


def import_statuses(workspace: str, path: Path) -> None:
    store = open_workspace(workspace)
    try:
        plan = plan_import(apply_defaults(read_import(path, "statuses")), store, data_dir=MINI_DATA)
        assert not plan.refused, plan.problems
        write_import(plan, store)
    finally:
        store.close()


def benina_on(workspace: str, day: dt.date = dt.date(2024, 12, 2)) -> dict:
    sites = build_site_layer(load_workspace_dataset(MINI_DATA, workspace), TimeSelection(day))
    return sites[sites["id"] == "benina"].iloc[0].to_dict()


def test_an_imported_status_of_a_russian_actor_counts_as_russian_presence(workspace: str, tmp_path: Path) -> None:
    import_statuses(workspace, write_statuses(tmp_path, actor="russia"))
    benina = benina_on(workspace)
    assert (benina["status"], benina["status_actor"], benina["russian_presence"]) == ("active", "russia", True)
    store = open_workspace(workspace, create=False)
    (row,) = store.read_rows()["statuses"]
    store.close()
    assert row.cells["actor"] == "russia"


def test_an_imported_status_without_actor_imports_and_is_not_russian_presence(workspace: str,
                                                                               tmp_path: Path) -> None:
    import_statuses(workspace, write_statuses(tmp_path, actor=None))
    benina = benina_on(workspace)
    assert (benina["status"], benina["status_actor"], benina["russian_presence"]) == ("active", None, False)


def test_an_imported_status_of_another_actor_is_not_russian_presence(workspace: str, tmp_path: Path) -> None:
    import_statuses(workspace, write_statuses(tmp_path, actor="uae"))
    assert (benina_on(workspace)["status_actor"], benina_on(workspace)["russian_presence"]) == ("uae", False)


def test_a_status_file_without_actor_is_guessed_as_statuses(tmp_path: Path) -> None:
    imported = read_import(write_statuses(tmp_path, actor=None))
    assert imported.problems == () and imported.guessed_kind == "statuses"
    (row,) = imported.rows
    assert tuple(row.cells) == SITE_STATUS.columns and row.cells["actor"] == ""


def test_an_unknown_actor_in_an_import_is_refused(tmp_path: Path) -> None:
    store = open_workspace(tmp_path / "ws")
    plan = plan_import(apply_defaults(read_import(write_statuses(tmp_path, actor="wagner"))), store,
                       data_dir=MINI_DATA)
    store.close()
    assert plan.refused and [(p.field, p.message) for p in plan.problems] == [("actor", "not an allowed value")]


def test_a_status_header_missing_another_column_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "statuses.csv"
    path.write_text(OLD_HEADER.replace("note,", "") + "\nbenina,2024-12-01,active,,https://example.org/x,low\n",
                    encoding="utf-8")
    (problem,) = read_import(path, "statuses").problems
    assert "missing columns ['note']" in problem.message and "actor may be left out" in problem.hint


def test_a_shipped_status_row_without_actor_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(MINI_DATA, folder)
    path = folder / "site_status.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "benina,2024-12-01,active,,Seen,,https://twz.com/x (The War Zone 2016),high\n",
                    encoding="utf-8")
    with pytest.raises(DataValidationError) as caught:
        load_dataset(folder)
    line = len(text.splitlines()) + 1
    assert [(p.line, p.field) for p in caught.value.problems] == [(line, "actor")]
    assert "every shipped status row names its actor" in str(caught.value.problems[0])


def test_a_geopackage_workspace_made_before_actor_gains_the_column_and_keeps_its_rows(tmp_path: Path) -> None:
    store = open_workspace(tmp_path / "ws")
    store.add_batch("old.csv", {"statuses": [ROW]})
    store.close()
    with sqlite3.connect(tmp_path / "ws" / "workspace.gpkg") as db:  # as schema 2 left it
        db.execute("ALTER TABLE site_statuses DROP COLUMN actor")
        db.execute("UPDATE airbridge_meta SET value = '2' WHERE key = 'schema_version'")
    store = open_workspace(tmp_path / "ws", create=False)
    (row,) = store.read_rows()["statuses"]
    store.add_batch("new.csv", {"statuses": [ROW | {"date": "2024-12-03", "actor": "russia"}]})
    store.close()
    assert row.cells["actor"] == "" and row.cells["note"] == ROW["note"]
    with sqlite3.connect(tmp_path / "ws" / "workspace.gpkg") as db:
        assert "actor" in {r[1] for r in db.execute("PRAGMA table_info(site_statuses)")}
        assert db.execute("SELECT value FROM airbridge_meta WHERE key = 'schema_version'").fetchone() == ("3",)
    assert benina_on(str(tmp_path / "ws"), dt.date(2024, 12, 4))["russian_presence"]


def test_a_geopackage_this_user_may_not_write_is_read_as_it_is(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_workspace(tmp_path / "ws")
    store.add_batch("old.csv", {"statuses": [ROW]})
    store.close()
    path = tmp_path / "ws" / "workspace.gpkg"
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE site_statuses DROP COLUMN actor")
    before = path.read_bytes()
    # As for a file another user owns (a test run as root may write any file, so say it may not).
    monkeypatch.setattr(gpkg_store.os, "access", lambda *_: False)
    store = open_workspace(tmp_path / "ws", create=False)
    (row,) = store.read_rows()["statuses"]
    store.close()
    assert row.cells["actor"] == "" and row.cells["note"] == ROW["note"]
    assert path.read_bytes() == before, "nothing was written"


def test_a_postgis_workspace_at_schema_3_gains_actor_and_keeps_its_status_rows(pg_server: PgServer) -> None:
    database = pg_server.create_database()
    with psycopg.connect(pg_server.url(database), autocommit=True) as connection:
        assert pg_schema.prepare_workspace(connection, "test", create=True, upto=3) == 3
        connection.execute("INSERT INTO airbridge.import_batches VALUES (1, 'b0001', now(), 'old.csv', 'statuses', "
                           "1, '', '', 'ana')")
        connection.execute("INSERT INTO airbridge.site_statuses (batch_id, batch_row, site_id, date, status, note, "
                           "sources, confidence) VALUES ('b0001', 1, 'benina', '2024-12-01', 'active', 'seen', "
                           "'https://example.org/x (Notes, 2024-12-01)', 'low')")
        connection.execute("SELECT setval('airbridge.import_batch_numbers', 1)")
    store = open_workspace(pg_server.url(database), create=False)
    (row,) = store.read_rows()["statuses"]
    store.add_batch("new.csv", {"statuses": [ROW | {"date": "2024-12-03", "actor": "russia"}]})
    store.close()
    assert row.cells["actor"] == ""
    assert not benina_on(pg_server.url(database), dt.date(2024, 12, 2))["russian_presence"]
    assert benina_on(pg_server.url(database), dt.date(2024, 12, 4))["russian_presence"]
