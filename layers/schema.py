"""The dataset's schema as a table of field specs (see docs/data.md), with cell parsers.

The values a coded column may hold come from :mod:`layers.vocabulary`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from layers.sources import SOURCE_SEPARATOR, find_source_problem, split_sources
from layers.vocabulary import (
    ACTORS,
    CONFIDENCE_LEVELS,
    EVENT_CATEGORIES,
    OBSERVATION_METHODS,
    RECORD_TYPES,
    SITE_GROUPS,
    SITE_KINDS,
    STATUSES,
)

_ID = re.compile(r"^[a-z0-9_]+$")
_RECORD_ID = re.compile(r"^[a-z0-9_-]+$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_CODE = re.compile(r"^[A-Z0-9]{3,4}$")
_ICAO24 = re.compile(r"^[0-9a-f]{6}$")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")  # not the locale's: every surface words a date the same way


class CellError(ValueError):
    """A cell value that does not parse; carries the hint shown to the user."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, month or year; it takes effect on its first day."""

    start: dt.date
    precision: str  # "day", "month" or "year"
    text: str

    @property
    def end(self) -> dt.date:
        """The last day it can mean (``2025-05`` -> 2025-05-31, ``2015`` -> 2015-12-31).

        Examples
        --------
        >>> parse_partial_date("2024-02").end, parse_partial_date("2024-12-13").end
        (datetime.date(2024, 2, 29), datetime.date(2024, 12, 13))
        """
        if self.precision == "day":
            return self.start
        if self.precision == "year" or self.start.month == 12:
            return dt.date(self.start.year, 12, 31)
        return dt.date(self.start.year, self.start.month + 1, 1) - dt.timedelta(days=1)


def parse_id(value: str) -> str:
    """Parse a site or place id (lower-case snake_case)."""
    if not _ID.match(value):
        raise CellError("not a valid id", "use lower-case letters, digits and _ only")
    return value


def parse_record_id(value: str) -> str:
    """Parse a flight or event id (lower-case letters, digits, _ and -)."""
    if not _RECORD_ID.match(value):
        raise CellError("not a valid id", "use lower-case letters, digits, _ and - only")
    return value


