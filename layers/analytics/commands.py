"""``python -m layers routes | diff | itineraries``: the air-bridge analytics on the command line.

    python -m layers routes --from YYYY-MM-DD --to YYYY-MM-DD --format json|csv [--workspace DIR]
    python -m layers diff --from YYYY-MM-DD --to YYYY-MM-DD [--window-days N] [--format text|json|csv]
    python -m layers itineraries --from YYYY-MM-DD --to YYYY-MM-DD [--max-gap-hours H] [--format json|csv]

``routes`` prints a JSON array with one record a line, one per directed route
(:mod:`layers.analytics.routes`), or a CSV table; the
records that cannot be put on a route (an endpoint that is not located) are named on
standard error. ``diff`` compares the two dates (:mod:`layers.analytics.changes`).
Without ``--from`` / ``--to`` the whole period of the data is used. Exit status: 0, 1 for
data problems, 2 for a bad command line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from layers.analytics.changes import compare_dates
from layers.analytics.itineraries import DEFAULT_MAX_GAP_HOURS, chain_itineraries, describe_itinerary
from layers.analytics.legs import Period, list_legs
from layers.analytics.routes import summarise_legs
from layers.analytics.tables import (
    CHANGE_COLUMNS,
    ITINERARY_LEG_COLUMNS,
    ROUTE_COLUMNS,
    build_change_rows,
    build_itinerary_rows,
    build_route_rows,
    describe_changes,
    write_csv,
)
from layers.dataset import DEFAULT_DATA_DIR, Dataset
from layers.errors import DataValidationError
from layers.store import WorkspaceError
from layers.timeline import DEFAULT_WINDOW_DAYS
from layers.workspace import load_workspace_dataset

ANALYTICS_COMMANDS = ("routes", "diff", "itineraries")
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def add_analytics_commands(commands: Any) -> None:
    """Add ``routes``, ``diff`` and ``itineraries`` to the subcommands of ``python -m layers``.

    Parameters
    ----------
    commands : argparse._SubParsersAction
        What ``ArgumentParser.add_subparsers`` returned.
    """
    from layers.cli import add_workspace_option, parse_iso_date  # cli imports this module: import when called

    routes = commands.add_parser("routes", help="print route statistics for a period (JSON or CSV)")
    diff = commands.add_parser("diff", help="print what changed between two dates")
    itineraries = commands.add_parser("itineraries", help="print the legs one aircraft flew in a row")
    for command in (routes, diff, itineraries):
        command.add_argument("--from", dest="start", type=parse_iso_date, metavar="YYYY-MM-DD",
                             help="first day (default: the first day of the data)")
        command.add_argument("--to", dest="end", type=parse_iso_date, metavar="YYYY-MM-DD",
                             help="last day, included (default: the last day of the data)")
        command.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR,
                             help="dataset folder (default: the shipped data/)")
        add_workspace_option(command)
    routes.add_argument("--format", choices=("json", "csv"), default="json")
    itineraries.add_argument("--format", choices=("json", "csv"), default="json")
    itineraries.add_argument("--max-gap-hours", type=_parse_hours, default=DEFAULT_MAX_GAP_HOURS, metavar="H",
                             help=f"longest time between two legs of one itinerary (default {DEFAULT_MAX_GAP_HOURS:g})")
    diff.add_argument("--format", choices=("text", "json", "csv"), default="text")
    diff.add_argument("--window-days", type=_parse_days, default=DEFAULT_WINDOW_DAYS, metavar="N",
                      help=f"flight window ending on each date, in days (default {DEFAULT_WINDOW_DAYS})")


def run_analytics_command(args: argparse.Namespace) -> int:
    """Run ``routes``, ``diff`` or ``itineraries``; return the exit status."""
    try:
        dataset = load_workspace_dataset(args.data, args.workspace)
    except (DataValidationError, WorkspaceError) as exc:
        print(exc, file=sys.stderr)
        return EXIT_PROBLEMS
    start = args.start or dataset.first_date.date()
    end = args.end or dataset.last_date.date()
    if end < start:
        print(f"python -m layers {args.command}: --to ({end}) is before --from ({start})", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "diff":
        return _print_changes(dataset, args, start, end)
    legs = list_legs(dataset, Period(start, end))
    if args.command == "itineraries":
        return _print_itineraries(dataset, args, legs.legs)
    routes = summarise_legs(dataset, legs)
    if args.format == "csv":
        sys.stdout.write(write_csv(build_route_rows(routes), ROUTE_COLUMNS))
    else:
        sys.stdout.write(_dump_lines([route.as_record() for route in routes]))
    if legs.unlocated:
        print(f"note: {len(legs.unlocated)} records have an endpoint that cannot be located and are on no route: "
              + ", ".join(f"{r['id']} ({r['origin']} -> {r['destination']})" for r in legs.unlocated),
              file=sys.stderr)
    if legs.merged:
        print(f"note: {len(legs.merged)} recorded flights are also ADS-B tracks and count once: "
              + ", ".join(f"{record} = {track}" for record, track in legs.merged), file=sys.stderr)
    return 0


def _print_changes(dataset: Dataset, args: argparse.Namespace, start: Any, end: Any) -> int:
    changes = compare_dates(dataset, start, end, args.window_days)
    if args.format == "json":
        sys.stdout.write(_dump(changes.as_record()))
    elif args.format == "csv":
        sys.stdout.write(write_csv(build_change_rows(changes), CHANGE_COLUMNS))
    else:
        print(describe_changes(changes))
    return 0


def _print_itineraries(dataset: Dataset, args: argparse.Namespace, legs: Any) -> int:
    described = [describe_itinerary(dataset, i) for i in chain_itineraries(legs, args.max_gap_hours)]
    if args.format == "json":
        sys.stdout.write(_dump(described))
        return 0
    sys.stdout.write(write_csv(build_itinerary_rows(described), ITINERARY_LEG_COLUMNS))
    return 0


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _dump_lines(records: list[dict[str, Any]]) -> str:
    """Return a JSON array with one record a line (the C encoder; indenting would use the slow Python one)."""
    if not records:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False, allow_nan=False) for r in records) + "\n]\n"


def _parse_days(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of days, 1 or more")
    return int(text)


def _parse_hours(text: str) -> float:
    try:
        hours = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of hours, e.g. 24") from None
    if not 0 <= hours < 10_000:
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of hours from 0 to 9999")
    return hours
