"""``python -m layers geojson``: an RFC 7946 FeatureCollection that follows the sources.

The command runs in this process (``layers.cli.main``) on the shipped data; what it
prints is what is checked. ``tests/test_validation.py`` runs ``python -m layers`` as a
real command once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest

from layers.cli import main
from tests.conftest import CommandResult

LAYERS = {"site", "route", "flight", "corridor", "event"}


@pytest.fixture
def geojson(run_main: Callable[..., CommandResult]) -> Callable[..., dict]:
    """Run ``python -m layers geojson --as-of DATE [ARGS]`` and parse what it prints."""
    def run(as_of: str, *extra: str) -> dict:
        result = run_main(main, "geojson", "--as-of", as_of, *extra)
        assert result.returncode == 0 and result.stderr == "", result.stderr
        return json.loads(result.stdout)

    return run


def features(collection: dict, layer: str) -> dict[str, dict]:
    """Return the properties of one layer's features by id."""
    return {f["id"]: f["properties"] for f in collection["features"] if f["properties"]["layer"] == layer}


def test_output_loads_in_geopandas(geojson, tmp_path: Path) -> None:
    path = tmp_path / "snapshot.geojson"
    path.write_text(json.dumps(geojson("2024-12-20")), encoding="utf-8")
    frame = gpd.read_file(path)
    assert frame.crs.to_epsg() == 4326
    assert set(frame["layer"]) >= {"site", "route", "flight", "event"}


def test_every_feature_has_the_documented_properties(geojson) -> None:
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


def test_sites_with_an_airfield_code_carry_it_and_others_do_not(geojson) -> None:
    sites = features(geojson("2024-12-20"), "site")
    assert sites["hmeimim"]["icao"] == "OSLK"
    assert "icao" not in sites["tartus"]


def test_coordinates_are_longitude_first(geojson) -> None:
    collection = geojson("2024-12-20")
    hmeimim = next(f for f in collection["features"] if f["id"] == "hmeimim")
    lon, lat = hmeimim["geometry"]["coordinates"]
    assert lon == pytest.approx(35.9487, abs=0.02) and lat == pytest.approx(35.4011, abs=0.02)


def test_qamishli_is_still_held_in_mid_2025_and_withdrawn_after_january_2026(geojson) -> None:
    assert features(geojson("2025-06-01"), "site")["qamishli"]["status"] in {"active", "reported"}
    assert features(geojson("2026-02-01"), "site")["qamishli"]["status"] == "withdrawn"


@pytest.mark.parametrize("as_of", ["2024-11-30", "2024-12-08", "2024-12-20", "2025-06-01", "2026-02-01"])
def test_no_event_or_flight_is_shown_before_its_date(geojson, as_of: str) -> None:
    collection = geojson(as_of, "--window-days", "cumulative")
    for layer in ("event", "flight"):
        assert all(p["date"] <= as_of for p in features(collection, layer).values())


def test_events_accumulate_with_the_date(geojson) -> None:
    early, late = features(geojson("2024-12-10"), "event"), features(geojson("2025-06-01"), "event")
    assert set(early) < set(late)


def test_event_without_a_place_has_a_null_geometry(geojson) -> None:
    collection = geojson("2026-02-01")
    events = [f for f in collection["features"] if f["properties"]["layer"] == "event"]
    unplaced = [f for f in events if not f["properties"]["places"]]
    assert all(f["geometry"] is None for f in unplaced)
    assert all(f["geometry"]["type"] == "Point" for f in events if f["properties"]["places"])


def test_wider_window_shows_at_least_as_many_flights(geojson) -> None:
    one = features(geojson("2024-12-20", "--window-days", "1"), "flight")
    thirty = features(geojson("2024-12-20", "--window-days", "30"), "flight")
    assert set(one) <= set(thirty) and len(thirty) > len(one)


@pytest.mark.parametrize(("args", "message"), [
    (["--as-of", "2024-02-30"], "is not a date"),
    (["--as-of", "20/12/2024"], "is not a date"),
    (["--as-of", "2024-12-20", "--window-days", "0"], "give a whole number of days"),
])
def test_bad_arguments_are_refused_with_the_reason_and_exit_status_2(run_main, args: list[str], message: str) -> None:
    result = run_main(main, "geojson", *args)
    assert result.returncode == 2 and result.stdout == ""
    error = result.stderr.splitlines()[-1]  # after the usage lines
    assert error.startswith("python -m layers geojson: error: ") and message in error
    assert "Traceback" not in result.stderr
