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
import re
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, TypeVar

from layers import DEFAULT_DATA_DIR, Dataset, DataValidationError, Snapshot, TimeSelection, build_snapshot
from layers.cli import add_workspace_option, parse_window_days
from layers.extents import EXTENTS, Extent
from layers.filters import FILTER_SPECS, VOCABULARIES, Filters, apply_filters, list_countries, parse_filters
from layers.store import WorkspaceError
from layers.timeline import CUMULATIVE, DEFAULT_WINDOW_DAYS
from layers.workspace import load_workspace_dataset

from dashboard.export.atomic import check_writable_folder, write_atomically
from dashboard.export.briefing import (
    DEFAULT_MARKING,
    DEFAULT_TITLE,
    BriefingSpec,
    check_basemap,
    check_caption,
    parse_size,
    resolve_extent,
)
from dashboard.export.errors import ExportError, ExportInputError, ExportWriteError
from dashboard.export.formats import ANIMATION_FORMATS, FORMATS
from dashboard.export.product import name_product, write_product_files
from dashboard.export.progress import ProgressBar
from dashboard.export.series import parse_dates
from dashboard.export.signals import ExportInterrupted, stop_on_signals

PROG = "python -m dashboard.export"
NEGATIVE_VALUE_OPTIONS = ("--extent",)  # options whose value may start with a minus sign
NUMBER_LIST = re.compile(r"^-[\d.]+(?:\s*,\s*-?[\d.]+)*$")
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
    parser.add_argument("--as-of", required=True, metavar="DATES",
                        help="YYYY-MM-DD; several dates write one file per date into the --out folder")
    parser.add_argument("--every", type=_argument(parse_step_days), default=None, metavar="N",
                        help="step in days of an --as-of range FIRST..LAST (same as FIRST..LAST/Nd)")
    parser.add_argument("--deck", action="store_true",
                        help="pdf or pptx: write every date into one file (one page or slide per date); "
                             "gif and mp4 always do")
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
    parser.add_argument("--basemap", default="natural_earth", metavar="NAME", type=_argument(check_basemap),
                        help="basemap of the interactive HTML and of --as-seen (default: the embedded natural_earth)")
    parser.add_argument("--as-seen", action="store_true",
                        help="png only: picture of the live map with its basemap tiles, framed as a slide "
                        "(falls back to the static image, with a warning, without Chromium or network)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, metavar="DIR",
                        help="dataset folder (default: the shipped data/)")
    add_workspace_option(parser)
    for spec in FILTER_SPECS:
        values = "country codes of the data's sites and places, e.g. LY,SY" if spec.labels is None else \
            ",".join(VOCABULARIES[spec.field])
        parser.add_argument(spec.option, dest=f"filter_{spec.param}", default=None, metavar="VALUES",
                            help=f"keep only these ({values}), comma-separated, as the page's "
                                 f"'{spec.param}' URL parameter (default: all)")
    return parser


