"""The folium maps of the two reference apps (``bench/reference_naive.py``, ``bench/reference_feature_group.py``).

What a careful streamlit-folium developer would write for the same view as Airbridge: the
sites with their status on the date, the route lines and the flight points of the 7-day
window ending on it, built by the repository's own layer builders (``layers.features``)
from the same data (``$AIRBRIDGE_DATA_DIR`` and ``$AIRBRIDGE_WORKSPACE``, as the dashboard
reads them). No tile layer: the Natural Earth countries (``data/basemap/countries.geojson``)
are fetched once from the app's own file server and drawn as a GeoJSON layer under the
data, as Airbridge does, so nothing needs the network and both kinds of app fetch the
same 1.6 MB file the same way. Leaflet is the vendored copy Airbridge serves.

Each date's layers carry a visible date mark and a :class:`DateStamp`, the benchmark's sign
that the map shows the new date. No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import folium
from folium.elements import MacroElement
from folium.template import Template
from shapely.geometry.base import BaseGeometry

from layers.dataset import DEFAULT_DATA_DIR, Dataset
from layers.escaping import escape_text
from layers.extents import DEFAULT_EXTENT, EXTENTS
from layers.features import build_flight_layer, build_route_layer, build_site_layer
from layers.style import ROUTE_STYLES
from layers.timeline import TimeSelection, filter_by_window
from layers.workspace import load_workspace_dataset

from dashboard.webmap.vendor_assets import localise_links

WINDOW_DAYS = 7
LEAFLET_ASSETS = {"leaflet", "leaflet_css"}  # as Airbridge: no jQuery, Bootstrap or icon fonts
SITE_COLOUR, FLIGHT_COLOUR = "#1A1A1A", "#CC79A7"
DATE_MARK_AT = (39.2, 9.0)  # top left of the theatre extent


class OfflineBasemap(MacroElement):
    """The Natural Earth countries, fetched from ``url`` and drawn under everything else."""

    _template = Template("""
{% macro script(this, kwargs) %}
fetch({{ this.url|tojson }}).then(function (response) { return response.json(); }).then(function (data) {
  var map = {{ this._parent.get_name() }};
  L.geoJSON(data, {interactive: false,
                   style: {color: "#9A9A9A", weight: 0.6, fillColor: "#F2EFE9", fillOpacity: 1}})
    .addTo(map).bringToBack();
  map.getContainer().dataset.refBasemap = "1";
});
{% endmacro %}
""")

    def __init__(self, url: str) -> None:
        super().__init__()
        self._name = "OfflineBasemap"
        self.url = url


class DateStamp(MacroElement):
    """Notes in ``window.__refDrawn[day]`` when its group (the date's layers) has been added to the map.

    The benchmark's sign that the map shows the day, stamped in the page's clock as
    Airbridge's map stamps ``Airbridge.drawnAt`` after drawing a date.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function (group) {
  function stamp() {
    window.__refDrawn = window.__refDrawn || {};
    window.__refDrawn[{{ this.day|tojson }}] = performance.timeOrigin + performance.now();
  }
  if (group._map) { stamp(); } else { group.once("add", stamp); }
}({{ this._parent.get_name() }}));
{% endmacro %}
""")

    def __init__(self, day: str) -> None:
        super().__init__()
        self._name = "DateStamp"
        self.day = day


def load_reference_dataset() -> Dataset:
    """Return the data the dashboard would show: ``$AIRBRIDGE_DATA_DIR`` (or ``data/``) and ``$AIRBRIDGE_WORKSPACE``."""
    data_dir = Path(os.environ.get("AIRBRIDGE_DATA_DIR") or DEFAULT_DATA_DIR)
    workspace = os.environ.get("AIRBRIDGE_WORKSPACE") or None
    return load_workspace_dataset(data_dir, workspace)


def build_reference_base_map(vendor_url: str, basemap_url: str) -> folium.Map:
    """Return the static map: Leaflet from ``vendor_url``, framed on the theatre, the basemap from ``basemap_url``."""
    box = EXTENTS[DEFAULT_EXTENT]
    folium_map = folium.Map(location=[(box.south + box.north) / 2, (box.west + box.east) / 2], zoom_start=5,
                            tiles=None, prefer_canvas=False)
    folium_map.default_js = localise_links([(n, u) for n, u in folium.Map.default_js if n in LEAFLET_ASSETS],
                                           vendor_url)
    folium_map.default_css = localise_links([(n, u) for n, u in folium.Map.default_css if n in LEAFLET_ASSETS],
                                            vendor_url)
    folium_map.fit_bounds([[box.south, box.west], [box.north, box.east]])
    OfflineBasemap(basemap_url).add_to(folium_map)
    return folium_map


def build_date_group(dataset: Dataset, as_of: dt.date) -> folium.FeatureGroup:
    """Return the layers of ``as_of`` (sites, routes and flights of the 7-day window) and its date mark."""
    selection = TimeSelection(as_of, WINDOW_DAYS)
    flights = filter_by_window(dataset.flights, selection)
    group = folium.FeatureGroup(name="Data")
    routes = build_route_layer(dataset, flights)
    for route, line in zip(routes.itertuples(), map(list_line_points, routes.geometry), strict=True):
        if line:
            style = ROUTE_STYLES.get(route.record_type) or next(iter(ROUTE_STYLES.values()))
            folium.PolyLine(line, color=style.colour, weight=1 + min(route.flights, 8),
                            tooltip=escape_text(route.name)).add_to(group)
    sites = build_site_layer(dataset, selection)
    for site, point in zip(sites.itertuples(), sites.geometry, strict=True):
        folium.CircleMarker([point.y, point.x], radius=5, color=SITE_COLOUR, fill=True,
                            tooltip=escape_text(f"{site.name}: {site.status}")).add_to(group)
    flight_points = build_flight_layer(dataset, flights)
    for flight, point in zip(flight_points.itertuples(), flight_points.geometry, strict=True):
        if point is not None and not point.is_empty:
            folium.CircleMarker([point.y, point.x], radius=3, color=FLIGHT_COLOUR, fill=True,
                                tooltip=escape_text(flight.name)).add_to(group)
    day = as_of.isoformat()
    folium.Marker(DATE_MARK_AT, icon=folium.DivIcon(
        html=f'<span class="ref-asof" data-date="{day}" style="font: bold 14px sans-serif">{day}</span>',
        icon_size=(120, 20))).add_to(group)
    DateStamp(day).add_to(group)
    return group


def list_line_points(geometry: BaseGeometry | None) -> list[list[float]]:
    """Return a route's line as [[lat, lon], ...]; empty when the route is listed, not drawn."""
    if geometry is None or geometry.is_empty:
        return []
    parts = getattr(geometry, "geoms", [geometry])
    return [[lat, lon] for part in parts for lon, lat in part.coords]
