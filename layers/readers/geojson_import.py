"""Reading an analyst's GeoJSON file (RFC 7946) of points into sites and events.

A FeatureCollection, or a single Feature, whose features have Point geometries. Each
feature is mapped by :mod:`layers.readers.points` (the tables are in ``docs/imports.md``):

=================================  ===================================================
GeoJSON                            row cells
=================================  ===================================================
Point ``coordinates`` [lon, lat]   site ``lon``, ``lat`` (5 decimals); ``coord_source``
                                   ``"<file name>, feature N"`` (``: <coord_source>``
                                   appended when the feature gives one)
property ``id``, else Feature      ``id``; else derived: site ``<stem>_<N>``, event
``id``                             ``e-<date>-<stem>-<N>``
``name`` / ``title``               site ``name`` / event ``title`` (each falls back
                                   on the other)
``date``, ``time``, ``timestamp``  event ``date`` (a timestamp becomes its UTC day); a
or ``when``                        dated feature is an event plus a companion site
``description``                    event ``description``; a site's ``notes`` (after
                                   ``notes``)
any shipped column name            that cell, as text; a list is joined with ``;``
                                   (``sources``: `` | ``)
=================================  ===================================================

Refused with a problem naming the feature: a geometry other than Point ("unknown geometry
type for an import: use Point"), a missing geometry, coordinates that are not numbers or
out of range, a property holding an object. A ``crs`` member naming anything but WGS84 is
refused for the whole file (RFC 7946 coordinates are WGS84 longitude, latitude). Other
properties are not imported and are listed in a note.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from layers.errors import DataValidationError, Problem
from layers.readers import MAX_IMPORT_ROWS, ImportedFile, ImportedRow
from layers.readers.files import make_file_problem, make_row_problem, name_where, read_import_bytes
from layers.readers.points import RECOGNISED_NAMES, PointFeature, build_point_rows, check_position, join_values

SUPPORTED_KINDS = (None, "sites", "events")
"""The kinds a GeoJSON file may hold (flights and statuses are imported as CSV)."""
WGS84_NAMES = ("urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "EPSG:4326",
               "urn:ogc:def:crs:EPSG::4326", "urn:ogc:def:crs:EPSG:6.6:4326")
_POINT_HINT = "give each feature a Point geometry (a site or dated event), one feature per place"


def read_geojson_import(path: Path, kind: str | None) -> ImportedFile:
    """Read a GeoJSON FeatureCollection (or Feature) of points.

    Parameters
    ----------
    path : Path
        The file.
    kind : {None, "sites", "events"}
        None to make dated points events and the others sites; ``sites`` to read every
        point as a site (dates not imported); ``events`` to read every point as an event.

    Returns
    -------
    ImportedFile
        The rows (sites, and events with their companion sites) in feature order, the
        problems found, and the kind inferred (``events`` if any point is dated).
    """
    if kind not in SUPPORTED_KINDS:
        return ImportedFile(path, problems=(make_file_problem(
            path, f"a GeoJSON file holds sites and events, not {kind}", "import flights and statuses as CSV",
        ),))
    try:
        document = parse_json(path, read_import_bytes(path))
    except DataValidationError as exc:
        return ImportedFile(path, problems=tuple(exc.problems))
    features, problem = list_features(path, document)
    if problem is not None:
        return ImportedFile(path, problems=(problem,))
    rows: list[ImportedRow] = []
    problems: list[Problem] = []
    ignored: set[str] = set()
    undated = 0
    for number, feature in enumerate(features, start=1):
        if number > MAX_IMPORT_ROWS:
            problems.append(make_file_problem(path, f"more than {MAX_IMPORT_ROWS:,} features in one file",
                                              "split the file into several imports"))
            break
        point, found = read_feature(path, number, feature, ignored)
        problems += found
        if point is None:
            continue
        undated += bool(kind == "sites" and point.date)
        point_rows, found = build_point_rows(point, kind)
        rows += point_rows
        problems += found
    notes = [] if rows or problems else ["the file holds no features"]
    if ignored:
        notes.append(f"properties not in the schema, not imported: {', '.join(sorted(ignored)[:20])}")
    if undated:
        notes.append(f"{undated} dated features read as sites: their dates are not imported")
    guessed = ("events" if any(r.kind == "events" for r in rows) else "sites") if kind is None and rows else None
    return ImportedFile(path, tuple(rows), tuple(problems), guessed, tuple(notes))


def parse_json(path: Path, raw: bytes) -> Any:
    """Return the JSON document of the file (UTF-8, with or without a byte-order mark).

    Raises
    ------
    DataValidationError
        If the bytes are not UTF-8 JSON, or nest too deeply for the parser.
    """
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataValidationError([make_file_problem(path, f"not UTF-8 (byte {exc.start + 1}, line {line})",
                                                     "save the file as UTF-8, as RFC 7946 requires")]) from None
    except json.JSONDecodeError as exc:
        raise DataValidationError([make_file_problem(path, f"not valid JSON: {exc.msg} (line {exc.lineno}, column "
                                                     f"{exc.colno})", "export the layer again as GeoJSON")]) from None
    except RecursionError:
        raise DataValidationError([make_file_problem(path, "the JSON nests too deeply to read",
                                                     "export the layer again as GeoJSON")]) from None
    except ValueError as exc:  # e.g. an integer over Python's digit limit
        raise DataValidationError([make_file_problem(path, f"not readable JSON ({exc})",
                                                     "export the layer again as GeoJSON")]) from None


def list_features(path: Path, document: Any) -> tuple[list[Any], Problem | None]:
    """Return the features of a FeatureCollection, or a single Feature as a list of one."""
    kind = document.get("type") if isinstance(document, dict) else None
    if kind not in ("FeatureCollection", "Feature"):
        shown = kind if isinstance(kind, str) else type(document).__name__
        return [], make_file_problem(path, f"not a GeoJSON FeatureCollection or Feature (type {shown[:40]!r})",
                                     "export the layer as a GeoJSON FeatureCollection of points")
    crs = document.get("crs")
    if crs is not None:
        name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
        if not isinstance(name, str) or name not in WGS84_NAMES:
            return [], make_file_problem(path, f"coordinates in another reference system ({str(name)[:60]!r})",
                                         "export in WGS84 longitude/latitude (EPSG:4326), as RFC 7946 requires")
    if kind == "Feature":
        return [document], None
    features = document.get("features")
    if not isinstance(features, list):
        return [], make_file_problem(path, "the FeatureCollection has no 'features' list",
                                     "export the layer again as GeoJSON")
    return features, None


def read_feature(path: Path, number: int, feature: Any, ignored: set[str]) -> tuple[PointFeature | None, list[Problem]]:
    """Return one feature as a point to map, or None and the problems that stop it.

    Parameters
    ----------
    path : Path
        The file.
    number : int
        The feature's 1-based position.
    feature : object
        The decoded feature.
    ignored : set of str
        Receives the names of properties not imported.
    """
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return None, [make_row_problem(path, name_where("feature", number), "(feature)", "not a GeoJSON Feature",
                                       "write each element of 'features' as a Feature object")]
    raw = feature.get("properties") or {}
    raw = raw if isinstance(raw, dict) else {}
    properties, problems = read_properties(path, number, raw, ignored)
    if "id" not in properties and isinstance(feature.get("id"), str | int) and not isinstance(feature["id"], bool):
        properties["id"] = str(feature["id"])
    where = name_where("feature", number, properties.get("name") or properties.get("title") or "")
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict):
        return None, [*problems, make_row_problem(path, where, "(geometry)", "no geometry", _POINT_HINT)]
    if geometry.get("type") != "Point":
        shown = str(geometry.get("type"))[:40]
        return None, [*problems, make_row_problem(path, where, "(geometry)", "unknown geometry type for an import: use "
                                                  "Point", _POINT_HINT, value=shown)]
    position, found = read_position(path, where, geometry.get("coordinates"))
    if position is None or problems:
        # A property that could not be read would show up again as "not given".
        return None, problems + found
    return PointFeature(path, "feature", number, properties, *position), []


def read_properties(path: Path, number: int, raw: dict[str, Any],
                    ignored: set[str]) -> tuple[dict[str, str], list[Problem]]:
    """Return the recognised properties as text; note the others in ``ignored``."""
    properties: dict[str, str] = {}
    problems: list[Problem] = []
    for name, value in raw.items():
        if name not in RECOGNISED_NAMES:
            ignored.add(str(name)[:40])
            continue
        if value is None:
            continue
        items = value if isinstance(value, list) else [value]
        if any(isinstance(item, dict | list) for item in items):
            where = name_where("feature", number, str(raw.get("name") or raw.get("title") or ""))
            problems.append(make_row_problem(path, where, name, "an object where text is expected",
                                             "give the value as text, a number, or a list of texts"))
            continue
        properties[name] = join_values(name, [_text(item) for item in items])
    return properties, problems


def read_position(path: Path, where: str, coordinates: Any) -> tuple[tuple[float, float] | None, list[Problem]]:
    """Return ``(lon, lat)`` of a Point's coordinates, or None and the problems."""
    hint = "write the position as [longitude, latitude] in decimal degrees"
    if not isinstance(coordinates, list) or len(coordinates) < 2 or not all(
            isinstance(c, int | float) and not isinstance(c, bool) for c in coordinates[:2]):
        return None, [make_row_problem(path, where, "(geometry)", "the Point's coordinates are not [lon, lat] numbers",
                                       hint, value=str(coordinates)[:60])]
    lon, lat = float(coordinates[0]), float(coordinates[1])
    problems = check_position(path, where, lon, lat)
    return (None, problems) if problems else ((lon, lat), [])


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
