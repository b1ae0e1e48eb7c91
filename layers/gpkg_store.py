"""The GeoPackage backend of the workspace store: one SQLite file that QGIS opens as it is.

Layout (OGC GeoPackage 1.4, written with the standard library's sqlite3):

* ``import_batches``: one row per import (id, time, file, kinds, rows, source, default
  confidence, user);
* ``sites`` (a Point feature table, EPSG:4326), ``site_statuses``, ``flights``, ``events``:
  the shipped schema's columns of each kind, typed (dates as DATE, counts as INTEGER,
  coordinates as REAL, lists and sources as the text the CSV files hold), plus
  ``batch_id`` and ``batch_row``.

SQL text is built only from this module's constants (table and column names of the
schema); every value goes in as a parameter. Every write is one ``BEGIN IMMEDIATE``
transaction with SQLite's rollback journal, so a process killed at any moment leaves the
file as it was or with the whole batch; two writers take turns (the second waits up to
:data:`BUSY_TIMEOUT_S`).
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import sqlite3
import struct
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from shapely import to_wkb
from shapely.geometry import Point

from layers import gpkg_positions
from layers.airfields import find_airfield
from layers.errors import UnknownAirfieldError
from layers.schema import KIND_SPECS, FileSpec, parse_count_min, parse_date, parse_latitude, parse_longitude
from layers.store import Batch, NoWorkspaceError, StoredRow, WorkspaceError
from layers.tracks.positions import FlightLeg

APPLICATION_ID = 0x47504B47  # "GPKG"
USER_VERSION = 10400  # GeoPackage 1.4
SCHEMA_VERSION = 3
"""1: imported rows; 2: adds the watchlist and ADS-B positions; 3: adds the statuses' ``actor`` (each on open)."""
BUSY_TIMEOUT_S = 30.0
WGS84 = 4326
# Kind of rows -> (table, schema).
TABLE_NAMES = {"sites": "sites", "statuses": "site_statuses", "events": "events", "flights": "flights",
               "aircraft": "aircraft"}
TABLES: dict[str, tuple[str, FileSpec]] = {kind: (TABLE_NAMES[kind], spec) for kind, spec in KIND_SPECS.items()}
TRACK_KIND = "track"
"""The kind of a batch of ADS-B positions (kept in ``track_positions``, not in TABLES)."""
WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],A'
    'UTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.017453292519'
    '9433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"'
    ']]'
)
_SQL_TYPES: dict[Callable[[str], Any], str] = {
    parse_date: "DATE", parse_count_min: "INTEGER", parse_latitude: "REAL", parse_longitude: "REAL",
}
_BASE_SCHEMA = f"""
CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
INSERT INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
  ('WGS 84 geodetic', {WGS84}, 'EPSG', {WGS84}, '{WGS84_WKT}',
   'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL REFERENCES gpkg_contents(table_name),
  column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL
  REFERENCES gpkg_spatial_ref_sys(srs_id), z TINYINT NOT NULL, m TINYINT NOT NULL,
  PRIMARY KEY (table_name, column_name));
CREATE TABLE airbridge_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO airbridge_meta VALUES ('schema_version', '{SCHEMA_VERSION}');
CREATE TABLE import_batches (fid INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
  created DATETIME NOT NULL, file_name TEXT NOT NULL, kinds TEXT NOT NULL, rows INTEGER NOT NULL,
  source TEXT NOT NULL, confidence TEXT NOT NULL, imported_by TEXT NOT NULL);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
  VALUES ('import_batches', 'attributes', 'import_batches', 'Airbridge imports: one row per batch');
"""


