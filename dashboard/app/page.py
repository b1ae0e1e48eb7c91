"""Airbridge live dashboard: ``streamlit run dashboard/app/page.py``.

One page: the histogram, the map with its date control, and the events of the window. The
date control runs in the map (``airbridge-scrub.js``): the map redraws itself as it moves,
and reports the date once the hand settles; that report reruns only the fragment of the
map, the event list, the histogram's marker and the URL. The view (date, window, layers,
basemap) lives in the URL. The data folder is ``$AIRBRIDGE_DATA_DIR`` or ``data/``.
"""

from __future__ import annotations

import contextlib
import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# `streamlit run dashboard/app/page.py` puts dashboard/app/ (the script's folder) on
# sys.path, not the repository root; add the root so that `layers` and `dashboard` import
# as packages.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import datetime as dt  # noqa: E402

import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from layers import Dataset, DataValidationError, TimeSelection  # noqa: E402
from layers.basemap import BasemapMissingError  # noqa: E402
from layers.escaping import quote_markdown_code  # noqa: E402
from layers.extents import DEFAULT_EXTENT, EXTENT_LABELS  # noqa: E402
from layers.filters import FILTER_PARAMS, Filters, format_filters, list_countries  # noqa: E402
from layers.store import WorkspaceError  # noqa: E402

from dashboard.app import cache  # noqa: E402
from dashboard.app.analytics_panel import render_analytics_panel  # noqa: E402
from dashboard.app.data_version import locate_publication  # noqa: E402
from dashboard.app.event_list import (  # noqa: E402
    CHOOSER_KEY,
    EVENT_LIST_CSS,
    find_focus,
    render_event_chooser,
    render_event_list,
    request_view,
)
from dashboard.app.export_panel import render_export_panel  # noqa: E402
from dashboard.app.filter_panel import read_filters, render_filter_panel, start_filters  # noqa: E402
from dashboard.app.import_panel import render_import_panel  # noqa: E402
from dashboard.app.prefetch import list_next_dates  # noqa: E402
from dashboard.app.reading_guide_panel import render_reading_guide  # noqa: E402
from dashboard.app.served_files import PUBLISHED_FILES, WEBMAP_FILES, serve_folder  # noqa: E402
from dashboard.app.timeline_chart import render_histogram, render_marker  # noqa: E402
from dashboard.app.view_state import (  # noqa: E402
    PARAM_NAMES,
    REPLACED_PARAMS,
    VIEW_DECIMALS,
    WINDOW_CHOICES,
    WINDOW_LABELS,
    MapView,
    ViewState,
    clamp_date,
    encode_view_state,
    normalise_layers,
    parse_map_view,
    parse_view_state,
)
from dashboard.webmap.basemaps import BASEMAPS  # noqa: E402
from dashboard.webmap.folium_map import MapSources, build_base_map, build_state_group  # noqa: E402
from dashboard.webmap.map_payload import Catalogue, attach_view  # noqa: E402
from dashboard.webmap.static_files import WEBMAP_STATIC_DIR, mark_in_use  # noqa: E402

MAP_KEY = "ab_map"
# How the map writes its date and view into the address itself (view_state: a slider step
# or a pan replaces the history entry).
URL_PARAMS = {"order": PARAM_NAMES, "replace": REPLACED_PARAMS, "decimals": VIEW_DECIMALS}
MAP_HEIGHT_PX = 600
DATA_CHECK_INTERVAL_S = 2.0  # how often the error page looks for fixed data files
PAGE_TITLE = "Airbridge: Russia's military air bridge to Libya"
# Less empty space above the page, so that the map fits a projector's 1080 lines.
PAGE_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 3rem; padding-bottom: 1rem; }
[data-testid="stHeading"] h4 { padding-top: 0; }
/* The window choices wrap in a narrow column (800 px wide: "Cumulative" was scrolled out of
   sight) rather than scroll sideways. */
