"""The Streamlit export panel: pick a format, title, marking, extent and size, then download.

Rendering takes about a second, so the panel renders on a button press (with a status
while it works) and keeps the bytes in the session for the download button; changing
any choice drops them. All the work is in ``dashboard.export`` (no Streamlit there).
"""

from __future__ import annotations

import warnings

import streamlit as st

from layers import Dataset, TimeSelection, build_snapshot
from layers.filters import NO_FILTERS, Filters, describe_filters

from dashboard.app.view_state import MapView
from dashboard.export.briefing import BriefingSpec
from dashboard.export.choices import (
    AS_SEEN,
    CURRENT_VIEW,
    EXTENT_LABELS,
    FORMAT_LABELS,
    SIZE_LABELS,
    PanelChoice,
    build_spec,
    default_size,
    list_formats,
)
from dashboard.export.errors import ExportError
from dashboard.export.formats import FORMATS
from dashboard.export.page_archive import ZIP_MEDIA_TYPE, name_archive, pack_pages
from dashboard.export.product import name_product, render_product_files

STATE_KEY = "airbridge_export"


def render_export_panel(dataset: Dataset, selection: TimeSelection, view: MapView, *,
                        filters: Filters = NO_FILTERS) -> None:
    """Draw the export panel for the current time selection, map view and filters.

    Parameters
    ----------
    dataset : Dataset
        The validated data the page shows, already filtered by ``filters``.
    selection : TimeSelection
        The date and window on the timeline.
    view : MapView
        Visible layers, basemap name and the current bounds (None until the map reports them).
    filters : Filters
        The page's filters: every export is drawn from the filtered data and names them.
    """
    basemap, bounds, visible = view.basemap, view.bounds, frozenset(view.visible_layers)
    with st.expander("Export briefing", expanded=False):
        choice = _ask_choice(basemap, bounds is not None)
        if not filters.is_empty:
            st.caption(f"{describe_filters(filters)}: the export shows what the page's filters keep, and says so.")
        try:
            spec = build_spec(choice, selection, visible_layers=visible, basemap=basemap, view_bounds=bounds,
                              filters=filters)
        except ExportError as exc:
            st.error(str(exc))
            return
        key = (choice, selection, visible, basemap, bounds, filters)
        stored = st.session_state.get(STATE_KEY)
        if st.button("Render export", type="primary", key="airbridge_export_render"):
            stored = _render(dataset, spec, as_seen=choice.format == AS_SEEN, key=key)
        if stored and stored["key"] == key:
            for message in stored["warnings"]:
                st.warning(message)
            if stored["pages"]:
                # The slide's last footnote line sends its reader to its sources pages: one
                # download carries them all, the slide alone is the second choice.
                archive = name_archive(stored["name"])
                st.download_button(f"Download {archive} (the slide and its {stored['pages']} sources pages)",
                                   data=stored["archive"], file_name=archive, mime=ZIP_MEDIA_TYPE, type="primary",
                                   key="airbridge_export_download_all")
                label = f"Download {stored['name']} (the slide alone)"
            else:
                label = f"Download {stored['name']}"
            st.download_button(label, data=stored["data"], file_name=stored["name"],
                               mime=FORMATS[spec.format].media_type, key="airbridge_export_download")


def _ask_choice(basemap: str, has_view: bool) -> PanelChoice:
    formats = list_formats(basemap)
    format_key = st.selectbox("Format", formats, format_func=FORMAT_LABELS.__getitem__, key="airbridge_export_format")
    title = st.text_input("Title", PanelChoice.title, key="airbridge_export_title")
    marking = st.text_input("Marking (top and bottom)", PanelChoice.marking, key="airbridge_export_marking")
    extents = [name for name in EXTENT_LABELS if name != CURRENT_VIEW or has_view]
    is_map = format_key == AS_SEEN or FORMATS[format_key].is_map
    extent = st.selectbox("Extent", extents, format_func=EXTENT_LABELS.__getitem__, key="airbridge_export_extent",
                          disabled=not is_map, help="Data formats (KML, GeoPackage, GeoJSON) export everything "
                          "visible on the date, whatever the extent.")
    sizes = list(SIZE_LABELS)
    size = st.selectbox("Size", sizes, index=sizes.index(default_size(format_key)), format_func=SIZE_LABELS.__getitem__,
                        key=f"airbridge_export_size_{format_key}", disabled=not is_map or format_key == "html")
    return PanelChoice(format_key, title, marking, extent, size)


def _render(dataset: Dataset, spec: BriefingSpec, *, as_seen: bool, key: tuple) -> dict | None:
    caught: list[str] = []
    with st.status(f"Rendering {FORMAT_LABELS[AS_SEEN if as_seen else spec.format]}...", expanded=False) as status:
        try:
            snapshot = build_snapshot(dataset, spec.selection)
            with warnings.catch_warnings(record=True) as recorded:
                warnings.simplefilter("always")
                if as_seen:
                    from dashboard.export.snapshot_as_seen import render_snapshot_as_seen_files

                    files = render_snapshot_as_seen_files(snapshot, spec, name_product(spec))
                else:
                    files = render_product_files(snapshot, spec, tracks=dataset.tracks,
                                                 site_status=dataset.site_status)
            caught = [str(w.message) for w in recorded if issubclass(w.category, UserWarning)]
        except ExportError as exc:
            status.update(label="Export failed", state="error")
            st.error(str(exc))
            return None
        status.update(label="Ready to download", state="complete")
    (name, data), *pages = files
    # The pages' bytes are kept once, in the archive: the panel needs only how many there are.
    stored = {"key": key, "data": data, "name": name, "pages": len(pages),
              "archive": pack_pages(files) if pages else None, "warnings": caught}
    st.session_state[STATE_KEY] = stored
    return stored
