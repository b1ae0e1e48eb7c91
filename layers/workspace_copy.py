"""``python -m layers workspace copy SRC DST`` and ``workspace init LOCATION``: hand a workspace over.

A copy moves a workspace between backends in either direction (a GeoPackage folder and
a PostGIS database, or two of one kind): every batch with its id, time, importer, file,
source and default confidence, its rows of every kind, its ADS-B positions, stated flight
legs, track format and "simplified" flag. Each batch is written in one transaction
through the store interface (``restore=`` keeps its identity), oldest first, into a
workspace that holds no batch yet; if a copy stops part way, the message names what was
copied, and the destination is removed and the copy run again.

``init`` makes an empty workspace (for PostGIS: the schema, and the team roles
``airbridge_editor`` and ``airbridge_viewer`` granted on it when the user may create them).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

import pandas as pd

from layers.store import Batch, WorkspaceError, WorkspaceStore, is_database_location, open_workspace, redact_location
from layers.tracks.positions import FlightLeg

TRACK_KIND = "track"


@dataclass(frozen=True)
class CopyReport:
    """What a copy wrote: the batches, and how many rows and positions in all."""

    batches: tuple[Batch, ...]
    rows: int
    positions: int


def copy_workspace(source: str, destination: str) -> CopyReport:
    """Copy every batch of the workspace at ``source`` into the empty workspace at ``destination``.

    Raises
    ------
    WorkspaceError
        If either cannot be opened, the destination already holds batches, or a write
        fails (the message says which batches were copied before it).
    """
    reader = open_workspace(source, create=False)
    try:
        writer = open_workspace(destination, create=True)
        try:
            return _copy_batches(reader, writer)
        finally:
            writer.close()
    finally:
        reader.close()


def _copy_batches(reader: WorkspaceStore, writer: WorkspaceStore) -> CopyReport:
    existing = writer.list_batches()
    if existing:
        raise WorkspaceError(f"{writer.location} already holds {len(existing)} batches: copy into a new, empty "
                             "workspace (another folder or database)")
    rows, positions, legs = reader.read_rows(), reader.read_positions(), reader.read_legs()
    simplified, formats = reader.list_simplified_batches(), read_track_formats(reader)
    copied: list[Batch] = []
    try:
        for batch in reader.list_batches():
            if TRACK_KIND in batch.kinds:
                mine = positions[positions["batch_id"] == batch.id].drop(columns=["batch_id"]).reset_index(drop=True)
                writer.add_track_batch(batch.file_name, mine, track_format=formats.get(batch.id, ""),
                                       simplified=batch.id in simplified, legs=_legs_of(legs, batch.id),
                                       source=batch.source, confidence=batch.confidence, restore=batch)
            else:
                cells = {kind: [dict(row.cells) for row in rows.get(kind, []) if row.batch.id == batch.id]
                         for kind in batch.kinds}
                writer.add_batch(batch.file_name, cells, source=batch.source, confidence=batch.confidence,
                                 restore=batch)
            copied.append(batch)
    except (WorkspaceError, ValueError) as exc:
        done = ", ".join(b.id for b in copied) or "none"
        raise WorkspaceError(f"the copy stopped at batch {len(copied) + 1} ({exc}); copied before it: {done}. "
                             f"Remove {writer.location} and copy again") from exc
    count = sum(b.rows for b in copied if TRACK_KIND not in b.kinds)
    return CopyReport(tuple(copied), count, len(positions))


def read_track_formats(store: WorkspaceStore) -> dict[str, str]:
    """Return each track batch's format (batch id -> format name), from either backend."""
    from layers import gpkg_positions
    from layers.gpkg_store import GeoPackageStore

    if isinstance(store, GeoPackageStore):
        return gpkg_positions.read_track_formats(store.connection)
    from layers import pg_positions
    from layers.pg_store import PostGISStore

    if isinstance(store, PostGISStore):
        return pg_positions.read_track_formats(store.connection)
    raise TypeError(f"not a workspace store Airbridge knows: {type(store).__name__}")


def _legs_of(legs: pd.DataFrame, batch_id: str) -> tuple[FlightLeg, ...]:
    mine = legs[legs["batch_id"] == batch_id]
    return tuple(FlightLeg(str(row["icao24"]), str(row["callsign"]), pd.Timestamp(row["first_seen"]),
                           pd.Timestamp(row["last_seen"]), str(row["departure"]), str(row["arrival"]), int(row["leg"]))
                 for row in mine.to_dict("records"))


def init_workspace(location: str) -> list[str]:
    """Make (or migrate) the workspace at ``location``; for PostGIS also grant the team roles. Return what to say."""
    store = open_workspace(location, create=True)
    try:
        lines = [f"workspace ready at {store.location} ({len(store.list_batches())} batches)"]
        if is_database_location(location):
            from layers.pg_schema import grant_team_roles
            from layers.pg_store import PostGISStore

            if isinstance(store, PostGISStore):
                try:
                    lines.append(grant_team_roles(store.connection, store.location))
                except WorkspaceError as exc:
                    lines.append(f"note: {exc}")
        return lines
    finally:
        store.close()


def add_workspace_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``workspace copy SRC DST`` and ``workspace init LOCATION`` with ``python -m layers``."""
    workspace = commands.add_parser("workspace", help="make a workspace, or copy one between GeoPackage and PostGIS")
    actions = workspace.add_subparsers(dest="workspace_command", required=True)
    copy = actions.add_parser("copy", help="copy every batch of SRC into the empty workspace DST (ids, times and "
                                           "importers kept)")
    copy.add_argument("source", metavar="SRC", help="a workspace folder or a postgresql:// URL")
    copy.add_argument("destination", metavar="DST", help="a new workspace folder or database (postgresql://...)")
    init = actions.add_parser("init", help="make an empty workspace; for PostGIS also grant airbridge_editor and "
                                           "airbridge_viewer")
    init.add_argument("location", metavar="LOCATION", help="a workspace folder or a postgresql:// URL")


def run_workspace_command(args: argparse.Namespace) -> int:
    """Run ``workspace copy`` or ``workspace init``; print what happened (errors go to the caller)."""
    if args.workspace_command == "init":
        for line in init_workspace(args.location):
            print(line, file=sys.stderr if line.startswith("note: ") else sys.stdout)
        return 0
    report = copy_workspace(args.source, args.destination)
    print(f"copied {len(report.batches)} batches ({report.rows} rows, {report.positions:,} positions) "
          f"into {redact_location(args.destination)}")
    return 0
