"""Reading an analyst's KML or KMZ file of placemarks into sites and events.

Placemarks with a Point are mapped by :mod:`layers.readers.points` (tables in
``docs/imports.md``):

=====================================  ================================================
KML                                    row cells
=====================================  ================================================
``Point/coordinates`` (lon,lat[,alt])  site ``lon``, ``lat`` (5 decimals); ``coord_source``
                                       ``"<file name>, placemark N"``
``<name>``                             site ``name``; event ``title``
``<description>`` (HTML or text)       plain text (tags dropped): event ``description``;
                                       a site's ``notes`` (after a ``notes`` field)
``TimeStamp/when``, ``TimeSpan/begin``  event ``date`` (a timestamp becomes its UTC day);
                                       a dated placemark is an event plus a companion site
``TimeSpan/end``                       event ``end_date``
enclosing ``Folder``/``Document`` name  site ``kind`` or ``group`` (event ``category``) when
                                       it names one, e.g. "Air bases" -> ``air_base``
``ExtendedData`` ``Data``/``SimpleData``  the cell of that name (shipped columns and the
with a shipped column's name           date names), overriding the elements above
``Placemark`` ``id`` attribute         ``id`` unless a ``Data name="id"`` gives one
=====================================  ================================================

The XML is parsed by :mod:`defusedxml` with DTDs forbidden: a file that declares a
document type or entities (XXE such as ``file:///etc/passwd``, billion laughs) is refused
at the declaration with one problem, before anything is expanded or fetched. Also refused
with a problem, never a traceback: a file that is not well-formed XML (binary, truncated)
or not KML, more than :data:`MAX_FOLDER_DEPTH` nested folders and documents, elements
nested over :data:`MAX_ELEMENT_DEPTH` deep, and KMZ archives that break the limits of
:mod:`layers.readers.kmz`. A placemark with another geometry (LineString, Polygon...) is
a problem: "unknown geometry type for an import: use Point".
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import ErrorString

import defusedxml  # type: ignore[import-untyped, unused-ignore]
import defusedxml.ElementTree as SafeElementTree  # type: ignore[import-untyped, unused-ignore]

from layers.errors import DataValidationError, Problem
from layers.readers import MAX_IMPORT_ROWS, ImportedFile, ImportedRow
from layers.readers.files import make_file_problem, make_row_problem, name_where, read_import_bytes
from layers.readers.kmz import ZIP_MAGIC, extract_kml
from layers.readers.markup import convert_html_to_text
from layers.readers.points import RECOGNISED_NAMES, PointFeature, build_point_rows, check_position

SUPPORTED_KINDS = (None, "sites", "events")
"""The kinds a KML file may hold (flights and statuses are imported as CSV)."""
MAX_FOLDER_DEPTH = 32
"""Most Folder and Document elements one placemark may be nested in."""
MAX_ELEMENT_DEPTH = 100
"""Deepest element nesting read (a placemark in 32 folders is about 40 deep)."""
CONTAINERS = frozenset({"Folder", "Document"})
GEOMETRIES = frozenset({"Point", "LineString", "LinearRing", "Polygon", "MultiGeometry", "Model", "Track",
                        "MultiTrack"})
_DATA_HINT = 'add <Data name="{field}"><value>...</value></Data> to the placemark\'s ExtendedData'
_FIELD_HINTS = {
    "name": "give the placemark a <name>",
    "title": "give the placemark a <name>",
    "description": "give the placemark a <description>",
    "date": "give the placemark a <TimeStamp><when>YYYY-MM-DD</when></TimeStamp>",
}
_POINT_HINT = "draw each site or event as a single Point placemark"
_XML_HINT = "the file is damaged, truncated or not KML: export it again from the GIS or Google Earth"


class _RefusedError(Exception):
    """Stops reading a document that breaks a limit; carries the problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def read_kml_import(path: Path, kind: str | None) -> ImportedFile:
    """Read a KML document, or the main document of a KMZ archive.

    Parameters
    ----------
    path : Path
        The file (``.kml`` or ``.kmz``; a zip archive is recognised by its content).
    kind : {None, "sites", "events"}
        None to make dated placemarks events and the others sites; ``sites`` to read
        every placemark as a site (dates not imported); ``events`` to read every one as
        an event.

    Returns
    -------
    ImportedFile
        The rows in placemark order (up to a point where the XML broke, if it did), the
        problems found, and the kind inferred (``events`` if any placemark is dated).
    """
    if kind not in SUPPORTED_KINDS:
        return ImportedFile(path, problems=(make_file_problem(
            path, f"a KML file holds sites and events, not {kind}", "import flights and statuses as CSV",
        ),))
    try:
        raw = read_import_bytes(path)
        document = extract_kml(path, raw) if raw.startswith(ZIP_MAGIC) else raw
    except DataValidationError as exc:
        return ImportedFile(path, problems=tuple(exc.problems))
    if b"\x00" in document[:4096] and not document.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ImportedFile(path, problems=(make_file_problem(
            path, "the file is binary (it holds NUL bytes), not KML", "import a .kml or .kmz file exported by a GIS "
            "or Google Earth"),))
    rows: list[ImportedRow] = []
    problems: list[Problem] = []
    ignored: set[str] = set()
    undated = 0
    try:
        for point, found in read_placemarks(path, document, ignored):
            problems += found
            if point is None:
                continue
            undated += bool(kind == "sites" and point.date)
            point_rows, mapped = build_point_rows(point, kind)
            rows += point_rows
            problems += mapped
    except _RefusedError as exc:
        problems.append(exc.problem)
    notes = [] if rows or problems else ["the file holds no placemarks"]
    if ignored:
        notes.append(f"ExtendedData fields not in the schema, not imported: {', '.join(sorted(ignored)[:20])}")
    if undated:
        notes.append(f"{undated} dated placemarks read as sites: their dates are not imported")
    guessed = ("events" if any(r.kind == "events" for r in rows) else "sites") if kind is None and rows else None
    return ImportedFile(path, tuple(rows), tuple(problems), guessed, tuple(notes))


