"""The folium map, its catalogue and per-date state (no browser, no Streamlit)."""

from __future__ import annotations

import datetime as dt
import json
import re

import folium
import pytest
import streamlit_folium

from layers import LAYER_NAMES, TimeSelection, build_snapshot, load_dataset
from layers.style import ROUTE_STYLES, dash_pattern, route_width
from layers.workspace import load_workspace_dataset
from tests.conftest import MINI_DATA
from tests.track_samples import import_sample_track

from dashboard.webmap.folium_map import MapSources, build_base_map, build_layer_groups, build_standalone_map
from dashboard.webmap.legend import build_legend_html
from dashboard.webmap.map_payload import (
    Catalogue,
    Focus,
    attach_view,
    build_catalogue,
    build_map_state,
    collect_catalogue_snapshots,
    count_features,
    encode_state_layers,
)
from dashboard.webmap.offline_assets import find_external_urls, inline_assets
from dashboard.webmap.static_files import LIBRARY_FILES, read_library_file

LIVE_SOURCES = MapSources(catalogue_url="/component/airbridge_published/catalogue-x.json",
                          basemap_url="/component/airbridge_published/countries-x.json")
ASSET_URL = "/component/airbridge_webmap"  # where the live page serves dashboard/webmap/static
SCRIPT_FILES = [name for name in LIBRARY_FILES if name.endswith(".js")]
TEXT_FIELDS = {"popup", "tip", "label"}  # fields holding one text reference (lists: popups, tips)
NOT_ON_THE_LIVE_MAP: set[str] = set()  # every layer layers.features builds has its symbology on the live map


@pytest.fixture(scope="module")
def mini():
    return load_dataset(MINI_DATA)


@pytest.fixture(scope="module")
def catalogue(mini):
    return build_catalogue(collect_catalogue_snapshots(mini))


@pytest.fixture(scope="module")
def tracked(tmp_path_factory: pytest.TempPathFactory):
    """The mini dataset with the sample ADS-B track (Hmeimim -> al-Khadim on 26 Dec 2024, dark for 40 min)."""
    return load_workspace_dataset(MINI_DATA, import_sample_track(tmp_path_factory.mktemp("tracked") / "ws"))


def live_parts(folium_map: folium.Map) -> tuple[str, str, str]:
    """What streamlit-folium sends for the base map: script, header and html."""
    folium_map.get_root().render()
    html, header = streamlit_folium._get_html(folium_map), streamlit_folium._get_header(folium_map)
    return streamlit_folium._get_map_string(folium_map), header, html


def find_init_call(page: str) -> int:
    """Where the page calls ``Airbridge.init`` (the scripts' comments mention it too)."""
    match = re.search(r"Airbridge\.init\(map_\w+, \{", page)
    assert match, "the page never calls Airbridge.init"
    return match.start()


def test_the_base_map_is_byte_identical_between_reruns() -> None:
    first = live_parts(build_base_map("theatre", sources=LIVE_SOURCES, report=True, asset_base_url=ASSET_URL))
    second = live_parts(build_base_map("theatre", sources=LIVE_SOURCES, report=True, asset_base_url=ASSET_URL))
    assert first == second
    assert "Airbridge.init(map_div" in first[0]


def test_the_live_map_loads_only_local_leaflet_fullscreen_and_airbridge_files() -> None:
    folium_map = build_base_map("theatre", sources=LIVE_SOURCES, asset_base_url=ASSET_URL)
    links = [url for element in folium_map._children.values() for _, url in getattr(element, "default_js", [])]
    links += [url for _, url in folium_map.default_js + folium_map.default_css]
    assert links
    assert all(url.startswith(ASSET_URL + "/") for url in links), links
    assert not any("jquery" in url or "bootstrap" in url for url in links)


def test_the_live_map_links_the_script_files_in_load_order() -> None:
    folium_map = build_base_map("theatre", sources=LIVE_SOURCES, asset_base_url=ASSET_URL)
    header = folium_map.get_root().render()
    links = [url for element in folium_map._children.values() for _, url in getattr(element, "default_js", [])]
    airbridge = [url.split("?")[0] for url in links if "/airbridge/" in url]
    assert airbridge == [f"{ASSET_URL}/{name}" for name in SCRIPT_FILES]
    positions = [header.index(f"{ASSET_URL}/{name}?v=") for name in SCRIPT_FILES]
    assert positions == sorted(positions)
    assert find_init_call(header) > positions[-1]


