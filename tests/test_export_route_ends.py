"""Route ends and count reports in the data exports: GeoJSON, GeoPackage and KML read back as their users do.

Shipped data on 20 Dec 2024, 7-day window: Hmeimim -> "Libya (airport not named)" (660 km
circle), "Moscow or Minsk" -> "Benghazi" (both ends vague), the Turan evacuation flights
with no number given, and CNN's "several per day" Hmeimim -> al-Khadim from 15 Dec.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import pytest

from layers import TimeSelection, build_snapshot, load_dataset
from layers.geodesic import distance_km
from layers.route_marks import UNCERTAIN_END_OPACITY
from layers.style import ROUTE_STYLES

from dashboard.export.briefing import BriefingSpec
from dashboard.export.kml_markup import format_kml_colour
from dashboard.export.product import write_product

KML = "{http://www.opengis.net/kml/2.2}"
SELECTION = TimeSelection(dt.date(2024, 12, 20), 7)
GENERATED = dt.datetime(2025, 1, 2, 3, 4, tzinfo=dt.UTC)
LIBYA = "route-hmeimim-libya_unnamed-individual"


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


@pytest.fixture(scope="module")
def written(dataset, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("route-ends")
    snapshot = build_snapshot(dataset, SELECTION)
    return {key: write_product(snapshot, BriefingSpec(SELECTION, format=key, generated_at=GENERATED),
                               folder / f"export.{key}") for key in ("geojson", "gpkg", "kml")}


def assert_at_edge(dataset, place_id: str, lon: float, lat: float) -> None:
    place = dataset.locations[place_id]
    assert abs(distance_km(place.lon, place.lat, lon, lat) - place.radius_km) < 0.5


def test_geojson_routes_stop_at_the_edge_of_a_vague_end_and_say_so(dataset, written) -> None:
    features = {f["id"]: f for f in json.loads(written["geojson"].read_text(encoding="utf-8"))["features"]}
    libya = features[LIBYA]
    assert (libya["properties"]["from_uncertain"], libya["properties"]["to_uncertain"]) == (False, True)
    assert_at_edge(dataset, "libya_unnamed", *libya["geometry"]["coordinates"][-1][:2])
    both = features["route-moscow_or_minsk_unnamed-benghazi_unnamed-count"]
    coords = both["geometry"]["coordinates"]
    assert_at_edge(dataset, "moscow_or_minsk_unnamed", *coords[0][:2])
    assert_at_edge(dataset, "benghazi_unnamed", *coords[-1][:2])
    # The centre the sources' place name stands for is listed, never drawn as an end.
    centre = dataset.locations["libya_unnamed"]
    assert (libya["properties"]["to_lon"], libya["properties"]["to_lat"]) == (centre.lon, centre.lat)


def test_geojson_counts_reports_by_the_wording_rule(written) -> None:
    collection = json.loads(written["geojson"].read_text(encoding="utf-8"))
    features = {f["id"]: f["properties"] for f in collection["features"]}
    assert features["route-hmeimim-al_khadim-count"]["flights"] == 34  # several per day, 15-31 Dec
    assert features["route-hmeimim-al_khadim-count"]["reports_unstated"] == 0
    assert features["route-hmeimim-chkalovsky-count"]["reports_unstated"] == 1  # "not given"
    assert features["route-hmeimim-chkalovsky-count"]["flights"] == 1


def test_gpkg_routes_hold_the_same_cut_lines_and_flags(dataset, written) -> None:
    routes = gpd.read_file(written["gpkg"], layer="routes").set_index("id")
    libya = routes.loc[LIBYA]
    last = list(libya.geometry.geoms)[-1].coords[-1] if libya.geometry.geom_type == "MultiLineString" \
        else libya.geometry.coords[-1]
    assert_at_edge(dataset, "libya_unnamed", *last[:2])
    assert bool(libya["to_uncertain"]) and not bool(libya["from_uncertain"])
    assert int(routes.loc["route-hmeimim-chkalovsky-count", "reports_unstated"]) == 1
    assert int(routes.loc["route-hmeimim-al_khadim-count", "flights"]) == 34


def test_kml_draws_the_uncertain_end_as_a_faded_placemark_of_its_own(dataset, written) -> None:
    root = ET.parse(written["kml"]).getroot()
    marks = {p.get("id"): p for p in root.iter(f"{KML}Placemark")}
    route, stub = marks[LIBYA], marks[f"{LIBYA}-uncertain-to"]
    line = [tuple(map(float, c.split(",")[:2])) for c in route.find(f".//{KML}coordinates").text.split()]
    end = [tuple(map(float, c.split(",")[:2])) for c in stub.find(f".//{KML}coordinates").text.split()]
    assert line[-1] == pytest.approx(end[0], abs=1e-4)  # the stub goes on where the certain part stops
    assert_at_edge(dataset, "libya_unnamed", *end[-1])
    assert f"{LIBYA}-uncertain-from" not in marks  # Hmeimim is a known airfield
    styles = {s.get("id"): s for s in root.iter(f"{KML}Style")}
    colour = styles[stub.find(f"{KML}styleUrl").text.lstrip("#")].find(f"{KML}LineStyle/{KML}color").text
    assert colour == format_kml_colour(ROUTE_STYLES["individual"].colour, UNCERTAIN_END_OPACITY)
    assert "Libya (airport not named), within 660 km" in stub.find(f"{KML}description").text
    data = {d.get("name"): d.find(f"{KML}value").text for d in route.iter(f"{KML}Data")}
    assert (data["from_uncertain"], data["to_uncertain"]) == ("False", "True")
