"""Reading an analyst's CSV file of one kind of row into the shipped schema.

Field mapping: none. The file holds the shipped columns of one kind, in any order, and
each cell is taken as it is (stripped), exactly as :func:`layers.csvfile.read_table` reads
the shipped files:

=========  ===================================  ==============================
kind       columns (``layers.schema``)          shipped file
=========  ===================================  ==============================
sites      ``SITES.columns``                    ``sites.csv``
statuses   ``SITE_STATUS.columns``              ``site_status.csv``
events     ``EVENTS.columns``                   ``events.csv``
flights    ``FLIGHTS.columns``                  ``flights.csv``
=========  ===================================  ==============================

What is more lenient than the shipped files, since spreadsheets write CSV many ways:

- encoding: UTF-8 with or without a byte-order mark, UTF-16 with a byte-order mark,
  otherwise Latin-1 (said in a note); or the ``encoding`` the caller names;
- separator: ``,`` or ``;``, whichever the header line holds more of outside quotes;
- line breaks inside a quoted cell: CRLF and CR become LF (CR is otherwise a refused
  control character);
- the kind: inferred from the header when the caller names none.

What is as strict: the header holds exactly one kind's columns (else one problem on line
1 naming the missing and unknown ones), except the columns
:data:`~layers.schema.IMPORT_OPTIONAL_COLUMNS` lets a kind leave out (a status file made
before ``actor`` existed: its rows name no actor), every cell follows the text rules of
:mod:`layers.text` (checked by :func:`layers.csvfile.find_text_problems`), and the file
has at most :data:`~layers.readers.MAX_IMPORT_ROWS` rows. Each row's ``line`` is the
first physical line of its record, so a quoted cell spanning lines does not shift the
lines of the rows after it.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from layers.csvfile import RecordRules, find_text_problems, read_records
from layers.errors import DataValidationError, Problem, shorten_value
from layers.readers import MAX_IMPORT_ROWS, ImportedFile, ImportedRow
from layers.readers.files import check_cells, read_import_bytes
from layers.schema import IMPORT_OPTIONAL_COLUMNS, KIND_SPECS
from layers.text import MAX_FIELD_CHARS

"""The shipped file whose columns each kind of row has."""
SEPARATORS = (",", ";")


def read_csv_import(path: Path, kind: str | None, encoding: str | None = None) -> ImportedFile:
    """Read a CSV file of one kind of row.

    Parameters
    ----------
    path : Path
        The file.
    kind : str or None
        One of :data:`KIND_SPECS`, or None to infer it from the header.
    encoding : str or None
        A Python codec name to decode with; None to detect (see the module docstring).

    Returns
    -------
    ImportedFile
        Rows with every column of the kind, the problems found (a row with a problem is
        not returned), and the kind inferred.
    """
    notes: list[str] = []
    try:
        text = decode_text(path, read_import_bytes(path), encoding, notes)
    except DataValidationError as exc:
        return ImportedFile(path, problems=tuple(exc.problems))
    separator = sniff_separator(text)
    if separator != ",":
        notes.append(f"read as {separator!r}-separated")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        raw_header = next(reader)
    except StopIteration:
        return ImportedFile(path, problems=(Problem(path, 1, "(header)", "", "the file is empty",
                                                    "start it with the header of one kind (docs/data.md)"),))
    except csv.Error as exc:
        return ImportedFile(path, problems=(_unreadable(path, reader.line_num or 1, exc),))
    header = [name.strip() for name in raw_header]
    # Checked before stripping, as for the shipped files: a column name may not smuggle
    # in a control character either.
    problems = find_text_problems(path, 1, ["(header)"] * len(raw_header), raw_header)
    chosen, header_problem = choose_kind(path, header, kind, separator)
    if chosen is None:
        refusal = [header_problem] if header_problem is not None else []
        return ImportedFile(path, problems=(*refusal, *problems), notes=tuple(notes))
    rows: list[ImportedRow] = []
    records, structure = read_records(reader, len(header), RecordRules(
        max_rows=MAX_IMPORT_ROWS,
        unreadable=lambda line, exc: _unreadable(path, line, exc),
        too_many=lambda line: Problem(path, line, "(row)", "", f"more than {MAX_IMPORT_ROWS:,} rows in one file",
                                      "split the file into several imports"),
        wrong_width=lambda line, values: Problem(
            path, line, "(row)", shorten_value(separator.join(values), 60),
            f"{len(values)} cells where the header has {len(header)}",
            f"quote cells that contain {separator!r} with double quotes"),
    ))
    for line, values in records:
        # A line break inside a quoted cell keeps its meaning as "\n": CR is a control
        # character the text rules refuse, and Windows writes CRLF.
        cells = {h: v.replace("\r\n", "\n").replace("\r", "\n") for h, v in zip(header, values, strict=True)}
        found = check_cells(path, line, "", cells)
        problems += found
        if not found:  # a row with a problem is reported, not returned
            ordered = {column: cells.get(column, "").strip() for column in KIND_SPECS[chosen].columns}
            rows.append(ImportedRow(chosen, line, f"line {line}", ordered))
    # Problems in file order: the refusals of the loop came after the rows read before them.
    problems = sorted([*problems, *structure], key=lambda p: p.line)
    return ImportedFile(path, tuple(rows), tuple(problems), chosen if kind is None else None, tuple(notes))


def decode_text(path: Path, raw: bytes, encoding: str | None, notes: list[str]) -> str:
    """Return the file's text, decoded as named or as detected; append how to ``notes``.

    Detection: a UTF-8 byte-order mark means UTF-8, a UTF-16 one UTF-16; otherwise UTF-8
    if the bytes are valid UTF-8, else Latin-1 (which never fails, so it is said in a
    note). Bytes with NUL characters and no byte-order mark are refused: they are binary,
    or UTF-16 without its mark.

    Raises
    ------
    DataValidationError
        If the named encoding is unknown or the bytes are not valid in it, or the file
        looks binary.
    """
    if encoding is None:
        if raw.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        else:
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                if b"\x00" in raw:
                    raise DataValidationError([Problem(
                        path, 0, "(encoding)", "", "the file holds NUL bytes: it is binary, or UTF-16 without "
                        "a byte-order mark", "save it as UTF-8 CSV, or name its encoding (e.g. utf-16-le)",
                    )]) from None
                notes.append("not valid UTF-8: read as Latin-1; if letters look wrong (€, curly quotes), "
                             "name the encoding, e.g. cp1252")
                return raw.decode("latin-1")
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise DataValidationError([Problem(path, 0, "(encoding)", encoding, "unknown encoding",
                                           "name a Python codec, e.g. utf-8, utf-16, latin-1 or cp1252")]) from None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].decode(encoding, errors="replace").count("\n") + 1
        raise DataValidationError([Problem(
            path, line, "(encoding)", repr(raw[exc.start:exc.start + 8])[2:-1],
            f"the file is not valid {encoding}", "save the file as UTF-8, or name the encoding it was saved in",
        )]) from None
    return text.removeprefix("\ufeff")


def sniff_separator(text: str) -> str:
    r"""Return ``;`` when the header line holds more semicolons than commas outside quotes.

    Examples
    --------
    >>> sniff_separator('id;name;"a, b"\n'), sniff_separator("id,name\n")
    (';', ',')
    """
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for char in text.split("\n", 1)[0]:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return ";" if counts[";"] > counts[","] else ","


def choose_kind(path: Path, header: list[str], kind: str | None,
                separator: str = ",") -> tuple[str | None, Problem | None]:
    """Return the kind whose columns the header holds, or the problem on line 1 if none.

    Parameters
    ----------
    path : Path
        The file (for the problem).
    header : list of str
        The header's column names, stripped.
    kind : str or None
        The kind the caller named, or None to find the one the header matches.
    separator : str
        The file's separator (to quote the header as written).
    """
    shown = shorten_value(separator.join(header))
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        return None, Problem(path, 1, "(header)", shown, f"duplicate columns {duplicates}",
                             "name each column once (see docs/data.md)")
    exact = [k for k in KIND_SPECS if holds_kind_columns(header, k)]
    if kind is None and exact:
        return exact[0], None
    if kind is not None and kind in exact:
        return kind, None
    # The kind named, or else the kind the header comes closest to, names what to change.
    target = kind or max(KIND_SPECS, key=lambda k: len(set(KIND_SPECS[k].columns) & set(header)))
    columns = KIND_SPECS[target].columns
    optional = IMPORT_OPTIONAL_COLUMNS.get(target, frozenset())
    missing = [c for c in columns if c not in header and c not in optional]
    unknown = [c for c in header if c not in columns]
    message = f"missing columns {missing}, unknown columns {shorten_value(repr(unknown))}"
    if kind is None:
        message = f"the header is not that of any kind; closest is {target}: {message}"
    hint = f"use exactly the columns of {target}: {','.join(columns)} (see docs/data.md)"
    if optional:
        hint += f"; {', '.join(sorted(optional))} may be left out"
    if exact:
        hint += f"; this header is that of {exact[0]}: import the file as {exact[0]}"
    elif len(header) == 1:
        hint += "; separate the columns with ',' or ';'"
    return None, Problem(path, 1, "(header)", shown, message, hint)


def holds_kind_columns(header: list[str], kind: str) -> bool:
    """Return whether ``header`` holds the columns of ``kind``: all, or all but some it may leave out.

    Examples
    --------
    >>> from layers.schema import SITE_STATUS
    >>> holds_kind_columns([c for c in SITE_STATUS.columns if c != "actor"], "statuses")
    True
    >>> holds_kind_columns([c for c in SITE_STATUS.columns if c != "note"], "statuses")
    False
    """
    columns = set(KIND_SPECS[kind].columns)
    return columns - IMPORT_OPTIONAL_COLUMNS.get(kind, frozenset()) <= set(header) <= columns


def _unreadable(path: Path, line: int, exc: csv.Error) -> Problem:
    # As layers.csvfile does: csv's own field size limit is process-wide and left alone.
    return Problem(path, line, "(row)", "", f"this line cannot be read as CSV ({exc})",
                   f"check its quotes; a cell may hold at most {MAX_FIELD_CHARS:,} characters")
