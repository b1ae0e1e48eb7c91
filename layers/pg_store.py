"""The PostGIS backend of the workspace store: a team's shared workspace in one PostgreSQL database.

Open it with ``--workspace postgresql://user@host/db`` (or ``postgres://``, or
``service=NAME`` from a libpq service file). Passwords come from ``PGPASSWORD``,
``~/.pgpass`` or the service file, as libpq reads them; :attr:`PostGISStore.location`
and every message show the address without one.

Layout (schema ``airbridge``, made and migrated by :mod:`layers.pg_schema` from the
numbered files in ``layers/pg_migrations/``): ``import_batches``; ``sites`` (Point,
EPSG:4326, GiST index), ``site_statuses``, ``flights``, ``events``, ``aircraft`` with the
shipped schema's columns plus ``batch_id`` and ``batch_row``; ``track_positions``
(partitioned by month), ``track_legs``, ``track_batches`` (:mod:`layers.pg_positions`).

Every write is one transaction: a batch is seen whole or not at all, two analysts
importing at once both land (each batch number comes from a sequence), a connection that
drops mid-import leaves nothing behind, and an undo deletes only its own batch's rows.
``imported_by`` is the database user. A viewer (``airbridge_viewer``) has SELECT only, so
the database itself refuses their writes; the store says so in one line (``read-only: ...``).
SQL text is built only from this module's constants (table and column names of the
schema); every value goes in as a parameter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import pandas as pd
import psycopg
from psycopg import errors

from layers import pg_positions
from layers.gpkg_store import TABLES, TRACK_KIND, find_site_position
from layers.pg_schema import EDITOR_ROLE, SEARCH_PATH, first_line, prepare_workspace
from layers.schema import FileSpec, parse_count_min, parse_date, parse_latitude, parse_longitude
from layers.store import Batch, StoredRow, WorkspaceError, redact_location
from layers.tracks.positions import FlightLeg

CONNECT_TIMEOUT_S = 10
_BATCH_COLUMNS = 'id, created, file_name, kinds, "rows", source, confidence, imported_by'
_CONVERT: dict[Callable[[str], object], Callable[[str], object]] = {
    parse_date: dt.date.fromisoformat, parse_count_min: int, parse_latitude: float, parse_longitude: float}


@dataclass
class PostGISStore:
    """A workspace in a PostgreSQL database with PostGIS (see the module docstring); open with :meth:`open`."""

    address: str
    connection: psycopg.Connection

    @classmethod
    def open(cls, location: str, *, create: bool = True) -> PostGISStore:
        """Connect to the database at ``location`` and make sure it holds a current workspace.

        Raises
        ------
        WorkspaceError
            In one line naming the cause: a wrong password, an unreachable server, no such
            database, PostGIS missing, no workspace there (and ``create`` false), or a schema
            this user may not migrate.
        """
        address = redact_location(location)
        try:
            connection = psycopg.connect(location, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                                         application_name="airbridge",
                                         options=f"-c search_path={SEARCH_PATH.replace(' ', '')} -c TimeZone=UTC")
        except psycopg.Error as exc:
            raise WorkspaceError(describe_connection_error(exc, address)) from exc
        try:
            prepare_workspace(connection, address, create=create)
        except psycopg.Error as exc:
            connection.close()
            raise WorkspaceError(f"{address}: cannot open the workspace ({first_line(exc)})") from exc
        except WorkspaceError:
            connection.close()
            raise
        return cls(address, connection)

    @property
    def location(self) -> str:
        """The database address, without any password."""
        return self.address

    def list_batches(self) -> list[Batch]:
        """Return the batches, oldest first."""
        with self._errors("read the batches"):
            rows = self.connection.execute(f"SELECT {_BATCH_COLUMNS} FROM import_batches ORDER BY fid").fetchall()
        return [_to_batch(row) for row in rows]

    def add_batch(self, file_name: str, rows: Mapping[str, Sequence[Mapping[str, str]]], *, source: str = "",
                  confidence: str = "", restore: Batch | None = None) -> Batch:
        """Write ``rows`` (text cells by kind, already validated) as one batch, in one transaction.

        ``restore`` keeps a copied batch's id, time and importer (``workspace copy``).

        Raises
        ------
        WorkspaceError
            If a kind is unknown, nothing would be written, or the database refuses the write
            (``read-only: ...`` for a viewer); the workspace is then unchanged.
        ValueError
            If a cell does not convert to its column's type (nothing is written).
        """
        unknown = set(rows) - set(TABLES)
        if unknown:
            raise WorkspaceError(f"unknown kinds {sorted(unknown)}: use {', '.join(TABLES)}")
        count = sum(len(kind_rows) for kind_rows in rows.values())
        if count == 0:
            raise WorkspaceError(f"{file_name}: nothing to import")
        kinds = tuple(kind for kind in TABLES if rows.get(kind))
        with self._errors("import", writes=True), self.connection.transaction():
            batch = self._insert_batch(file_name, kinds, count, source=source, confidence=confidence, restore=restore)
            for kind in kinds:
                table, spec = TABLES[kind]
                columns = ["batch_id", "batch_row", *spec.columns]
                marks = ", ".join("%s" for _ in columns)
                if kind == "sites":
                    columns.append("geom")
                    marks += ", ST_SetSRID(ST_MakePoint(%s, %s), 4326)"
                with self.connection.cursor() as cursor:
                    cursor.executemany(f"INSERT INTO {table} ({', '.join(_quote(c) for c in columns)}) "
                                       f"VALUES ({marks})",
                                       [_to_values(kind, spec, batch.id, number, cells)
                                        for number, cells in enumerate(rows[kind], start=1)])
        return batch

    def add_track_batch(self, file_name: str, positions: pd.DataFrame, *, track_format: str, simplified: bool = False,
                        legs: Sequence[FlightLeg] = (), source: str = "", confidence: str = "",
                        progress: Callable[[int, int], None] | None = None, restore: Batch | None = None) -> Batch:
        """Write checked positions (and any stated flight legs) as one batch of kind ``track``, in one transaction.

        Raises
        ------
        WorkspaceError
            If there is nothing to write, or the database refuses the write or the connection
            drops (the workspace is then as it was).
        """
        if positions.empty and not legs:
            raise WorkspaceError(f"{file_name}: no positions or flight legs to import")
        with self._errors("import", writes=True):
            pg_positions.add_months(self.connection, positions)
            with self.connection.transaction():
                batch = self._insert_batch(file_name, (TRACK_KIND,), len(positions) + len(legs), source=source,
                                           confidence=confidence, restore=restore)
                pg_positions.insert_legs(self.connection, batch.id, legs)
                pg_positions.insert_positions(self.connection, batch.id, positions, track_format=track_format,
                                              simplified=simplified, progress=progress)
        return batch

    def read_positions(self) -> pd.DataFrame:
        """Return every stored ADS-B position (the position table plus ``batch_id``), batch then row order."""
        provenance = {batch.id: batch.provenance for batch in self.list_batches()}
        with self._errors("read the positions"):
            return pg_positions.read_positions(self.connection, provenance)

    def read_legs(self) -> pd.DataFrame:
        """Return every stored flight leg (OpenSky ``/flights``), batch then file order."""
        with self._errors("read the flight legs"):
            return pg_positions.read_legs(self.connection)

    def list_simplified_batches(self) -> frozenset[str]:
        """Return the ids of track batches whose source thinned the track (OpenSky ``/tracks``)."""
        with self._errors("read the track batches"):
            return pg_positions.list_simplified_batches(self.connection)

    def remove_batch(self, batch_id: str) -> Batch:
        """Remove batch ``batch_id`` and its rows in one transaction; return it.

        Raises
        ------
        WorkspaceError
            If there is no such batch, or the database refuses (nothing is changed).
        """
        with self._errors("undo a batch", writes=True), self.connection.transaction():
            row = self.connection.execute(f"SELECT {_BATCH_COLUMNS} FROM import_batches WHERE id = %s FOR UPDATE",
                                          (batch_id,)).fetchone()
            if row is None:
                known = ", ".join(r[0] for r in self.connection.execute("SELECT id FROM import_batches ORDER BY fid"))
                raise WorkspaceError(f"no batch {batch_id!r} in {self.address} (batches: {known or 'none'})")
            for table, _ in TABLES.values():
                self.connection.execute(f"DELETE FROM {table} WHERE batch_id = %s", (batch_id,))
            pg_positions.delete_positions(self.connection, batch_id)
            self.connection.execute("DELETE FROM import_batches WHERE id = %s", (batch_id,))
        return _to_batch(row)

    def read_rows(self) -> dict[str, list[StoredRow]]:
        """Return every stored row by kind, as text cells, in batch then row order."""
        batches = {batch.id: batch for batch in self.list_batches()}
        found: dict[str, list[StoredRow]] = {}
        with self._errors("read the rows"):
            for kind, (table, spec) in TABLES.items():
                columns = ", ".join(f"t.{_quote(c)}" for c in spec.columns)
                query = (f"SELECT t.batch_id, t.batch_row, {columns} FROM {table} AS t "
                         "JOIN import_batches AS b ON b.id = t.batch_id ORDER BY b.fid, t.batch_row")
                found[kind] = [StoredRow(kind, batches[row[0]], int(row[1]),
                                         {c: _to_text(v) for c, v in zip(spec.columns, row[2:], strict=True)})
                               for row in self.connection.execute(query)]
        return found

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()

    def _insert_batch(self, file_name: str, kinds: tuple[str, ...], count: int, *, source: str, confidence: str,
                      restore: Batch | None) -> Batch:
        if restore is None:
            (number,) = self.connection.execute("SELECT nextval('import_batch_numbers')").fetchone() or (0,)
            batch_id, created = f"b{number:04d}", dt.datetime.now(dt.UTC).replace(microsecond=0)
        else:
            number, batch_id, created = int(restore.id[1:]), restore.id, restore.created
            self.connection.execute("SELECT setval('import_batch_numbers', greatest(%s, (SELECT last_value FROM "
                                    "import_batch_numbers)))", (number,))
        row = self.connection.execute(
            'INSERT INTO import_batches (fid, id, created, file_name, kinds, "rows", source, confidence, imported_by) '
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, coalesce(%s, session_user)) RETURNING imported_by",
            (number, batch_id, created, file_name, ",".join(kinds), count, source, confidence,
             restore.imported_by if restore else None)).fetchone()
        return Batch(batch_id, created, file_name, kinds, count, source, confidence, str(row[0]) if row else "")

    @contextmanager
    def _errors(self, action: str, *, writes: bool = False) -> Iterator[None]:
        """Turn the database's errors into one-line :class:`WorkspaceError` messages naming the cause."""
        try:
            yield
        except errors.InsufficientPrivilege as exc:
            user = self.connection.info.user
            raise WorkspaceError(f"read-only: {user} may not {action} in {self.address} ({first_line(exc)}); "
                                 f"an editor (a member of {EDITOR_ROLE}) can") from exc
        except psycopg.OperationalError as exc:
            undone = " (the database rolled the unfinished write back: nothing was changed)" if writes else ""
            raise WorkspaceError(f"the connection to {self.address} failed while trying to {action}: "
                                 f"{first_line(exc)}{undone}") from exc
        except psycopg.Error as exc:
            raise WorkspaceError(f"{self.address}: could not {action}: {first_line(exc)}") from exc


