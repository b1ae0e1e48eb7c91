"""Reading an import file's bytes safely, and the problems every reader words the same way.

:func:`read_import_bytes` applies the rules of :func:`layers.csvfile.read_data_file` (no
symbolic links, no FIFOs or devices, no file over the size limit) with hints worded for a
file being imported rather than a dataset folder. The other helpers name a row the same
way in every reader (``"placemark 3 (Benina)"``) and run the text rules of
:mod:`layers.text` over the cells a reader produced.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from layers.csvfile import find_text_problems
from layers.errors import DataValidationError, Problem
from layers.readers import MAX_IMPORT_BYTES
from layers.safe_files import FileRefusedError, read_regular_file

# Characters of a feature's name quoted in ``where``: enough to recognise it.
_WHERE_NAME_CHARS = 40


def read_import_bytes(path: Path) -> bytes:
    """Return the bytes of a file to import, refusing what could block, leak or exhaust memory.

    The rules are :func:`layers.safe_files.read_regular_file`'s; the messages speak of the
    file being imported.

    Parameters
    ----------
    path : Path
        The file to import.

    Returns
    -------
    bytes
        The whole file (at most :data:`~layers.readers.MAX_IMPORT_BYTES`).

    Raises
    ------
    DataValidationError
        If the file is missing, a symbolic link, not a regular file, unreadable, or larger
        than :data:`~layers.readers.MAX_IMPORT_BYTES`.
    """
    try:
        return read_regular_file(path, MAX_IMPORT_BYTES)
    except FileRefusedError as refused:
        raise DataValidationError([_describe_refusal(refused)]) from None


def _describe_refusal(refused: FileRefusedError) -> Problem:
    path = refused.path
    if refused.reason == "too_large":
        return describe_oversize(path, refused.size)
    if refused.reason == "unopenable":
        return make_file_problem(path, f"cannot be opened ({refused.detail})",
                                 "check that the file exists and is readable")
    if refused.reason == "irregular":
        return _irregular(path)
    message, hint = {"missing": ("file not found", "check the path of the file to import"),
                     "symlink": ("is a symbolic link", "import the file itself, not a link to it")}[refused.reason]
    return make_file_problem(path, message, hint)


def describe_oversize(path: Path, size: int) -> Problem:
    """Return the problem of a file larger than :data:`~layers.readers.MAX_IMPORT_BYTES`."""
    return make_file_problem(path, f"the file has {size:,} bytes, more than the {MAX_IMPORT_BYTES:,} an import "
                             "may have", "split it into several files and import each")


def make_file_problem(path: Path, message: str, hint: str, value: str = "") -> Problem:
    """Return a problem that concerns the whole file (line 0, field ``(file)``)."""
    return Problem(path, 0, "(file)", value, message, hint)


def make_row_problem(path: Path, where: str, field: str, message: str, hint: str, *, value: str = "") -> Problem:
    """Return a problem of one feature or placemark: line 0, ``where`` leading the message.

    Examples
    --------
    >>> make_row_problem(Path("a.kml"), "placemark 3 (Benina)", "kind", "not given", "add it").message
    'placemark 3 (Benina): not given'
    """
    return Problem(path, 0, field, value, f"{where}: {message}", hint)


def name_where(noun: str, number: int, name: str = "") -> str:
    r"""Return how messages name a feature: ``"placemark 3 (Benina)"``, or ``"feature 7"``.

    The name is cut and any character that is not printable (control and bidirectional
    characters among them) is shown as ``?``, since messages quote it unescaped.

    Examples
    --------
    >>> name_where("placemark", 3, "Benina\u202e")
    'placemark 3 (Benina?)'
    >>> name_where("feature", 7)
    'feature 7'
    """
    shown = "".join(c if c.isprintable() else "?" for c in " ".join(name.split()))
    if len(shown) > _WHERE_NAME_CHARS:
        shown = shown[: _WHERE_NAME_CHARS - 1] + "…"
    return f"{noun} {number} ({shown})" if shown else f"{noun} {number}"


def check_cells(path: Path, line: int, where: str, cells: dict[str, str]) -> list[Problem]:
    """Return the text problems of a row's cells (length, control characters), naming the row.

    The checks are :func:`layers.csvfile.find_text_problems`, the ones the shipped files
    get; for a row without a line (``line`` 0) ``where`` is put before each message.
    """
    found = find_text_problems(path, line, list(cells), list(cells.values()))
    if line:
        return found
    return [dataclasses.replace(p, message=f"{where}: {p.message}") for p in found]


def strip_cells(cells: dict[str, str]) -> dict[str, str]:
    """Return the cells stripped of surrounding white space (after :func:`check_cells`)."""
    return {name: value.strip() for name, value in cells.items()}


def _irregular(path: Path) -> Problem:
    return make_file_problem(path, "is not a regular file", "import a CSV, GeoJSON, KML or KMZ file")
