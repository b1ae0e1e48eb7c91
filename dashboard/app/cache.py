"""Everything the page caches: the dataset, the published map files and per-date data.

The only module with ``st.cache_*``. It caches data (frames, the catalogue, the state of
a date as plain JSON-ready values), never folium maps: a map object shared across
sessions is mutable and goes blank after the first step. Entries are keyed by the data
folder and a fingerprint of its files, so editing the data reloads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from layers import Dataset
from layers.filters import NO_FILTERS, Filters, apply_filters

from dashboard.app.data_version import (
    DATA_DIR_ENV,
    Fingerprint,
    find_data_dir,
    fingerprint_files,
    load_version_dataset,
    locate_publication,
    resolve_workspace,
)
from dashboard.app.prefetch import DatePrefetcher
from dashboard.app.timeline_chart import count_per_week, list_days_seen
from dashboard.webmap.map_payload import Catalogue
from dashboard.webmap.map_publication import publish_map_data

__all__ = ["DATA_DIR_ENV", "Fingerprint", "PublishedMap", "count_cached_per_week", "filter_cached_dataset",
           "find_data_dir", "fingerprint_data_dir", "list_cached_days_seen", "load_cached_dataset",
           "publish_map_files", "start_prefetcher"]
WORKSPACE_CHOICE_KEY = "airbridge_import_workspace"
"""The session's chosen workspace folder (the import panel's picker); else ``$AIRBRIDGE_WORKSPACE``."""


@dataclass(frozen=True)
class PublishedMap:
    """The map's catalogue and the published files the browser fetches (catalogue, basemap).

    Attributes
    ----------
    catalogue : Catalogue
        What the published catalogue file holds, for the states' references.
    directory : Path
        The published folder of this data folder (in the cache directory).
    catalogue_file, basemap_file, library_file : str
        File names inside ``directory`` (``library_file``: the map's scripts in one file).
    files : tuple of str
        Every file the browser may fetch, the gzip copies included (``Publication.list_files``).
    """

    catalogue: Catalogue
    directory: Path
    catalogue_file: str
    basemap_file: str
    library_file: str
    files: tuple[str, ...]


def find_workspace() -> Path | str:
    """Return the workspace the page shows and imports into: a folder, or a PostGIS database's address.

    The session's pick in the import panel, else ``$AIRBRIDGE_WORKSPACE``, else the default
    folder (``dashboard.app.data_version.resolve_workspace``).
    """
    return resolve_workspace(str(st.session_state.get(WORKSPACE_CHOICE_KEY) or ""))


def fingerprint_data_dir(data_dir: Path) -> Fingerprint:
    """Return the fingerprint of the data folder and of the session's workspace (``data_version``)."""
    return fingerprint_files(data_dir, find_workspace())


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
    return load_version_dataset(data_dir, fingerprint)


@st.cache_resource(show_spinner=False, max_entries=4)
def filter_cached_dataset(data_dir: str, fingerprint: Fingerprint, filters: Filters) -> Dataset:
    """Return the dataset as the page's filters keep it (``layers.filters.apply_filters``; shared, read-only)."""
    return apply_filters(load_cached_dataset(data_dir, fingerprint), filters)


@st.cache_resource(show_spinner=False, max_entries=4)
def publish_map_files(data_dir: str, fingerprint: Fingerprint, filters: Filters) -> PublishedMap:
    """Return the published catalogue of the data as filtered (read back if published before, else built now).

    Each filter gives its own catalogue (named by its content hash, in the same folder):
    the map's scrub index then draws exactly the filtered layers on every date.

    Raises
    ------
    layers.basemap.BasemapMissingError
        If the offline basemap is missing.
    OSError
        If the cache directory cannot be written.
    """
    directory, build_key = locate_publication(data_dir, fingerprint, filters)
    # Built at start-up by dashboard.app.prebuild for the default view; read back here.
    publication = publish_map_data(filter_cached_dataset(data_dir, fingerprint, filters), directory, build_key)
    return PublishedMap(publication.catalogue, directory, publication.catalogue_file, publication.basemap_file,
                        publication.library_file, publication.list_files())


@st.cache_resource(show_spinner=False, max_entries=4)
def start_prefetcher(data_dir: str, fingerprint: Fingerprint, filters: Filters) -> DatePrefetcher:
    """Return the per-date cache of the window's events (filled ahead of the slider), of the filtered data."""
    return DatePrefetcher(filter_cached_dataset(data_dir, fingerprint, filters))


@st.cache_data(show_spinner=False, max_entries=4)
def count_cached_per_week(data_dir: str, fingerprint: Fingerprint, filters: Filters) -> pd.DataFrame:
    """Return the flight records and events per week (those the filters keep), for the timeline chart."""
    return count_per_week(filter_cached_dataset(data_dir, fingerprint, filters))


@st.cache_data(show_spinner=False, max_entries=4)
def list_cached_days_seen(data_dir: str, fingerprint: Fingerprint, filters: Filters) -> pd.DataFrame:
    """Return the days each aircraft has ADS-B positions, for the seen strip under the timeline chart."""
    return list_days_seen(filter_cached_dataset(data_dir, fingerprint, filters))


def warm_default_view() -> None:
    """Fill the caches a new session's first run reads, for the default view (no filters): dataset to histogram.

    ``dashboard.app.serve`` calls it in the server's process as soon as Streamlit's runtime
    exists, before any visitor: the first one after a start then waits for none of it
    (the page's first run took 0.53 s, 0.24 s with these filled, on the 2-core machine). A new session sees the data
    folder and workspace of the environment (no workspace picked yet), hence the same
    fingerprint as here.

    Raises
    ------
    DataValidationError, layers.store.WorkspaceError, layers.basemap.BasemapMissingError, OSError
        As the page's first run would; the page then shows them in full.
    """
    data_dir = str(find_data_dir())
    fingerprint = fingerprint_files(Path(data_dir), resolve_workspace())
    # The page's calls exactly, NO_FILTERS passed and not left to a default: Streamlit keys a
    # cached value by the arguments passed, so a call without it would fill another entry.
    publish_map_files(data_dir, fingerprint, NO_FILTERS)  # the dataset, the filtered dataset, the catalogue
    start_prefetcher(data_dir, fingerprint, NO_FILTERS)
    count_cached_per_week(data_dir, fingerprint, NO_FILTERS)
    list_cached_days_seen(data_dir, fingerprint, NO_FILTERS)