def describe_connection_error(exc: psycopg.Error, address: str) -> str:
    """Return the one-line message of a failed connection, naming the cause and what to do."""
    text = first_line(exc)
    lowered = text.lower()
    if "password authentication failed" in lowered:
        return (f"wrong password for {address}: set PGPASSWORD, or put the password in ~/.pgpass "
                f"(host:port:database:user:password) or the service file ({text})")
    if "no password supplied" in lowered or "password is required" in lowered:
        return f"the server of {address} asks for a password: set PGPASSWORD, or use ~/.pgpass or a service file"
    if "does not exist" in lowered and ("database" in lowered or "role" in lowered):
        return f"cannot open {address}: {text}: create it, or fix --workspace"
    if "definition of service" in lowered or "service file" in lowered:
        return f"cannot open {address}: {text}: define the service in ~/.pg_service.conf (or $PGSERVICEFILE)"
    if any(part in lowered for part in ("connection refused", "could not connect", "timeout expired",
                                        "could not translate host name", "no route to host", "network is unreachable",
                                        "no such file or directory", "name or service not known")):
        return (f"cannot reach the PostgreSQL server of {address} ({text}): check the host and port in "
                "--workspace and that the server is running")
    return f"cannot open {address}: {text}"


def _to_values(kind: str, spec: FileSpec, batch_id: str, number: int, cells: Mapping[str, str]) -> list[object]:
    values: list[object] = [batch_id, number]
    for field in spec.fields:
        raw = cells.get(field.name, "")
        convert = _CONVERT.get(field.parse)
        values.append(None if not raw else convert(raw) if convert else raw)
    if kind == "sites":
        values.extend(find_site_position(cells) or (None, None))
    return values


