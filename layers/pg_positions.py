"""The PostGIS tables of ADS-B positions and stated flight legs, written with COPY and read in bulk.

``track_positions`` is partitioned by month of ``time`` (UTC); before a batch is written
its months are added (``airbridge.add_position_month``, in a short transaction of its
own: an empty partition is structure, not content). The positions then go in by
``COPY`` in chunks of :data:`CHUNK_ROWS` inside the caller's one transaction, so memory
holds one chunk of Python tuples at a time and a failure anywhere leaves no row. Times
are kept to the millisecond, as the GeoPackage keeps them, so both backends read back the
same table; ``geom`` is computed by the database from ``lon`` and ``lat``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import psycopg

from layers.gpkg_positions import LEG_COLUMNS, STORED_COLUMNS, list_stored_values
from layers.tracks.positions import FlightLeg, build_position_frame

TABLE = "track_positions"
FORMATS_TABLE = "track_batches"
LEGS_TABLE = "track_legs"
CHUNK_ROWS = 50_000
_QUOTED = ", ".join(f'"{name}"' for name in STORED_COLUMNS)
_COPY = f'COPY {TABLE} (batch_id, batch_row, {_QUOTED}) FROM STDIN'


def add_months(connection: psycopg.Connection, positions: pd.DataFrame) -> None:
    """Make sure a partition exists for each month (UTC) of the positions, in a transaction of its own."""
    if positions.empty:
        return
    naive = positions["time"].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
    months = [f"{month}-01" for month in np.unique(naive.astype("datetime64[M]")).astype(str)]
    with connection.transaction():
        for month in months:
            connection.execute("SELECT add_position_month(%s::date)", (month,))


def insert_legs(connection: psycopg.Connection, batch_id: str, legs: Sequence[FlightLeg]) -> None:
    """Insert a file's stated flight legs as rows of batch ``batch_id`` (inside the caller's transaction)."""
    if not legs:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {LEGS_TABLE} (batch_id, {', '.join(LEG_COLUMNS)}) "
                           "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                           [(batch_id, leg.icao24, leg.callsign, _to_second(leg.first_seen),
                             _to_second(leg.last_seen), leg.departure, leg.arrival, leg.index) for leg in legs])


def insert_positions(connection: psycopg.Connection, batch_id: str, positions: pd.DataFrame, *, track_format: str,
                     simplified: bool, progress: Callable[[int, int], None] | None = None) -> None:
    """COPY the position table in as rows of batch ``batch_id``, chunk by chunk, in the open transaction.

    Parameters
    ----------
    connection : psycopg.Connection
        The workspace, inside a transaction the caller commits or rolls back.
    batch_id : str
        The batch the rows belong to.
    positions : pandas.DataFrame
        The checked position table.
    track_format : str
        The format read (``readsb trace_full``), kept in ``track_batches``.
    simplified : bool
        Whether the source thinned the track.
    progress : callable, optional
        Called with (rows written, rows in all) after each chunk.
    """
    connection.execute(f"INSERT INTO {FORMATS_TABLE} (batch_id, format, simplified) VALUES (%s, %s, %s)",
                       (batch_id, track_format, simplified))
    total = len(positions)
    with connection.cursor() as cursor:
        for start in range(0, total, CHUNK_ROWS):
            chunk = positions.iloc[start:start + CHUNK_ROWS]
            columns: list[list[Any]] = [[batch_id] * len(chunk), list(range(start + 1, start + len(chunk) + 1)),
                                        *list_stored_values(chunk, boolean=bool)]
            with cursor.copy(_COPY) as copy:
                for row in zip(*columns, strict=True):
                    copy.write_row(row)
            if progress is not None:
                progress(min(start + CHUNK_ROWS, total), total)


def read_positions(connection: psycopg.Connection, provenance_of: dict[str, str]) -> pd.DataFrame:
    """Return every stored position as a position table, with ``batch_id`` added, in batch then row order."""
    quoted = ", ".join(f't."{name}"' for name in STORED_COLUMNS)
    rows = connection.execute(f"SELECT t.batch_id, {quoted} FROM {TABLE} AS t JOIN import_batches AS b "
                              "ON b.id = t.batch_id ORDER BY b.fid, t.batch_row").fetchall()
    if not rows:
        frame = build_position_frame({}, 0)
        frame["batch_id"] = pd.Series(dtype=object)
        return frame
    table = pd.DataFrame.from_records(rows, columns=["batch_id", *STORED_COLUMNS])
    columns = {name: table[name] for name in STORED_COLUMNS if name != "time"}
    columns["time"] = pd.Series(pd.to_datetime(table["time"], utc=True))
    columns["provenance"] = table["batch_id"].map(provenance_of)
    frame = build_position_frame(columns)
    frame["batch_id"] = table["batch_id"].to_numpy(dtype=object)
    return frame


def read_legs(connection: psycopg.Connection) -> pd.DataFrame:
    """Return every stored flight leg (``batch_id`` plus the leg columns), batch then file order."""
    rows = connection.execute(f"SELECT t.batch_id, {', '.join('t.' + c for c in LEG_COLUMNS)} FROM {LEGS_TABLE} AS t "
                              "JOIN import_batches AS b ON b.id = t.batch_id ORDER BY b.fid, t.leg").fetchall()
    frame = pd.DataFrame.from_records(rows, columns=["batch_id", *LEG_COLUMNS])
    for column in ("first_seen", "last_seen"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def delete_positions(connection: psycopg.Connection, batch_id: str) -> None:
    """Delete the positions, legs and format row of one batch (inside the caller's transaction)."""
    for table in (TABLE, LEGS_TABLE, FORMATS_TABLE):
        connection.execute(f"DELETE FROM {table} WHERE batch_id = %s", (batch_id,))


def list_simplified_batches(connection: psycopg.Connection) -> frozenset[str]:
    """Return the ids of track batches whose source thinned the track."""
    return frozenset(row[0] for row in connection.execute(f"SELECT batch_id FROM {FORMATS_TABLE} WHERE simplified"))


def read_track_formats(connection: psycopg.Connection) -> dict[str, str]:
    """Return each track batch's format (batch id -> ``readsb trace_full`` ...)."""
    return dict(connection.execute(f"SELECT batch_id, format FROM {FORMATS_TABLE}").fetchall())


def _to_second(value: pd.Timestamp) -> object:
    """Return a leg's time as the GeoPackage keeps it: UTC, to the second."""
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp.floor("s").to_pydatetime()
