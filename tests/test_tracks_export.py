"""ADS-B tracks in the data exports: KML for Google Earth, GeoPackage for QGIS, GeoJSON.

The case is the constructed sample of ``tests/track_samples.py``: An-124 RA-82038 (callsign
RFF8038) from Hmeimim to al-Khadim on 26 Dec 2024, dark for 40 minutes over the sea,
imported into a workspace through the real importer. As of 27 Dec with a 7-day window
the snapshot holds one track, one gap, one reach area, one last position and the flight.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import doctest
import html
import importlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import LineString

from layers import Dataset, Snapshot, TimeSelection, build_snapshot
from layers.style import GAP_STYLE, REACH_FILL_OPACITY, REACH_STYLE
from layers.workspace import load_workspace_dataset
from tests.export_cases import GENERATED
from tests.track_samples import build_hmeimim_al_khadim_trace, import_sample_track, write_trace

from dashboard.export.briefing import BriefingSpec
from dashboard.export.kml_markup import format_kml_colour
from dashboard.export.kml_tracks import build_track_geometry
from dashboard.export.position_table import PositionsLeftOutWarning
from dashboard.export.product import write_product

KML = "{http://www.opengis.net/kml/2.2}"
GX = "{http://www.google.com/kml/ext/2.2}"
AS_OF = dt.date(2024, 12, 27)
FLIGHT = "trk-154076-20241226t170200"
HOSTILE_REGISTRATION = "<img src=x onerror=alert(1)>"
HOSTILE_CALLSIGN = "<b>&x</b>"


def load_track_dataset(folder: Path, *, hostile: bool = False) -> Dataset:
    """Import the sample track into ``folder/ws`` and load the dataset with it.

    ``hostile`` writes a registration and a callsign that are HTML into the trace first.
    """
    if not hostile:
        return load_workspace_dataset(workspace=import_sample_track(folder / "ws"))
    from layers.store import open_workspace
    from layers.tracks.importing import plan_track_import, write_track_import

    doc = build_hmeimim_al_khadim_trace()
    doc["r"] = HOSTILE_REGISTRATION
    doc["trace"][0][8] = {"flight": HOSTILE_CALLSIGN}
    (folder / "ws").mkdir(parents=True)
    store = open_workspace(folder / "ws")
    try:
        write_track_import(plan_track_import(write_trace(folder, doc)), store, source="constructed hostile track",
                           confidence="low")
    finally:
        store.close()
    return load_workspace_dataset(workspace=folder / "ws")


def build_track_case(dataset: Dataset, **changes) -> tuple[Snapshot, BriefingSpec]:
    """Return the snapshot as of 27 Dec 2024 (7-day window) and a spec with ``changes``."""
    selection = TimeSelection(AS_OF, 7)
    return build_snapshot(dataset, selection), dataclasses.replace(BriefingSpec(selection, generated_at=GENERATED),
                                                                   **changes)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_track_dataset(tmp_path_factory.mktemp("track"))


@pytest.fixture(scope="module")
def kml(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    snapshot, spec = build_track_case(dataset, format="kml")
    return write_product(snapshot, spec, tmp_path_factory.mktemp("kml") / "tracks.kml", tracks=dataset.tracks)


@pytest.fixture(scope="module")
def gpkg(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    snapshot, spec = build_track_case(dataset, format="gpkg")
    return write_product(snapshot, spec, tmp_path_factory.mktemp("gpkg") / "tracks.gpkg", tracks=dataset.tracks)


def placemark(path: Path, feature_id: str) -> ET.Element:
    return next(p for p in ET.parse(path).getroot().iter(f"{KML}Placemark") if p.get("id") == feature_id)


def style_of(path: Path, mark: ET.Element) -> ET.Element:
    wanted = mark.find(f"{KML}styleUrl").text.lstrip("#")
    return next(s for s in ET.parse(path).getroot().iter(f"{KML}Style") if s.get("id") == wanted)


def test_the_sample_snapshot_has_one_of_each_track_layer(dataset: Dataset) -> None:
    snapshot, _ = build_track_case(dataset)
    assert [len(frame) for frame in (snapshot.tracks, snapshot.gaps, snapshot.reaches, snapshot.positions)] == [1] * 4
    assert FLIGHT in set(snapshot.flights["id"])


# KML


def test_kml_declares_the_gx_namespace(kml: Path) -> None:
    assert 'xmlns:gx="http://www.google.com/kml/ext/2.2"' in kml.read_text(encoding="utf-8")[:300]


def test_kml_track_is_a_gx_track_with_a_time_and_a_coordinate_per_vertex(dataset: Dataset, kml: Path) -> None:
    snapshot, _ = build_track_case(dataset)
    track, gap = snapshot.tracks.iloc[0], snapshot.gaps.iloc[0]
    parts = placemark(kml, f"{FLIGHT}-track").findall(f"{GX}MultiTrack/{GX}Track")
    whens = [w.text for part in parts for w in part.findall(f"{KML}when")]
    coords = [c.text.split() for part in parts for c in part.findall(f"{GX}coord")]
    assert whens[0] == "2024-12-26T17:02:00Z" == track["start"]
    assert whens[-1] == track["shown_until"]
    # Every vertex of the track: its parts already stop and start at the gap's two ends.
    assert len(whens) == len(coords) == len(track["times"])
    assert [parts[0].findall(f"{KML}when")[-1].text, parts[1].find(f"{KML}when").text] == [gap["start"], gap["end"]]
    assert placemark(kml, f"{FLIGHT}-track").find(f"{GX}MultiTrack/{GX}interpolate").text == "0"


def test_kml_track_altitudes_are_metres(kml: Path) -> None:
    parts = placemark(kml, f"{FLIGHT}-track").findall(f"{GX}MultiTrack/{GX}Track")
    last_before_gap = parts[0].findall(f"{GX}coord")[-1].text.split()
    assert float(last_before_gap[2]) == pytest.approx(30_000 * 0.3048, abs=1)  # FL300 when it went dark
    # The ground roll has no altitude in the file: that part is drawn on the ground, not at a made-up height.
    assert parts[0].find(f"{KML}altitudeMode").text == "clampToGround"


def test_kml_track_is_absolute_when_every_altitude_is_known() -> None:
    row = pd.Series({"id": "t", "flight_id": "f", "times": ["2024-12-26T17:00:00Z", "2024-12-26T17:10:00Z"],
                     "altitudes_ft": [10_000, 20_000], "geometry": LineString([(35.0, 35.0), (34.0, 34.5)])})
    track = build_track_geometry(row, pd.DataFrame())
    assert track.tag == f"{GX}Track" and track.find(f"{KML}altitudeMode").text == "absolute"
    assert [c.text for c in track.findall(f"{GX}coord")] == ["35.00000 35.00000 3048", "34.00000 34.50000 6096"]


def test_kml_gap_is_a_dashed_styled_line_listing_the_candidates_best_first(dataset: Dataset, kml: Path) -> None:
    mark = placemark(kml, f"{FLIGHT}-gap1")
    style = style_of(kml, mark)
    assert style.get("id") == "gap-dashed"
    assert style.find(f"{KML}LineStyle/{KML}color").text == format_kml_colour(GAP_STYLE.colour, 1.0)
    assert mark.find(f"{KML}LineString") is not None
    balloon = html.unescape(mark.find(f"{KML}description").text)
    names = [part.split("</b>")[0] for part in balloon.split("<li><b>")[1:]]
    assert names[0] == "Al Khadim Airport"
    assert names == [c["name"] for c in build_track_case(dataset)[0].gaps.iloc[0]["candidates"]]
    assert "40 min" in balloon and "0° off the last track" in balloon
    data = {d.get("name"): d.find(f"{KML}value").text for d in mark.iter(f"{KML}Data")}
    assert data["duration_min"] == "40.0" and data["distance_km"] == "214.2"


def test_kml_reach_is_a_polygon_with_a_faint_fill(kml: Path) -> None:
    mark = placemark(kml, f"{FLIGHT}-gap1-reach")
    assert mark.find(f"{KML}Polygon/{KML}outerBoundaryIs/{KML}LinearRing/{KML}coordinates") is not None
    fill = style_of(kml, mark).find(f"{KML}PolyStyle/{KML}color").text
    assert fill == format_kml_colour(REACH_STYLE.colour, REACH_FILL_OPACITY)


def test_kml_last_position_is_a_point_at_its_time(kml: Path) -> None:
    mark = placemark(kml, "position-154076")
    assert mark.find(f"{KML}TimeStamp/{KML}when").text == "2024-12-26T19:18:00Z"
    assert mark.find(f"{KML}Point/{KML}coordinates").text == "21.19180,31.99850"


def test_kml_hostile_registration_and_callsign_are_text_in_the_balloons(tmp_path: Path) -> None:
    snapshot, spec = build_track_case(load_track_dataset(tmp_path, hostile=True), format="kml")
    root = ET.parse(write_product(snapshot, spec, tmp_path / "hostile.kml")).getroot()
    assert not [e.text for e in root.iter() if e.text and ("<img" in e.text or "<b>&x" in e.text)]
    for feature in (f"{FLIGHT}-track", f"{FLIGHT}-gap1", "position-154076"):
        mark = next(p for p in root.iter(f"{KML}Placemark") if p.get("id") == feature)
        balloon = mark.find(f"{KML}description").text
        # Parsed once by Google Earth as HTML: the escapes show as the characters, never as markup.
        assert html.escape(HOSTILE_REGISTRATION) in balloon and html.escape(HOSTILE_CALLSIGN) in balloon
        assert html.escape(HOSTILE_REGISTRATION, quote=False) in mark.find(f"{KML}name").text
        data = {d.get("name"): d.find(f"{KML}value").text for d in mark.iter(f"{KML}Data")}
        assert data["callsign"] == "&lt;b&gt;&amp;x&lt;/b&gt;"


# GeoPackage


def test_gpkg_has_the_track_layers_with_their_rows(dataset: Dataset, gpkg: Path) -> None:
    counts = {name: len(gpd.read_file(gpkg, layer=name)) for name, _ in pyogrio.list_layers(gpkg)}
    flight = dataset.tracks.flights.set_index("id").loc[FLIGHT]
    assert {k: counts[k] for k in ("tracks", "gaps", "reach", "positions")} == {
        "tracks": 1, "gaps": 1, "reach": 1, "positions": len(flight["rows"])}
    assert dict(pyogrio.list_layers(gpkg))["reach"] == "Polygon"


def test_gpkg_gap_keeps_its_measures_and_candidates(gpkg: Path) -> None:
    gap = gpd.read_file(gpkg, layer="gaps").iloc[0]
    assert gap["duration_min"] == 40.0 and gap["distance_km"] == 214.2 and gap["implied_speed_kt"] == 174
    candidates = json.loads(gap["candidates"])
    assert candidates[0]["name"] == "Al Khadim Airport" and candidates[0]["reasons"]


def test_gpkg_track_flight_is_a_row_of_the_flights_layer(gpkg: Path) -> None:
    flight = gpd.read_file(gpkg, layer="flights").set_index("id").loc[FLIGHT]
    assert (flight["icao24"], flight["callsign"], flight["registration"]) == ("154076", "RFF8038", "RA-82038")
    assert json.loads(flight["destination_candidates"])[0]["icao"] == "HL59"


def test_gpkg_positions_are_every_raw_position_with_the_position_columns(dataset: Dataset, gpkg: Path) -> None:
    positions = gpd.read_file(gpkg, layer="positions")
    assert {"time", "icao24", "alt_baro_ft", "ground_speed_kt", "track_deg", "on_ground", "implausible",
            "flight_id", "last_shown"} <= set(positions.columns)
    assert str(positions["time"].dt.tz) == "UTC"
    assert positions["time"].min() == pd.Timestamp("2024-12-26T17:02:00Z")
    assert positions["alt_baro_ft"].max() == 30_000.0
    last = positions.loc[positions["last_shown"].astype(bool)]
    assert list(last["time"]) == [pd.Timestamp("2024-12-26T19:18:00Z")]
    assert (positions.geometry.x == positions["lon"]).all()


def test_gpkg_without_the_positions_writes_the_last_one_and_says_so(dataset: Dataset, tmp_path: Path) -> None:
    snapshot, spec = build_track_case(dataset, format="gpkg")
    with pytest.warns(PositionsLeftOutWarning, match="tracks=dataset.tracks"):
        path = write_product(snapshot, spec, tmp_path / "no-positions.gpkg")
    assert len(gpd.read_file(path, layer="positions")) == 1


def test_gpkg_hidden_position_layer_writes_no_positions(dataset: Dataset, tmp_path: Path) -> None:
    snapshot, spec = build_track_case(dataset, format="gpkg", visible_layers=frozenset({"site", "track"}))
    path = write_product(snapshot, spec, tmp_path / "hidden.gpkg", tracks=dataset.tracks)
    assert len(gpd.read_file(path, layer="positions")) == 0 and len(gpd.read_file(path, layer="tracks")) == 1


# GeoJSON


def test_geojson_has_the_track_layers_with_times_and_candidates(dataset: Dataset, tmp_path: Path) -> None:
    snapshot, spec = build_track_case(dataset, format="geojson")
    written = json.loads(write_product(snapshot, spec, tmp_path / "tracks.geojson").read_text(encoding="utf-8"))
    by_layer = {f["properties"]["layer"]: f for f in written["features"] if f["properties"]["layer"] in
                {"track", "gap", "reach", "position"}}
    assert {k: v["geometry"]["type"] for k, v in by_layer.items()} == {
        "track": "MultiLineString", "gap": "LineString", "reach": "Polygon", "position": "Point"}
    assert by_layer["track"]["properties"]["times"][0] == "2024-12-26T17:02:00Z"
    assert by_layer["gap"]["properties"]["candidates"][0]["name"] == "Al Khadim Airport"


@pytest.mark.parametrize("name", ["kml_markup", "placement", "track_symbology"])
def test_the_examples_in_the_docstrings_hold(name: str) -> None:
    assert doctest.testmod(importlib.import_module(f"dashboard.export.{name}")).failed == 0
