"""The KML document inside a KMZ archive, taken out within limits a zip bomb cannot pass.

A KMZ is a zip archive whose main document is ``doc.kml`` (else the first ``.kml``
entry); images and other entries are not read. Nothing is extracted to disk. Refused,
each with a problem, before any entry is decompressed: more than
:data:`MAX_KMZ_ENTRIES` entries, more than :data:`MAX_KMZ_UNCOMPRESSED_BYTES` declared
uncompressed bytes in all, an entry of over 1 MiB that expands more than
:data:`MAX_COMPRESSION_RATIO` times (42.zip and its kind), and encrypted entries. The
document is then read at most one byte past the limit, so an archive that lies about its
sizes is refused as well.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from typing import IO

from layers.errors import DataValidationError
from layers.readers import MAX_IMPORT_BYTES
from layers.readers.files import make_file_problem

ZIP_MAGIC = b"PK\x03\x04"
MAX_KMZ_ENTRIES = 1000
"""Most entries a KMZ may hold (a KMZ holds one document and a few images)."""
MAX_KMZ_UNCOMPRESSED_BYTES = MAX_IMPORT_BYTES
"""Most bytes all entries of a KMZ may expand to (50 MiB, the limit of a plain file)."""
MAX_COMPRESSION_RATIO = 100
"""Most times an entry of over 1 MiB may expand (KML text compresses 5-20 times)."""
_RATIO_MIN_BYTES = 1024 * 1024
_CHUNK_BYTES = 1024 * 1024
_HINT = "unzip the KMZ and import its doc.kml, or export the layer again"


def extract_kml(path: Path, raw: bytes) -> bytes:
    """Return the bytes of the main KML document of a KMZ archive.

    Parameters
    ----------
    path : Path
        The archive (for problems).
    raw : bytes
        Its bytes.

    Raises
    ------
    DataValidationError
        If the archive is unreadable, breaks a limit, or holds no ``.kml`` entry.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            entries = archive.infolist()
            _check_entries(path, entries)
            chosen = choose_document(entries)
            if chosen is None:
                raise DataValidationError([make_file_problem(path, "the KMZ holds no .kml document", _HINT)])
            if chosen.flag_bits & 0x1:
                raise DataValidationError([make_file_problem(path, "the KMZ document is encrypted", _HINT)])
            with archive.open(chosen) as handle:
                data = _read_bounded(handle)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError) as exc:
        # A damaged deflate stream raises zlib.error, a wrong checksum BadZipFile.
        problem = make_file_problem(path, f"not a readable KMZ (zip) archive ({exc})", _HINT)
        raise DataValidationError([problem]) from None
    except NotImplementedError as exc:  # a compression method zipfile does not know
        raise DataValidationError([make_file_problem(path, f"the KMZ uses an unsupported compression ({exc})",
                                                     _HINT)]) from None
    if len(data) > MAX_KMZ_UNCOMPRESSED_BYTES:
        raise DataValidationError([make_file_problem(
            path, f"the KMZ document expands past {MAX_KMZ_UNCOMPRESSED_BYTES:,} bytes (its sizes are wrong)", _HINT,
        )])
    return data


def choose_document(entries: list[zipfile.ZipInfo]) -> zipfile.ZipInfo | None:
    """Return ``doc.kml`` (at the archive's root, any case), else the first ``.kml`` entry."""
    documents = [e for e in entries if not e.is_dir() and e.filename.lower().endswith(".kml")]
    return next((e for e in documents if e.filename.lower() == "doc.kml"), documents[0] if documents else None)


def _check_entries(path: Path, entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_KMZ_ENTRIES:
        raise DataValidationError([make_file_problem(path, f"the KMZ has {len(entries):,} entries, more than "
                                                     f"{MAX_KMZ_ENTRIES:,}", _HINT)])
    total = sum(e.file_size for e in entries)
    if total > MAX_KMZ_UNCOMPRESSED_BYTES:
        raise DataValidationError([make_file_problem(path, f"the KMZ expands to {total:,} bytes, more than "
                                                     f"{MAX_KMZ_UNCOMPRESSED_BYTES:,}", _HINT)])
    for entry in entries:
        if entry.file_size > _RATIO_MIN_BYTES and entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1):
            ratio = entry.file_size // max(entry.compress_size, 1)
            raise DataValidationError([make_file_problem(
                path, f"entry {entry.filename[:60]!r} expands {ratio:,} times ({entry.file_size:,} bytes), more than "
                f"{MAX_COMPRESSION_RATIO} times: a zip bomb", _HINT,
            )])


def _read_bounded(handle: IO[bytes]) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_KMZ_UNCOMPRESSED_BYTES:
        # Never more than one byte past the limit, whatever the archive claims.
        chunk = handle.read(min(_CHUNK_BYTES, MAX_KMZ_UNCOMPRESSED_BYTES + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)
