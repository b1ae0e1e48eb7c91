"""Flights and gaps from positions: the constructed Hmeimim -> al-Khadim flight and the split rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from layers.dataset import load_dataset
from layers.features import build_snapshot
from layers.geojson import build_feature_collection
from layers.timeline import TimeSelection
from layers.tracks.positions import KM_PER_NM, build_position_frame
from layers.tracks.trackset import BatchSourcing, build_trackset
from layers.workspace import load_workspace_dataset
from tests.track_samples import import_sample_track

SHIPPED = load_dataset()
T0 = pd.Timestamp("2025-02-01T08:00:00Z")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory):
    workspace = import_sample_track(tmp_path_factory.mktemp("track") / "ws")
    return load_workspace_dataset(workspace=workspace)


def make_tracks(segments: list[dict], icao24: str = "152c29"):
    """Build a trackset from straight segments of positions one minute apart."""
    columns: dict[str, list] = {name: [] for name in ("time", "lat", "lon", "alt_baro_ft", "vertical_rate_fpm",
                                                       "on_ground", "ground_speed_kt", "track_deg")}
    for segment in segments:
        count = segment["count"]
        start = segment["start"]
        columns["time"] += [start + pd.Timedelta(minutes=i) for i in range(count)]
        columns["lat"] += list(np.linspace(segment["lat"][0], segment["lat"][1], count))
        columns["lon"] += list(np.linspace(segment["lon"][0], segment["lon"][1], count))
        columns["alt_baro_ft"] += list(np.linspace(segment["alt"][0], segment["alt"][1], count))
        columns["vertical_rate_fpm"] += [segment.get("rate", 0.0)] * count
        columns["on_ground"] += [segment.get("ground", False)] * count
        columns["ground_speed_kt"] += [segment.get("speed", 400.0)] * count
        columns["track_deg"] += [200.0] * count
    frame = build_position_frame({**columns, "time": pd.Series(pd.to_datetime(columns["time"], utc=True)),
                                  "icao24": [icao24] * len(columns["lat"])})
    frame["batch_id"] = "b0001"
    frame["provenance"] = "batch b0001 (test.json)"
    return build_trackset(frame, {"b0001": BatchSourcing(("file:test.json",), "medium")},
                          watchlist=SHIPPED.aircraft, sites=SHIPPED.sites, flight_records=SHIPPED.flights)


def test_the_constructed_flight_is_one_flight_from_hmeimim_to_al_khadim(sample) -> None:
    flights = sample.tracks.flights
    assert len(flights) == 1
    flight = flights.iloc[0]
    assert (flight["origin"], flight["destination"]) == ("hmeimim", "al_khadim")
    assert flight["registration"] == "RA-82038" and flight["aircraft_type"] == "A124"
    assert flight["operator"] == "Russian Air Force"  # from the shipped watchlist
    assert flight["confidence"] == "medium"
    assert flight["sources"] == ["file:trace_full_154076.json (constructed test track)"]


def test_the_forty_minutes_over_the_sea_are_one_gap_with_al_khadim_among_the_best(sample) -> None:
    gaps = sample.tracks.gaps
    assert len(gaps) == 1
    gap = gaps.iloc[0]
    assert gap["duration_min"] == 40.0
    assert abs(gap["implied_speed_kt"] - gap["distance_km"] / KM_PER_NM / (40 / 60)) < 1
    names = [c["id"] or c["icao"] for c in gap["candidates"]]
    assert "al_khadim" in names[:3]
    best = gap["candidates"][names.index("al_khadim")]
    assert best["icao"] == "HL59"
    assert any("a known site (al_khadim)" in reason for reason in best["reasons"])
    assert any(reason.startswith("needs ") and "slack" in reason for reason in best["reasons"])
    scores = [c["score"] for c in gap["candidates"]]
    assert scores == sorted(scores, reverse=True)


def test_every_candidate_is_reachable_in_the_time_left_after_a_stop(sample) -> None:
    gap = sample.tracks.gaps.iloc[0]
    for candidate in gap["candidates"]:
        needed = float(candidate["reasons"][0].split()[1].replace(",", ""))
        assert needed <= gap["reach_km"]


def test_the_geojson_holds_the_contract_properties(sample) -> None:
    collection = build_feature_collection(build_snapshot(sample, TimeSelection(dt.date(2024, 12, 27), 7)))
    by_layer: dict[str, list[dict]] = {}
    for feature in collection["features"]:
        by_layer.setdefault(feature["properties"]["layer"], []).append(feature)
    (track,) = by_layer["track"]
    # Two flown stretches: the line stops where the aircraft went dark and starts where it was seen next.
    assert track["geometry"]["type"] == "MultiLineString"
    (gap,) = by_layer["gap"]
    first, second = track["geometry"]["coordinates"]
    assert first[-1] == gap["geometry"]["coordinates"][0] and second[0] == gap["geometry"]["coordinates"][-1]
    assert {"icao24", "callsign", "registration", "flight_id", "start", "end", "positions"} <= set(
        track["properties"])
    assert track["properties"]["icao24"] == "154076" and track["properties"]["callsign"] == "RFF8038"
    assert track["properties"]["start"] == "2024-12-26T17:02:00Z"
    (gap,) = by_layer["gap"]
    assert gap["geometry"]["type"] == "LineString"
    assert gap["properties"]["duration_min"] == 40.0
    assert {"duration_min", "distance_km", "implied_speed_kt", "candidates"} <= set(gap["properties"])
    assert {"id", "icao", "name", "score", "reasons"} <= set(gap["properties"]["candidates"][0])
    flight = next(f for f in by_layer["flight"] if f["properties"]["id"] == track["properties"]["flight_id"])
    assert flight["properties"]["origin"] == "hmeimim" and flight["properties"]["destination"] == "al_khadim"
    assert flight["properties"]["destination_candidates"][0]["icao"] == "HL59"
    (reach,) = by_layer["reach"]
    assert reach["geometry"]["type"] == "Polygon"


def test_a_day_before_the_flight_shows_no_track_and_a_day_after_the_window_neither(sample) -> None:
    before = build_snapshot(sample, TimeSelection(dt.date(2024, 12, 25), 7))
    after = build_snapshot(sample, TimeSelection(dt.date(2025, 1, 3), 7))
    assert before.tracks.empty and before.gaps.empty and after.tracks.empty
    cumulative = build_snapshot(sample, TimeSelection(dt.date(2025, 1, 3), None))
    assert len(cumulative.tracks) == 1 and len(cumulative.positions) == 1


def test_a_ground_stop_splits_and_the_stop_is_the_arrival_and_the_next_departure() -> None:
    # Benina (HLLB) 32.0968, 20.2695 -> al-Khadim (HL59) 31.9985, 21.1918 and back.
    tracks = make_tracks([
        {"start": T0, "count": 3, "lat": (32.0968, 32.0968), "lon": (20.2695, 20.2695), "alt": (0, 0),
         "ground": True, "speed": 5},
        {"start": T0 + pd.Timedelta(minutes=3), "count": 20, "lat": (32.09, 32.0), "lon": (20.3, 21.18),
         "alt": (1000, 1500), "speed": 250},
        {"start": T0 + pd.Timedelta(minutes=23), "count": 30, "lat": (31.9985, 31.9985), "lon": (21.1918, 21.1918),
         "alt": (0, 0), "ground": True, "speed": 0},
        {"start": T0 + pd.Timedelta(minutes=53), "count": 20, "lat": (32.0, 32.09), "lon": (21.18, 20.3),
         "alt": (1500, 1000), "speed": 250},
    ])
    flights = tracks.flights
    assert len(flights) == 2
    assert list(flights["origin"]) == ["benina", "al_khadim"]
    assert flights.iloc[0]["destination"] == "al_khadim"
    assert flights.iloc[1]["starts_because"] == "take-off after positions on the ground"


def test_a_gap_low_on_both_sides_splits_but_a_gap_at_cruise_stays_inside_the_flight() -> None:
    low = make_tracks([
        {"start": T0, "count": 10, "lat": (33.0, 32.5), "lon": (21.0, 21.1), "alt": (9000, 4000), "rate": -1500},
        {"start": T0 + pd.Timedelta(minutes=40), "count": 10, "lat": (32.4, 32.9), "lon": (21.1, 21.5),
         "alt": (3000, 9000), "rate": 1500},
    ])
    assert len(low.flights) == 2 and low.gaps.empty
    assert "landed unseen" in low.flights.iloc[1]["starts_because"]
    high = make_tracks([
        {"start": T0, "count": 10, "lat": (35.0, 34.5), "lon": (30.0, 29.0), "alt": (30000, 30000)},
        {"start": T0 + pd.Timedelta(minutes=40), "count": 10, "lat": (33.0, 32.5), "lon": (26.0, 25.0),
         "alt": (30000, 30000)},
    ])
    assert len(high.flights) == 1 and len(high.gaps) == 1
    assert high.gaps.iloc[0]["duration_min"] == 31.0


def test_a_gap_with_no_time_to_land_has_no_candidates_and_no_reach_area() -> None:
    # 330 km in 30 min: the aircraft flew on at cruise speed, so it cannot also have landed.
    tracks = make_tracks([
        {"start": T0, "count": 5, "lat": (35.0, 34.9), "lon": (30.0, 29.8), "alt": (30000, 30000)},
        {"start": T0 + pd.Timedelta(minutes=34), "count": 5, "lat": (33.5, 33.4), "lon": (27.0, 26.8),
         "alt": (30000, 30000)},
    ])
    gap = tracks.gaps.iloc[0]
    assert gap["candidates"] == [] and gap["ellipse"] is None


def test_a_gap_longer_than_the_type_can_fly_splits_the_flight() -> None:
    tracks = make_tracks([
        {"start": T0, "count": 5, "lat": (35.0, 34.9), "lon": (30.0, 29.8), "alt": (30000, 30000)},
        {"start": T0 + pd.Timedelta(hours=11), "count": 5, "lat": (33.5, 33.4), "lon": (27.0, 26.8),
         "alt": (30000, 30000)},
    ])  # 152c29 is an Il-76 in the watchlist: 10 h endurance
    assert len(tracks.flights) == 2 and tracks.gaps.empty
    assert "longer than the type can stay airborne" in tracks.flights.iloc[1]["starts_because"]


def test_a_flight_first_seen_at_cruise_has_no_departure_and_says_why() -> None:
    tracks = make_tracks([{"start": T0, "count": 10, "lat": (35.0, 34.5), "lon": (30.0, 29.0),
                           "alt": (31000, 31000)}])
    flight = tracks.flights.iloc[0]
    assert flight["origin"] is None and flight["origin_name"] == "not inferred"
    assert flight["origin_reason"].startswith("first seen at 31,000 ft")


def test_the_display_line_is_thinned_but_keeps_first_and_last(sample) -> None:
    flight = sample.tracks.flights.iloc[0]
    assert len(flight["display_rows"]) < len(flight["rows"])
    assert flight["display_rows"][0] == flight["rows"][0] and flight["display_rows"][-1] == flight["rows"][-1]


def test_undoing_the_track_batch_removes_its_flights_and_gaps(tmp_path: Path) -> None:
    from layers import cli

    workspace = import_sample_track(tmp_path / "ws")
    assert cli.main(["undo", "b0001", "--workspace", str(workspace)]) == 0
    dataset = load_workspace_dataset(workspace=workspace)
    assert dataset.tracks.flights.empty and dataset.tracks.gaps.empty
