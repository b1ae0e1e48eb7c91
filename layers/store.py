"""The analyst's workspace: batches of imported rows kept apart from the shipped dataset.

One small interface, :class:`WorkspaceStore`, with one module per backend
(``layers/gpkg_store.py``, a GeoPackage file that QGIS opens as it is, the default for
one analyst; ``layers/pg_store.py``, a team's PostgreSQL/PostGIS database, chosen by a
``postgresql://`` or ``postgres://`` URL or a ``service=NAME``). Callers open a store with
:func:`open_workspace` and never see the backend: the command line, the
exports and the app call the same operations (list batches, add a batch of rows or of ADS-B
positions in one transaction, remove a batch, read rows and positions, close).

Rows are kept as the shipped schema's text cells of their kind (``layers.readers``), so the
one validator (:mod:`layers.validation`) checks shipped and imported rows alike.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pandas as pd

if TYPE_CHECKING:
    from layers.tracks.positions import FlightLeg

WORKSPACE_ENV = "AIRBRIDGE_WORKSPACE"
WORKSPACE_FILE = "workspace.gpkg"
DATABASE_PREFIXES = ("postgresql://", "postgres://", "service=")
"""How a workspace address names a PostGIS database instead of a folder."""
_PASSWORD_WORD = re.compile(r"(?i)(^|\s)password\s*=\s*('(?:[^'\\]|\\.)*'|\S*)")


class WorkspaceError(RuntimeError):
    """Raised when a workspace cannot be opened, read or written; the message says what to do."""


class NoWorkspaceError(WorkspaceError):
    """Raised when reading a workspace that was never made (no file in the folder, no schema in the database)."""


@dataclass(frozen=True)
class Batch:
    """One import: what came in, from which file, when, and by whom.

    Attributes
    ----------
    id : str
        ``b`` and a number, unique in the workspace (``b0007``).
    created : datetime
        When the import was written (UTC).
    file_name : str
        The imported file's name (no folder).
    kinds : tuple of str
        The kinds of rows it added (``sites``, ``statuses``, ``events``, ``flights``).
    rows : int
        How many rows it added in all.
    source, confidence : str
        The ``--source`` text and default confidence the import was given ("" when none).
    imported_by : str
        The user who ran the import.
    """

    id: str
    created: dt.datetime
    file_name: str
    kinds: tuple[str, ...]
    rows: int
    source: str
    confidence: str
    imported_by: str

    @property
    def provenance(self) -> str:
        """How a feature from this batch says where it came from: ``batch b0007 (sightings.csv)``."""
        return f"batch {self.id} ({self.file_name})"


@dataclass(frozen=True)
class StoredRow:
    """One stored row: its batch, its number in the batch (1-based) and its text cells."""

    kind: str
    batch: Batch
    number: int
    cells: Mapping[str, str]


class WorkspaceStore(Protocol):
    """What every workspace backend offers."""

    @property
    def location(self) -> str:
        """Where the workspace is (a file path or a database address without credentials)."""
        ...

    def list_batches(self) -> list[Batch]:
        """Return the batches, oldest first."""
        ...

    def add_batch(self, file_name: str, rows: Mapping[str, Sequence[Mapping[str, str]]], *, source: str = "",
                  confidence: str = "", restore: Batch | None = None) -> Batch:
        """Write the rows (by kind) as one new batch in one transaction; return the batch.

        ``restore`` (``workspace copy``) keeps that batch's id, time and importer instead of new ones.
        """
        ...

    def add_track_batch(self, file_name: str, positions: pd.DataFrame, *, track_format: str, simplified: bool = False,
                        legs: Sequence[FlightLeg] = (), source: str = "", confidence: str = "",
                        progress: Callable[[int, int], None] | None = None, restore: Batch | None = None) -> Batch:
        """Write checked ADS-B positions (and stated flight legs) as one batch of kind ``track`` in one transaction."""
        ...

    def read_legs(self) -> pd.DataFrame:
        """Return every stored flight leg a file stated (OpenSky ``/flights``), batch then file order."""
        ...

    def read_positions(self) -> pd.DataFrame:
        """Return every stored position (the position table plus ``batch_id``), batch then row order."""
        ...

    def list_simplified_batches(self) -> frozenset[str]:
        """Return the ids of track batches whose source thinned the track."""
        ...

    def remove_batch(self, batch_id: str) -> Batch:
        """Remove one batch and all its rows in one transaction; return what was removed."""
        ...

    def read_rows(self) -> dict[str, list[StoredRow]]:
        """Return every stored row by kind, in batch then row order."""
        ...

    def close(self) -> None:
        """Release the store."""
        ...


def is_database_location(location: str | Path | None) -> bool:
    """Return True when ``location`` names a PostGIS database (see :data:`DATABASE_PREFIXES`), not a folder."""
    return isinstance(location, str) and location.strip().lower().startswith(DATABASE_PREFIXES)


def redact_location(location: str) -> str:
    """Return a workspace address fit to show: a database URL or service string without its password.

    ``postgresql://ana:secret@host/db?password=x`` -> ``postgresql://ana@host/db``; a folder
    is returned as it is.
    """
    if not is_database_location(location):
        return location
    text = location.strip()
    if text.lower().startswith("service="):
        return " ".join(_PASSWORD_WORD.sub(" ", text).split())
    parts = urlsplit(text)
    netloc = parts.netloc
    if "@" in netloc:
        credentials, host = netloc.rsplit("@", 1)
        netloc = f"{credentials.split(':', 1)[0]}@{host}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = urlencode([(k, v) for k, v in pairs if k != "password"]) if any(k == "password" for k, _ in pairs) \
        else parts.query
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def find_workspace_address(given: str | Path | None = None) -> str:
    """Return the workspace as users name it: a database address (without password), else the folder's path.

    ``given``, else ``$AIRBRIDGE_WORKSPACE``, else the default folder (:func:`find_workspace_location`).
    """
    chosen = str(given) if given else os.environ.get(WORKSPACE_ENV, "")
    if is_database_location(chosen):
        return redact_location(chosen)
    return str(find_workspace_location(given))


def find_workspace_location(given: str | Path | None = None) -> Path:
    """Return the workspace folder: ``given``, else ``$AIRBRIDGE_WORKSPACE``, else the user's data folder.

    The default follows the XDG base directory rule: ``$XDG_DATA_HOME/airbridge/workspace``,
    else ``~/.local/share/airbridge/workspace``. (A database address is no folder: see
    :func:`find_workspace_address`.)
    """
    if given:
        return Path(given).expanduser()
    configured = os.environ.get(WORKSPACE_ENV)
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).expanduser() / "airbridge" / "workspace"


def open_workspace(location: str | Path | None = None, *, create: bool = True) -> WorkspaceStore:
    """Open the workspace at ``location`` (else ``$AIRBRIDGE_WORKSPACE``, else the default folder).

    Parameters
    ----------
    location : str or Path, optional
        A folder (its ``workspace.gpkg`` is the store), or a PostGIS database:
        ``postgresql://user@host/db``, ``postgres://...`` or ``service=NAME``.
    create : bool
        Create the workspace when there is none (importing does; reading does not need to).

    Raises
    ------
    WorkspaceError
        If the workspace does not exist (and ``create`` is false), is not an Airbridge
        workspace, or (PostGIS) cannot be reached or opened; the message names the cause.
    """
    chosen = str(location) if location else os.environ.get(WORKSPACE_ENV, "")
    if is_database_location(chosen):
        try:
            from layers.pg_store import PostGISStore
        except ImportError as exc:
            raise WorkspaceError(f"{redact_location(chosen)} is a PostGIS workspace, and psycopg is not installed: "
                                 "run bash scripts/setup.sh --team") from exc
        return PostGISStore.open(chosen.strip(), create=create)
    from layers.gpkg_store import GeoPackageStore

    folder = find_workspace_location(location)
    return GeoPackageStore.open(folder / WORKSPACE_FILE, create=create)


def resolve_workspace_choice(chosen: str) -> str:
    """Return the address to open for what a user typed or was shown.

    That is ``$AIRBRIDGE_WORKSPACE`` itself when ``chosen`` is its password-free form (the
    form the app shows), else ``chosen``.
    """
    configured = os.environ.get(WORKSPACE_ENV, "").strip()
    if configured and chosen.strip() == redact_location(configured):
        return configured
    return chosen.strip()


def read_change_key(location: str | Path) -> tuple[str, ...]:
    """Return a value that changes when a batch is added or undone (for a page that polls; never raises).

    A GeoPackage: the file's size and modification time (``("none",)`` without a file); a
    PostGIS database: the batch count and latest batch id (:func:`layers.pg_store.read_change_key`).
    """
    if is_database_location(str(location)):
        try:
            from layers import pg_store
        except ImportError:
            return ("unreachable", "psycopg is not installed")
        return pg_store.read_change_key(str(location))
    path = find_workspace_location(location) / WORKSPACE_FILE
    if not path.is_file():
        return ("none",)
    info = path.stat()
    return ("file", str(info.st_size), str(info.st_mtime_ns))


def find_read_only_reason(location: str | Path) -> str:
    """Return why imports and undo are refused in this workspace ("" when they are allowed).

    For PostGIS the database's privileges decide (a viewer reads only); for a folder,
    whether this user may write it.
    """
    if is_database_location(str(location)):
        try:
            from layers import pg_store
        except ImportError:
            return "psycopg is not installed: run bash scripts/setup.sh --team"
        return pg_store.find_read_only_reason(str(location))
    folder = find_workspace_location(location)
    existing = next((p for p in (folder / WORKSPACE_FILE, folder, *folder.parents) if p.exists()), None)
    if existing is not None and not os.access(existing, os.W_OK):
        return f"read-only: this user may not write {existing}"
    return ""


def describe_workspace_option(location: str) -> str:
    """Return what ``--workspace`` takes to name a store's workspace again (the folder of a GeoPackage)."""
    return location if is_database_location(location) else str(Path(location).parent)
