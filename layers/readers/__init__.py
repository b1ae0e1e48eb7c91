"""Readers of the files analysts import into a workspace: CSV, GeoJSON, KML and KMZ.

Each reader turns one outside file into rows of the shipped schema (``docs/data.md``):
text cells under the shipped column names of one kind (``sites``, ``statuses``,
``events``, ``flights``), exactly as a CSV of the shipped data would hold them, so that the
one validator (:mod:`layers.validation`) checks imported and shipped rows alike. A reader
never invents a value: a required value the file does not give, and that has no honest
default, is a :class:`~layers.errors.Problem` naming the file, row and field.

The shared types live here; each format has its own module with its field mapping at the
top (``csv_import.py``, ``geojson_import.py``, ``kml_import.py``). :func:`read_import`
picks the reader by the file's ending.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from layers.errors import Problem

KINDS = ("sites", "statuses", "events", "flights", "aircraft")
"""What a batch of rows holds (``aircraft`` is the watchlist); ADS-B positions are :data:`TRACK_KINDS`."""
TRACK_KINDS = ("track",)
"""Positions, read by :mod:`layers.tracks` (``--kind track``), not rows of the shipped schema."""
MAX_IMPORT_BYTES = 50 * 1024 * 1024
"""Largest file accepted for import (50 MiB), before any parsing."""
MAX_IMPORT_ROWS = 100_000
"""Most rows (or placemarks, or features) one import may hold."""


@dataclass(frozen=True)
class ImportedRow:
    """One row read from an imported file, in the shipped schema of its kind.

    Attributes
    ----------
    kind : str
        One of :data:`KINDS`.
    line : int
        The row's line in the file (1-based, the header is line 1), or 0 where the format
        has no lines worth citing (then ``where`` says which placemark or feature).
    where : str
        How a message names the row: ``"line 12"``, ``"placemark 3 (Benina)"``, ``"feature 7"``.
    cells : dict of str to str
        Text cells under the shipped column names of ``kind`` (every column present;
        empty string where the file gives nothing).
    """

    kind: str
    line: int
    where: str
    cells: dict[str, str]


@dataclass(frozen=True)
class ImportedFile:
    """What a reader found in one file: rows, problems, and the kind it guessed.

    Attributes
    ----------
    path : Path
        The file.
    rows : tuple of ImportedRow
        Rows in file order (rows of several kinds where a format mixes them, e.g. a KML
        with dated and undated placemarks).
    problems : tuple of Problem
        What could not be read, each naming the file, row, field and fix.
    guessed_kind : str or None
        The kind inferred when the caller gave none (printed to the user).
    notes : tuple of str
        What the user should know that is not a problem: an encoding guessed, a
        separator sniffed, properties or fields not imported, dates not imported.
    """

    path: Path
    rows: tuple[ImportedRow, ...] = ()
    problems: tuple[Problem, ...] = ()
    guessed_kind: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def read_import(path: Path | str, kind: str | None = None, *, encoding: str | None = None) -> ImportedFile:
    """Read one file to import with the reader its ending names (see :mod:`layers.readers.dispatch`).

    Parameters
    ----------
    path : Path or str
        The file (``.csv``, ``.geojson``/``.json``, ``.kml`` or ``.kmz``).
    kind : str or None
        One of :data:`KINDS`, or None to infer it from the file.
    encoding : str or None
        For a CSV file, the codec to decode with (None to detect).

    Returns
    -------
    ImportedFile
        What the reader found; a refused file has one problem and no rows.
    """
    # Imported here: the readers import this module's types.
    from layers.readers.dispatch import read_import as read_with_reader

    return read_with_reader(path, kind, encoding=encoding)
