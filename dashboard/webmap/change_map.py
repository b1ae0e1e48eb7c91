"""The map of a two-date comparison: changed sites and routes on the live map's offline basemap.

Draws :class:`layers.analytics.change_layers.ChangeLayers` (styles and legend:
:mod:`dashboard.webmap.change_legend`, popups: :mod:`dashboard.webmap.change_popups`): routes that appeared solid
green, routes that stopped dashed grey, routes whose flights changed blue with a ``+N`` /
``-N`` label (a minus sign on the map), each site whose status changed in a ring with a "before → after" tooltip;
the ends the sources name only roughly get the live map's faded dashed stub and dashed
circle. A legend gives the styles, the two dates and the window.

The whole drawing is one :class:`ChangeMapLayers` element (a
:class:`~dashboard.webmap.literal_element.LiteralMacroElement`): the script is fixed text
here, the data enters it as one JSON value (``layers.escaping.dump_script_json``), and every
piece of data text in a popup, tooltip or the legend is escaped (``escape_text``) before.
The basemap is the embedded Natural Earth one, fetched from where the app serves it or
inlined; Leaflet is linked from the app's vendored files or inlined
(:func:`dashboard.webmap.offline_assets.inline_assets`): no outside request either way.

No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

import folium
from folium.elements import JSCSSMixin
from folium.template import Template
from shapely.geometry.base import BaseGeometry

from layers.analytics.change_layers import ChangeLayers
from layers.basemap import BASEMAP_ATTRIBUTION
from layers.escaping import dump_script_json, escape_text
from layers.extents import EXTENTS
from layers.missing import is_present
from layers.route_ends import split_route_line
from layers.route_marks import UNCERTAIN_END_OPACITY, stub_width
from layers.style import UNCERTAINTY_COLOUR, dash_pattern, route_width

from dashboard.webmap.change_legend import (
    CHANGE_ROUTE_STYLES,
    SITE_RING_PX,
    STUB_STYLE,
    build_change_legend_html,
    build_ring_symbol,
)
from dashboard.webmap.change_popups import (
    build_route_change_popup,
    build_route_change_tooltip,
    build_site_change_popup,
    build_site_change_tooltip,
)
from dashboard.webmap.coordinates import POINT_DECIMALS, encode_lines, encode_point, iter_features
from dashboard.webmap.folium_map import LEAFLET_ASSETS, MAX_ZOOM, MIN_ZOOM, read_basemap_json
from dashboard.webmap.literal_element import LiteralMacroElement
from dashboard.webmap.popups import build_uncertainty_tooltip
from dashboard.webmap.static_files import LIBRARY_FILES, find_library_url, read_library_file
from dashboard.webmap.vendor_assets import localise_links

__all__ = ["LAND_STYLE", "SEA_COLOUR", "ChangeMapLayers", "build_change_map", "build_change_payload",
           "render_change_map_html"]

# The live map's offline basemap, drawn the same (airbridge-base.js buildBaseLayers, airbridge-map.css
# .ab-sea); tests/test_change_map.py checks these against those files.
LAND_STYLE = {"color": "#8c8c8c", "weight": 0.8, "fillColor": "#f4f1ea", "fillOpacity": 1}
SEA_COLOUR = "#c9dbea"
CSS_FILE = LIBRARY_FILES[-1]  # airbridge-map.css: popups, tooltips and legend boxes look as on the live map
CHANGE_MAP_CSS = (".ab-change-label{background:#fff;border:1.5px solid #0072B2;border-radius:4px;"
                  "font-weight:700;font-size:13px;padding:0 4px;box-shadow:none;color:#0b3d66}"
                  ".ab-change-label:before{display:none}.ab-change-site{background:none;border:0}"
                  ".ab-change-legend{max-width:320px}.ab-change-legend p{margin:2px 0}")
FIT_MAX_ZOOM = 7  # one changed site alone is framed at a regional scale, not a street
FIT_PADDING_PX = 24

# The drawing: fixed text, never data. ``data`` fields are named by build_change_payload.
DRAW_JS = """function (map, data, basemapData) {
  "use strict";
  var container = map.getContainer();
  container.style.background = data.sea;
  container.classList.add("ab-changes");
  map.createPane("ab-basemap").style.zIndex = 150;
  map.createPane("ab-lines").style.zIndex = 410;
  var land = L.geoJSON(null, {pane: "ab-basemap", interactive: false, attribution: data.attribution,
    renderer: L.canvas({pane: "ab-basemap", padding: 0.5}), style: function () { return data.land; }}).addTo(map);
  var ready = function () { container.dataset.abChangesReady = "1"; };
  // The basemap loads while the changes are drawn; the map is ready once it is in, or failed.
  var basemap = basemapData ? Promise.resolve(basemapData) : fetch(data.basemapUrl, {credentials: "same-origin"})
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    });
  var latLngs = function (lines) {
    return lines.map(function (line) { return line.map(function (p) { return [p[1], p[0]]; }); });
  };
  var popup = {maxWidth: 380, className: "ab-popup-box"};
  data.circles.forEach(function (c) {
    L.circle([c.at[1], c.at[0]], {radius: c.km * 1000, pane: "ab-lines", color: data.uncertainty, weight: 1.8,
      dashArray: "6 4", fill: false, className: "ab-change-circle"})
      .bindTooltip(c.tip, {sticky: true, className: "ab-tooltip"}).addTo(map);
  });
  data.routes.forEach(function (r) {
    if (r.stubs.length) {
      L.polyline(latLngs(r.stubs), {pane: "ab-lines", color: r.colour, weight: r.stubWidth, opacity: data.stubOpacity,
        dashArray: r.stubDash, className: "ab-change-stub"}).addTo(map);
    }
    L.polyline(latLngs(r.lines), {pane: "ab-lines", color: r.colour, weight: r.width, opacity: 0.9, dashArray: r.dash,
      className: "ab-change-route ab-change-" + r.kind})
      .bindPopup(r.popup, popup).bindTooltip(r.tip, {sticky: true, className: "ab-tooltip"}).addTo(map);
    if (r.label) {
      L.tooltip({permanent: true, direction: "center", className: "ab-change-label", interactive: false})
        .setLatLng([r.labelAt[1], r.labelAt[0]]).setContent(r.label).addTo(map);
    }
  });
  var ring = L.divIcon({className: "ab-change-site", html: data.ring, iconSize: [data.ringPx, data.ringPx]});
  data.sites.forEach(function (s) {
    L.marker([s.at[1], s.at[0]], {icon: ring, riseOnHover: true, zIndexOffset: 500})
      .bindTooltip(s.tip, {direction: "top", offset: [0, -data.ringPx / 2], className: "ab-tooltip"})
      .bindPopup(s.popup, popup).addTo(map);
  });
  var Box = L.Control.extend({
    options: {position: "topright", className: ""},
    onAdd: function () {
      var div = L.DomUtil.create("div", "ab-box " + this.options.className);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    }
  });
  new Box({className: "ab-legend-box ab-change-legend"}).addTo(map).getContainer().innerHTML = data.legend;
  // A map still hidden or opening (the panel's expander) has no size yet: frame it once it has.
  var frame = function () {
    map.fitBounds(data.fit, {padding: [data.fitPadding, data.fitPadding], maxZoom: data.fitMaxZoom});
  };
  if (map.getSize().x > 0 && map.getSize().y > 0) { frame(); } else { map.once("resize", frame); }
  basemap
    .then(function (geojson) { land.addData(geojson); })
    .catch(function (error) {
      var notice = new Box({position: "bottomleft", className: "ab-notice"}).addTo(map).getContainer();
      notice.setAttribute("role", "status");
      notice.textContent = "The offline basemap could not be loaded (" + String(error.message) +
        "); the changes are drawn without it.";
    })
    .then(ready);
}"""


class ChangeMapLayers(JSCSSMixin, LiteralMacroElement):
    """Draw a two-date comparison on its map (see the module docstring).

    Parameters
    ----------
    payload : dict
        From :func:`build_change_payload`.
    basemap_json : str, optional
        The basemap as JSON text safe in a script (``read_basemap_json``) to draw it
        inline; None fetches ``payload["basemapUrl"]``.
    library : "linked" or "inline"
        Link the map's style sheet from ``asset_base_url`` (live page) or embed it.
    asset_base_url : str, optional
        Where the app serves ``dashboard/webmap/static`` (needed when linked).
    """

    _template = Template("""
        {% macro header(this, kwargs) %}
            <style>{{ this.inline_css }}{{ this.own_css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            ({{ this.draw_js }})({{ this._parent.get_name() }}, {{ this.data_js }}, {{ this.basemap_js }});
        {% endmacro %}
    """)

    def __init__(self, payload: Mapping[str, Any], *, basemap_json: str | None = None,
                 library: Literal["linked", "inline"] = "linked", asset_base_url: str | None = None) -> None:
        super().__init__()
        self._name = "ChangeMapLayers"
        self.draw_js = DRAW_JS
        self.data_js = dump_script_json(dict(payload))
        self.basemap_js = basemap_json if basemap_json is not None else "null"
        self.own_css = CHANGE_MAP_CSS
        self.default_js = []
        if library == "linked":
            if asset_base_url is None:
                raise ValueError("a linked map needs asset_base_url: where the app serves dashboard/webmap/static")
            self.default_css = [("airbridge_map_css", find_library_url(CSS_FILE, asset_base_url))]
            self.inline_css = ""
        elif library == "inline":
            self.default_css = []
            css = read_library_file(CSS_FILE)
            if "</style" in css.lower():
                raise ValueError("the style sheet contains '</style', which would end the <style> element early")
            self.inline_css = css
        else:
            raise ValueError(f"library must be 'linked' or 'inline', not {library!r}")


def build_change_map(layers: ChangeLayers, *, basemap_url: str | None = None, asset_base_url: str | None = None,
                     inline: bool = False) -> folium.Map:
    """Return the folium map of a two-date comparison.

    Parameters
    ----------
    layers : ChangeLayers
        From :func:`layers.analytics.change_layers.build_change_layers`.
    basemap_url : str, optional
        Where the app serves the basemap GeoJSON (same origin); needed unless ``inline``.
    asset_base_url : str, optional
        Where the app serves ``dashboard/webmap/static``: Leaflet and the style sheet are
        linked from there. Needed unless ``inline``.
    inline : bool
        Embed the basemap and the style sheet (a standalone page; pass its HTML through
        :func:`~dashboard.webmap.offline_assets.inline_assets` to embed Leaflet too, as
        :func:`render_change_map_html` does).

    Raises
    ------
    ValueError
        If a served map lacks ``basemap_url`` or ``asset_base_url``.
    """
    if not inline and (basemap_url is None or asset_base_url is None):
        raise ValueError("a served change map needs basemap_url and asset_base_url (or inline=True)")
    box = EXTENTS["theatre"]
    folium_map = folium.Map(location=list(box.centre), zoom_start=4, tiles=None, control_scale=True,
                            zoom_snap=0.25, zoom_delta=0.5, min_zoom=MIN_ZOOM, max_zoom=MAX_ZOOM,
                            world_copy_jump=True)
    # Set on this instance only (as build_base_map does): other maps keep folium's defaults.
    vendor_url = f"{asset_base_url.rstrip('/')}/vendor" if asset_base_url and not inline else None
    folium_map.default_js = localise_links([(n, u) for n, u in folium.Map.default_js if n in LEAFLET_ASSETS],
                                           vendor_url)
    folium_map.default_css = localise_links([(n, u) for n, u in folium.Map.default_css if n in LEAFLET_ASSETS],
                                            vendor_url)
    payload = build_change_payload(layers, basemap_url=None if inline else basemap_url)
    ChangeMapLayers(payload, basemap_json=read_basemap_json() if inline else None,
                    library="inline" if inline else "linked", asset_base_url=asset_base_url).add_to(folium_map)
    return folium_map


def render_change_map_html(layers: ChangeLayers) -> str:
    """Return the comparison map as one standalone HTML page that opens with no network."""
    # Imported here: offline_assets is only needed for standalone pages.
    from dashboard.webmap.offline_assets import inline_assets

    return inline_assets(build_change_map(layers, inline=True).get_root().render())


def build_change_payload(layers: ChangeLayers, *, basemap_url: str | None) -> dict[str, Any]:
    """Return what the drawing script reads: features with their escaped popups and tooltips, legend, frame."""
    circles: dict[tuple[float, float, float], dict[str, Any]] = {}
    routes = []
    # Thick lines first, so thin ones stay on top and clickable.
    for props, geometry in sorted(iter_features(layers.routes), key=lambda item: -_route_flights(item[0])):
        style = CHANGE_ROUTE_STYLES[props["change_kind"]]
        width = round(route_width(_route_flights(props)), 1)
        parts = split_route_line(geometry, bool(props["from_uncertain"]), bool(props["to_uncertain"]))
        stubs = [line for stub in parts.uncertain for line in encode_lines(stub)]
        routes.append({
            "id": props["id"], "kind": props["change_kind"], "lines": encode_lines(parts.certain), "stubs": stubs,
            "colour": style.colour, "width": width, "dash": dash_pattern(style, width),
            "stubWidth": round(stub_width(width), 1), "stubDash": dash_pattern(STUB_STYLE, stub_width(width)),
            "tip": build_route_change_tooltip(props), "popup": build_route_change_popup(props, layers),
            "label": escape_text(props["label"]) if is_present(props.get("label")) else None,
            "labelAt": _find_middle(geometry),
        })
        for end in ("from", "to"):  # the circle is centred on the place, not where the line stops
            _add_circle(circles, float(props[f"{end}_lon"]), float(props[f"{end}_lat"]),
                        float(props[f"{end}_radius_km"] or 0), props[f"{end}_name"])
    sites = []
    for props, geometry in iter_features(layers.sites):
        _add_circle(circles, geometry.x, geometry.y, float(props.get("uncertainty_km") or 0), props["name"])
        sites.append({"id": props["id"], "at": encode_point(geometry), "tip": build_site_change_tooltip(props),
                      "popup": build_site_change_popup(props, layers)})
    return {
        "sea": SEA_COLOUR, "land": LAND_STYLE, "attribution": BASEMAP_ATTRIBUTION, "basemapUrl": basemap_url,
        "uncertainty": UNCERTAINTY_COLOUR, "stubOpacity": UNCERTAIN_END_OPACITY,
        "ring": build_ring_symbol(), "ringPx": SITE_RING_PX,
        "circles": list(circles.values()), "routes": routes, "sites": sites,
        "legend": build_change_legend_html(layers),
        "fit": _frame([*layers.sites.geometry, *layers.routes.geometry]),
        "fitPadding": FIT_PADDING_PX, "fitMaxZoom": FIT_MAX_ZOOM,
    }


def _add_circle(circles: dict[tuple[float, float, float], dict[str, Any]], lon: float, lat: float, radius: float,
                name: object) -> None:
    # One dashed circle per vague place, however many changed routes end there.
    at = [round(lon, POINT_DECIMALS), round(lat, POINT_DECIMALS)]
    if radius > 0 and (at[0], at[1], radius) not in circles:
        circles[(at[0], at[1], radius)] = {"at": at, "km": radius, "tip": build_uncertainty_tooltip(name, radius)}


def _route_flights(route: Mapping[str, Any]) -> int:
    return max(int(route["flights_before"]), int(route["flights_after"]))


def _find_middle(geometry: BaseGeometry) -> list[float]:
    # Half-way along the drawn (densified geodesic) line: where the +N / -N label sits.
    point = geometry.interpolate(0.5, normalized=True)
    return [round(point.x, POINT_DECIMALS), round(point.y, POINT_DECIMALS)]


def _frame(geometries: Iterable[BaseGeometry | None]) -> list[list[float]]:
    drawn = [g for g in geometries if g is not None and not g.is_empty]
    if not drawn:
        box = EXTENTS["theatre"]
        return [[box.south, box.west], [box.north, box.east]]
    bounds = [g.bounds for g in drawn]  # (west, south, east, north) each
    return [[min(b[1] for b in bounds), min(b[0] for b in bounds)],
            [max(b[3] for b in bounds), max(b[2] for b in bounds)]]