def read_filter_options(args: argparse.Namespace, dataset: Dataset) -> Filters:
    """Return the filters of ``--confidence``, ``--record-type``, ``--category``, ``--country``, ``--affiliation``.

    Raises
    ------
    ExportInputError
        Naming the option, its unknown values and the values it takes.
    """
    given = {spec.param: getattr(args, f"filter_{spec.param}") for spec in FILTER_SPECS
             if getattr(args, f"filter_{spec.param}") is not None}
    filters, problems = parse_filters(given, list_countries(dataset))
    if problems:
        problem = problems[0]
        raise ExportInputError(f"{problem.spec.option} {', '.join(problem.unknown)}: unknown value; use "
                               f"{', '.join(problem.allowed)}, comma-separated")
    return filters


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    SIGTERM and SIGINT stop the export: the file being written is removed (no ``.part``
    file is left), one line says so on stderr and the status is 128 + the signal number.
    """
    with stop_on_signals():
        try:
            return _run(argv)
        except ExportInterrupted as exc:
            return _fail(f"stopped by {exc.signal_name}: the file being written was removed", 128 + exc.signum)


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(join_negative_values(sys.argv[1:] if argv is None else argv))
    if args.as_seen and args.format != "png":
        parser.error("--as-seen makes a PNG: use it with --format png")
    if args.deck and args.format not in ("pdf", "pptx", *ANIMATION_FORMATS):  # deck.DECK_FORMATS
        parser.error(f"--deck makes one PDF or PowerPoint file: use --format pdf or pptx, not {args.format}")
    # An animation is always one file of every date, as a deck is.
    args.deck = args.deck or args.format in ANIMATION_FORMATS
    try:
        args.as_of = parse_dates(args.as_of, every_days=args.every)
    except ExportInputError as exc:
        parser.error(f"argument --as-of: {exc}")
    try:
        # Before plan_outputs, which may create the --out folder of a series.
        check_caption(args.title, "--title")
        check_caption(args.marking, "--marking")
        targets = plan_outputs(args.out, args.as_of, args.format, args.extent, deck=args.deck)
        dataset = load_workspace_dataset(args.data, args.workspace)
        args.filters = read_filter_options(args, dataset)
        dataset = apply_filters(dataset, args.filters)
    except ExportInputError as exc:
        return _fail(str(exc), EXIT_INPUT)
    except ExportError as exc:
        return _fail(str(exc), EXIT_FAILURE)
    except DataValidationError as exc:
        return _fail(f"the data in {args.data} is not valid ({len(exc.problems)} problems); "
                     "run 'python -m layers validate' for the list", EXIT_FAILURE)
    except WorkspaceError as exc:
        return _fail(str(exc), EXIT_FAILURE)
    generated_at = dt.datetime.now(dt.UTC)
    if args.deck:
        return _write_deck(args, dataset, targets[0][1], generated_at)
    progress = ProgressBar(len(targets)) if len(targets) > 1 else None
    pages: list[Path] = []  # a PNG slide's sources pages (png_pages)
    for day, path in targets:
        try:
            spec = BriefingSpec(TimeSelection(day, args.window_days), format=args.format, title=args.title,
                                marking=args.marking, extent=args.extent[0], extent_name=args.extent[1],
                                size=args.size, basemap=args.basemap, filters=args.filters,
                                generated_at=generated_at)
            snapshot = build_snapshot(dataset, spec.selection)
            if args.as_seen:
                # Bound now, not looked up when called: each date writes its own snapshot.
                write_atomically(path, functools.partial(_write_as_seen, snapshot, spec, pages_beside=path,
                                                         pages=pages))
            else:
                pages += write_product_files(snapshot, spec, path, tracks=dataset.tracks,
                                             site_status=dataset.site_status)[1:]
        except ExportInputError as exc:
            return _fail(str(exc), EXIT_INPUT)
        except ExportError as exc:
            return _fail(str(exc), EXIT_FAILURE)
        if progress:
            progress.advance(str(path))
    if not progress:
        print(f"wrote {targets[0][1]}", file=sys.stderr)
    for page in pages:
        print(f"wrote {page} (sources that do not fit on the slide)", file=sys.stderr)
    return 0


def plan_outputs(out: Path, dates: list[dt.date], format_key: str, extent: tuple[Extent, str], *,
                 deck: bool = False) -> list[tuple[dt.date, Path]]:
    """Return the file to write for each date, after checking that it can be written.

    One date: ``out`` is the file (its suffix must match the format; a missing suffix is
    added), or an existing folder to write the default name into. Several dates: ``out``
    is a folder, created if its parent exists, holding ``airbridge-DATE[-EXTENT].SUFFIX``
    (a custom extent named by its box, :func:`~dashboard.export.product.name_extent`).
    A deck is one file, as for one date, named ``airbridge-FIRST-to-LAST-EXTENT.SUFFIX``
    in a folder; the list then holds the first date with that file.

    Raises
    ------
    ExportInputError
        If ``out`` has another format's suffix.
    ExportWriteError
        If the folder is missing or not writable.
    """
    suffix = FORMATS[format_key].suffix

    def name(day: dt.date, last: dt.date | None = None) -> str:
        return name_product(BriefingSpec(TimeSelection(day), format=format_key, extent=extent[0],
                                         extent_name=extent[1]), last=last)

    if deck:
        if out.is_dir():
            check_writable_folder(out)
            return [(dates[0], out / name(dates[0], dates[-1] if len(dates) > 1 else None))]
        dates = dates[:1]
    if len(dates) == 1 and not out.is_dir():
        if out.suffix.lower() != suffix:
            if out.suffix:
                raise ExportInputError(f"--out {out} does not end in {suffix}: name the {format_key} file "
                                       f"{out.with_suffix(suffix).name}")
            out = out.with_suffix(suffix)
        check_writable_folder(out.parent if str(out.parent) else Path("."))
        return [(dates[0], out)]
    if len(dates) == 1:
        check_writable_folder(out)
        return [(dates[0], out / name(dates[0]))]
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
    return [(day, out / name(day)) for day in dates]


def _write_deck(args: argparse.Namespace, dataset: Dataset, path: Path, generated_at: dt.datetime) -> int:
    """Write every date of ``args.as_of`` into the one PDF or PPTX at ``path``."""
    from dashboard.export.animation import write_animation
    from dashboard.export.deck import write_deck  # matplotlib's PDF backend: only when a deck is written

    write_series = write_animation if args.format in ANIMATION_FORMATS else write_deck

    progress = ProgressBar(len(args.as_of)) if len(args.as_of) > 1 else None
    try:
        briefings = []
        for day in args.as_of:
            spec = BriefingSpec(TimeSelection(day, args.window_days), format=args.format, title=args.title,
                                marking=args.marking, extent=args.extent[0], extent_name=args.extent[1],
                                size=args.size, basemap=args.basemap, filters=args.filters,
                                generated_at=generated_at)
            briefings.append((build_snapshot(dataset, spec.selection), spec))
        advance = (lambda done: progress.advance(f"{path} ({done} of {len(briefings)})")) if progress else None
        write_atomically(path, lambda temporary: write_series(briefings, temporary, advance=advance))
    except ExportInputError as exc:
        return _fail(str(exc), EXIT_INPUT)
    except ExportError as exc:
        return _fail(str(exc), EXIT_FAILURE)
    unit = "frames" if args.format in ANIMATION_FORMATS else "briefings"
    print(f"wrote {path} ({len(briefings)} {unit}, one per date)", file=sys.stderr)
    return 0


def parse_step_days(text: str) -> int:
    """Parse ``--every N``: a whole number of days from 1 up.

    Raises
    ------
    ExportInputError
        With the form to write.
    """
    if not text.strip().isdigit() or int(text) < 1:
        raise ExportInputError(f"--every {text!r}: give a whole number of days, 1 or more (e.g. --every 7)")
    return int(text)


def join_negative_values(argv: Sequence[str]) -> list[str]:
    """Return ``argv`` with ``--extent -10,30,40,45`` written ``--extent=-10,30,40,45``.

    argparse takes a value that starts with ``-`` (other than a lone negative number) for
    an option, so a box west of Greenwich would need the ``=`` form; both are accepted.

    Examples
    --------
    >>> join_negative_values(["--extent", "-10,30,40,45", "--format", "png"])
    ['--extent=-10,30,40,45', '--format', 'png']
    """
    joined: list[str] = []
    values = iter(argv)
    for item in values:
        if item in NEGATIVE_VALUE_OPTIONS:
            value = next(values, None)
            if value is not None and NUMBER_LIST.match(value):
                joined.append(f"{item}={value}")
                continue
            joined.append(item)
            if value is not None:
                joined.append(value)
            continue
        joined.append(item)
    return joined


def _write_as_seen(snapshot: Snapshot, spec: BriefingSpec, path: Path, *, pages_beside: Path,
                   pages: list[Path]) -> None:
    """Write the snapshot as seen, its sources pages beside ``pages_beside``; a fallback is reported on stderr."""
    from dashboard.export.snapshot_as_seen import StaticFallbackWarning, write_snapshot_as_seen  # Playwright

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", StaticFallbackWarning)
        write_snapshot_as_seen(snapshot, spec, path, pages_beside=pages_beside, pages_written=pages)
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