def test_the_standalone_map_embeds_the_script_files_in_load_order(mini) -> None:
    snapshot = build_snapshot(mini, TimeSelection(dt.date(2024, 12, 20)))
    html = build_standalone_map(snapshot).get_root().render()
    positions = [html.index(read_library_file(name)) for name in SCRIPT_FILES]
    assert positions == sorted(positions)
    assert find_init_call(html) > positions[-1]
    assert "/airbridge/" not in html, "nothing of the map's own is linked"


def test_the_standalone_map_needs_no_network(mini) -> None:
    snapshot = build_snapshot(mini, TimeSelection(dt.date(2024, 12, 20)))
    html = inline_assets(build_standalone_map(snapshot, title="Air bridge", marking="UNCLASSIFIED").get_root().render())
    assert find_external_urls(html) == []
    assert "Airbridge.update(" in html and '"basemapData":{"type":"FeatureCollection"' in html


def test_the_standalone_map_opens_on_the_chosen_layers_and_basemap(mini) -> None:
    snapshot = build_snapshot(mini, TimeSelection(dt.date(2024, 12, 20)))
    html = build_standalone_map(snapshot, ["site", "event"], basemap="osm").get_root().render()
    assert '"visible":["site","event"],"basemap":"osm"' in html
    assert '"basemap":"osm","basemaps"' in html


def test_an_unknown_basemap_or_extent_is_refused() -> None:
    with pytest.raises(KeyError, match="unknown basemap"):
        build_base_map("theatre", "google", sources=LIVE_SOURCES)
    with pytest.raises(KeyError):
        build_base_map("atlantis", sources=LIVE_SOURCES)


def test_map_sources_take_each_part_once() -> None:
    with pytest.raises(ValueError, match="catalogue"):
        MapSources(basemap_url="/b")
    with pytest.raises(ValueError, match="basemap"):
        MapSources(catalogue_url="/c", basemap_url="/b", basemap_json="{}")


def test_layer_groups_hold_one_state_of_the_snapshot(mini, catalogue) -> None:
    snapshot = build_snapshot(mini, TimeSelection(dt.date(2024, 12, 20)))
    groups = build_layer_groups(snapshot, ["site"], catalogue=catalogue)
    assert len(groups) == 1 and isinstance(groups[0], folium.FeatureGroup)
    base_map = build_base_map("theatre", sources=LIVE_SOURCES, asset_base_url=ASSET_URL)
    script = streamlit_folium._get_feature_group_string(groups[0], base_map)
    assert 'Airbridge.update({"asOf":"2024-12-20"' in script
    assert '"visible":["site"]' in script


@pytest.mark.parametrize("day", ["2024-12-08", "2024-12-15", "2024-12-20", "2024-12-27"])
@pytest.mark.parametrize("window", [1, 7, None])
def test_states_refer_to_the_catalogue_for_sites_events_and_flights(mini, catalogue, day, window) -> None:
    snapshot = build_snapshot(mini, TimeSelection(dt.date.fromisoformat(day), window))
    layers = encode_state_layers(snapshot, catalogue)["layers"]
    site_refs = [ref for field in ("geom", "popup", "tip", "label", "symbol") for ref in layers["site"][field]]
    assert all(isinstance(ref, int) for ref in site_refs), "a site text was missing from the catalogue"
    for kind in ("flight", "event"):
        columns = layers[kind]
        if columns:
            assert all(isinstance(ref, int) for ref in columns["geom"])
            assert all(isinstance(ref, int) for refs in columns["popups"] + columns["tips"] for ref in refs)


def test_state_counts_are_the_snapshot_counts(mini, catalogue) -> None:
    snapshot = build_snapshot(mini, TimeSelection(dt.date(2024, 12, 26), None))
    layers = encode_state_layers(snapshot, catalogue)["layers"]
    drawn = {kind: len(layers[kind]["geom"]) for kind in ("site", "route", "corridor")}
    drawn |= {kind: sum(len(popups) for popups in layers[kind]["popups"]) for kind in ("flight", "event")}
    assert drawn == {"corridor": 1, "route": 2, "site": 6, "flight": 3, "event": 1}
    counts = count_features(snapshot)
    assert {kind: counts[kind] for kind in drawn} == drawn
    assert [counts[kind] for kind in ("reach", "track", "gap", "position")] == [0, 0, 0, 0], "mini has no tracks"
    assert len(layers["site"]["geom"]) == len(mini.sites)