def _to_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _to_batch(row: tuple) -> Batch:
    return Batch(row[0], row[1].astimezone(dt.UTC), row[2], tuple(k for k in row[3].split(",") if k), int(row[4]),
                 row[5], row[6], row[7])


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_change_key(location: str) -> tuple[str, ...]:
    """Return what changes when a batch is added or undone: ``("batches", count, latest id)``.

    Cheap (one connection, one query), for a page that polls; never raises: ``("none",)``
    when the database holds no workspace yet, ``("unreachable", why)`` when it cannot be read.
    """
    try:
        with psycopg.connect(location, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                             application_name="airbridge-poll") as connection:
            if not (connection.execute("SELECT to_regclass('airbridge.import_batches') IS NOT NULL").fetchone()
                    or (False,))[0]:
                return ("none",)
            row = connection.execute("SELECT count(*), (SELECT id FROM airbridge.import_batches ORDER BY fid DESC "
                                     "LIMIT 1) FROM airbridge.import_batches").fetchone()
    except psycopg.Error as exc:
        return ("unreachable", first_line(exc))
    return ("batches", str(row[0] if row else 0), str(row[1] or "") if row else "")


def find_read_only_reason(location: str) -> str:
    """Return why this user may not import into or undo in the workspace ("" when they may).

    The database decides (table privileges); a viewer is told they are one.
    """
    try:
        with psycopg.connect(location, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                             application_name="airbridge-poll") as connection:
            row = connection.execute(
                "SELECT to_regclass('airbridge.import_batches') IS NULL "
                "OR (has_table_privilege('airbridge.import_batches', 'INSERT') "
                "AND has_table_privilege('airbridge.import_batches', 'DELETE')), current_user").fetchone()
    except psycopg.Error as exc:
        return f"the workspace cannot be reached ({first_line(exc)})"
    if row is None or row[0]:
        return ""
    return (f"read-only: {row[1]} may only read this workspace (a viewer: no INSERT or DELETE on its tables). "
            f"Imports and undo need an editor, a member of {EDITOR_ROLE}")
