"""The GeoPackage opens in QGIS typed and styled: what an analyst checks with sqlite3 and pyogrio.

Issue 13, item 4: numbers, booleans and dates as typed fields (the Temporal Controller
needs DATE/DATETIME), the uncertainty areas of named places as polygons, and a default
QML style per layer in ``layer_styles``, the table QGIS itself writes.
"""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import pyogrio
import pytest
from pyproj import Geod

from tests.export_cases import build_case

from dashboard.export.product import write_product

QGIS_STYLE_COLUMNS = ["id", "f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "styleName",
                      "styleQML", "styleSLD", "useAsDefault", "description", "owner", "ui", "update_time"]


@pytest.fixture(scope="module")
def gpkg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    snapshot, spec = build_case(format="gpkg")
    return write_product(snapshot, spec, tmp_path_factory.mktemp("gpkg") / "airbridge.gpkg")


def column_types(path: Path, table: str) -> dict[str, str]:
    with sqlite3.connect(path) as connection:
        return {row[1]: row[2] for row in connection.execute(f'pragma table_info("{table}")')}


@pytest.mark.parametrize(("table", "expected"), [
    ("routes", {"flights": "INTEGER", "records": "INTEGER", "length_km": "REAL", "date": "DATE",
                "first_date": "DATE", "record_type": "TEXT"}),
    ("flights", {"date": "DATE", "end_date": "DATE", "count_min": "INTEGER", "uncertainty_km": "REAL",
                 "start": "DATETIME", "end": "DATETIME"}),
    ("events", {"date": "DATE", "end_date": "DATE", "in_window": "BOOLEAN"}),
    ("sites", {"status_date": "TEXT", "status_from": "DATE", "russian_presence": "BOOLEAN"}),
    ("corridors", {"valid_from": "DATE", "valid_to": "DATE", "schematic": "BOOLEAN"}),
    ("observations", {"first_day": "DATE", "last_day": "DATE"}),
    ("tracks", {"start": "DATETIME", "end": "DATETIME", "shown_until": "DATETIME"}),
])
def test_gpkg_columns_are_typed_for_qgis(gpkg: Path, table: str, expected: dict[str, str]) -> None:
    types = column_types(gpkg, table)
    assert {column: types[column] for column in expected} == expected


def test_gpkg_dates_read_back_as_dates_for_the_temporal_controller(gpkg: Path) -> None:
    flights = pyogrio.read_dataframe(gpkg, layer="flights").set_index("id")
    assert str(flights["date"].dtype).startswith("datetime64")
    assert flights.loc["f-2024-12-12-nyt-il76", "end_date"].date().isoformat() == "2024-12-19"


def test_a_partial_status_date_keeps_its_text_and_gets_its_first_day(gpkg: Path) -> None:
    with sqlite3.connect(gpkg) as connection:
        rows = dict(connection.execute("select id, status_date || ' ' || status_from || ' ' || status_precision "
                                       "from sites where status_date is not null"))
    assert rows["qamishli"] == "2019-11 2019-11-01 month"


def test_gpkg_holds_the_uncertainty_area_of_each_named_place_as_a_polygon(gpkg: Path) -> None:
    assert dict(pyogrio.list_layers(gpkg))["uncertainty_areas"] == "Polygon"
    areas = pyogrio.read_dataframe(gpkg, layer="uncertainty_areas").set_index("name")
    benghazi = areas.loc["Benghazi (airport not named)"]
    assert benghazi["radius_km"] == 45.0
    lons, lats = benghazi.geometry.exterior.coords.xy
    _, _, distances = Geod(ellps="WGS84").inv([benghazi["centre_lon"]] * len(lons),
                                              [benghazi["centre_lat"]] * len(lats), lons, lats)
    assert all(abs(d / 1000 - 45.0) < 0.05 for d in distances)  # a geodesic circle, not degrees
    assert benghazi.geometry.contains(benghazi.geometry.centroid)


def test_gpkg_layer_styles_is_the_table_qgis_writes_with_a_default_style_per_layer(gpkg: Path) -> None:
    assert list(column_types(gpkg, "layer_styles")) == QGIS_STYLE_COLUMNS
    with sqlite3.connect(gpkg) as connection:
        features = {name for (name,) in connection.execute(
            "select table_name from gpkg_contents where data_type = 'features'")}
        registered = connection.execute(
            "select data_type from gpkg_contents where table_name = 'layer_styles'").fetchone()
        styles = {table: (qml, default, column) for table, qml, default, column in connection.execute(
            "select f_table_name, styleQML, useAsDefault, f_geometry_column from layer_styles")}
    assert registered == ("attributes",)
    assert set(styles) == features
    assert all(default == 1 and column == "geom" for _, default, column in styles.values())
    for qml, _, _ in styles.values():
        assert qml.startswith("<!DOCTYPE qgis") and ET.fromstring(qml.split("\n", 1)[1]).find("renderer-v2") is not None


def test_the_sites_style_draws_group_colour_status_fill_and_kind_shape(gpkg: Path) -> None:
    with sqlite3.connect(gpkg) as connection:
        (qml,) = connection.execute("select styleQML from layer_styles where f_table_name = 'sites'").fetchone()
    renderer = ET.fromstring(qml.split("\n", 1)[1]).find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol"
    categories = {c.get("value"): c.get("symbol") for c in renderer.iter("category")}
    symbols = {s.get("name"): s for s in renderer.iter("symbol")}
    options = {o.get("name"): o.get("value") for o in symbols[categories["syria/active"]].iter("Option")}
    assert options["color"] == "213,94,0,255"  # vermillion, fully filled
    withdrawn = {o.get("name"): o.get("value") for o in symbols[categories["syria/withdrawn"]].iter("Option")}
    assert withdrawn["color"] == "213,94,0,0"  # hollow
    assert "WHEN \"kind\" = 'air_base' THEN 'triangle'" in options["expression"]