def read_placemarks(path: Path, document: bytes,
                    ignored: set[str]) -> Iterator[tuple[PointFeature | None, list[Problem]]]:
    """Yield ``(point or None, problems)`` for each placemark of a KML document, in order.

    Parameters
    ----------
    path : Path
        The file (for problems).
    document : bytes
        The KML document.
    ignored : set of str
        Receives the names of ExtendedData fields not imported.

    Raises
    ------
    _RefusedError
        When the XML is refused (DTD, not well-formed, not KML, too deep, too many
        placemarks); placemarks before that point have been yielded.
    """
    path_stack: list[str] = []
    folders: list[str] = []
    numbers: list[int] = []
    count = 0
    try:
        for event, element in SafeElementTree.iterparse(io.BytesIO(document), events=("start", "end"),
                                                        forbid_dtd=True):
            local = _local(element.tag)
            if event == "start":
                path_stack.append(local)
                _check_start(path, path_stack, folders, local)
                if local in CONTAINERS:
                    folders.append("")
                elif local == "Placemark":
                    count += 1
                    if count > MAX_IMPORT_ROWS:
                        raise _RefusedError(make_file_problem(
                            path, f"more than {MAX_IMPORT_ROWS:,} placemarks in one file",
                            "split the file into several imports"))
                    numbers.append(count)
                continue
            path_stack.pop()
            if local == "name" and path_stack and path_stack[-1] in CONTAINERS and folders:
                folders[-1] = (element.text or "").strip()
            elif local == "Placemark" and numbers:
                yield read_placemark(path, numbers.pop(), element, tuple(n for n in reversed(folders) if n), ignored)
                element.clear()
            elif local in CONTAINERS and folders:
                folders.pop()
    except (defusedxml.DTDForbidden, defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden):
        raise _RefusedError(make_file_problem(path, "the file declares a DTD or entities (<!DOCTYPE ...>), which an "
                                              "import refuses", "remove the <!DOCTYPE> declaration: KML needs none"),
                            ) from None
    except ParseError as exc:
        line, column = exc.position
        reason = ErrorString(exc.code) if isinstance(exc.code, int) else str(exc)
        message = f"not readable as XML: {reason} at line {line}, column {column + 1}"
        raise _RefusedError(make_file_problem(path, message, _XML_HINT)) from None
    except (ValueError, LookupError) as exc:  # an encoding expat cannot read
        raise _RefusedError(make_file_problem(path, f"not readable XML ({exc})", _XML_HINT)) from None