@dataclass
class GeoPackageStore:
    """A workspace in one GeoPackage file (see the module docstring); open with :meth:`open`."""

    path: Path
    connection: sqlite3.Connection

    @classmethod
    def open(cls, path: Path, *, create: bool = True) -> GeoPackageStore:
        """Open (and when asked, create) the GeoPackage at ``path``.

        Raises
        ------
        WorkspaceError
            If the file is missing and ``create`` is false, or is not an Airbridge workspace.
        """
        exists = path.is_file()
        if not exists and not create:
            raise NoWorkspaceError(f"no workspace at {path}: import a file first (python -m layers import FILE "
                                 f"--workspace {path.parent})")
        if not exists:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            store = cls(path, connection)
            if exists:
                store._check_format()
                store._upgrade_schema()
            else:
                store._create_schema()
        except sqlite3.DatabaseError as exc:
            raise WorkspaceError(f"{path} is not a readable Airbridge workspace ({exc}): point --workspace at "
                                 "another folder or move the file away") from exc
        return store

    @classmethod
    def open_in_memory(cls) -> GeoPackageStore:
        """Return an empty workspace that lives in memory (for a dry run with no workspace yet)."""
        store = cls(Path(":memory:"), sqlite3.connect(":memory:", isolation_level=None))
        store._create_schema()
        return store

    @property
    def location(self) -> str:
        """The GeoPackage file's path."""
        return str(self.path)

    def list_batches(self) -> list[Batch]:
        """Return the batches, oldest first."""
        rows = self.connection.execute("SELECT id, created, file_name, kinds, rows, source, confidence, imported_by "
                                       "FROM import_batches ORDER BY fid").fetchall()
        return [_to_batch(row) for row in rows]

    def add_batch(self, file_name: str, rows: Mapping[str, Sequence[Mapping[str, str]]], *, source: str = "",
                  confidence: str = "", restore: Batch | None = None) -> Batch:
        """Write ``rows`` (text cells by kind, already validated) as one batch, in one transaction.

        ``restore`` keeps a copied batch's id, time and importer (``workspace copy``).

        Raises
        ------
        WorkspaceError
            If a kind is unknown or nothing would be written; the file is then unchanged.
        """
        unknown = set(rows) - set(TABLES)
        if unknown:
            raise WorkspaceError(f"unknown kinds {sorted(unknown)}: use {', '.join(TABLES)}")
        count = sum(len(kind_rows) for kind_rows in rows.values())
        if count == 0:
            raise WorkspaceError(f"{file_name}: nothing to import")
        kinds = tuple(kind for kind in TABLES if rows.get(kind))
        with self._transaction() as db:
            batch = self._insert_batch(db, file_name, kinds=kinds, count=count, source=source, confidence=confidence,
                                       restore=restore)
            for kind in kinds:
                table, spec = TABLES[kind]
                columns = ["batch_id", "batch_row", *spec.columns] + (["geom"] if kind == "sites" else [])
                marks = ", ".join("?" for _ in columns)
                db.executemany(f'INSERT INTO "{table}" ({", ".join(_quote(c) for c in columns)}) VALUES ({marks})',
                               [_to_values(kind, spec, batch.id, number, cells)
                                for number, cells in enumerate(rows[kind], start=1)])
                db.execute("UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
                           "WHERE table_name = ?", (table,))
        return batch

    def add_track_batch(self, file_name: str, positions: pd.DataFrame, *, track_format: str, simplified: bool = False,
                        legs: Sequence[FlightLeg] = (), source: str = "", confidence: str = "",
                        progress: Callable[[int, int], None] | None = None, restore: Batch | None = None) -> Batch:
        """Write checked positions (and any stated flight legs) as one batch of kind ``track``, in one transaction.

        Raises
        ------
        WorkspaceError
            If there are no positions; the file is then unchanged.
        """
        if positions.empty and not legs:
            raise WorkspaceError(f"{file_name}: no positions or flight legs to import")
        with self._transaction() as db:
            batch = self._insert_batch(db, file_name, kinds=(TRACK_KIND,), count=len(positions) + len(legs),
                                       source=source, confidence=confidence, restore=restore)
            gpkg_positions.insert_legs(db, batch.id, legs)
            gpkg_positions.insert_positions(db, batch.id, positions, track_format=track_format,
                                            simplified=simplified, progress=progress)
            db.execute("UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
                       "WHERE table_name = ?", (gpkg_positions.TABLE,))
        return batch

    def read_positions(self) -> pd.DataFrame:
        """Return every stored ADS-B position (the position table plus ``batch_id``), batch then row order."""
        provenance = {batch.id: batch.provenance for batch in self.list_batches()}
        return gpkg_positions.read_positions(self.connection, provenance)

    def read_legs(self) -> pd.DataFrame:
        """Return every stored flight leg (OpenSky ``/flights``), batch then file order."""
        return gpkg_positions.read_legs(self.connection)

    def list_simplified_batches(self) -> frozenset[str]:
        """Return the ids of track batches whose source thinned the track (OpenSky ``/tracks``)."""
        return gpkg_positions.list_simplified_batches(self.connection)

    def remove_batch(self, batch_id: str) -> Batch:
        """Remove batch ``batch_id`` and its rows in one transaction; return it.

        Raises
        ------
        WorkspaceError
            If there is no such batch (nothing is changed).
        """
        with self._transaction() as db:
            row = db.execute("SELECT id, created, file_name, kinds, rows, source, confidence, imported_by "
                             "FROM import_batches WHERE id = ?", (batch_id,)).fetchone()
            if row is None:
                known = ", ".join(r[0] for r in db.execute("SELECT id FROM import_batches ORDER BY fid")) or "none"
                raise WorkspaceError(f"no batch {batch_id!r} in {self.path} (batches: {known})")
            for table, _ in TABLES.values():
                db.execute(f'DELETE FROM "{table}" WHERE batch_id = ?', (batch_id,))
            gpkg_positions.delete_positions(db, batch_id)
            db.execute("DELETE FROM import_batches WHERE id = ?", (batch_id,))
        return _to_batch(row)

    def read_rows(self) -> dict[str, list[StoredRow]]:
        """Return every stored row by kind, as text cells, in batch then row order."""
        batches = {batch.id: batch for batch in self.list_batches()}
        found: dict[str, list[StoredRow]] = {}
        for kind, (table, spec) in TABLES.items():
            # A column the file lacks (a read-only workspace of an older schema) reads as empty.
            stored = _list_columns(self.connection, table)
            columns = ", ".join(f"t.{_quote(c)}" if c in stored else "NULL" for c in spec.columns)
            query = (f'SELECT t.batch_id, t.batch_row, {columns} FROM "{table}" AS t '
                     "JOIN import_batches AS b ON b.id = t.batch_id ORDER BY b.fid, t.batch_row")
            found[kind] = [StoredRow(kind, batches[row[0]], int(row[1]),
                                     {c: _to_text(v) for c, v in zip(spec.columns, row[2:], strict=True)})
                           for row in self.connection.execute(query)]
        return found

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()

    @staticmethod
    def _insert_batch(db: sqlite3.Connection, file_name: str, *, kinds: tuple[str, ...], count: int, source: str,
                      confidence: str, restore: Batch | None) -> Batch:
        """Insert the batch row: a new number, now and this user; or a copied batch's (``restore``)."""
        created = restore.created if restore else dt.datetime.now(dt.UTC).replace(microsecond=0)
        user = restore.imported_by if restore else _find_user()
        cursor = db.execute(
            "INSERT INTO import_batches (fid, id, created, file_name, kinds, rows, source, confidence, imported_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (int(restore.id[1:]) if restore else None, restore.id if restore else "pending",
             created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"), file_name, ",".join(kinds), count,
             source, confidence, user))
        batch_id = restore.id if restore else f"b{cursor.lastrowid:04d}"
        db.execute("UPDATE import_batches SET id = ? WHERE fid = ?", (batch_id, cursor.lastrowid))
        return Batch(batch_id, created, file_name, kinds, count, source, confidence, user)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        db = self.connection
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def _create_schema(self) -> None:
        with self._transaction() as db:
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {USER_VERSION}")
            for statement in _BASE_SCHEMA.split(";\n"):
                if statement.strip():
                    db.execute(statement)
            for kind in TABLES:
                _create_kind_table(db, kind)
            gpkg_positions.create_position_table(db)

    def _upgrade_schema(self) -> None:
        """Add the tables and columns a newer Airbridge keeps (schema 1 -> 3) in one transaction; rows keep theirs.

        Rows stored before a column keep it empty; a file this user may not write is read as it is.
        """
        tables = {row[0] for row in self.connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = [kind for kind, (table, _) in TABLES.items() if table not in tables]
        new_columns = [(table, field) for table, spec in TABLES.values() if table in tables
                       for field in spec.fields if field.name not in _list_columns(self.connection, table)]
        current = not missing and not new_columns and {gpkg_positions.TABLE, gpkg_positions.LEGS_TABLE} <= tables
        if current or not os.access(self.path, os.W_OK):
            return
        with self._transaction() as db:
            for kind in missing:
                _create_kind_table(db, kind)
            for table, field in new_columns:
                sql_type = _SQL_TYPES.get(field.parse, "TEXT")
                db.execute(f'ALTER TABLE "{table}" ADD COLUMN {_quote(field.name)} {sql_type}')
            if gpkg_positions.TABLE not in tables:
                gpkg_positions.create_position_table(db)
            elif gpkg_positions.LEGS_TABLE not in tables:
                gpkg_positions.create_leg_table(db)
            db.execute("INSERT OR REPLACE INTO airbridge_meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    def _check_format(self) -> None:
        application = self.connection.execute("PRAGMA application_id").fetchone()[0]
        tables = {row[0] for row in self.connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if application != APPLICATION_ID or "import_batches" not in tables:
            raise WorkspaceError(f"{self.path} is not an Airbridge workspace GeoPackage (no import_batches table): "
                                 "point --workspace at another folder")


def _list_columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f'PRAGMA table_info("{table}")')}  # table: one of TABLE_NAMES


def _create_kind_table(db: sqlite3.Connection, kind: str) -> None:
    """Create the table of one kind of imported rows and register it with the GeoPackage."""
    table, spec = TABLES[kind]
    columns = [f"{_quote(f.name)} {_SQL_TYPES.get(f.parse, 'TEXT')}" for f in spec.fields]
    geom = [", geom POINT"] if kind == "sites" else []
    db.execute(f'CREATE TABLE "{table}" (fid INTEGER PRIMARY KEY AUTOINCREMENT, '
               "batch_id TEXT NOT NULL REFERENCES import_batches(id), batch_row INTEGER NOT NULL, "
               f"{', '.join(columns)}{''.join(geom)})")
    data_type = "features" if kind == "sites" else "attributes"
    db.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) "
               "VALUES (?, ?, ?, ?, ?)", (table, data_type, table, f"Airbridge imported {kind}",
                                          WGS84 if kind == "sites" else None))
    if kind == "sites":
        db.execute("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POINT', ?, 0, 0)", (table, WGS84))


