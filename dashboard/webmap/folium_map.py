"""The folium map of the live page and of the standalone HTML export.

The base map (Leaflet, base layers, controls, legend, and the Airbridge drawing code) is
built once and stays byte-identical between slider steps, so streamlit-folium never
remounts it; what changes with the date travels as one small state
(``dashboard.webmap.map_payload``) in a feature group. The standalone map embeds the drawing
code, the catalogue and the Natural Earth basemap, so that a single HTML file shows the
same map with no network.

No Streamlit here: ``dashboard.export`` uses this module too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import folium
import folium.plugins
from folium.elements import JSCSSMixin
from folium.template import Template

from layers import LAYER_NAMES, Snapshot
from layers.basemap import read_basemap_text
from layers.extents import EXTENT_LABELS, EXTENTS, Extent
from layers.route_marks import ROUTE_MARKS
from layers.style import (
    CORRIDOR_STYLE,
    GAP_STYLE,
    POSITION_COLOUR,
    REACH_FILL_OPACITY,
    REACH_STYLE,
    ROUTE_STYLES,
    TRACK_STYLE,
    TRACK_WIDTH,
    UNCERTAINTY_COLOUR,
    dash_pattern,
)
from layers.vocabulary import LAYER_TITLES

from dashboard.webmap.basemaps import BASEMAPS, DEFAULT_BASEMAP
from dashboard.webmap.literal_element import LiteralMacroElement
from dashboard.webmap.map_payload import Catalogue, Focus, build_catalogue, build_map_state, dump_script_json
from dashboard.webmap.popups import escape_text
from dashboard.webmap.static_files import LIBRARY_FILES, find_library_url, read_library_file
from dashboard.webmap.symbols import REACH_OUTLINE_PX, build_position_symbol
from dashboard.webmap.vendor_assets import localise_links

# The map needs Leaflet only: folium's jQuery, Bootstrap and icon fonts are left out.
LEAFLET_ASSETS = {"leaflet", "leaflet_css"}
CORRIDOR_WIDTH_PX = 2.5
MIN_ZOOM, MAX_ZOOM = 2, 18  # the map's zoom range (a URL's zoom is checked against it)
TRACK_STYLES = {  # how the script draws the ADS-B layers, from the style shared with the exports
    "track": {"colour": TRACK_STYLE.colour, "width": TRACK_WIDTH},
    "gap": {"colour": GAP_STYLE.colour, "width": TRACK_WIDTH, "dash": dash_pattern(GAP_STYLE, TRACK_WIDTH)},
    "reach": {"colour": REACH_STYLE.colour, "width": REACH_OUTLINE_PX, "fillOpacity": REACH_FILL_OPACITY,
              "dash": dash_pattern(REACH_STYLE, REACH_OUTLINE_PX)},
    "position": {"colour": POSITION_COLOUR, "arrow": build_position_symbol(True), "dot": build_position_symbol(False)},
}


@dataclass(frozen=True)
class MapSources:
    """Where the map's script finds the catalogue and the basemap.

    The live page gives same-origin URLs (fetched once); the standalone export gives the
    JSON text itself.
    """

    catalogue_url: str | None = None
    basemap_url: str | None = None
    catalogue_json: str | None = None
    basemap_json: str | None = None
    library_url: str | None = None
    """Leaflet, its full-screen control and the map's scripts in one published file with the shared
    options (``static_files.build_library_bundle`` of :func:`build_static_options`): the map then
    links no other script. Else one link a file, the options in the map's own script."""
    gzip_copies: bool = False
    """The catalogue and basemap URLs each have a gzip copy at the URL with ``.gz`` added
    (``static_files.name_gzip_copy``), which the map fetches and unpacks itself where the
    browser can (``DecompressionStream``), else it fetches the URLs."""

    def __post_init__(self) -> None:
        if (self.catalogue_url is None) == (self.catalogue_json is None):
            raise ValueError("give the catalogue either as a URL or as JSON text, not both or neither")
        if (self.basemap_url is None) == (self.basemap_json is None):
            raise ValueError("give the basemap either as a URL or as JSON text, not both or neither")


