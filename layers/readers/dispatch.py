"""Choosing the reader of an import by the file's ending, after the checks every file gets.

=====================  ==============================================  =================
ending                 reader                                          kinds
=====================  ==============================================  =================
``.csv``               :func:`~layers.readers.csv_import.read_csv_import`          all four
``.geojson``, ``.json``  :func:`~layers.readers.geojson_import.read_geojson_import`  sites, events
``.kml``, ``.kmz``     :func:`~layers.readers.kml_import.read_kml_import`          sites, events
=====================  ==============================================  =================

Refused before any reader runs, each with one problem: a kind that is not one of
:data:`~layers.readers.KINDS` (``track`` goes to :mod:`layers.tracks.importing`), an ending no
reader knows, and a file over :data:`~layers.readers.MAX_IMPORT_BYTES`.
"""

from __future__ import annotations

from pathlib import Path

from layers.errors import Problem
from layers.readers import KINDS, MAX_IMPORT_BYTES, TRACK_KINDS, ImportedFile
from layers.readers.csv_import import read_csv_import
from layers.readers.files import describe_oversize, make_file_problem
from layers.readers.geojson_import import read_geojson_import
from layers.readers.kml_import import read_kml_import

SUFFIXES = {".csv": "csv", ".geojson": "geojson", ".json": "geojson", ".kml": "kml", ".kmz": "kml"}
"""The file endings an import reads (any case), and the format of each."""


def read_import(path: Path | str, kind: str | None = None, *, encoding: str | None = None) -> ImportedFile:
    """Read one file to import with the reader its ending names.

    Parameters
    ----------
    path : Path or str
        The file.
    kind : str or None
        One of :data:`~layers.readers.KINDS`, or None to infer it from the file.
    encoding : str or None
        For a CSV file, the codec to decode with (None to detect); GeoJSON is UTF-8 and
        KML declares its own encoding, so for them it is ignored (said in a note).

    Returns
    -------
    ImportedFile
        What the reader found; a refusal is an ImportedFile with one problem and no rows.
    """
    path = Path(path)
    problem = find_refusal(path, kind)
    if problem is not None:
        return ImportedFile(path, problems=(problem,))
    reader = SUFFIXES[path.suffix.lower()]
    if reader == "csv":
        return read_csv_import(path, kind, encoding)
    imported = read_geojson_import(path, kind) if reader == "geojson" else read_kml_import(path, kind)
    if encoding is None:
        return imported
    note = f"encoding {encoding!r} ignored: a {reader.upper()} file says its own encoding"
    return ImportedFile(imported.path, imported.rows, imported.problems, imported.guessed_kind,
                        (*imported.notes, note))


def find_refusal(path: Path, kind: str | None) -> Problem | None:
    """Return the problem that stops a file being read at all, or None.

    The size is checked on the file's status, before it is opened; the readers check it
    again on what they read.
    """
    if kind in TRACK_KINDS:
        return Problem(path, 0, "(kind)", kind, f"kind {kind!r} is read by the track importer, not this one",
                       "import it with python -m layers import FILE --kind track")
    if kind is not None and kind not in KINDS:
        return Problem(path, 0, "(kind)", kind, "unknown kind", f"use one of {', '.join(KINDS)}, or give none")
    if path.suffix.lower() not in SUFFIXES:
        return make_file_problem(path, f"unknown file type {path.suffix[:20]!r} for an import",
                                 "import a .csv, .geojson/.json, .kml or .kmz file", value=path.suffix[:20])
    try:
        size = path.stat().st_size
    except OSError:
        return None  # the reader says why it cannot be opened
    return describe_oversize(path, size) if size > MAX_IMPORT_BYTES else None