def _to_values(kind: str, spec: FileSpec, batch_id: str, number: int, cells: Mapping[str, str]) -> list[object]:
    values: list[object] = [batch_id, number]
    for field in spec.fields:
        raw = cells.get(field.name, "")
        sql_type = _SQL_TYPES.get(field.parse, "TEXT")
        if not raw:
            values.append(None)
        elif sql_type == "INTEGER":
            values.append(int(raw))
        elif sql_type == "REAL":
            values.append(float(raw))
        else:
            values.append(raw)
    if kind == "sites":
        values.append(_encode_point(cells))
    return values


def find_site_position(cells: Mapping[str, str]) -> tuple[float, float] | None:
    """Return a site's (lon, lat): its hand coordinate, else its airfield's, else None (every backend's rule)."""
    if cells.get("lat") and cells.get("lon"):
        return float(cells["lon"]), float(cells["lat"])
    if cells.get("icao"):
        try:
            airfield = find_airfield(cells["icao"])
        except UnknownAirfieldError:
            return None  # validation reports the code; the row keeps no position
        return airfield.lon, airfield.lat
    return None


def _encode_point(cells: Mapping[str, str]) -> bytes | None:
    """Return the GeoPackage geometry of a site (see :func:`find_site_position`), or None."""
    position = find_site_position(cells)
    if position is None:
        return None
    lon, lat = position
    # GeoPackage binary: "GP", version 0, flags (little-endian, no envelope), SRS id, WKB.
    return b"GP" + bytes([0, 0x01]) + struct.pack("<i", WGS84) + to_wkb(Point(lon, lat), byte_order=1)


def _to_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _to_batch(row: tuple) -> Batch:
    return Batch(row[0], dt.datetime.fromisoformat(row[1]), row[2], tuple(k for k in row[3].split(",") if k),
                 int(row[4]), row[5], row[6], row[7])


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _find_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