class AirbridgeLayers(JSCSSMixin, LiteralMacroElement):
    """Set up the Airbridge drawing on a map: base layers, layer control, legend, date box.

    Parameters
    ----------
    options : dict
        The options of ``Airbridge.init`` (see ``static/airbridge/airbridge-base.js``).
    inline_json : dict of str to str
        Option names whose value is JSON text to insert as it is (inline catalogue, basemap).
    library : "linked" or "inline"
        Link the script and style sheet from the app's static files (live page), or embed
        them (standalone HTML).
    asset_base_url : str, optional
        Where the app serves ``dashboard/webmap/static`` (needed when linked).
    library_url : str, optional
        When linked: the map's scripts as one published file (the live page), instead of one
        link a file.
    """

    _template = Template("""
        {% macro header(this, kwargs) %}
            {% if this.inline_css %}<style>{{ this.inline_css }}</style>{% endif %}
        {% endmacro %}
        {% macro script(this, kwargs) %}
            {{ this.inline_js }}
            Airbridge.init({{ this._parent.get_name() }}, {{ this.options_js }});
        {% endmacro %}
    """)

    def __init__(self, options: Mapping[str, Any], inline_json: Mapping[str, str] | None = None,
                 library: Literal["linked", "inline"] = "linked", asset_base_url: str | None = None,
                 library_url: str | None = None) -> None:
        super().__init__()
        self._name = "AirbridgeLayers"
        self.options_js = _merge_options(options, inline_json or {})
        *js_files, css_file = LIBRARY_FILES
        if library == "linked":
            if asset_base_url is None:
                raise ValueError("a linked map needs asset_base_url: where the app serves dashboard/webmap/static")
            self.default_js = ([("airbridge_js", library_url)] if library_url else
                               [(js_file, find_library_url(js_file, asset_base_url)) for js_file in js_files])
            self.default_css = [("airbridge_map_css", find_library_url(css_file, asset_base_url))]
            self.inline_js = self.inline_css = ""
        elif library == "inline":
            self.default_js, self.default_css = [], []
            self.inline_js = "\n".join(_guard_closing_tag(read_library_file(js_file), "script") for js_file in js_files)
            self.inline_css = _guard_closing_tag(read_library_file(css_file), "style")
        else:
            raise ValueError(f"library must be 'linked' or 'inline', not {library!r}")


class AirbridgeState(LiteralMacroElement):
    """Draw one state (``dashboard.webmap.map_payload``): ``Airbridge.update(state)``."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            Airbridge.update({{ this.state_js }});
        {% endmacro %}
    """)

    def __init__(self, state: Mapping[str, Any]) -> None:
        super().__init__()
        self._name = "AirbridgeState"
        self.state_js = dump_script_json(state)


