"""``python -m layers``: ``validate``, ``geojson``, and the workspace's ``import``, ``imports``, ``undo``.

Every command that reads data takes ``--workspace DIR`` (or ``$AIRBRIDGE_WORKSPACE``) to
show the analyst's imported batches with the shipped data. Problems are printed one a
line, ``FILE:LINE: field 'NAME': what is wrong (value '...'). Fix: ...``; exit status 1
for data problems, 2 for a bad command line, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from layers.analytics.commands import ANALYTICS_COMMANDS, add_analytics_commands, run_analytics_command
from layers.dataset import DEFAULT_DATA_DIR, Dataset
from layers.errors import DataValidationError
from layers.features import build_snapshot
from layers.geojson import build_feature_collection, dump_feature_collection
from layers.readers import KINDS, TRACK_KINDS
from layers.source_check import check_dataset_sources
from layers.store import (
    WORKSPACE_ENV,
    NoWorkspaceError,
    WorkspaceError,
    WorkspaceStore,
    describe_workspace_option,
    find_workspace_address,
    open_workspace,
)
from layers.timeline import CUMULATIVE, DEFAULT_WINDOW_DAYS, TimeSelection
from layers.vocabulary import CONFIDENCE_LEVELS
from layers.workspace import (
    GUESS_PREFIX,
    apply_defaults,
    describe_plan,
    load_workspace_dataset,
    plan_import,
    write_import,
)
from layers.workspace_copy import add_workspace_commands, run_workspace_command

EXIT_PROBLEMS = 1


def parse_iso_date(text: str) -> dt.date:
    """Parse a ``YYYY-MM-DD`` command-line date, with a message argparse can show."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write YYYY-MM-DD, e.g. 2024-12-20") from None


def parse_window_days(text: str) -> int | None:
    """Parse ``--window-days``: a whole number of days (1 or more), or ``cumulative``."""
    if text == CUMULATIVE:
        return None
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of days (1 or more) or {CUMULATIVE!r}")
    return int(text)


def add_workspace_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--workspace DIR|URL`` (default ``$AIRBRIDGE_WORKSPACE``; without either, the shipped data only)."""
    parser.add_argument("--workspace", metavar="DIR|URL", default=os.environ.get(WORKSPACE_ENV) or None,
                        help="the analyst's workspace folder, or a team's PostGIS database (postgresql://user@host/db "
                             f"or service=NAME), shown with the shipped data (default ${WORKSPACE_ENV})")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``python -m layers``."""
    parser = argparse.ArgumentParser(prog="python -m layers", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check the dataset (and workspace) and print a summary")
    geojson = commands.add_parser("geojson", help="print everything visible on a date as GeoJSON")
    imports = commands.add_parser("import", help="import a CSV, GeoJSON, KML or KMZ file, or an ADS-B track, "
                                                 "into the workspace")
    listing = commands.add_parser("imports", help="list the workspace's batches")
    undo = commands.add_parser("undo", help="remove one batch from the workspace")
    add_workspace_commands(commands)
    add_analytics_commands(commands)
    for command in (validate, geojson, imports):
        command.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR,
                             help="dataset folder (default: the shipped data/)")
    for command in (validate, geojson, imports, listing, undo):
        add_workspace_option(command)
    geojson.add_argument("--as-of", type=parse_iso_date, required=True, metavar="YYYY-MM-DD")
    geojson.add_argument("--window-days", type=parse_window_days, default=DEFAULT_WINDOW_DAYS, metavar="N",
                         help=f"flight window ending on the date, in days, or {CUMULATIVE!r} "
                              f"(default {DEFAULT_WINDOW_DAYS})")
    imports.add_argument("file", type=Path, metavar="FILE")
    imports.add_argument("--kind", choices=[*KINDS, *TRACK_KINDS],
                         help="what the file holds: a kind of rows, or 'track' for ADS-B positions (a file or a "
                              "folder of aircraft.json snapshots); guessed and printed when omitted")
    imports.add_argument("--icao24", default="", metavar="HEX",
                         help="the aircraft's Mode S address, for track formats that do not carry it (Flightradar24)")
    imports.add_argument("--source", default="", metavar="TEXT",
                         help="cited for rows that give no source, after the file name")
    imports.add_argument("--confidence", choices=CONFIDENCE_LEVELS,
                         help="the grade of rows that give none (default: low)")
    imports.add_argument("--encoding", metavar="NAME", help="text encoding of a CSV file (default: detected)")
    imports.add_argument("--keep-valid", action="store_true", help="import the valid rows, leave out the others")
    imports.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    undo.add_argument("batch", metavar="BATCH", help="a batch id from 'python -m layers imports'")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "import":
            return run_import(args)
        if args.command == "imports":
            return run_list(args)
        if args.command == "undo":
            return run_undo(args)
        if args.command == "workspace":
            return run_workspace_command(args)
        if args.command in ANALYTICS_COMMANDS:
            return run_analytics_command(args)
        dataset = load_workspace_dataset(args.data, args.workspace)
    except (DataValidationError, WorkspaceError) as exc:
        print(exc, file=sys.stderr)
        return EXIT_PROBLEMS
    if args.command == "validate":
        print(describe_dataset(dataset, args.data, args.workspace))
        # Warnings follow the OK line and never change the exit status (docs/data.md, "The source check").
        warnings = check_dataset_sources(dataset)
        if warnings:
            print(f"{count_rows(len(warnings)).replace('row', 'source warning')} (docs/data.md, 'The source check'):")
        for warning in warnings:
            print(warning)
        return 0
    snapshot = build_snapshot(dataset, TimeSelection(args.as_of, args.window_days))
    sys.stdout.write(dump_feature_collection(build_feature_collection(snapshot)) + "\n")
    return 0


