"""Routes from flown ADS-B tracks: their real geometry, and a gap's area counted as possibly overflown.

The track is the constructed An-124 RA-82038 trace of ``tests/track_samples.py`` (dark for
40 minutes north of Cyrenaica). The expectations are computed apart from the analytics:
the positions are cut at silences longer than 5 minutes, the dark area is the gap ellipse
at the An-124's top speed for the whole gap, and each basemap country is tested with
shapely one by one.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString

from layers import cli
from layers.analytics.legs import Period, list_legs
from layers.analytics.routes import RouteStatistics, build_route_statistics
from layers.basemap import BASEMAP_PATH
from layers.dataset import Dataset
from layers.tracks.gaps import GapEnd, build_reach_ellipse
from layers.tracks.performance import find_performance
from layers.workspace import load_workspace_dataset
from tests.analytics_cases import MINI
from tests.track_samples import build_hmeimim_al_khadim_trace, write_trace

DAY = Period(dt.date(2024, 12, 26), dt.date(2024, 12, 26))


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tracked")
    trace = write_trace(folder, build_hmeimim_al_khadim_trace())
    assert cli.main(["import", str(trace), "--kind", "track", "--workspace", str(folder / "ws"),
                     "--data", str(MINI)]) == 0
    return folder / "ws"


@pytest.fixture(scope="module")
def tracked(workspace: Path) -> Dataset:
    return load_workspace_dataset(MINI, workspace)


@pytest.fixture(scope="module")
def shuttle(tracked: Dataset) -> RouteStatistics:
    routes = build_route_statistics(tracked, DAY)
    return next(r for r in routes if (r.origin, r.destination) == ("hmeimim", "al_khadim"))


def basemap_countries(geometry: shapely.Geometry) -> set[str]:
    features = json.loads(BASEMAP_PATH.read_text(encoding="utf-8"))["features"]
    return {f["properties"]["name"] for f in features if shapely.from_geojson(json.dumps(f["geometry"]))
            .intersects(geometry)}


def test_a_tracked_flight_counts_as_an_individual_flight_on_its_route(shuttle: RouteStatistics) -> None:
    # The mini data's own record of RA-82038 on 26 Dec is the same flight as the track
    # (same hop, registration and day): one flight, not two, with the record's sources kept.
    assert shuttle.flights_tracked == 1 and shuttle.flights_individual == 1
    assert shuttle.path_basis == "ADS-B tracks (1 flight)"
    assert shuttle.registrations == ["RA-82038"]


def test_countries_overflown_are_those_under_the_received_positions(tracked: Dataset,
                                                                    shuttle: RouteStatistics) -> None:
    positions = tracked.tracks.positions.sort_values("time")
    seconds = positions["time"].astype("int64").to_numpy() / 1e9
    runs = np.split(positions[["lon", "lat"]].to_numpy(), np.flatnonzero(np.diff(seconds) > 300) + 1)
    flown = set().union(*(basemap_countries(LineString(run)) for run in runs if len(run) >= 2))
    assert set(shuttle.countries_overflown) == flown - {"Syria", "Libya"}


def test_the_dark_area_counts_as_possibly_overflown(tracked: Dataset, shuttle: RouteStatistics) -> None:
    [gap] = tracked.tracks.gaps.to_dict("records")
    speed_kt = find_performance("A124").top_speed_kt
    reach_km = speed_kt * 1.852 * gap["duration_min"] / 60
    area = build_reach_ellipse(GapEnd(None, gap["last_lat"], gap["last_lon"], 0, 0, 0, False),
                               GapEnd(None, gap["next_lat"], gap["next_lon"], 0, 0, 0, False), reach_km)
    expected = basemap_countries(area) - set(shuttle.countries_overflown) - {"Syria", "Libya"}
    assert set(shuttle.countries_possibly_overflown) == expected
    assert shuttle.flown_km and shuttle.flown_km[0] > shuttle.distance_km * 0.95


def test_a_closure_met_only_while_dark_is_flagged_as_possibly(shuttle: RouteStatistics) -> None:
    possible = [f for f in shuttle.airspace_flags if f.get("possibly_overflown")]
    assert {c for f in possible for c in f["countries"]} <= set(shuttle.countries_possibly_overflown)


def test_without_the_workspace_the_route_falls_back_to_the_great_circle(tmp_path: Path) -> None:
    routes = build_route_statistics(load_workspace_dataset(MINI), DAY)
    shuttle = next(r for r in routes if (r.origin, r.destination) == ("hmeimim", "al_khadim"))
    assert shuttle.path_basis == "great circle" and shuttle.flights_tracked == 0


def test_the_routes_command_reads_the_workspace(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert cli.main(["routes", "--from", "2024-12-26", "--to", "2024-12-26", "--data", str(MINI),
                     "--workspace", str(workspace)]) == 0
    records = json.loads(capsys.readouterr().out)
    shuttle = next(r for r in records if (r["origin"], r["destination"]) == ("hmeimim", "al_khadim"))
    assert shuttle["path_basis"] == "ADS-B tracks (1 flight)"


def test_a_recorded_flight_that_a_track_shows_counts_once(tracked: Dataset) -> None:
    legs = list_legs(tracked, DAY)
    record = tracked.flights[(tracked.flights["registration"] == "RA-82038")
                             & (tracked.flights["date"] == "2024-12-26")].iloc[0]
    [(record_id, track_id)] = legs.merged
    assert record_id == record["id"] and track_id.startswith("trk-")
    [track_leg] = [leg for leg in legs.legs if leg.record_id == track_id]
    assert set(record["sources"]) <= set(track_leg.sources)
    assert record_id not in {leg.record_id for leg in legs.legs}