def test_routes_carry_width_and_dash_of_the_shared_style(mini, catalogue) -> None:
    snapshot = build_snapshot(mini, TimeSelection(dt.date(2024, 12, 20), 30))
    routes = encode_state_layers(snapshot, catalogue)["layers"]["route"]
    flights = sorted(snapshot.routes["flights"], reverse=True)  # thick lines are drawn first
    assert routes["width"] == [round(route_width(int(n)), 1) for n in flights]
    assert routes["dash"] == [dash_pattern(ROUTE_STYLES[kind], width)
                              for kind, width in zip(routes["kind"], routes["width"], strict=True)]


def resolve(value, field: str, catalogue: Catalogue):
    """Return a field's value with every catalogue number replaced by the entry it names."""
    if field in ("popups", "tips") or (isinstance(value, list) and field in TEXT_FIELDS):  # a route's popup: pieces
        return [resolve(ref, "popup", catalogue) for ref in value]
    entries = {"geom": catalogue.geometries, "symbol": catalogue.symbols, **dict.fromkeys(TEXT_FIELDS, catalogue.texts)}
    return entries[field][value] if field in entries and isinstance(value, int) else value


def test_a_state_without_catalogue_carries_everything_inline(tracked) -> None:
    catalogue = build_catalogue(collect_catalogue_snapshots(tracked))
    snapshot = build_snapshot(tracked, TimeSelection(dt.date(2024, 12, 26), None))
    focus = Focus(lat=35.4011, lon=35.9487, request=1)
    inline = build_map_state(snapshot, None, basemap="natural_earth", focus=focus)
    layers = inline["layers"]
    assert all(layers[kind] for kind in layers), "every layer has features on the date"
    for kind, columns in layers.items():
        for field, values in columns.items():
            if (kind, field) == ("route", "popup"):  # in pieces, which the script joins
                assert all(isinstance(v, str) for pieces in values for v in pieces), (kind, field)
            elif field in TEXT_FIELDS or field == "symbol":
                assert all(isinstance(v, str) for v in values), (kind, field)
            elif field in ("popups", "tips"):
                assert all(isinstance(v, str) for refs in values for v in refs), (kind, field)
            elif field == "geom":
                assert all(isinstance(v, list) for v in values), (kind, field)
    assert inline["focus"]["geom"] == [35.9487, 35.4011]
    # The real texts, geometries and symbols: the catalogue state resolved gives the same.
    referred = build_map_state(snapshot, catalogue, basemap="natural_earth", focus=focus)
    resolved = {kind: {field: [resolve(v, field, catalogue) for v in values] for field, values in columns.items()}
                for kind, columns in referred["layers"].items()}
    assert resolved == layers
    assert resolve(referred["focus"]["geom"], "geom", catalogue) == inline["focus"]["geom"]
    assert any("Hmeimim" in popup for popup in layers["site"]["popup"])
    assert all(symbol.startswith("<svg") for symbol in layers["site"]["symbol"])


def test_attach_view_adds_layers_basemap_and_a_focus(catalogue) -> None:
    view = attach_view({"layers": {}}, visible_layers=["event", "site"], basemap="osm",
                       focus=Focus(lat=35.4011, lon=35.9487, request=3), catalogue=catalogue)
    assert view["visible"] == ["site", "event"]
    assert view["basemap"] == "osm"
    assert resolve(view["focus"]["geom"], "geom", catalogue) == [35.9487, 35.4011]
    assert (view["focus"]["zoom"], view["focus"]["request"]) == (7, 3)
    with pytest.raises(ValueError, match="unknown layers"):
        attach_view({}, visible_layers=["site", "tiles"], basemap="osm")


def test_the_legend_has_sections_for_the_layers_shown() -> None:
    everything = build_legend_html()
    unexplained = [name for name in LAYER_NAMES if f'data-ab-layer="{name}"' not in everything]
    assert unexplained == [name for name in LAYER_NAMES if name in NOT_ON_THE_LIVE_MAP]
    sites_only = build_legend_html(["site"])
    assert 'data-ab-layer="route"' not in sites_only and "Air base" in sites_only and "Captured" in sites_only
    with pytest.raises(ValueError, match="unknown layers"):
        build_legend_html(["basemap"])


def test_the_catalogue_is_valid_json_with_legend_and_stars(catalogue) -> None:
    payload = json.loads(catalogue.to_json())
    assert payload["legend"].startswith('<details class="ab-legend"')
    assert payload["stars"]["now"].startswith("<svg")
    assert payload["stars"]["past"].startswith("<svg")
    assert len(payload["symbols"]) >= 3