def build_base_map(extent: str | Extent, basemap: str = DEFAULT_BASEMAP, *, sources: MapSources,
                   library: Literal["linked", "inline"] = "linked", report: bool = False,
                   title: str | None = None, marking: str | None = None,
                   asset_base_url: str | None = None, presets: Iterable[str] = (),
                   url_params: Mapping[str, Any] | None = None) -> folium.Map:
    """Return the base map: Leaflet framed on ``extent``, base layers, controls and legend.

    Parameters
    ----------
    extent : str or Extent
        A name of ``layers.extents.EXTENTS`` or a box.
    basemap : str
        Key of ``BASEMAPS`` shown first.
    sources : MapSources
        Catalogue and basemap, as URLs or inline JSON.
    library : "linked" or "inline"
        How the Airbridge script and style sheet come in (see :class:`AirbridgeLayers`).
    report : bool
        Tell Streamlit when the user toggles layers, changes the basemap or moves the map.
    title, marking : str, optional
        Plain text shown in a banner (standalone exports); escaped here.
    asset_base_url : str, optional
        Where the app serves ``dashboard/webmap/static`` (live page): Leaflet's and the
        plugins' style sheets are linked from its ``vendor/`` folder, and their scripts too
        unless ``sources.library_url`` carries them (the published bundle). None keeps the
        CDN addresses, which :func:`dashboard.webmap.offline_assets.inline_assets` replaces
        by the files.
    presets : iterable of str
        Names of ``EXTENTS`` offered as buttons on the map (``airbridge-view.js``), labelled
        by ``EXTENT_LABELS``; none by default.
    url_params : mapping, optional
        With ``report``: how the script writes the map view and date into the page's address
        itself, replacing the history entry (``dashboard.app.view_state``): ``order`` (the
        parameter names in order), ``replace`` (those the script writes) and ``decimals``
        (per parameter). None: the script never touches the address.

    Raises
    ------
    KeyError
        If the extent name or basemap key is unknown.
    """
    box = EXTENTS[extent] if isinstance(extent, str) else extent
    if basemap not in BASEMAPS:
        raise KeyError(f"unknown basemap {basemap!r}: use one of {', '.join(BASEMAPS)}")
    folium_map = folium.Map(location=list(box.centre), zoom_start=5, tiles=None, control_scale=True,
                            zoom_snap=0.25, zoom_delta=0.5, min_zoom=MIN_ZOOM, max_zoom=MAX_ZOOM,
                            world_copy_jump=True)
    # Links are set on these instances, never on folium's classes: other maps in the
    # process (another session, an export) keep folium's defaults.
    vendor_url = f"{asset_base_url.rstrip('/')}/vendor" if asset_base_url else None
    folium_map.default_js = localise_links([(n, u) for n, u in folium.Map.default_js if n in LEAFLET_ASSETS],
                                           vendor_url)
    folium_map.default_css = localise_links([(n, u) for n, u in folium.Map.default_css if n in LEAFLET_ASSETS],
                                            vendor_url)
    folium_map.fit_bounds([[box.south, box.west], [box.north, box.east]])
    fullscreen = folium.plugins.Fullscreen(position="topleft", title="Full screen", title_cancel="Leave full screen")
    fullscreen.default_js = localise_links(folium.plugins.Fullscreen.default_js, vendor_url)
    fullscreen.default_css = localise_links(folium.plugins.Fullscreen.default_css, vendor_url)
    if sources.library_url is not None:  # the published bundle carries Leaflet's and the control's scripts
        folium_map.default_js = []
        fullscreen.default_js = []
    fullscreen.add_to(folium_map)
    options = {
        "basemap": basemap,
        # The published script file carries the options every page shares: they then travel
        # once, not with the map's arguments on every rerun of the map's fragment (issue 11).
        **({} if sources.library_url else build_static_options()),
        "catalogueUrl": sources.catalogue_url, "basemapUrl": sources.basemap_url,
        **({"gzipCopies": True} if sources.gzip_copies else {}),
        "fitBounds": [[box.south, box.west], [box.north, box.east]],
        "report": report, "collapsedControl": True,
        "title": escape_text(title) if title else None, "marking": escape_text(marking) if marking else None,
        "presets": [{"key": name, "label": escape_text(EXTENT_LABELS[name]),
                     "bounds": [[EXTENTS[name].south, EXTENTS[name].west], [EXTENTS[name].north, EXTENTS[name].east]]}
                    for name in presets],
        "urlParams": dict(url_params) if url_params is not None and report else None,
    }
    inline = {name: text for name, text in (("catalogue", sources.catalogue_json),
                                            ("basemapData", sources.basemap_json)) if text is not None}
    AirbridgeLayers(options, inline, library=library, asset_base_url=asset_base_url,
                    library_url=sources.library_url).add_to(folium_map)
    return folium_map


