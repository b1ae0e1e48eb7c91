"""The folium map, its catalogue and per-date state (no browser, no Streamlit)."""

from __future__ import annotations

import datetime as dt
import json

import folium
import pytest
import streamlit_folium

from layers import LAYER_NAMES, TimeSelection, build_snapshot, load_dataset
from layers.style import ROUTE_STYLES, dash_pattern, route_width
from tests.conftest import MINI_DATA

from dashboard.folium_map import MapSources, build_base_map, build_layer_groups, build_standalone_map
from dashboard.legend import build_legend_html
from dashboard.map_payload import (
    Focus, attach_view, build_catalogue, build_map_state, collect_catalogue_snapshots, count_features,
    encode_state_layers,
)
from dashboard.offline_assets import find_external_urls, inline_assets, use_local_assets
from dashboard.static_files import STATIC_DIR, publish_static_file

LIVE_SOURCES = MapSources(catalogue_url="/app/static/published/catalogue-x.json",
                          basemap_url="/app/static/published/countries-x.json")


@pytest.fixture(scope="module")
def mini():
    return load_dataset(MINI_DATA)


@pytest.fixture(scope="module")
def catalogue(mini):
    return build_catalogue(collect_catalogue_snapshots(mini))


def live_parts(folium_map: folium.Map) -> tuple[str, str, str]:
    """What streamlit-folium sends for the base map: script, header and html."""
    folium_map.get_root().render()
    html, header = streamlit_folium._get_html(folium_map), streamlit_folium._get_header(folium_map)
    return streamlit_folium._get_map_string(folium_map), header, html


def test_the_base_map_is_byte_identical_between_reruns() -> None:
    first = live_parts(build_base_map("theatre", sources=LIVE_SOURCES, report=True))
    second = live_parts(build_base_map("theatre", sources=LIVE_SOURCES, report=True))
    assert first == second
    assert "Airbridge.init(map_div" in first[0]


def test_the_live_map_loads_only_local_leaflet_fullscreen_and_airbridge_files() -> None:
    use_local_assets()
    folium_map = build_base_map("theatre", sources=LIVE_SOURCES)
    links = [url for element in folium_map._children.values() for _, url in getattr(element, "default_js", [])]
    links += [url for _, url in folium_map.default_js + folium_map.default_css]
    assert links and all(url.startswith("/app/static/") for url in links), links
    assert not any("jquery" in url or "bootstrap" in url for url in links)


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
    script = streamlit_folium._get_feature_group_string(groups[0], build_base_map("theatre", sources=LIVE_SOURCES))
    assert 'Airbridge.update({"v":1,"asOf":"2024-12-20"' in script and '"visible":["site"]' in script


@pytest.mark.parametrize("day", ["2024-12-08", "2024-12-15", "2024-12-20", "2024-12-27"])
@pytest.mark.parametrize("window", [1, 7, None])
def test_states_refer_to_the_catalogue_for_sites_events_and_flights(mini, catalogue, day, window) -> None:
    snapshot = build_snapshot(mini, TimeSelection(dt.date.fromisoformat(day), window))
    layers = encode_state_layers(snapshot, catalogue)["layers"]
    for site in layers["site"]:
        assert all(isinstance(ref, int) for ref in site[:5]), "a site popup was missing from the catalogue"
    for group in layers["flight"] + layers["event"]:
        assert isinstance(group[0], int) and all(isinstance(ref, int) for ref in group[1] + group[2])


def test_state_counts_are_the_snapshot_counts(mini, catalogue) -> None:
    snapshot = build_snapshot(mini, TimeSelection(dt.date(2024, 12, 26), None))
    state = encode_state_layers(snapshot, catalogue)
    assert state["counts"] == count_features(snapshot) == {"corridor": 1, "route": 2, "site": 6, "flight": 3,
                                                           "event": 1}
    assert sum(group[3] for group in state["layers"]["flight"]) == 3
    assert len(state["layers"]["site"]) == len(mini.sites)


def test_routes_carry_width_and_dash_of_the_shared_style(mini, catalogue) -> None:
    snapshot = build_snapshot(mini, TimeSelection(dt.date(2024, 12, 20), 30))
    for route in encode_state_layers(snapshot, catalogue)["layers"]["route"]:
        width = round(route_width(route[5]), 1)
        assert route[4] == width and route[6] == dash_pattern(ROUTE_STYLES[route[3]], width)


def test_a_state_without_catalogue_carries_everything_inline(mini) -> None:
    snapshot = build_snapshot(mini, TimeSelection(dt.date(2024, 12, 26)))
    state = build_map_state(snapshot, None, basemap="natural_earth")
    assert state["counts"]["site"] == 6 and state["basemap"] == "natural_earth"


def test_attach_view_adds_layers_basemap_and_a_focus(catalogue) -> None:
    view = attach_view({"layers": {}}, visible_layers=["event", "site"], basemap="osm",
                       focus=Focus(lat=35.4011, lon=35.9487, request=3), catalogue=catalogue)
    assert view["visible"] == ["site", "event"] and view["basemap"] == "osm"
    assert view["focus"]["ll"] == [35.4011, 35.9487] and view["focus"]["n"] == 3
    with pytest.raises(ValueError, match="unknown layers"):
        attach_view({}, visible_layers=["site", "tiles"], basemap="osm")


def test_the_legend_has_sections_for_the_layers_shown() -> None:
    everything = build_legend_html()
    assert all(f'data-ab-layer="{name}"' in everything for name in LAYER_NAMES)
    sites_only = build_legend_html(["site"])
    assert 'data-ab-layer="route"' not in sites_only and "Air base" in sites_only and "Captured" in sites_only
    with pytest.raises(ValueError, match="unknown layers"):
        build_legend_html(["basemap"])


def test_the_catalogue_is_valid_json_with_legend_and_stars(catalogue) -> None:
    payload = json.loads(catalogue.to_json())
    assert payload["legend"].startswith('<details class="ab-legend"')
    assert payload["stars"]["in"].startswith("<svg") and len(payload["symbols"]) >= 3


def test_published_files_are_named_by_content_and_written_once(tmp_path, monkeypatch) -> None:
    folder = STATIC_DIR / "published" / "test-tmp"
    try:
        url = publish_static_file(b"{}", "probe", ".json", folder)
        assert url.startswith("/app/static/published/test-tmp/probe-") and url.endswith(".json")
        path = STATIC_DIR / url.removeprefix("/app/static/")
        stamp = path.stat().st_mtime_ns
        assert publish_static_file(b"{}", "probe", ".json", folder) == url and path.stat().st_mtime_ns == stamp
        assert publish_static_file(b"[]", "probe", ".json", folder) != url
    finally:
        for leftover in folder.glob("*"):
            leftover.unlink()
        folder.rmdir()
    with pytest.raises(ValueError, match="not inside"):
        publish_static_file(b"{}", "probe", ".json", tmp_path)
