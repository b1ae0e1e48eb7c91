"""The two-date comparison map (folium): its features, its legend, no outside request, data text escaped."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from layers import load_dataset
from layers.analytics.change_layers import ChangeLayers, build_change_layers
from layers.analytics.changes import Changes, compare_dates
from layers.dataset import Dataset

from dashboard.webmap.change_map import (
    LAND_STYLE,
    SEA_COLOUR,
    build_change_map,
    build_change_payload,
    render_change_map_html,
)
from dashboard.webmap.offline_assets import find_external_urls
from dashboard.webmap.static_files import WEBMAP_STATIC_DIR

BEFORE, AFTER = dt.date(2024, 12, 10), dt.date(2024, 12, 20)  # sites, routes appeared, stopped and changed
HOSTILE = "<img src=x onerror=alert(1)>{{ 7*7 }}</script>"


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def changes(dataset: Dataset) -> Changes:
    return compare_dates(dataset, BEFORE, AFTER)


@pytest.fixture(scope="module")
def layers(dataset: Dataset, changes: Changes) -> ChangeLayers:
    return build_change_layers(dataset, changes)


@pytest.fixture(scope="module")
def page(layers: ChangeLayers) -> str:
    return render_change_map_html(layers)


def test_the_map_draws_every_changed_site_and_route_of_the_comparison(changes: Changes, layers: ChangeLayers,
                                                                      page: str) -> None:
    payload = build_change_payload(layers, basemap_url=None)
    assert sorted(s["id"] for s in payload["sites"]) == sorted(s["id"] for s in changes.sites)
    kinds = {kind: sorted(r["id"] for r in payload["routes"] if r["kind"] == kind)
             for kind in ("appeared", "stopped", "changed")}
    assert kinds == {"appeared": sorted(r["id"] for r in changes.routes_appeared),
                     "stopped": sorted(r["id"] for r in changes.routes_stopped),
                     "changed": sorted(r["id"] for r in changes.routes_changed)}
    assert all(kinds.values())
    for feature in [*payload["sites"], *payload["routes"]]:
        assert f'"id":"{feature["id"]}"' in page


def test_each_kind_of_route_change_has_its_own_style_and_changed_routes_their_figure(layers: ChangeLayers) -> None:
    routes = build_change_payload(layers, basemap_url=None)["routes"]
    styles = {r["kind"]: (r["colour"], r["dash"] is None) for r in routes}
    assert styles["appeared"] == ("#009E73", True) and styles["stopped"][0] == "#7F7F7F" and not styles["stopped"][1]
    assert styles["changed"][0] not in {styles["appeared"][0], styles["stopped"][0]}
    assert {r["id"]: r["label"] for r in routes if r["kind"] == "changed"} == {"route-hmeimim-chkalovsky": "+2"}
    assert all(r["label"] is None for r in routes if r["kind"] != "changed")


def test_a_site_tooltip_says_before_and_after(layers: ChangeLayers) -> None:
    sites = {s["id"]: s for s in build_change_payload(layers, basemap_url=None)["sites"]}
    assert "Active → Withdrawn" in sites["kobani"]["tip"]


def test_the_legend_names_the_two_dates_the_window_and_each_style(page: str) -> None:
    assert "What changed: 10 Dec 2024 → 20 Dec 2024" in page
    assert "Flights in the 7 days up to each date" in page
    for words in ("Site whose status changed", "Route appeared", "Route stopped", "Flights changed on the route"):
        assert words in page


def test_the_standalone_map_makes_no_outside_request(page: str) -> None:
    assert find_external_urls(page) == []
    assert '"type":"FeatureCollection"' in page  # the Natural Earth basemap is inside


def test_the_served_map_loads_leaflet_style_and_basemap_from_the_app(layers: ChangeLayers) -> None:
    html = build_change_map(layers, basemap_url="/component/basemap/countries.geojson",
                            asset_base_url="/component/webmap").get_root().render()
    assert find_external_urls(html) == []
    assert "/component/webmap/vendor/leaflet@1.9.3/dist/leaflet.js" in html
    assert "/component/webmap/airbridge/airbridge-map.css" in html
    assert '"basemapUrl":"/component/basemap/countries.geojson"' in html


def test_a_served_map_without_its_files_is_refused(layers: ChangeLayers) -> None:
    with pytest.raises(ValueError, match="basemap_url and asset_base_url"):
        build_change_map(layers, basemap_url="/component/basemap/countries.geojson")


def test_a_hostile_site_name_reaches_the_page_as_text(dataset: Dataset, changes: Changes) -> None:
    hostile = dataclasses.replace(changes, sites=[{**site, "name": HOSTILE} for site in changes.sites])
    html = render_change_map_html(build_change_layers(dataset, hostile))
    assert "<img src=x" not in html and "onerror=alert(1)>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "49" not in re.findall(r"&gt;(\d+)", html)  # {{ 7*7 }} is never evaluated as a template
    assert "\\u007b{ 7*7 }}" in html
    assert html.count("</script>") == html.count("<script")  # the name never closes a script element


def test_the_basemap_is_drawn_as_on_the_live_map() -> None:
    base_js = (WEBMAP_STATIC_DIR / "airbridge" / "airbridge-base.js").read_text(encoding="utf-8")
    css = (WEBMAP_STATIC_DIR / "airbridge" / "airbridge-map.css").read_text(encoding="utf-8")
    live = (f'color: "{LAND_STYLE["color"]}", weight: {LAND_STYLE["weight"]}, '
            f'fillColor: "{LAND_STYLE["fillColor"]}", fillOpacity: {LAND_STYLE["fillOpacity"]}')
    assert live in base_js
    assert re.search(r"\.ab-sea\s*\{\s*background:\s*" + SEA_COLOUR, css)