def build_static_options() -> dict[str, Any]:
    """Return the options of ``Airbridge.init`` that are the same for every map: basemaps, layer titles, styles.

    The live page's published script sets them (``static_files.build_library_bundle``); a
    standalone map carries them in its own options.
    """
    return {
        "basemaps": [{"key": key, "label": spec.label, "url": spec.url, "attribution": spec.attribution,
                      "maxZoom": spec.max_zoom, "subdomains": spec.subdomains, "offline": spec.offline}
                     for key, spec in BASEMAPS.items()],
        "layerTitles": LAYER_TITLES,
        "styles": {"route": {name: {"colour": style.colour} for name, style in ROUTE_STYLES.items()},
                   "corridor": {"colour": CORRIDOR_STYLE.colour,
                                "dash": dash_pattern(CORRIDOR_STYLE, CORRIDOR_WIDTH_PX)},
                   "uncertainty": UNCERTAINTY_COLOUR, "routeMarks": ROUTE_MARKS, **TRACK_STYLES},
    }


def build_state_group(state: Mapping[str, Any]) -> folium.FeatureGroup:
    """Return a feature group that draws ``state`` when added to the map (one per step)."""
    group = folium.FeatureGroup(name="Airbridge state", control=False)
    group.add_child(AirbridgeState(state))
    return group


def build_layer_groups(snapshot: Snapshot, visible_layers: Iterable[str] = LAYER_NAMES, *,
                       catalogue: Catalogue | None = None, basemap: str = DEFAULT_BASEMAP,
                       focus: Focus | None = None) -> list[folium.FeatureGroup]:
    """Return the feature groups that draw ``snapshot`` on a base map.

    All the layers travel in one state, drawn by the base map's script into its own
    layer groups (which the layer control toggles); so the list has one group.

    Parameters
    ----------
    snapshot : Snapshot
        The layers on the date.
    visible_layers : iterable of str
        The layers switched on.
    catalogue : Catalogue, optional
        What the browser holds already (live page); None sends everything inline.
    basemap : str
        Key of the base layer to show.
    focus : Focus, optional
        A point to centre on once.
    """
    state = build_map_state(snapshot, catalogue, visible_layers=visible_layers, basemap=basemap, focus=focus)
    return [build_state_group(state)]


def build_standalone_map(snapshot: Snapshot, visible_layers: Iterable[str] = LAYER_NAMES, *,
                         basemap: str = DEFAULT_BASEMAP, extent: str | Extent = "theatre",
                         title: str | None = None, marking: str | None = None) -> folium.Map:
    """Return a map that shows ``snapshot`` on its own: catalogue, basemap and code embedded.

    Render it with ``.get_root().render()`` and pass the page through
    ``dashboard.webmap.offline_assets.inline_assets`` to embed Leaflet too; the file then opens
    from disk with no network (online basemaps aside, when chosen).

    Parameters
    ----------
    snapshot : Snapshot
        What to show.
    visible_layers : iterable of str
        Layers switched on at opening (the others stay available in the layer control).
    basemap : str
        Key of ``BASEMAPS`` shown at opening.
    extent : str or Extent
        The frame at opening.
    title, marking : str, optional
        Plain text for the banner (escaped here).
    """
    catalogue = build_catalogue([snapshot])
    sources = MapSources(catalogue_json=catalogue.to_json(), basemap_json=read_basemap_json())
    folium_map = build_base_map(extent, basemap, sources=sources, library="inline", title=title, marking=marking)
    state = build_map_state(snapshot, catalogue, visible_layers=list(visible_layers), basemap=basemap)
    folium_map.add_child(AirbridgeState(state))
    return folium_map


def read_basemap_json() -> str:
    """Return the Natural Earth basemap as compact JSON safe to embed in a script element.

    Raises
    ------
    FileNotFoundError
        If the basemap file is missing from the checkout.
    """
    return dump_script_json(json.loads(read_basemap_text()))


def _merge_options(options: Mapping[str, Any], inline_json: Mapping[str, str]) -> str:
    text = dump_script_json(dict(options))
    if not inline_json:
        return text
    extra = ",".join(f"{json.dumps(name)}:{value}" for name, value in inline_json.items())
    return text[:-1] + ("," if len(text) > 2 else "") + extra + "}"


def _guard_closing_tag(text: str, tag: str) -> str:
    if f"</{tag}" in text.lower():
        raise ValueError(f"an embedded file contains '</{tag}', which would end the <{tag}> element early")
    return text
