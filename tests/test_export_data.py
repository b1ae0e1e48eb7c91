"""KML, GeoPackage and GeoJSON exports read back with the tools their users have."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest

from layers import build_feature_collection
from tests.export_cases import build_case

from dashboard.export.product import write_product

KML = "{http://www.opengis.net/kml/2.2}"


def write(tmp_path: Path, format_key: str, **changes) -> Path:
    snapshot, spec = build_case(format=format_key, **changes)
    return write_product(snapshot, spec, tmp_path / f"export.{format_key}")


def placemarks(path: Path) -> dict[str, ET.Element]:
    return {p.get("id"): p for p in ET.parse(path).getroot().iter(f"{KML}Placemark")}


def test_kml_has_one_placemark_per_feature(tmp_path: Path) -> None:
    snapshot, _ = build_case()
    found = {i: p for i, p in placemarks(write(tmp_path, "kml")).items() if not i.startswith("area-")}
    expected = {i for frame in snapshot.layers().values() for i in frame["id"]}
    assert set(found) == expected
    assert len(found) == sum(len(frame) for frame in snapshot.layers().values())


def test_kml_dated_features_carry_timestamp_or_timespan(tmp_path: Path) -> None:
    found = placemarks(write(tmp_path, "kml"))
    stamp = found["f-2024-12-26-ra82038"].find(f"{KML}TimeStamp/{KML}when")
    assert stamp.text == "2024-12-26"
    span = found["f-2024-12-12-nyt-il76"].find(f"{KML}TimeSpan")
    assert span.find(f"{KML}begin").text == "2024-12-12" and span.find(f"{KML}end").text == "2024-12-19"
    # A month-only status is in force once its month is over (docs/data.md, the time rule of a status).
    assert found["qamishli"].find(f"{KML}TimeSpan/{KML}begin").text == "2019-12-01"
    assert found["tartus"].find(f"{KML}TimeSpan") is None  # no dated status: shown at every time
    assert found["e-2024-12-26-an124"].find(f"{KML}TimeStamp/{KML}when").text == "2024-12-26"


def test_kml_routes_are_tessellated_lines_with_a_style(tmp_path: Path) -> None:
    path = write(tmp_path, "kml")
    root = ET.parse(path).getroot()
    styles = {s.get("id") for s in root.iter(f"{KML}Style")}
    route = placemarks(path)["route-hmeimim-chkalovsky-individual"]
    line = route.find(f"{KML}LineString")
    assert line.find(f"{KML}tessellate").text == "1"
    assert len(line.find(f"{KML}coordinates").text.split()) > 10  # densified geodesic
    assert route.find(f"{KML}styleUrl").text.lstrip("#") in styles


def test_kml_descriptions_link_the_sources(tmp_path: Path) -> None:
    found = placemarks(write(tmp_path, "kml"))
    description = found["f-2024-12-26-ra82038"].find(f"{KML}description").text
    assert '<a href="https://itamilradar.com/2024/12/27/' in description and "high" in description


def test_kml_document_names_title_and_marking(tmp_path: Path) -> None:
    document = ET.parse(write(tmp_path, "kml", title="KML title")).getroot().find(f"{KML}Document")
    assert document.find(f"{KML}name").text == "KML title"
    assert "UNCLASSIFIED // OPEN SOURCE" in document.find(f"{KML}description").text


def test_gpkg_has_one_layer_per_kind_with_the_snapshot_rows(tmp_path: Path) -> None:
    snapshot, _ = build_case()
    path = write(tmp_path, "gpkg")
    layers = dict(pyogrio.list_layers(path))
    assert set(layers) == {"sites", "routes", "flights", "corridors", "events", "observations", "reach", "tracks",
                           "gaps", "positions", "uncertainty_areas", "layer_styles"}
    for name, frame in {"sites": snapshot.sites, "routes": snapshot.routes, "flights": snapshot.flights,
                        "corridors": snapshot.corridors, "events": snapshot.events,
                        "observations": snapshot.observations, "reach": snapshot.reaches,
                        "tracks": snapshot.tracks, "gaps": snapshot.gaps}.items():
        read = gpd.read_file(path, layer=name)
        assert len(read) == len(frame), name
        assert read.crs.to_epsg() == 4326


def test_gpkg_lists_are_json_text(tmp_path: Path) -> None:
    sites = gpd.read_file(write(tmp_path, "gpkg"), layer="sites")
    hmeimim = sites.set_index("id").loc["hmeimim"]
    assert json.loads(hmeimim["sources"])[0].startswith("https://")
    assert json.loads(hmeimim["alt_names"]) == ["Khmeimim", "Latakia Air Base"]


def test_gpkg_hidden_layers_are_written_empty(tmp_path: Path) -> None:
    path = write(tmp_path, "gpkg", visible_layers=frozenset({"site"}))
    assert len(gpd.read_file(path, layer="routes")) == 0
    assert len(gpd.read_file(path, layer="sites")) == 6


def test_gpkg_layer_metadata_records_the_selection(tmp_path: Path) -> None:
    metadata = pyogrio.read_info(write(tmp_path, "gpkg"), layer="events")["layer_metadata"]
    assert metadata["as_of"] == "2024-12-27" and metadata["window_days"] == "14"
    assert metadata["marking"] == "UNCLASSIFIED // OPEN SOURCE"


def test_geojson_is_the_layers_collection_with_title_and_marking(tmp_path: Path) -> None:
    snapshot, _ = build_case()
    written = json.loads(write(tmp_path, "geojson", title="GeoJSON title").read_text(encoding="utf-8"))
    expected = build_feature_collection(snapshot)
    assert written["features"] == json.loads(json.dumps(expected["features"]))
    assert written["title"] == "GeoJSON title" and written["marking"] == "UNCLASSIFIED // OPEN SOURCE"
    assert written["as_of"] == "2024-12-27"


def test_geojson_loads_in_geopandas(tmp_path: Path) -> None:
    frame = gpd.read_file(write(tmp_path, "geojson"))
    assert frame.crs.to_epsg() == 4326
    assert set(frame["layer"]) == {"site", "route", "flight", "corridor", "event"}


@pytest.mark.parametrize("format_key", ["kml", "gpkg", "geojson"])
def test_data_exports_leave_out_hidden_layers(tmp_path: Path, format_key: str) -> None:
    path = write(tmp_path, format_key, visible_layers=frozenset({"site", "event"}))
    if format_key == "kml":
        ids = set(placemarks(path))
    elif format_key == "gpkg":
        ids = {i for name, _ in pyogrio.list_layers(path) if name not in {"layer_styles", "uncertainty_areas"}
               for i in gpd.read_file(path, layer=name)["id"]}
    else:
        ids = {f["id"] for f in json.loads(path.read_text(encoding="utf-8"))["features"]}
    assert "hmeimim" in ids and "e-2024-12-26-an124" in ids
    assert not any(i.startswith(("route-", "f-")) for i in ids)