[data-testid="stButtonGroup"] > div { flex-wrap: wrap; }
</style>"""


def main() -> None:
    """Draw the page."""
    # An emoji icon is drawn by the browser from a data: address. With Streamlit's default
    # (./favicon.png) every settled date fetched the file again, 1.3 KB a step (issue 11).
    st.set_page_config(page_title="Airbridge", page_icon="✈️", layout="wide", initial_sidebar_state="collapsed")
    st.html(PAGE_CSS + EVENT_LIST_CSS)  # outside the map's fragment: sent once, not on every settled date
    data_dir = cache.find_data_dir()
    fingerprint = cache.fingerprint_data_dir(data_dir)
    dataset = _load_dataset(data_dir, fingerprint)
    # The filters apply before anything is built (map catalogue, histogram, events, exports).
    countries = list_countries(dataset)
    params = st.query_params.to_dict()  # Back or Forward changes it from what the page wrote last (ab_url)
    # Only a change of the filter parameters themselves (Back, Forward) re-reads the filters:
    # the map rewrites date, zoom and centre in the address on its own (airbridge-view.js),
    # and a filter picked before Python has heard of that rewrite must not be undone by it.
    written = st.session_state.get("ab_url", params)
    filters = start_filters(params, countries, reread=_pick_filter_params(params) != _pick_filter_params(written))
    with st.spinner("Preparing the map (first visit after a data change)…"):
        served = _serve_map_files(data_dir, _publish_map_files(data_dir, fingerprint, filters))
    first, last = dataset.first_date.date(), dataset.last_date.date()
    _start_session(first, last, frozenset(dataset.events["id"]))
    _render_header(first, last)
    for notice in st.session_state.pop("ab_notices", []):
        st.warning(notice)
    render_filter_panel(countries)
    render_histogram(cache.count_cached_per_week(str(data_dir), fingerprint, filters), first, last,
                     seen=cache.list_cached_days_seen(str(data_dir), fingerprint, filters))
    st.fragment(_render_timeline_and_map)(first, last, str(data_dir), fingerprint, served)
    # Below the map: the routes table and two-date comparison (layers/analytics), as of the
    # page's date (a fragment of its own, so its inputs do not redraw the map).
    shown = cache.filter_cached_dataset(str(data_dir), fingerprint, filters)
    st.fragment(render_analytics_panel)(shown, TimeSelection(st.session_state["ab_date"],
                                                                WINDOW_CHOICES[st.session_state["ab_window"]]))
    with st.sidebar:
        _render_sidebar(dataset, shown, data_dir)


def _load_dataset(data_dir: Path, fingerprint: cache.Fingerprint) -> Dataset:  # noqa: RET503 (ends in st.stop)
    with st.spinner("Loading and checking the data…"):
        try:
            return cache.load_cached_dataset(str(data_dir), fingerprint)
        except DataValidationError as error:
            count = len(error.problems)
            st.error(f"The data in {quote_markdown_code(data_dir)} has {count} problem{'s' if count != 1 else ''}; "
                     "the map opens once they are fixed, and this page reloads by itself when the files change. "
                     "Each line names the file, line and field, and what to do (also: `python -m layers validate`).")
            st.code(str(error), language=None, wrap_lines=True)
        except WorkspaceError as error:
            st.error(f"The workspace cannot be read: {quote_markdown_code(error)}. Fix or move it (it is set "
                     "by `AIRBRIDGE_WORKSPACE`); this page reloads by itself when the files change.")
        except OSError as error:
            st.error(f"The data folder {quote_markdown_code(data_dir)} cannot be read: "
                     f"{quote_markdown_code(error)}. Check that it exists and that the user running the app "
                     "may read it; this page reloads by itself when the files change.")
    _watch_data_dir(data_dir, fingerprint)
    st.stop()


def _watch_data_dir(data_dir: Path, fingerprint: cache.Fingerprint) -> None:
    """Rerun the whole page as soon as the data files change (the error page recovers by itself)."""
    @st.fragment(run_every=DATA_CHECK_INTERVAL_S)
    def check() -> None:
        if cache.fingerprint_data_dir(data_dir) != fingerprint:
            st.rerun(scope="app")

    check()


@dataclass(frozen=True)
class ServedMap:
    """The published catalogue and where the browser fetches the map's files."""

    catalogue: Catalogue
    asset_url: str
    catalogue_url: str
    basemap_url: str
    library_url: str


def _serve_map_files(data_dir: Path, published: cache.PublishedMap) -> ServedMap:
    asset_url = serve_folder(WEBMAP_FILES, WEBMAP_STATIC_DIR)
    # Served now: no other filter's publish may prune these files (static_files.mark_in_use).
    mark_in_use(published.directory, published.files)
    # One name per published folder: sessions showing other data (another workspace) are
    # served from their own folder, never from whichever registered last.
    published_url = serve_folder(f"{PUBLISHED_FILES}_{published.directory.name}", published.directory)
    return ServedMap(published.catalogue, asset_url, f"{published_url}/{published.catalogue_file}",
                     f"{published_url}/{published.basemap_file}", f"{published_url}/{published.library_file}")


