"""``python -m dashboard.export`` with filters: the files hold only what the filters keep, and say so.

The command runs in this process (``main(argv)``) on the shipped data; the files are read
back as a user's tool would (JSON, KML's XML, the GeoPackage's layer metadata).
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pyogrio
import pytest

from layers import DEFAULT_DATA_DIR
from tests.conftest import CommandResult

from dashboard.export.cli import main

KML_NS = {"k": "http://www.opengis.net/kml/2.2"}


@pytest.fixture
def export(run_main: Callable[..., CommandResult]) -> Callable[..., CommandResult]:
    """``python -m dashboard.export --data data/ ARGS``, run in this process."""
    return lambda *args: run_main(main, "--data", str(DEFAULT_DATA_DIR), *args)


def read_rows(name: str) -> list[dict[str, str]]:
    with (DEFAULT_DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_geojson_with_confidence_high_holds_only_high_features(export, tmp_path: Path) -> None:
    out = tmp_path / "high.geojson"
    result = export("--as-of", "2024-12-31", "--window-days", "cumulative", "--format", "geojson", "--out", str(out),
                    "--confidence", "high")
    assert result.returncode == 0, result.stderr
    collection = json.loads(out.read_text(encoding="utf-8"))
    assert collection["filters"] == {"confidence": "high"}
    features = collection["features"]
    assert features and {f["properties"]["confidence"] for f in features} == {"high"}
    sites = [f for f in features if f["properties"]["layer"] == "site"]
    assert len(sites) == sum(r["confidence"] == "high" for r in read_rows("sites.csv"))


def test_geojson_with_record_type_and_country_keeps_those_flights(export, tmp_path: Path) -> None:
    out = tmp_path / "by.geojson"
    result = export("--as-of", "2024-12-31", "--window-days", "cumulative", "--format", "geojson", "--out", str(out),
                    "--record-type", "count,individual", "--country", "by")
    assert result.returncode == 0, result.stderr
    collection = json.loads(out.read_text(encoding="utf-8"))
    assert collection["filters"] == {"record_type": "individual,count", "country": "BY"}
    flights = sorted(f["properties"]["id"] for f in collection["features"] if f["properties"]["layer"] == "flight")
    assert flights == ["f-2024-12-12-il76-moscow-minsk-benghazi", "f-2024-12-13-rubystar-minsk-libya"]


def test_kml_says_which_filters_applied_and_has_only_those_events(export, tmp_path: Path) -> None:
    out = tmp_path / "naval.kml"
    result = export("--as-of", "2025-01-31", "--window-days", "cumulative", "--format", "kml", "--out", str(out),
                    "--category", "naval")
    assert result.returncode == 0, result.stderr
    root = ET.parse(out).getroot()
    description = root.find("k:Document/k:description", KML_NS)
    assert description is not None and "Filtered: event category Naval" in (description.text or "")
    folders = {f.findtext("k:name", namespaces=KML_NS): f for f in root.iter("{http://www.opengis.net/kml/2.2}Folder")}
    naval = {r["title"] for r in read_rows("events.csv") if r["category"] == "naval" and r["date"] <= "2025-01-31"}
    events = {p.findtext("k:name", namespaces=KML_NS) for p in folders["Events"].iter(
        "{http://www.opengis.net/kml/2.2}Placemark")}
    assert events and events <= naval


def test_geopackage_layers_record_the_filters(export, tmp_path: Path) -> None:
    out = tmp_path / "libya.gpkg"
    result = export("--as-of", "2024-12-20", "--format", "gpkg", "--out", str(out), "--affiliation", "libya")
    assert result.returncode == 0, result.stderr
    metadata = pyogrio.read_info(out, layer="sites")["layer_metadata"]
    assert metadata["filters"] == "Filtered: affiliation Libya"
    sites = pyogrio.read_dataframe(out, layer="sites")
    assert set(sites["group"]) == {"libya"}


def test_an_unknown_filter_value_is_refused_in_one_line_naming_the_values(export, tmp_path: Path) -> None:
    out = tmp_path / "x.geojson"
    result = export("--as-of", "2024-12-20", "--format", "geojson", "--out", str(out), "--confidence", "certain")
    assert result.returncode == 2 and not out.exists()
    assert result.stderr.strip() == ("python -m dashboard.export: error: --confidence certain: unknown value; use "
                                     "high, medium, low, comma-separated")
