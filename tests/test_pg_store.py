"""The PostGIS workspace's own guarantees, on a real server: schema, faults, roles, credentials, migrations.

The behaviour both backends share is tested on both in ``tests/test_workspace_store.py``;
this file has what only a database server has (a connection that drops, roles, a password,
partitions, migrations).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pandas as pd
import psycopg
import pytest

from layers import pg_schema
from layers.gpkg_positions import STORED_COLUMNS
from layers.gpkg_store import TABLES
from layers.pg_store import PostGISStore
from layers.store import WorkspaceError, open_workspace
from layers.tracks.importing import plan_track_import
from tests.pg_server import EDITOR, VIEWER, PgServer
from tests.test_workspace_store import site_cells
from tests.track_samples import build_hmeimim_al_khadim_trace, write_trace

WAIT_S = 20.0


def sample_positions(tmp_path: Path, copies: int = 1) -> pd.DataFrame:
    positions = plan_track_import(write_trace(tmp_path, build_hmeimim_al_khadim_trace())).track.positions
    return pd.concat([positions] * copies, ignore_index=True)


def count(server: PgServer, database: str, table: str) -> int:
    return int(server.admin_sql(f"SELECT count(*) FROM airbridge.{table}", database)[0][0])


def test_the_tables_hold_the_shipped_schemas_columns(pg_server: PgServer) -> None:
    database = pg_server.create_database()
    open_workspace(pg_server.url(database)).close()
    rows = pg_server.admin_sql("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = "
                               "'airbridge' ORDER BY table_name, ordinal_position", database)
    columns: dict[str, list[str]] = {}
    for table, column in rows:
        columns.setdefault(table, []).append(column)
    for table, spec in TABLES.values():  # in any order: a later migration adds its column at the end
        assert sorted(c for c in columns[table] if c not in {"fid", "batch_id", "batch_row", "geom"}) == sorted(
            spec.columns)
    assert columns["track_positions"] == ["batch_id", "batch_row", *STORED_COLUMNS, "geom"]


def test_geometries_are_points_in_4326_with_spatial_indexes_and_positions_by_month(pg_server: PgServer,
                                                                                   tmp_path: Path) -> None:
    database = pg_server.create_database()
    store = open_workspace(pg_server.url(database))
    store.add_batch("notes.csv", {"sites": [site_cells()]})
    late = sample_positions(tmp_path)
    late["time"] = late["time"] + pd.Timedelta(days=10)  # 2025-01-05: a second month
    store.add_track_batch("t.json", pd.concat([sample_positions(tmp_path), late], ignore_index=True),
                          track_format="readsb trace_full")
    store.close()
    geometry = pg_server.admin_sql("SELECT f_table_name, type, srid FROM geometry_columns WHERE f_table_schema = "
                                   "'airbridge' ORDER BY 1", database)
    assert {name for name, _, _ in geometry} == {"sites", "track_positions", "track_positions_2024_12",
                                                 "track_positions_2025_01"}
    assert {(kind, srid) for _, kind, srid in geometry} == {("POINT", 4326)}
    assert pg_server.admin_sql("SELECT ST_AsText(geom) FROM airbridge.sites", database) == [("POINT(20.2 31.1)",)]
    gist = {row[0] for row in pg_server.admin_sql("SELECT tablename FROM pg_indexes WHERE schemaname = 'airbridge' "
                                                  "AND indexdef LIKE '%USING gist%'", database)}
    assert {"sites", "track_positions"} <= gist
    months = pg_server.admin_sql("SELECT c.relname, (SELECT count(*) FROM airbridge.track_positions p WHERE "
                                 "p.tableoid = c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                                 "WHERE i.inhparent = 'airbridge.track_positions'::regclass ORDER BY 1", database)
    assert months == [("track_positions_2024_12", 201), ("track_positions_2025_01", 201)]


def test_a_connection_dropped_mid_import_leaves_the_workspace_as_it_was(pg_server: PgServer, tmp_path: Path) -> None:
    database = pg_server.create_database()
    store = open_workspace(pg_server.url(database))
    assert isinstance(store, PostGISStore)
    store.add_batch("a.csv", {"sites": [site_cells()]})
    pid = store.connection.info.backend_pid
    seen: list[tuple[int, str]] = []

    def drop_the_connection(done: int, total: int) -> None:
        state = pg_server.admin_sql(f"SELECT state FROM pg_stat_activity WHERE pid = {pid}")[0][0]
        seen.append((done, state))
        pg_server.admin_sql(f"SELECT pg_terminate_backend({pid})")

    positions = sample_positions(tmp_path, copies=600)  # 120,600 positions: three COPY chunks
    with pytest.raises(WorkspaceError, match=r"^the connection to .* failed while trying to import: .*nothing was "
                                             "changed"):
        store.add_track_batch("big.json", positions, track_format="readsb trace_full", progress=drop_the_connection)
    store.close()
    assert seen == [(50_000, "idle in transaction")], "50,000 positions were written, uncommitted, when it dropped"
    reopened = open_workspace(pg_server.url(database), create=False)
    assert [b.file_name for b in reopened.list_batches()] == ["a.csv"]
    assert reopened.read_positions().empty
    reopened.close()
    assert count(pg_server, database, "track_positions") == 0
    assert count(pg_server, database, "track_batches") == 0


def test_a_connection_dropped_mid_undo_leaves_the_batch_whole(pg_server: PgServer, tmp_path: Path) -> None:
    database = pg_server.create_database()
    store = open_workspace(pg_server.url(database))
    assert isinstance(store, PostGISStore)
    batch = store.add_track_batch("t.json", sample_positions(tmp_path), track_format="readsb trace_full")
    pid = store.connection.info.backend_pid
    failures: list[Exception] = []

    def undo() -> None:
        try:
            store.remove_batch(batch.id)
        except WorkspaceError as exc:
            failures.append(exc)

    # Another session holds the legs table, so the undo stops there: its positions are deleted, not committed.
    with psycopg.connect(pg_server.url(database)) as holder:
        holder.execute("LOCK TABLE airbridge.track_legs IN ACCESS EXCLUSIVE MODE")
        worker = threading.Thread(target=undo)
        worker.start()
        deadline = time.monotonic() + WAIT_S
        while not pg_server.admin_sql(f"SELECT 1 FROM pg_stat_activity WHERE pid = {pid} AND wait_event_type = "
                                      "'Lock'"):
            assert time.monotonic() < deadline, "the undo never reached the locked table"
            time.sleep(0.05)
        pg_server.admin_sql(f"SELECT pg_terminate_backend({pid})")
        worker.join(WAIT_S)
        holder.rollback()
    assert len(failures) == 1 and "failed while trying to undo a batch" in str(failures[0])
    store.close()
    reopened = open_workspace(pg_server.url(database), create=False)
    assert [b.id for b in reopened.list_batches()] == [batch.id]
    assert len(reopened.read_positions()) == 201
    reopened.close()


def test_a_viewer_reads_and_the_database_itself_refuses_their_writes(team_logins: PgServer, team_database: str,
                                                                     tmp_path: Path) -> None:
    owner = open_workspace(team_logins.url(team_database))
    owner.add_batch("a.csv", {"sites": [site_cells()]})
    owner.close()
    viewer = open_workspace(team_logins.url(team_database, *VIEWER))
    assert [b.file_name for b in viewer.list_batches()] == ["a.csv"]
    assert len(viewer.read_rows()["sites"]) == 1
    writes = [lambda: viewer.add_batch("b.csv", {"sites": [site_cells("b_strip")]}),
              lambda: viewer.add_track_batch("t.json", sample_positions(tmp_path), track_format="readsb trace_full"),
              lambda: viewer.remove_batch("b0001")]
    for write in writes:
        with pytest.raises(WorkspaceError, match=r"^read-only: vic_viewer may not (import|undo a batch) in "
                                                 r"postgresql://vic_viewer@/.*permission denied") as caught:
            write()
        assert "\n" not in str(caught.value) and VIEWER[1] not in str(caught.value)
    viewer.close()
    assert count(team_logins, team_database, "import_batches") == 1
    assert count(team_logins, team_database, "sites") == 1


def test_an_editor_imports_tracks_into_a_new_month_and_undoes_them(team_logins: PgServer, team_database: str,
                                                                   tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PGPASSWORD", EDITOR[1])
    editor = open_workspace(team_logins.url(team_database, EDITOR[0]))
    batch = editor.add_track_batch("t.json", sample_positions(tmp_path), track_format="readsb trace_full")
    notes = editor.add_batch("a.csv", {"sites": [site_cells()]})
    assert (batch.imported_by, notes.imported_by) == ("ana_editor", "ana_editor")
    assert len(editor.read_positions()) == 201
    editor.remove_batch(batch.id)
    assert [b.id for b in editor.list_batches()] == [notes.id]
    editor.close()


def test_a_wrong_password_is_one_line_naming_the_cause(team_logins: PgServer) -> None:
    with pytest.raises(WorkspaceError, match=r"^wrong password for postgresql://ana_editor@127\.0\.0\.1:\d+/postgres: "
                                             "set PGPASSWORD") as caught:
        open_workspace(team_logins.tcp_url("postgres", EDITOR[0]).replace("ana_editor@", "ana_editor:nope@"))
    assert "\n" not in str(caught.value) and "nope" not in str(caught.value)


def test_an_unreachable_server_is_one_line_naming_the_cause(pg_server: PgServer) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(WorkspaceError, match=r"^cannot reach the PostgreSQL server of postgresql://ana@127\.0\.0\.1:"
                                             r"\d+/cell \(.*Connection refused.*\): check the host and port"):
        open_workspace(f"postgresql://ana@127.0.0.1:{port}/cell")


def test_a_database_without_postgis_is_refused_naming_the_extension(team_logins: PgServer, monkeypatch) -> None:
    database = team_logins.create_database(postgis=False)
    monkeypatch.setenv("PGPASSWORD", EDITOR[1])
    with pytest.raises(WorkspaceError, match=rf"^the PostGIS extension is missing in database {database} .*"
                                             "a superuser runs CREATE EXTENSION postgis"):
        open_workspace(team_logins.url(database, EDITOR[0]))


def test_the_location_and_messages_never_show_the_password(team_logins: PgServer, team_database: str) -> None:
    store = open_workspace(team_logins.url(team_database, *EDITOR))
    assert store.location.startswith("postgresql://ana_editor@/") and EDITOR[1] not in store.location
    with pytest.raises(WorkspaceError, match="no batch") as caught:
        store.remove_batch("b0042")
    assert EDITOR[1] not in str(caught.value)
    store.close()


def test_a_service_file_and_pgpass_give_the_address_and_the_password(team_logins: PgServer, team_database: str,
                                                                     tmp_path: Path, monkeypatch) -> None:
    services, passwords = tmp_path / "pg_service.conf", tmp_path / "pgpass"
    services.write_text(f"[cell]\nhost={team_logins.socket_dir}\nport={team_logins.port}\ndbname={team_database}\n"
                        f"user={EDITOR[0]}\n", encoding="utf-8")
    passwords.write_text(f"*:*:{team_database}:{EDITOR[0]}:{EDITOR[1]}\n", encoding="utf-8")
    passwords.chmod(0o600)
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    monkeypatch.setenv("PGPASSFILE", str(passwords))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    store = open_workspace("service=cell")
    assert store.add_batch("a.csv", {"sites": [site_cells()]}).imported_by == "ana_editor"
    assert store.location == "service=cell"
    store.close()


def test_a_workspace_at_schema_1_is_migrated_in_order_and_keeps_its_batches(pg_server: PgServer) -> None:
    database = pg_server.create_database()
    with psycopg.connect(pg_server.url(database), autocommit=True) as connection:
        assert pg_schema.prepare_workspace(connection, "test", create=True, upto=1) == 1
        connection.execute("INSERT INTO airbridge.import_batches VALUES (1, 'b0001', now(), 'a.csv', 'sites', 1, '', "
                           "'', 'ana')")
        connection.execute("SELECT setval('airbridge.import_batch_numbers', 1)")
    store = open_workspace(pg_server.url(database), create=False)
    assert [b.id for b in store.list_batches()] == ["b0001"]
    assert store.read_positions().empty
    assert store.add_batch("b.csv", {"sites": [site_cells()]}).id == "b0002"
    store.close()
    applied = pg_server.admin_sql("SELECT version, name FROM airbridge.schema_migrations ORDER BY 1", database)
    assert applied == [(m.version, m.name) for m in pg_schema.list_migrations()]


def test_a_workspace_from_a_newer_airbridge_is_refused(pg_server: PgServer) -> None:
    database = pg_server.create_database()
    open_workspace(pg_server.url(database)).close()
    pg_server.admin_sql("INSERT INTO airbridge.schema_migrations (version, name) VALUES (999, 'future')", database)
    with pytest.raises(WorkspaceError, match="holds workspace schema 999, newer than this Airbridge knows"):
        open_workspace(pg_server.url(database))
