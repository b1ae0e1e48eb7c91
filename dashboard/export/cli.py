"""``python -m dashboard.export``: briefing exports from the command line, one date or a series.

Examples::

    python -m dashboard.export --as-of 2024-12-20 --format png --out briefing.png
    python -m dashboard.export --as-of 2024-12-08..2024-12-29/7d --format pdf --out weekly/
    python -m dashboard.export --as-of 2024-12-20 --format png --as-seen --basemap esri_imagery --out seen.png

Bad input (a malformed date, an unknown format, an extent that makes no sense, a title or
marking with a control character or over 200 characters, a path that cannot be written)
gets one line on stderr and exit status 2 (input) or 1 (data or writing); no partial file
is left behind.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, TypeVar

from layers import DEFAULT_DATA_DIR, DataValidationError, Snapshot, TimeSelection, build_snapshot
from layers.cli import add_workspace_option, parse_window_days
from layers.extents import EXTENTS
from layers.store import WorkspaceError
from layers.timeline import CUMULATIVE, DEFAULT_WINDOW_DAYS
from layers.workspace import load_workspace_dataset

from dashboard.export.atomic import check_writable_folder, write_atomically
from dashboard.export.briefing import (
    DEFAULT_MARKING,
    DEFAULT_TITLE,
    BriefingSpec,
    check_caption,
    parse_size,
    resolve_extent,
)
from dashboard.export.errors import ExportError, ExportInputError, ExportWriteError
from dashboard.export.formats import FORMATS
from dashboard.export.product import name_product, write_product
from dashboard.export.progress import ProgressBar
from dashboard.export.series import parse_dates

PROG = "python -m dashboard.export"
T = TypeVar("T")
EXIT_INPUT, EXIT_FAILURE = 2, 1


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr (no usage block)."""

    def error(self, message: str) -> NoReturn:
        """Print ``PROG: error: message`` and exit with status 2."""
        self.exit(EXIT_INPUT, f"{self.prog}: error: {quote_unprintable(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``python -m dashboard.export``."""
    parser = OneLineParser(prog=PROG, description="Write a briefing product (map image, slide, document or "
                           "data) of the Airbridge layers as of one date or a series of dates.",
                           epilog="Dates: YYYY-MM-DD, a list 2024-12-08,2024-12-20, or a range with a step "
                           "2024-12-08..2024-12-29/7d (d = days, w = weeks). See docs/exports.md.")
    parser.add_argument("--as-of", required=True, type=_argument(parse_dates), metavar="DATES",
                        help="YYYY-MM-DD; several dates write one file per date into the --out folder")
    parser.add_argument("--window-days", type=parse_window_days, default=DEFAULT_WINDOW_DAYS, metavar="N",
                        help=f"flight window ending on the date, in days, or {CUMULATIVE!r} "
                             f"(default {DEFAULT_WINDOW_DAYS})")
    parser.add_argument("--format", required=True, choices=list(FORMATS), metavar="FORMAT",
                        help=f"one of {', '.join(FORMATS)}")
    parser.add_argument("--out", required=True, type=Path, metavar="PATH",
                        help="file to write; for several dates, a folder (created if missing)")
    parser.add_argument("--title", default=DEFAULT_TITLE, help=f"slide title (default: {DEFAULT_TITLE!r})")
    parser.add_argument("--marking", default=DEFAULT_MARKING,
                        help=f"marking line at top and bottom (default: {DEFAULT_MARKING!r})")
    parser.add_argument("--extent", default="theatre", type=_argument(resolve_extent), metavar="EXTENT",
                        help=f"{'|'.join(EXTENTS)} or W,S,E,N in degrees (default theatre)")
    parser.add_argument("--size", type=_argument(parse_size), default=None, metavar="WxH",
                        help="image size in pixels (default 1920x1080; A4 landscape for pdf; 'a4' also works)")
    parser.add_argument("--basemap", default="natural_earth", metavar="NAME",
                        help="basemap of the interactive HTML and of --as-seen (default: the embedded natural_earth)")
    parser.add_argument("--as-seen", action="store_true",
                        help="png only: picture of the live map with its basemap tiles, framed as a slide "
                        "(falls back to the static image, with a warning, without Chromium or network)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, metavar="DIR",
                        help="dataset folder (default: the shipped data/)")
    add_workspace_option(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.as_seen and args.format != "png":
        parser.error("--as-seen makes a PNG: use it with --format png")
    try:
        # Before plan_outputs, which may create the --out folder of a series.
        check_caption(args.title, "--title")
        check_caption(args.marking, "--marking")
        targets = plan_outputs(args.out, args.as_of, args.format, args.extent[1])
        dataset = load_workspace_dataset(args.data, args.workspace)
    except ExportInputError as exc:
        return _fail(str(exc), EXIT_INPUT)
    except ExportError as exc:
        return _fail(str(exc), EXIT_FAILURE)
    except DataValidationError as exc:
        return _fail(f"the data in {args.data} is not valid ({len(exc.problems)} problems); "
                     "run 'python -m layers validate' for the list", EXIT_FAILURE)
    except WorkspaceError as exc:
        return _fail(str(exc), EXIT_FAILURE)
    progress = ProgressBar(len(targets)) if len(targets) > 1 else None
    generated_at = dt.datetime.now(dt.UTC)
    for day, path in targets:
        try:
            spec = BriefingSpec(TimeSelection(day, args.window_days), format=args.format, title=args.title,
                                marking=args.marking, extent=args.extent[0], extent_name=args.extent[1],
                                size=args.size, basemap=args.basemap, generated_at=generated_at)
            snapshot = build_snapshot(dataset, spec.selection)
            if args.as_seen:
                # Bound now, not looked up when called: each date writes its own snapshot.
                write_atomically(path, functools.partial(_write_as_seen, snapshot, spec))
            else:
                write_product(snapshot, spec, path, tracks=dataset.tracks)
        except ExportInputError as exc:
            return _fail(str(exc), EXIT_INPUT)
        except ExportError as exc:
            return _fail(str(exc), EXIT_FAILURE)
        if progress:
            progress.advance(str(path))
    if not progress:
        print(f"wrote {targets[0][1]}", file=sys.stderr)
    return 0


def plan_outputs(out: Path, dates: list[dt.date], format_key: str, extent_name: str) -> list[tuple[dt.date, Path]]:
    """Return the file to write for each date, after checking that it can be written.

    One date: ``out`` is the file (its suffix must match the format; a missing suffix is
    added), or an existing folder to write the default name into. Several dates: ``out``
    is a folder, created if its parent exists, holding ``airbridge-DATE[-EXTENT].SUFFIX``.

    Raises
    ------
    ExportInputError
        If ``out`` has another format's suffix.
    ExportWriteError
        If the folder is missing or not writable.
    """
    suffix = FORMATS[format_key].suffix
    if len(dates) == 1 and not out.is_dir():
        if out.suffix.lower() != suffix:
            if out.suffix:
                raise ExportInputError(f"--out {out} does not end in {suffix}: name the {format_key} file "
                                       f"{out.with_suffix(suffix).name}")
            out = out.with_suffix(suffix)
        check_writable_folder(out.parent if str(out.parent) else Path("."))
        return [(dates[0], out)]
    if not out.is_dir():
        if out.suffix:
            raise ExportInputError(f"--out {out} looks like a file, but {len(dates)} dates need a folder "
                                   "(one file per date)")
        check_writable_folder(out.parent if str(out.parent) else Path("."))
        try:
            out.mkdir()
        except OSError as exc:
            raise ExportWriteError(f"cannot create folder {out}: {exc.strerror}") from exc
    check_writable_folder(out)
    return [(day, out / name_product(BriefingSpec(TimeSelection(day), format=format_key, extent_name=extent_name)))
            for day in dates]


def _write_as_seen(snapshot: Snapshot, spec: BriefingSpec, path: Path) -> None:
    """Write the snapshot as seen; a fallback to the static image is reported on stderr."""
    from dashboard.export.snapshot_as_seen import StaticFallbackWarning, write_snapshot_as_seen  # Playwright

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", StaticFallbackWarning)
        write_snapshot_as_seen(snapshot, spec, path)
    for warning in caught:
        print(f"{PROG}: warning: {warning.message}", file=sys.stderr)


def _argument(parse: Callable[[str], T]) -> Callable[[str], T]:
    """Wrap a parser raising ExportInputError so argparse reports its message in one line."""
    def convert(text: str) -> T:
        try:
            return parse(text)
        except ExportInputError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = parse.__name__
    return convert


def quote_unprintable(text: str) -> str:
    r"""Return ``text`` with line breaks, control and format characters written as escapes.

    Messages quote what the user gave (a path, a value), and a newline or a terminal
    escape in it would break the one-line error or change the terminal.

    Examples
    --------
    >>> quote_unprintable("bad\nname\x1b[31m")
    'bad\\nname\\x1b[31m'
    """
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text)


def _fail(message: str, status: int) -> int:
    print(f"{PROG}: error: {quote_unprintable(message)}", file=sys.stderr)
    return status