def _publish_map_files(  # noqa: RET503 (ends in st.stop, which never returns)
        data_dir: Path, fingerprint: cache.Fingerprint, filters: Filters) -> cache.PublishedMap:
    try:
        return cache.publish_map_files(str(data_dir), fingerprint, filters)
    except BasemapMissingError as error:
        st.error(f"The offline basemap is missing: {quote_markdown_code(error)}. Restore "
                 "`data/basemap/countries.geojson` from the release (see `data/basemap/PROVENANCE.md`).")
    except OSError as error:
        published_dir, _ = locate_publication(str(data_dir), fingerprint, filters)
        st.error(f"The map files cannot be written to {quote_markdown_code(published_dir)} "
                 f"({quote_markdown_code(error)}). Make that folder writable for the user running the app, "
                 "or point `AIRBRIDGE_CACHE_DIR` at one that is, then reload.")
    st.stop()


def _start_session(first: dt.date, last: dt.date, event_ids: frozenset[str]) -> None:
    """Read the URL into the session state when the session starts or the address changed; clamp the date.

    The address changes under a running page on Back or Forward: Streamlit then reruns the
    page with that entry's query string, which differs from the one the page wrote last
    (``ab_url``); the URL wins, as when the page opened.
    """
    params = st.query_params.to_dict()
    opening = "ab_date" not in st.session_state
    if opening or params != st.session_state.get("ab_url", params):
        view, notices = parse_view_state(params, first, last, event_ids)
        map_view = (view.zoom, view.center) if view.zoom is not None and view.center is not None else None
        st.session_state.update({
            "ab_date": view.as_of, "ab_window": view.window, "ab_layers": view.layers, "ab_basemap": view.basemap,
            "ab_view": map_view, "ab_notices": [*st.session_state.get("ab_notices", []), *notices],
        })
        st.session_state.setdefault("ab_initial_basemap", view.basemap)
        st.session_state.setdefault("ab_bounds", None)
        if not opening or view.event is not None or map_view is not None:
            request_view(view.event, map_view)
        # A run that was under way when Back was pressed may have rewritten the entry just
        # restored (Streamlit replaces it then): this run writes the address again, always.
        st.session_state["ab_url_rewrite"] = not opening
    else:
        st.session_state["ab_date"] = clamp_date(st.session_state["ab_date"], first, last)
    if st.session_state.get("ab_window") not in WINDOW_CHOICES:
        st.session_state["ab_window"] = "7"


def _pick_filter_params(params: Mapping[str, object]) -> dict[str, object]:
    return {name: params[name] for name in FILTER_PARAMS if name in params}


def _render_header(first: dt.date, last: dt.date) -> None:
    # The guide folds beside the window control rather than under the title: one row less
    # above the map, so that at 1600x1000 the whole map is on the screen.
    title, window, guide = st.columns([3.4, 2.6, 1.6], vertical_alignment="bottom")
    with title:
        st.markdown(f"#### {PAGE_TITLE}")
        st.caption("Sources: click any symbol. Exports and notes: the sidebar (\u203a, top left).")
    with window:
        st.segmented_control("Window", list(WINDOW_CHOICES), format_func=lambda key: WINDOW_LABELS.get(key, key),
                             key="ab_window", required=True,
                             help="Flights shown: those in the days up to the date, or all so far.")
    with guide:
        render_reading_guide()


