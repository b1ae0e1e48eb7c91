"""What version of the data the page shows: the fingerprint of its files, without Streamlit.

The page (``dashboard.app.cache``) keys every cache by it, and the start-up step
(``dashboard.app.prebuild``) uses the same rule, so the map files it publishes before the
server starts are the ones the first visitor's page finds.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from layers import DEFAULT_DATA_DIR, Dataset
from layers.filters import Filters
from layers.store import (
    WORKSPACE_ENV,
    WORKSPACE_FILE,
    find_workspace_location,
    is_database_location,
    read_change_key,
    resolve_workspace_choice,
)
from layers.workspace import load_workspace_dataset

from dashboard.webmap.map_publication import compute_build_key
from dashboard.webmap.static_files import find_published_dir

DATA_DIR_ENV = "AIRBRIDGE_DATA_DIR"
__all__ = ["DATA_DIR_ENV", "Fingerprint", "find_data_dir", "fingerprint_files", "load_version_dataset",
           "locate_publication", "resolve_workspace"]


@dataclass(frozen=True)
class Fingerprint:
    """What the page's data is made of: the workspace folder, and (name, size, mtime) of each input file.

    It keys every cache, so a session that picks another workspace, an import, an undo or
    an edited CSV file each give a new entry.
    """

    workspace: str | None
    files: tuple[tuple[str, int, int], ...]
    workspace_key: tuple[str, ...] = ()
    """A PostGIS workspace's change key: batch count and latest batch id (``layers.store.read_change_key``)."""


def find_data_dir() -> Path:
    """Return the data folder: ``$AIRBRIDGE_DATA_DIR`` if set, else the shipped ``data/``."""
    configured = os.environ.get(DATA_DIR_ENV)
    return Path(configured).resolve() if configured else DEFAULT_DATA_DIR


def resolve_workspace(chosen: str = "") -> Path | str:
    """Return the workspace to show: ``chosen``, else ``$AIRBRIDGE_WORKSPACE``, else the default folder.

    A folder (resolved) or a PostGIS database's address, as for ``python -m layers import``;
    a folder with no ``workspace.gpkg`` yet adds nothing to the map.
    """
    picked = resolve_workspace_choice(chosen)
    address = picked or os.environ.get(WORKSPACE_ENV, "").strip()
    if is_database_location(address):
        return address
    return find_workspace_location(picked or None).expanduser().resolve()


def fingerprint_files(data_dir: Path, workspace: Path | str) -> Fingerprint:
    """Return (name, size, modification time) of each CSV file of the data folder and of the workspace file.

    A new import or an undo changes the workspace file, so the page redraws from it.
    """
    files = sorted(data_dir.glob("*.csv")) if data_dir.is_dir() else []
    if isinstance(workspace, str):  # PostGIS: batches change in the database, not in a file
        return Fingerprint(workspace, tuple((path.name, stat.st_size, stat.st_mtime_ns)
                                            for path in files for stat in [path.stat()]), read_change_key(workspace))
    if (workspace / WORKSPACE_FILE).is_file():
        files.append(workspace / WORKSPACE_FILE)
    return Fingerprint(str(workspace),
                       tuple((path.name, stat.st_size, stat.st_mtime_ns) for path in files for stat in [path.stat()]))


def locate_publication(data_dir: str, fingerprint: Fingerprint, filters: Filters) -> tuple[Path, str]:
    """Return where a data version's map files are published, and the build key they are published under.

    The folder is per data folder and workspace (``static_files.find_published_dir``); the key
    digests the data version as filtered, in the same words in every process (frozen tuples
    only), and the code (``map_publication.compute_build_key``).
    """
    directory = find_published_dir(data_dir, variant=fingerprint.workspace or "")
    return directory, compute_build_key(repr((str(data_dir), fingerprint, filters)))


def load_version_dataset(data_dir: str, fingerprint: Fingerprint) -> Dataset:
    """Return the validated dataset of a data version: the data folder with the workspace's rows.

    Raises
    ------
    DataValidationError
        If the data or the workspace breaks a rule.
    layers.store.WorkspaceError
        If the workspace cannot be read.
    """
    if fingerprint.workspace_key:  # PostGIS; a database with no workspace yet adds nothing
        return load_workspace_dataset(data_dir, None if fingerprint.workspace_key == ("none",)
                                      else fingerprint.workspace)
    workspace = Path(fingerprint.workspace) if fingerprint.workspace else None
    if workspace is not None and not (workspace / WORKSPACE_FILE).is_file():
        workspace = None  # no import yet: the shipped data alone
    return load_workspace_dataset(data_dir, workspace)
