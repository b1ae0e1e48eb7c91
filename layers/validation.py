"""Validation of the dataset: each cell against its field spec, then rules across rows and files."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from layers.airfields import find_airfield
from layers.csvfile import read_table
from layers.errors import DataValidationError, Problem, UnknownAirfieldError
from layers.geodesic import distance_km
from layers.schema import (
    AIRCRAFT,
    ALL_FILES,
    CORRIDORS,
    EVENTS,
    FLIGHTS,
    KIND_SPECS,
    OBSERVATIONS,
    PLACES,
    SITE_STATUS,
    SITES,
    CellError,
    FileSpec,
)
from layers.text import MAX_FIELD_CHARS, find_forbidden_character
from layers.vocabulary import ACTORS

MAX_AIRFIELD_OFFSET_KM = 2.0
DATED_FILES = (FLIGHTS, EVENTS, SITE_STATUS)
"""The files whose rows give the dataset its first and last day."""
OPTIONAL_FILES = (AIRCRAFT, OBSERVATIONS)
"""Files a dataset folder may leave out (a folder made before the watchlist or observations existed has none)."""

Record = dict[str, Any]
"""A parsed row: field name -> parsed value (None where empty or bad), plus ``_line`` and
``_bad`` (the fields that failed to parse, so later checks do not pile errors on them)."""


@dataclass(frozen=True)
class ExtraRow:
    """A row from outside the data folder (a workspace or a file being imported), in the shipped schema.

    Attributes
    ----------
    kind : str
        ``sites``, ``statuses``, ``events`` or ``flights`` (see :data:`KIND_SPECS`).
    file : Path
        What a problem with the row names as its file (the imported file, or the workspace
        and batch it is stored in).
    line : int
        Its line in that file, or its number in the batch.
    cells : mapping of str to str
        Text cells under the shipped column names.
    provenance : str
        Where it came from, carried onto every feature it makes (``batch b0003 (sightings.csv)``).
    """

    kind: str
    file: Path
    line: int
    cells: Mapping[str, str]
    provenance: str


SHIPPED = "shipped"
"""The provenance of the rows of the data folder."""


def parse_file(data_dir: Path, spec: FileSpec) -> tuple[list[Record], list[Problem]]:
    """Read one data file and parse every cell against its spec.

    Returns
    -------
    records, problems
        Parsed rows (with ``_line``), and the cell problems found (rows with a problem are
        still returned, with the bad cell set to None, so later checks can go on).

    Raises
    ------
    DataValidationError
        If the file cannot be read as a CSV with the right header (see
        :func:`layers.csvfile.read_table` for the limits it enforces).
    """
    path = data_dir / spec.filename
    if spec in OPTIONAL_FILES and not path.exists() and not path.is_symlink():
        return [], []
    table = read_table(path, spec.columns)
    # read_table has already held the cells to the text rules (and named the bad ones).
    records, problems = parse_cells(spec, ((path, row.line, row.cells, SHIPPED) for row in table.rows),
                                    check_text=False)
    return records, [*table.problems, *problems]


def parse_cells(spec: FileSpec, rows: Iterable[tuple[Path, int, Mapping[str, str], str]], *,
                check_text: bool = True) -> tuple[list[Record], list[Problem]]:
    """Parse rows of text cells against ``spec``: the one cell parser for files, workspaces and imports.

    Parameters
    ----------
    spec : FileSpec
        The schema of the rows.
    rows : iterable of (file, line, cells, provenance)
        Each row with the file and line its problems name.
    check_text : bool
        Hold every cell to :mod:`layers.text` (length, control and bidi characters);
        off only for rows :func:`layers.csvfile.read_table` has checked already.
    """
    records: list[Record] = []
    problems: list[Problem] = []
    for path, line, cells, provenance in rows:
        record: Record = {"_line": line, "_file": path, "_provenance": provenance, "_bad": set()}
        for field in spec.fields:
            raw = cells.get(field.name, "")
            record[field.name] = None
            if not raw:
                if field.required:
                    problems.append(Problem(path, line, field.name, raw, "a value is required",
                                            "fill it in (see docs/data.md)"))
                continue
            found = find_forbidden_character(raw) if check_text else None
            if check_text and (found is not None or len(raw) > MAX_FIELD_CHARS):
                record["_bad"].add(field.name)
                message = (f"holds a {found[1]} at character {found[0] + 1}" if found is not None
                           else f"text longer than {MAX_FIELD_CHARS} characters")
                problems.append(Problem(path, line, field.name, raw, message,
                                        "remove that character, or shorten the text"))
                continue
            try:
                record[field.name] = field.parse(raw)
            except CellError as exc:
                record["_bad"].add(field.name)
                problems.append(Problem(path, line, field.name, raw, str(exc), exc.hint))
        records.append(record)
    return records, problems


def validate_dataset(data_dir: Path, extra_rows: Sequence[ExtraRow] = ()) -> dict[str, list[Record]]:
    """Read and validate every data file, with any extra rows; return parsed records by file name.

    Parameters
    ----------
    data_dir : Path
        Folder holding the CSV files of docs/data.md.
    extra_rows : sequence of ExtraRow
        Rows from a workspace or an import, checked with the same rules and across the
        same ids as the shipped rows (an id clash is a problem, never an overwrite).

    Raises
    ------
    DataValidationError
        With every problem found, each naming file, line, field, value and fix.
    """
    records: dict[str, list[Record]] = {}
    problems: list[Problem] = []
    unreadable = False
    for spec in ALL_FILES:
        try:
            records[spec.filename], found = parse_file(data_dir, spec)
        except DataValidationError as exc:
            records[spec.filename], found, unreadable = [], exc.problems, True
        problems.extend(found)
    for kind, spec in KIND_SPECS.items():
        rows = [(row.file, row.line, row.cells, row.provenance) for row in extra_rows if row.kind == kind]
        if rows:
            extra, found = parse_cells(spec, rows)
            records[spec.filename].extend(extra)
            problems.extend(found)
    # Rules across rows run even after cell problems, so one run reports everything; they
    # skip cells that failed to parse. An unreadable file would make every reference to
    # it look broken, so then they wait until the file is fixed.
    if not unreadable:
        problems.extend(_check_across_rows(data_dir, records))
        problems.extend(_check_dated_records(data_dir, records))
    if problems:
        raise DataValidationError(problems)
    return records


def _check_across_rows(data_dir: Path, records: dict[str, list[Record]]) -> list[Problem]:
    problems: list[Problem] = []
    sites, places = records[SITES.filename], records[PLACES.filename]

    location_ids: set[str] = set()
    for spec in (SITES, PLACES, FLIGHTS, EVENTS, OBSERVATIONS, CORRIDORS):
        seen: dict[str, Record] = {}
        id_space = location_ids if spec in (SITES, PLACES) else set()
        for rec in records[spec.filename]:
            if rec["id"] is None:
                continue
            if rec["id"] in seen or rec["id"] in id_space:
                first = seen.get(rec["id"])
                where = ("another file" if first is None else f"line {first['_line']}" if first["_file"] == rec["_file"]
                         else f"{first['_file']}:{first['_line']}")
                problems.append(Problem(rec["_file"], rec["_line"], "id", rec["id"],
                                        f"duplicate id (also on {where})", "give each row its own id"))
            seen.setdefault(rec["id"], rec)
        if spec in (SITES, PLACES):
            location_ids.update(seen)

    problems.extend(_check_unique_aircraft(records[AIRCRAFT.filename]))
    problems.extend(_check_site_positions(sites))
    for rec in places:
        # A cell of only separators (";") parses to no code, and a place needs one to be drawn.
        if rec["airfields"] == []:
            problems.append(Problem(rec["_file"], rec["_line"], "airfields", "",
                                    "a named place needs at least one airfield code",
                                    "list the airportsdata codes the place may stand for, e.g. HLLB;HL59"))
        problems.extend(_check_codes(rec["_file"], rec, "airfields", rec["airfields"] or []))

    site_ids = {rec["id"] for rec in sites}
    for rec in records[SITE_STATUS.filename]:
        if rec["site_id"] is not None and rec["site_id"] not in site_ids:
            problems.append(_unknown_ref(rec["_file"], rec, "site_id", rec["site_id"], "sites.csv"))
        # Optional for workspace rows (imported before the column existed); the shipped data names every actor.
        if rec["_provenance"] == SHIPPED and rec["actor"] is None and "actor" not in rec["_bad"]:
            problems.append(Problem(rec["_file"], rec["_line"], "actor", "",
                                    "a value is required: every shipped status row names its actor",
                                    f"write whose presence the row describes, one of {', '.join(ACTORS)}"))

    for rec in records[FLIGHTS.filename]:
        file = rec["_file"]
        for field in ("origin", "destination"):
            if rec[field] and rec[field] not in location_ids:
                problems.append(_unknown_ref(file, rec, field, rec[field], "sites.csv or places.csv"))
        for ref in rec["via"] or []:
            if ref not in location_ids:
                problems.append(_unknown_ref(file, rec, "via", ref, "sites.csv or places.csv"))
        if rec["record_type"] == "count" and not rec["count"]:
            problems.append(Problem(file, rec["_line"], "count", "", "a count report needs the count",
                                    "write the figure as the source words it"))
        problems.extend(_check_date_order(file, rec, "date", "end_date"))

    for rec in records[EVENTS.filename]:
        file = rec["_file"]
        for ref in rec["places"] or []:
            if ref not in location_ids:
                problems.append(_unknown_ref(file, rec, "places", ref, "sites.csv or places.csv"))
        problems.extend(_check_date_order(file, rec, "date", "end_date"))

    for rec in records[OBSERVATIONS.filename]:
        if rec["place"] is not None and rec["place"] not in location_ids:
            problems.append(_unknown_ref(rec["_file"], rec, "place", rec["place"], "sites.csv or places.csv"))

    for rec in records[CORRIDORS.filename]:
        file = rec["_file"]
        waypoints = rec["waypoints"] or []
        if "waypoints" not in rec["_bad"] and len(waypoints) < 2:
            problems.append(Problem(file, rec["_line"], "waypoints", ";".join(waypoints),
                                    "a corridor needs at least two waypoints", "add waypoints"))
        codes = [w for w in waypoints if w not in site_ids]
        problems.extend(_check_codes(file, rec, "waypoints", codes))
        problems.extend(_check_date_order(file, rec, "valid_from", "valid_to"))
    return problems


def _check_dated_records(data_dir: Path, records: dict[str, list[Record]]) -> list[Problem]:
    # An empty table is legitimate, but the timeline needs a first and a last day, taken
    # from flights and events, or from the status rows when there are neither.
    if any(records[spec.filename] for spec in DATED_FILES):
        return []
    names = [spec.filename for spec in DATED_FILES]
    return [Problem(data_dir / names[0], 0, "(file)", "",
                    "no dated records: the dataset needs at least one flight, event or status row",
                    f"add a row to {', '.join(names[:-1])} or {names[-1]}")]


def _check_unique_aircraft(aircraft: list[Record]) -> Iterable[Problem]:
    seen: dict[str, Record] = {}
    for rec in aircraft:
        code = rec["icao24"]
        if code is None:
            continue
        if code in seen:
            first = seen[code]
            where = f"line {first['_line']}" if first["_file"] == rec["_file"] else f"{first['_file']}:{first['_line']}"
            yield Problem(rec["_file"], rec["_line"], "icao24", code, f"the watchlist already has this aircraft "
                          f"(on {where})", "keep one row per icao24: edit that row instead")
        seen.setdefault(code, rec)


def _check_site_positions(sites: list[Record]) -> Iterable[Problem]:
    for rec in sites:
        file = rec["_file"]
        if rec["_bad"] & {"lat", "lon", "icao"}:
            continue
        hand = rec["lat"] is not None or rec["lon"] is not None
        if hand and (rec["lat"] is None or rec["lon"] is None):
            yield Problem(file, rec["_line"], "lat" if rec["lat"] is None else "lon", "",
                          "a hand coordinate needs both lat and lon", "fill in both, or neither")
            continue
        if hand and not rec["coord_source"]:
            yield Problem(file, rec["_line"], "coord_source", "", "a hand coordinate needs a cited source",
                          "cite where the coordinate comes from and why it is typed by hand")
        if not rec["icao"]:
            if not hand:
                yield Problem(file, rec["_line"], "lat", "", "the site has neither an airfield code nor a coordinate",
                              "give the airportsdata code in icao, or a cited lat/lon")
            continue
        try:
            airfield = find_airfield(rec["icao"])
        except UnknownAirfieldError:
            yield Problem(file, rec["_line"], "icao", rec["icao"], "airportsdata does not know this code",
                          "check the code against airportsdata, or leave icao empty and give a cited lat/lon")
            continue
        if hand:
            offset = distance_km(rec["lon"], rec["lat"], airfield.lon, airfield.lat)
            if offset > MAX_AIRFIELD_OFFSET_KM:
                yield Problem(file, rec["_line"], "lat", f"{rec['lat']}, {rec['lon']}",
                              f"{offset:.1f} km from airportsdata's {airfield.code} position "
                              f"({airfield.lat}, {airfield.lon}); at most {MAX_AIRFIELD_OFFSET_KM:g} km allowed",
                              "leave lat/lon empty to use airportsdata, or correct the coordinate")


def _check_codes(file: Path, rec: Record, field: str, codes: list[str]) -> Iterable[Problem]:
    for code in codes:
        try:
            find_airfield(code)
        except UnknownAirfieldError:
            yield Problem(file, rec["_line"], field, code, "airportsdata does not know this code",
                          "use an airportsdata ICAO key (or a site id for corridor waypoints)")


def _check_date_order(file: Path, rec: Record, first: str, last: str) -> Iterable[Problem]:
    if rec[first] and rec[last] and rec[last] < rec[first]:
        yield Problem(file, rec["_line"], last, rec[last].isoformat(),
                      f"ends before it starts ({first} {rec[first].isoformat()})",
                      f"make {last} the same as or later than {first}")


def _unknown_ref(file: Path, rec: Record, field: str, ref: str, where: str) -> Problem:
    return Problem(file, rec["_line"], field, ref, f"no such id in {where}",
                   f"use an id defined in {where}, or add that row first")
