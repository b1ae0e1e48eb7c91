"""The ``python -m layers`` command line: ``validate`` the dataset, print ``geojson``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from layers.dataset import DEFAULT_DATA_DIR, load_dataset
from layers.errors import DataValidationError
from layers.features import build_snapshot
from layers.geojson import build_feature_collection, dump_feature_collection
from layers.timeline import CUMULATIVE, DEFAULT_WINDOW_DAYS, TimeSelection


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


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``python -m layers``."""
    parser = argparse.ArgumentParser(prog="python -m layers", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check the dataset and print a summary")
    geojson = commands.add_parser("geojson", help="print everything visible on a date as GeoJSON")
    for command in (validate, geojson):
        command.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR,
                             help="dataset folder (default: the shipped data/)")
    geojson.add_argument("--as-of", type=parse_iso_date, required=True, metavar="YYYY-MM-DD")
    geojson.add_argument("--window-days", type=parse_window_days, default=DEFAULT_WINDOW_DAYS, metavar="N",
                         help=f"flight window ending on the date, in days, or {CUMULATIVE!r} "
                              f"(default {DEFAULT_WINDOW_DAYS})")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        dataset = load_dataset(args.data)
    except DataValidationError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.command == "validate":
        print(
            f"OK: {args.data} is valid: {len(dataset.sites)} sites, {len(dataset.site_status)} status rows, "
            f"{len(dataset.places)} named places, {len(dataset.flights)} flight records, "
            f"{len(dataset.events)} events, {len(dataset.corridors)} corridors; "
            f"dates {dataset.first_date.date()} to {dataset.last_date.date()}."
        )
        return 0
    snapshot = build_snapshot(dataset, TimeSelection(args.as_of, args.window_days))
    sys.stdout.write(dump_feature_collection(build_feature_collection(snapshot)) + "\n")
    return 0
