"""``python -m layers geojson``: an RFC 7946 FeatureCollection that follows the sources."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import geopandas as gpd
import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {"site", "route", "flight", "corridor", "event"}


@cache
def geojson(as_of: str, *extra: str) -> dict:
    """Run the command on the shipped data and parse what it prints."""
    result = subprocess.run([sys.executable, "-m", "layers", "geojson", "--as-of", as_of, *extra],
                            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def features(as_of: str, layer: str, *extra: str) -> dict[str, dict]:
    """Return the properties of one layer's features by id."""
    return {f["id"]: f["properties"] for f in geojson(as_of, *extra)["features"]
            if f["properties"]["layer"] == layer}


def test_output_loads_in_geopandas(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.geojson"
    path.write_text(json.dumps(geojson("2024-12-20")), encoding="utf-8")
    frame = gpd.read_file(path)
    assert frame.crs.to_epsg() == 4326
    assert set(frame["layer"]) >= {"site", "route", "flight", "event"}


def test_every_feature_has_the_documented_properties() -> None:
    collection = geojson("2024-12-20")
    assert collection["type"] == "FeatureCollection" and collection["features"]
    for feature in collection["features"]:
        props = feature["properties"]
        assert props["layer"] in LAYERS
        assert props["id"] == feature["id"] and props["name"]
        assert isinstance(props["sources"], list) and props["sources"]
        assert props["confidence"] in {"high", "medium", "low"}
        if props["layer"] == "site":
            assert props["status"] and props["kind"] and props["country"]
        if props["layer"] in {"flight", "event", "route"}:
            assert len(props["date"]) == 10 and props["date"] <= "2024-12-20"


def test_sites_with_an_airfield_code_carry_it_and_others_do_not() -> None:
    sites = features("2024-12-20", "site")
    assert sites["hmeimim"]["icao"] == "OSLK"
    assert "icao" not in sites["tartus"]


def test_coordinates_are_longitude_first() -> None:
    collection = geojson("2024-12-20")
    hmeimim = next(f for f in collection["features"] if f["id"] == "hmeimim")
    lon, lat = hmeimim["geometry"]["coordinates"]
    assert lon == pytest.approx(35.9487, abs=0.02) and lat == pytest.approx(35.4011, abs=0.02)


def test_qamishli_is_still_held_in_mid_2025_and_withdrawn_after_january_2026() -> None:
    assert features("2025-06-01", "site")["qamishli"]["status"] in {"active", "reported"}
    assert features("2026-02-01", "site")["qamishli"]["status"] == "withdrawn"


@pytest.mark.parametrize("as_of", ["2024-11-30", "2024-12-08", "2024-12-20", "2025-06-01", "2026-02-01"])
def test_no_event_or_flight_is_shown_before_its_date(as_of: str) -> None:
    for layer in ("event", "flight"):
        assert all(p["date"] <= as_of for p in features(as_of, layer, "--window-days", "cumulative").values())


def test_events_accumulate_with_the_date() -> None:
    early, late = features("2024-12-10", "event"), features("2025-06-01", "event")
    assert set(early) < set(late)


def test_event_without_a_place_has_a_null_geometry() -> None:
    collection = geojson("2026-02-01")
    events = [f for f in collection["features"] if f["properties"]["layer"] == "event"]
    unplaced = [f for f in events if not f["properties"]["places"]]
    assert all(f["geometry"] is None for f in unplaced)
    assert all(f["geometry"]["type"] == "Point" for f in events if f["properties"]["places"])


def test_wider_window_shows_at_least_as_many_flights() -> None:
    one = features("2024-12-20", "flight", "--window-days", "1")
    thirty = features("2024-12-20", "flight", "--window-days", "30")
    assert set(one) <= set(thirty) and len(thirty) > len(one)


@pytest.mark.parametrize(("args", "message"), [
    (["--as-of", "2024-02-30"], "is not a date"),
    (["--as-of", "20/12/2024"], "is not a date"),
    (["--as-of", "2024-12-20", "--window-days", "0"], "give a whole number of days"),
])
def test_bad_arguments_get_a_one_line_error(args: list[str], message: str) -> None:
    result = subprocess.run([sys.executable, "-m", "layers", "geojson", *args],
                            cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