def _render_timeline_and_map(first: dt.date, last: dt.date, data_dir: str, fingerprint: cache.Fingerprint,
                             served: ServedMap) -> None:
    if cache.fingerprint_data_dir(Path(data_dir)) != fingerprint:
        # The files changed under a running page: redraw everything from the new data
        # rather than serve a slider step from the old.
        st.session_state["ab_notices"] = [*st.session_state.get("ab_notices", []),
                                          "The data files changed: the page was redrawn from the new data."]
        st.rerun(scope="app")
    window = st.session_state["ab_window"]
    as_of = clamp_date(st.session_state["ab_date"], first, last)
    selection = TimeSelection(as_of, WINDOW_CHOICES[window])
    prefetcher = cache.start_prefetcher(data_dir, fingerprint, read_filters())
    data = prefetcher.get(as_of, selection.window_days)
    map_column, event_column = st.columns([3, 1])
    focus = find_focus(data.events)  # the chooser's value, read before the map is drawn
    with map_column:
        # The map draws the date itself from the catalogue's scrub index: only the date and the view travel.
        state = attach_view({"asOf": as_of.isoformat(), "window": selection.window_days},
                            visible_layers=st.session_state["ab_layers"],
                            basemap=st.session_state["ab_basemap"], focus=focus, catalogue=served.catalogue)
        base_map = build_base_map(DEFAULT_EXTENT, st.session_state["ab_initial_basemap"], report=True,
                                  presets=EXTENT_LABELS, url_params=URL_PARAMS,
                                  sources=MapSources(catalogue_url=served.catalogue_url,
                                                     basemap_url=served.basemap_url,
                                                     library_url=served.library_url, gzip_copies=True),
                                  asset_base_url=served.asset_url)
        st_folium(base_map, key=MAP_KEY, height=MAP_HEIGHT_PX, use_container_width=True, returned_objects=[],
                  feature_group_to_add=[build_state_group(state)], on_change=_take_map_report)
    with event_column:
        render_event_chooser(data.events)
        render_event_list(data.events, WINDOW_LABELS[window].lower())
    render_marker(selection, first, last)
    zoom, center = st.session_state.get("ab_view") or (None, None)
    _write_query_params(ViewState(as_of, window, st.session_state["ab_layers"], st.session_state["ab_basemap"],
                                  zoom, center, st.session_state.get(CHOOSER_KEY)))
    prefetcher.schedule((day, selection.window_days) for day in list_next_dates(as_of, 1, first, last))


def _take_map_report() -> None:
    """Take the date, layers, basemap and view the user chose on the map (sent by airbridge-base.js)."""
    value = st.session_state.get(MAP_KEY)
    report = value.get("airbridge") if isinstance(value, dict) else None
    if not isinstance(report, dict):
        return
    if isinstance(report.get("layers"), list):
        st.session_state["ab_layers"] = normalise_layers(str(name) for name in report["layers"])
    if isinstance(report.get("date"), str):
        with contextlib.suppress(ValueError):  # not a date: keep the one shown
            st.session_state["ab_date"] = dt.date.fromisoformat(report["date"])
    if report.get("basemap") in BASEMAPS:
        st.session_state["ab_basemap"] = report["basemap"]
    bounds = report.get("bounds")
    if isinstance(bounds, list) and len(bounds) == 4 and all(isinstance(v, (int, float)) and math.isfinite(v)
                                                             for v in bounds):
        st.session_state["ab_bounds"] = tuple(float(v) for v in bounds)
    if "zoom" in report:  # null until the map was moved: the URL then has no view
        st.session_state["ab_view"] = parse_map_view(report["zoom"], report.get("center"))


def _write_query_params(view: ViewState) -> None:
    wanted = {**encode_view_state(view), **format_filters(read_filters())}
    st.session_state["ab_url"] = wanted  # what the next run's URL is unless Back or Forward changed it
    if st.query_params.to_dict() != wanted or st.session_state.pop("ab_url_rewrite", False):
        st.query_params.from_dict(wanted)


def _render_sidebar(dataset: Dataset, shown: Dataset, data_dir: Path) -> None:
    st.markdown("### Airbridge")
    st.caption(f"{len(dataset.sites)} sites, {len(dataset.flights)} flight records, {len(dataset.events)} events; "
               f"{dataset.first_date.date()} to {dataset.last_date.date()}. Data: {quote_markdown_code(data_dir)}")
    st.caption("Click a symbol for its sources. Layers and basemaps: the list at the top right of the map. "
               "The address bar keeps the view: copy it to share.")
    selection = TimeSelection(st.session_state["ab_date"], WINDOW_CHOICES[st.session_state["ab_window"]])
    view = MapView(frozenset(st.session_state["ab_layers"]), st.session_state["ab_basemap"],
                   st.session_state["ab_bounds"])
    # Export panel (dashboard/export_panel.py, built by the exports work): renders from the
    # same (filtered) data, time selection and map view as the page.
    render_export_panel(shown, selection, view, filters=read_filters())
    # Import panel (dashboard/app/import_panel.py): the analyst's files into the workspace.
    render_import_panel(data_dir)


main()