def parse_date(value: str) -> dt.date:
    """Parse an ISO 8601 calendar date ``YYYY-MM-DD`` that exists."""
    if not _ISO_DATE.match(value):
        raise CellError("not an ISO 8601 date", "write the date as YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CellError(f"no such date ({exc})", "check the day and month") from exc


def parse_partial_date(value: str) -> PartialDate:
    """Parse ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` into the first day it can mean."""
    if not _PARTIAL_DATE.match(value):
        raise CellError("not an ISO 8601 date", "write YYYY-MM-DD, or YYYY-MM / YYYY if only that is known")
    parts = value.split("-")
    precision = ("year", "month", "day")[len(parts) - 1]
    padded = "-".join(parts + ["01"] * (3 - len(parts)))
    try:
        start = dt.date.fromisoformat(padded)
    except ValueError as exc:
        raise CellError(f"no such date ({exc})", "check the day and month") from exc
    return PartialDate(start, precision, value)


def describe_partial_date(value: object) -> str:
    """Return a date as readers see it, at the precision it was written: the one date wording of partial dates.

    Popups, KML balloons and the other surfaces that show a status or observation date use
    it, so a month-only row never reads as its first day. Text that is no date comes back
    as it is (empty for a missing value).

    Examples
    --------
    >>> describe_partial_date("2024-12-13"), describe_partial_date("2025-05"), describe_partial_date("2015")
    ('13 Dec 2024', 'May 2025, day not known', '2015, month and day not known')
    """
    if not isinstance(value, str) or not value:
        return ""
    try:
        date = parse_partial_date(value)
    except CellError:
        return value
    if date.precision == "year":
        return f"{date.start.year}, month and day not known"
    if date.precision == "month":
        return f"{_MONTH_NAMES[date.start.month - 1]} {date.start.year}, day not known"
    return f"{date.start.day} {_MONTH_NAMES[date.start.month - 1][:3]} {date.start.year}"


def parse_latitude(value: str) -> float:
    """Parse a WGS84 latitude in degrees."""
    return _parse_degrees(value, 90.0)


def parse_longitude(value: str) -> float:
    """Parse a WGS84 longitude in degrees."""
    return _parse_degrees(value, 180.0)


def _parse_degrees(value: str, limit: float) -> float:
    try:
        number = float(value)
    except ValueError as exc:
        raise CellError("not a number", "write decimal degrees, e.g. 35.4011") from exc
    if not -limit <= number <= limit:
        raise CellError(f"out of range -{limit:g}..{limit:g}", "check the sign and the lat/lon order")
    return number


def parse_sources(value: str) -> list[str]:
    """Parse `` | ``-separated sources, each an http(s) URL and an optional ``(label)``.

    The rules are those of :func:`layers.sources.find_source_problem`, the one parser every
    surface showing a source uses, so what validation accepts is what the surfaces expect.
    """
    sources = split_sources(value)
    for source in sources:
        problem = find_source_problem(source)
        if problem is not None:
            # One hint for every case: a label holding a second address is two sources.
            raise CellError(f"source {source[:40]!r} {problem}",
                            "start each source with its own http(s) URL, one address per source; "
                            f"separate sources with {SOURCE_SEPARATOR!r}")
    return sources


def parse_list(value: str) -> list[str]:
    """Parse a ``;``-separated list of ids or codes."""
    return [item.strip() for item in value.split(";") if item.strip()]


def parse_country(value: str) -> str:
    """Parse an ISO 3166-1 alpha-2 country code."""
    if not _COUNTRY.match(value):
        raise CellError("not an ISO 3166-1 alpha-2 code", "use two capital letters, e.g. LY")
    return value


def parse_airfield_code(value: str) -> str:
    """Parse an airportsdata key (3-4 capital letters or digits)."""
    if not _CODE.match(value):
        raise CellError("not an airfield code", "use the airportsdata ICAO key, e.g. OSLK or HL59")
    return value


def parse_count_min(value: str) -> int:
    """Parse a non-negative whole number."""
    if not value.isdigit():
        raise CellError("not a whole number", "write the lower bound as digits, or leave it empty")
    return int(value)


def parse_icao24(value: str) -> str:
    """Parse a Mode S address: six hex digits, kept lower-case (``152C29`` -> ``152c29``)."""
    if not _ICAO24.match(value.lower()):
        raise CellError("not a Mode S address", "write the icao24 as six hex digits, e.g. 154076")
    return value.lower()


def parse_text(value: str) -> str:
    """Keep free text as it is."""
    return value


def one_of(choices: tuple[str, ...]) -> Callable[[str], str]:
    """Return a parser that accepts only ``choices``."""

    def parse(value: str) -> str:
        if value not in choices:
            raise CellError("not an allowed value", f"use one of {', '.join(choices)}")
        return value

    return parse


@dataclass(frozen=True)
class FieldSpec:
    """A column: its name, whether a value is required, and how to parse it."""

    name: str
    required: bool
    parse: Callable[[str], Any]


@dataclass(frozen=True)
class FileSpec:
    """A data file: its name and its columns, in the order they are written."""

    filename: str
    fields: tuple[FieldSpec, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """Column names in order."""
        return tuple(f.name for f in self.fields)


def _req(name: str, parse: Callable[[str], Any] = parse_text) -> FieldSpec:
    return FieldSpec(name, True, parse)


def _opt(name: str, parse: Callable[[str], Any] = parse_text) -> FieldSpec:
    return FieldSpec(name, False, parse)


_SOURCED = (_opt("conflict"), _req("sources", parse_sources),
            _req("confidence", one_of(CONFIDENCE_LEVELS)))

SITES = FileSpec("sites.csv", (
    _req("id", parse_id), _req("name"), _opt("alt_names", parse_list),
    _req("kind", one_of(SITE_KINDS)), _req("group", one_of(SITE_GROUPS)),
    _req("country", parse_country), _opt("icao", parse_airfield_code),
    _opt("lat", parse_latitude), _opt("lon", parse_longitude), _opt("coord_source"),
    _req("role"), _opt("notes"), *_SOURCED,
))
SITE_STATUS = FileSpec("site_status.csv", (
    _req("site_id", parse_id), _req("date", parse_partial_date), _req("status", one_of(STATUSES)),
    _opt("actor", one_of(ACTORS)), _req("note"), *_SOURCED,
))
"""A status row, shipped or imported: ``actor`` names whose presence the row describes.

Optional in the spec, so that a workspace row imported before the column existed (or from a
file without it) still reads, naming no actor and never counting as Russian presence; every
shipped row must name one (a rule of :mod:`layers.validation`)."""
PLACES = FileSpec("places.csv", (
    _req("id", parse_id), _req("name"), _req("airfields", parse_list), _req("notes"),
    _req("sources", parse_sources), _req("confidence", one_of(CONFIDENCE_LEVELS)),
))
FLIGHTS = FileSpec("flights.csv", (
    _req("id", parse_record_id), _req("record_type", one_of(RECORD_TYPES)),
    _req("date", parse_date), _opt("end_date", parse_date), _opt("count"),
    _opt("count_min", parse_count_min), _opt("aircraft_type"), _opt("registration"),
    _opt("operator"), _opt("origin", parse_id), _req("origin_as_reported"),
    _opt("destination", parse_id), _req("destination_as_reported"),
    _opt("via", parse_list), _opt("notes"), *_SOURCED,
))
EVENTS = FileSpec("events.csv", (
    _req("id", parse_record_id), _req("date", parse_date), _opt("end_date", parse_date),
    _req("title"), _req("description"), _req("category", one_of(EVENT_CATEGORIES)),
    _opt("places", parse_list), *_SOURCED,
))
OBSERVATIONS = FileSpec("observations.csv", (
    _req("id", parse_record_id), _req("date", parse_partial_date), _req("place", parse_id),
    _req("method", one_of(OBSERVATION_METHODS)), _req("observed"), _opt("aircraft"), *_SOURCED,
))
"""What a source saw at a place on a date (satellite image, photo, ground report): not flights."""
CORRIDORS = FileSpec("corridors.csv", (
    _req("id", parse_id), _req("name"), _req("waypoints", parse_list),
    _opt("valid_from", parse_date), _opt("valid_to", parse_date), _req("description"),
    _req("sources", parse_sources), _req("confidence", one_of(CONFIDENCE_LEVELS)),
))

AIRCRAFT = FileSpec("aircraft.csv", (
    _req("icao24", parse_icao24), _opt("registration"), _opt("type"), _opt("operator"), _opt("note"),
    _req("source", parse_sources), _req("confidence", one_of(CONFIDENCE_LEVELS)),
))
"""The aircraft watchlist: who a Mode S address belongs to, so tracks are named."""

ALL_FILES = (SITES, SITE_STATUS, PLACES, FLIGHTS, EVENTS, OBSERVATIONS, CORRIDORS, AIRCRAFT)
KIND_SPECS: dict[str, FileSpec] = {"sites": SITES, "statuses": SITE_STATUS, "events": EVENTS, "flights": FLIGHTS,
                                   "aircraft": AIRCRAFT}
"""The kinds of rows an analyst may import into a workspace, and the schema of each."""
IMPORT_OPTIONAL_COLUMNS: dict[str, frozenset[str]] = {"statuses": frozenset({"actor"})}
"""Columns an imported CSV file of a kind may leave out of its header (files made before the
column existed); their cells are then empty."""