def read_placemark(path: Path, number: int, placemark: Element, folders: tuple[str, ...],
                   ignored: set[str]) -> tuple[PointFeature | None, list[Problem]]:
    """Return one placemark as a point to map, or None and the problems that stop it.

    Parameters
    ----------
    path : Path
        The file.
    number : int
        The placemark's 1-based position in the document.
    placemark : Element
        The parsed ``Placemark``.
    folders : tuple of str
        Names of the enclosing folders and documents, innermost first.
    ignored : set of str
        Receives the names of ExtendedData fields not imported.
    """
    children = {_local(child.tag): child for child in reversed(placemark)}
    properties = {"name": _child_text(placemark, "name"),
                  "description": convert_html_to_text(_child_text(placemark, "description"))}
    stamp, span = children.get("TimeStamp"), children.get("TimeSpan")
    if stamp is not None:
        properties["when"] = _child_text(stamp, "when")
    if span is not None:
        properties["date"], properties["end_date"] = _child_text(span, "begin"), _child_text(span, "end")
    if placemark.get("id"):
        properties["id"] = str(placemark.get("id"))
    data = children.get("ExtendedData")
    if data is not None:
        properties.update(read_extended_data(data, ignored))
    properties = {name: value for name, value in properties.items() if value}
    where = name_where("placemark", number, properties.get("name") or properties.get("title") or "")
    geometry = next((child for child in placemark if _local(child.tag) in GEOMETRIES), None)
    if geometry is None:
        return None, [make_row_problem(path, where, "(geometry)", "no Point", _POINT_HINT)]
    if _local(geometry.tag) != "Point":
        return None, [make_row_problem(path, where, "(geometry)", "unknown geometry type for an import: use Point",
                                       _POINT_HINT, value=_local(geometry.tag))]
    text = re.sub(r"\s*,\s*", ",", _child_text(geometry, "coordinates"))
    tuples = text.split()
    parts = tuples[0].split(",") if len(tuples) == 1 else []
    try:
        lon, lat = float(parts[0]), float(parts[1])
    except (IndexError, ValueError):
        return None, [make_row_problem(path, where, "(geometry)", "the Point's coordinates are not one lon,lat[,alt]",
                                       "write the position as longitude,latitude in decimal degrees", value=text[:60])]
    problems = check_position(path, where, lon, lat)
    if problems:
        return None, problems
    return PointFeature(path, "placemark", number, properties, lon, lat, folders, _DATA_HINT, _FIELD_HINTS), []


def read_extended_data(data: Element, ignored: set[str]) -> dict[str, str]:
    """Return the ``Data`` values and ``SimpleData`` texts whose names the mapping knows."""
    values: dict[str, str] = {}
    for item in data.iter():
        local = _local(item.tag)
        if local not in ("Data", "SimpleData"):
            continue
        name = (item.get("name") or "").strip()
        value = _child_text(item, "value") if local == "Data" else (item.text or "")
        if name in RECOGNISED_NAMES:
            values[name] = value.strip()
        elif name:
            ignored.add(name[:40])
    return values


def _check_start(path: Path, path_stack: list[str], folders: list[str], local: str) -> None:
    if len(path_stack) == 1 and local != "kml":
        raise _RefusedError(make_file_problem(path, f"not a KML document (root element <{local[:40]}>)",
                                              "import a KML file, whose root element is <kml>", value=local[:40]))
    if len(path_stack) > MAX_ELEMENT_DEPTH:
        raise _RefusedError(make_file_problem(path, f"elements nested more than {MAX_ELEMENT_DEPTH} deep", _XML_HINT))
    if local in CONTAINERS and len(folders) >= MAX_FOLDER_DEPTH:
        raise _RefusedError(make_file_problem(path, f"folders nested more than {MAX_FOLDER_DEPTH} deep",
                                              f"keep placemarks within {MAX_FOLDER_DEPTH} levels of Folder/Document"))


def _child_text(element: Element, name: str) -> str:
    child = next((c for c in element if _local(c.tag) == name), None)
    return "" if child is None else "".join(child.itertext()).strip()


def _local(tag: object) -> str:
    # Namespaced tags read "{http://www.opengis.net/kml/2.2}Placemark"; gx: extensions too.
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""