def describe_dataset(dataset: Dataset, data_dir: Path, workspace: str | None) -> str:
    """Return the one-line summary ``validate`` prints."""
    where = f"{data_dir} with workspace {find_workspace_address(workspace)}" if workspace else str(data_dir)
    return (f"OK: {where} is valid: {len(dataset.sites)} sites, {len(dataset.site_status)} status rows, "
            f"{len(dataset.places)} named places, {len(dataset.flights)} flight records, "
            f"{len(dataset.events)} events, {len(dataset.corridors)} corridors; "
            f"dates {dataset.first_date.date()} to {dataset.last_date.date()}.")


def run_import(args: argparse.Namespace) -> int:
    """Read, check and (unless ``--dry-run``) write one file as a batch; print what happened."""
    from layers.readers.dispatch import read_import
    from layers.tracks.guess import looks_like_track, looks_like_track_kml

    if args.kind == "track" or (args.kind is None and looks_like_track(args.file)):
        return run_track_import(args)
    imported = apply_defaults(read_import(args.file, args.kind, encoding=args.encoding),
                              source=args.source, confidence=args.confidence or "")
    store = _open_for_check(args) if args.dry_run else open_workspace(args.workspace)
    try:
        plan = plan_import(imported, store, data_dir=args.data, keep_valid=args.keep_valid)
        summary, *details = describe_plan(plan)
        print(summary)
        for line in details:
            # The guess is information for the user; problems go to stderr.
            print(line, file=sys.stdout if line.startswith(GUESS_PREFIX) else sys.stderr)
        if plan.refused:
            print(f"nothing was written to {store.location}: fix the problems above"
                  + ("" if args.keep_valid else ", or add --keep-valid to import the valid rows"), file=sys.stderr)
            if args.kind is None and looks_like_track_kml(args.file):
                print("hint: this KML holds time-stamped positions: if it is an ADS-B track (Flightradar24), "
                      "import it with --kind track", file=sys.stderr)
            return EXIT_PROBLEMS
        if args.dry_run:
            print("dry run: nothing was written")
            return 0
        batch = write_import(plan, store, source=args.source, confidence=args.confidence or "")
        print(f"imported {count_rows(batch.rows)} as batch {batch.id} into {store.location} "
              f"(undo: python -m layers undo {batch.id} --workspace {describe_workspace_option(store.location)})")
        return 0
    finally:
        store.close()


def run_track_import(args: argparse.Namespace) -> int:
    """Read, check and (unless ``--dry-run``) write a track file as one batch of positions."""
    from layers.tracks.importing import plan_track_import, write_track_import

    if args.kind is None:
        print(f"{GUESS_PREFIX} track (give --kind to choose)")
    if args.keep_valid:
        print("note: --keep-valid does not apply to tracks: a track with a problem is refused whole", file=sys.stderr)
    plan = plan_track_import(args.file, icao24=args.icao24)
    summary, *details = plan.describe()
    print(summary)
    for line in details:
        print(line, file=sys.stdout if line.startswith("note: ") else sys.stderr)
    if plan.refused:
        print("nothing was written: fix the problems above", file=sys.stderr)
        return EXIT_PROBLEMS
    if args.dry_run:
        print("dry run: nothing was written")
        return 0
    store = open_workspace(args.workspace)
    try:
        batch = write_track_import(plan, store, source=args.source, confidence=args.confidence or "",
                                   progress=_print_progress)
        noun = "flight legs" if plan.track.positions.empty else "positions"
        print(f"imported {batch.rows:,} {noun} as batch {batch.id} into {store.location} "
              f"(undo: python -m layers undo {batch.id} --workspace {describe_workspace_option(store.location)})")
        return 0
    finally:
        store.close()


def _print_progress(done: int, total: int) -> None:
    if total > 100_000:
        print(f"writing positions: {done:,} of {total:,}", file=sys.stderr, flush=True)


def count_rows(count: int) -> str:
    """Return ``1 row`` or ``N rows``."""
    return f"{count} row" if count == 1 else f"{count} rows"


def run_list(args: argparse.Namespace) -> int:
    """Print the workspace's batches, one a line."""
    store = open_workspace(args.workspace, create=False)
    try:
        batches = store.list_batches()
        if not batches:
            print(f"no batches in {store.location}")
        for batch in batches:
            print(f"{batch.id}  {batch.created:%Y-%m-%d %H:%M}Z  {batch.file_name}  {','.join(batch.kinds)}  "
                  f"{count_rows(batch.rows)}  by {batch.imported_by}")
        return 0
    finally:
        store.close()


def run_undo(args: argparse.Namespace) -> int:
    """Remove one batch and say what went."""
    store = open_workspace(args.workspace, create=False)
    try:
        batch = store.remove_batch(args.batch)
        print(f"removed batch {batch.id} ({batch.file_name}, {count_rows(batch.rows)}) from {store.location}")
        return 0
    finally:
        store.close()


def _open_for_check(args: argparse.Namespace) -> WorkspaceStore:
    """Open the workspace to check a dry run against, or an empty one in memory when there is none."""
    from layers.gpkg_store import GeoPackageStore

    try:
        return open_workspace(args.workspace, create=False)
    except NoWorkspaceError:
        return GeoPackageStore.open_in_memory()
