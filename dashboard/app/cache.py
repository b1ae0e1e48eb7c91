"""Everything the page caches: the dataset, the published map files and per-date data.

The only module with ``st.cache_*``. It caches data (frames, the catalogue, the state of
a date as plain JSON-ready values), never folium maps: a map object shared across
sessions is mutable and goes blank after the first step. Entries are keyed by the data
folder and a fingerprint of its files, so editing the data reloads it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from layers import DEFAULT_DATA_DIR, Dataset
from layers.basemap import read_basemap_text
from layers.filters import NO_FILTERS, Filters, apply_filters
from layers.store import (
    WORKSPACE_ENV,
    WORKSPACE_FILE,
    find_workspace_location,
    is_database_location,
    read_change_key,
    resolve_workspace_choice,
)
from layers.workspace import load_workspace_dataset

from dashboard.app.prefetch import StatePrefetcher
from dashboard.app.timeline_chart import count_per_week, list_days_seen
from dashboard.webmap.map_payload import Catalogue, build_catalogue, collect_catalogue_snapshots
from dashboard.webmap.static_files import find_published_dir, prune_published, publish_file

DATA_DIR_ENV = "AIRBRIDGE_DATA_DIR"
__all__ = ["DATA_DIR_ENV", "Fingerprint", "PublishedMap", "count_cached_per_week", "filter_cached_dataset",
           "find_data_dir", "fingerprint_data_dir", "list_cached_days_seen", "load_cached_dataset",
           "publish_map_files", "start_prefetcher"]
WORKSPACE_CHOICE_KEY = "airbridge_import_workspace"
"""The session's chosen workspace folder (the import panel's picker); else ``$AIRBRIDGE_WORKSPACE``."""


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


@dataclass(frozen=True)
class PublishedMap:
    """The map's catalogue and the published files the browser fetches (catalogue, basemap).

    Attributes
    ----------
    catalogue : Catalogue
        What the published catalogue file holds, for the states' references.
    directory : Path
        The published folder of this data folder (in the cache directory).
    catalogue_file, basemap_file : str
        File names inside ``directory``.
    """

    catalogue: Catalogue
    directory: Path
    catalogue_file: str
    basemap_file: str


def find_data_dir() -> Path:
    """Return the data folder: ``$AIRBRIDGE_DATA_DIR`` if set, else the shipped ``data/``."""
    configured = os.environ.get(DATA_DIR_ENV)
    return Path(configured).resolve() if configured else DEFAULT_DATA_DIR


def find_workspace() -> Path | str:
    """Return the workspace the page shows and imports into: a folder, or a PostGIS database's address.

    The session's pick in the import panel, else ``$AIRBRIDGE_WORKSPACE``, else the default
    folder (``layers.store.find_workspace_location``), as for ``python -m layers import``.
    A folder with no ``workspace.gpkg`` yet (a database with no workspace) adds nothing to the map.
    """
    chosen = resolve_workspace_choice(str(st.session_state.get(WORKSPACE_CHOICE_KEY) or ""))
    address = chosen or os.environ.get(WORKSPACE_ENV, "").strip()
    if is_database_location(address):
        return address
    return find_workspace_location(chosen or None).expanduser().resolve()


def fingerprint_data_dir(data_dir: Path) -> Fingerprint:
    """Return (name, size, modification time) of each CSV file of the data folder and of the workspace file.

    A new import or an undo changes the workspace file, so the page redraws from it.
    """
    files = sorted(data_dir.glob("*.csv")) if data_dir.is_dir() else []
    workspace = find_workspace()
    if isinstance(workspace, str):  # PostGIS: batches change in the database, not in a file
        return Fingerprint(workspace, tuple((path.name, stat.st_size, stat.st_mtime_ns)
                                            for path in files for stat in [path.stat()]), read_change_key(workspace))
    if (workspace / WORKSPACE_FILE).is_file():
        files.append(workspace / WORKSPACE_FILE)
    return Fingerprint(str(workspace),
                       tuple((path.name, stat.st_size, stat.st_mtime_ns) for path in files for stat in [path.stat()]))


@st.cache_resource(show_spinner=False, max_entries=4)
def load_cached_dataset(data_dir: str, fingerprint: Fingerprint) -> Dataset:
    """Return the validated dataset with the workspace's rows (shared, read-only).

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


@st.cache_resource(show_spinner=False, max_entries=4)
def filter_cached_dataset(data_dir: str, fingerprint: Fingerprint, filters: Filters = NO_FILTERS) -> Dataset:
    """Return the dataset as the page's filters keep it (``layers.filters.apply_filters``; shared, read-only)."""
    return apply_filters(load_cached_dataset(data_dir, fingerprint), filters)


@st.cache_resource(show_spinner=False, max_entries=4)
def publish_map_files(data_dir: str, fingerprint: Fingerprint, filters: Filters = NO_FILTERS) -> PublishedMap:
    """Build the catalogue of the data as filtered; publish it and the basemap; prune older versions.

    Each filter gives its own catalogue (named by its content hash, in the same folder):
    the map's scrub index then draws exactly the filtered layers on every date.

    Raises
    ------
    layers.basemap.BasemapMissingError
        If the offline basemap is missing.
    OSError
        If the cache directory cannot be written.
    """
    dataset = filter_cached_dataset(data_dir, fingerprint, filters)
    catalogue = build_catalogue(collect_catalogue_snapshots(dataset), scrub_dataset=dataset)
    directory = find_published_dir(data_dir, variant=fingerprint.workspace or "")
    catalogue_file = publish_file(catalogue.to_json().encode("utf-8"), "catalogue", ".json", directory)
    basemap_file = publish_file(read_basemap_text().encode("utf-8"), "countries", ".json", directory)
    prune_published(directory, keep={catalogue_file, basemap_file})
    return PublishedMap(catalogue, directory, catalogue_file, basemap_file)


@st.cache_resource(show_spinner=False, max_entries=4)
def start_prefetcher(data_dir: str, fingerprint: Fingerprint, filters: Filters = NO_FILTERS) -> StatePrefetcher:
    """Return the per-date cache of snapshots and map states (filled ahead of the slider), of the filtered data."""
    published = publish_map_files(data_dir, fingerprint, filters)
    return StatePrefetcher(filter_cached_dataset(data_dir, fingerprint, filters), published.catalogue)


@st.cache_data(show_spinner=False, max_entries=4)
def count_cached_per_week(data_dir: str, fingerprint: Fingerprint, filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """Return the flight records and events per week (those the filters keep), for the timeline chart."""
    return count_per_week(filter_cached_dataset(data_dir, fingerprint, filters))


@st.cache_data(show_spinner=False, max_entries=4)
def list_cached_days_seen(data_dir: str, fingerprint: Fingerprint, filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """Return the days each aircraft has ADS-B positions, for the seen strip under the timeline chart."""
    return list_days_seen(filter_cached_dataset(data_dir, fingerprint, filters))
