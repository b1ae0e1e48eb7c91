"""The GeoPackage table of ADS-B positions (``track_positions``), written and read in bulk.

One row per position: the columns of :mod:`layers.tracks.positions` (``time`` as a
GeoPackage DATETIME, UTC, millisecond precision; flags as INTEGER 0/1), the batch id and
row, and a POINT geometry (EPSG:4326) so QGIS draws the positions as they are. A million
positions are written in chunks of :data:`CHUNK_ROWS` inside the caller's one
transaction, so memory holds one chunk of Python tuples at a time, never the whole file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from layers.tracks.positions import BOOL_COLUMNS, FLOAT_COLUMNS, POSITION_COLUMNS, FlightLeg, build_position_frame

TABLE = "track_positions"
FORMATS_TABLE = "track_batches"
LEGS_TABLE = "track_legs"
LEG_COLUMNS = ("icao24", "callsign", "first_seen", "last_seen", "departure", "arrival", "leg")
CHUNK_ROWS = 50_000
WGS84 = 4326
STORED_COLUMNS = tuple(c for c in POSITION_COLUMNS if c != "provenance")
_SQL_TYPES = {**dict.fromkeys(FLOAT_COLUMNS, "REAL"), **dict.fromkeys(BOOL_COLUMNS, "INTEGER"),
              "time": "DATETIME", "point": "INTEGER"}
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
# GeoPackage binary header ("GP", version 0, flags: little-endian, no envelope; SRS id),
# then a little-endian WKB Point: one record layout for every row.
_POINT_RECORD = np.dtype([("magic", "S2"), ("version", "u1"), ("flags", "u1"), ("srs", "<i4"),
                          ("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])


def create_position_table(db: sqlite3.Connection) -> None:
    """Create the positions table, its index and its GeoPackage registration (inside a transaction)."""
    columns = ", ".join(f'"{name}" {_SQL_TYPES.get(name, "TEXT")}' for name in STORED_COLUMNS)
    db.execute(f'CREATE TABLE "{TABLE}" (fid INTEGER PRIMARY KEY AUTOINCREMENT, '
               f"batch_id TEXT NOT NULL REFERENCES import_batches(id), batch_row INTEGER NOT NULL, "
               f"{columns}, geom POINT)")
    db.execute(f'CREATE INDEX "{TABLE}_batch" ON "{TABLE}" (batch_id)')
    db.execute(f'CREATE TABLE "{FORMATS_TABLE}" (batch_id TEXT PRIMARY KEY REFERENCES import_batches(id), '
               "format TEXT NOT NULL, simplified INTEGER NOT NULL)")
    db.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description) "
               "VALUES (?, 'attributes', ?, 'Airbridge track batches: the format read, whether simplified')",
               (FORMATS_TABLE, FORMATS_TABLE))
    db.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) "
               "VALUES (?, 'features', ?, 'Airbridge imported ADS-B positions', ?)", (TABLE, TABLE, WGS84))
    db.execute("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POINT', ?, 0, 0)", (TABLE, WGS84))
    create_leg_table(db)


def create_leg_table(db: sqlite3.Connection) -> None:
    """Create the table of flight legs a file states outright (OpenSky ``/flights``)."""
    db.execute(f'CREATE TABLE "{LEGS_TABLE}" (fid INTEGER PRIMARY KEY AUTOINCREMENT, '
               "batch_id TEXT NOT NULL REFERENCES import_batches(id), icao24 TEXT NOT NULL, callsign TEXT NOT NULL, "
               "first_seen DATETIME NOT NULL, last_seen DATETIME NOT NULL, departure TEXT NOT NULL, "
               "arrival TEXT NOT NULL, leg INTEGER NOT NULL)")
    db.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description) "
               "VALUES (?, 'attributes', ?, 'Airbridge flight legs stated by a file (OpenSky flights)')",
               (LEGS_TABLE, LEGS_TABLE))


def insert_legs(db: sqlite3.Connection, batch_id: str, legs: Sequence[FlightLeg]) -> None:
    """Insert a file's stated flight legs as rows of batch ``batch_id`` (inside the caller's transaction)."""
    db.executemany(f'INSERT INTO "{LEGS_TABLE}" (batch_id, {", ".join(LEG_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
                   [(batch_id, leg.icao24, leg.callsign, _format_time(leg.first_seen), _format_time(leg.last_seen),
                     leg.departure, leg.arrival, leg.index) for leg in legs])


def read_legs(db: sqlite3.Connection) -> pd.DataFrame:
    """Return every stored flight leg (``batch_id`` plus :data:`LEG_COLUMNS`), batch then file order."""
    rows = db.execute(f'SELECT t.batch_id, {", ".join("t." + c for c in LEG_COLUMNS)} FROM "{LEGS_TABLE}" AS t '
                      "JOIN import_batches AS b ON b.id = t.batch_id ORDER BY b.fid, t.leg").fetchall()
    frame = pd.DataFrame.from_records(rows, columns=["batch_id", *LEG_COLUMNS])
    for column in ("first_seen", "last_seen"):
        frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    return frame


def _format_time(value: pd.Timestamp) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def encode_points(lon: np.ndarray, lat: np.ndarray) -> list[bytes]:
    """Return GeoPackage Point geometries for arrays of coordinates, built as one array."""
    records = np.zeros(len(lon), dtype=_POINT_RECORD)
    records["magic"], records["flags"], records["srs"] = b"GP", 0x01, WGS84
    records["order"], records["type"], records["x"], records["y"] = 1, 1, lon, lat
    raw = records.tobytes()
    size = _POINT_RECORD.itemsize
    return [raw[i:i + size] for i in range(0, len(raw), size)]


def insert_positions(db: sqlite3.Connection, batch_id: str, positions: pd.DataFrame, *, track_format: str,
                     simplified: bool, progress: Callable[[int, int], None] | None = None) -> None:
    """Insert the position table as rows of batch ``batch_id``, chunk by chunk, in the open transaction.

    Parameters
    ----------
    db : sqlite3.Connection
        The workspace, inside a ``BEGIN IMMEDIATE`` the caller commits or rolls back.
    batch_id : str
        The batch the rows belong to.
    positions : pandas.DataFrame
        The checked position table.
    track_format : str
        The format read (``readsb trace_full``), kept in ``track_batches``.
    simplified : bool
        Whether the source thinned the track (then its silences are not gaps).
    progress : callable, optional
        Called with (rows written, rows in all) after each chunk.
    """
    names = ["batch_id", "batch_row", *STORED_COLUMNS, "geom"]
    statement = (f'INSERT INTO "{TABLE}" ({", ".join(chr(34) + n + chr(34) for n in names)}) '
                 f"VALUES ({', '.join('?' for _ in names)})")
    db.execute(f'INSERT INTO "{FORMATS_TABLE}" VALUES (?, ?, ?)', (batch_id, track_format, int(simplified)))
    total = len(positions)
    for start in range(0, total, CHUNK_ROWS):
        chunk = positions.iloc[start:start + CHUNK_ROWS]
        columns: list[list[Any]] = [[batch_id] * len(chunk), list(range(start + 1, start + len(chunk) + 1)),
                                    *list_stored_values(chunk, boolean=int)]
        columns.append(encode_points(chunk["lon"].to_numpy(), chunk["lat"].to_numpy()))
        db.executemany(statement, zip(*columns, strict=True))
        if progress is not None:
            progress(min(start + CHUNK_ROWS, total), total)


def list_stored_values(chunk: pd.DataFrame, *, boolean: type) -> list[list[Any]]:
    """Return a chunk of the position table as one list per :data:`STORED_COLUMNS` column, as a store writes it.

    Times become UTC text with milliseconds (``2024-12-26T17:02:00.000Z``), NaN becomes
    None (NULL), flags become ``boolean`` (``int`` for SQLite, ``bool`` for PostgreSQL);
    both backends write the same values this way.
    """
    values: list[list[Any]] = []
    for name in STORED_COLUMNS:
        series = chunk[name]
        if name == "time":
            values.append(series.dt.strftime(_TIME_FORMAT).str.slice(0, 23).add("Z").tolist())
        elif name in FLOAT_COLUMNS:
            values.append(series.astype(object).where(series.notna(), None).tolist())
        elif name in BOOL_COLUMNS:
            values.append(series.astype("int64" if boolean is int else bool).tolist())
        elif name == "point":
            values.append(series.astype("int64").tolist())
        else:
            values.append(series.tolist())
    return values


def read_positions(db: sqlite3.Connection, provenance_of: dict[str, str]) -> pd.DataFrame:
    """Return every stored position as a position table, with ``batch_id`` added, in batch then row order.

    Parameters
    ----------
    db : sqlite3.Connection
        The workspace.
    provenance_of : dict of str to str
        Batch id -> the provenance text its features carry.
    """
    quoted = ", ".join(f't."{name}"' for name in STORED_COLUMNS)
    cursor = db.execute(f'SELECT t.batch_id, {quoted} FROM "{TABLE}" AS t JOIN import_batches AS b '
                        "ON b.id = t.batch_id ORDER BY b.fid, t.batch_row")
    rows = cursor.fetchall()
    if not rows:
        frame = build_position_frame({}, 0)
        frame["batch_id"] = pd.Series(dtype=object)
        return frame
    table = pd.DataFrame.from_records(rows, columns=["batch_id", *STORED_COLUMNS])
    columns = {name: table[name] for name in STORED_COLUMNS if name != "time"}
    columns["time"] = pd.Series(pd.to_datetime(table["time"], utc=True, format="ISO8601"))
    columns["provenance"] = table["batch_id"].map(provenance_of)
    frame = build_position_frame(columns)
    frame["batch_id"] = table["batch_id"].to_numpy(dtype=object)
    return frame


def delete_positions(db: sqlite3.Connection, batch_id: str) -> None:
    """Delete the positions of one batch (inside the caller's transaction)."""
    db.execute(f'DELETE FROM "{TABLE}" WHERE batch_id = ?', (batch_id,))
    db.execute(f'DELETE FROM "{FORMATS_TABLE}" WHERE batch_id = ?', (batch_id,))
    db.execute(f'DELETE FROM "{LEGS_TABLE}" WHERE batch_id = ?', (batch_id,))


def list_simplified_batches(db: sqlite3.Connection) -> frozenset[str]:
    """Return the ids of track batches whose source thinned the track."""
    return frozenset(row[0] for row in db.execute(f'SELECT batch_id FROM "{FORMATS_TABLE}" WHERE simplified = 1'))


def read_track_formats(db: sqlite3.Connection) -> dict[str, str]:
    """Return each track batch's format (batch id -> ``readsb trace_full`` ...)."""
    return dict(db.execute(f'SELECT batch_id, format FROM "{FORMATS_TABLE}"').fetchall())
