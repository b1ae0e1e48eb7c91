"""The shipped dataset: complete, sourced, and positioned by airportsdata."""

from __future__ import annotations

import pytest

from layers import load_dataset
from layers.airfields import find_airfield
from layers.geodesic import distance_km


@pytest.fixture(scope="module")
def dataset():
    """The shipped data/ folder, validated."""
    return load_dataset()


def test_every_starting_site_event_and_flight_was_kept(dataset) -> None:
    assert len(dataset.sites) >= 28
    assert len(dataset.events) == 64  # 58 converted, 6 added by the 2025-2026 research pass (docs/data.md)
    assert len(dataset.flights) >= 24
    assert set(dataset.flights["record_type"]) == {"individual", "count", "plan"}


def test_airfield_positions_come_from_airportsdata(dataset) -> None:
    with_code = dataset.sites[dataset.sites["icao"].notna()]
    assert len(with_code) >= 20
    for site_id, site in with_code.iterrows():
        airfield = find_airfield(site["icao"])
        offset = distance_km(site.geometry.x, site.geometry.y, airfield.lon, airfield.lat)
        if site["coord_origin"].startswith("airportsdata"):
            assert offset == 0, site_id
        else:
            assert offset <= 2.0, site_id


def test_hand_coordinates_cite_their_source(dataset) -> None:
    hand = dataset.sites[dataset.sites["coord_origin"].str.startswith("hand coordinate")]
    assert hand["coord_source"].str.len().min() > 10


def test_key_sites_are_where_airportsdata_puts_them(dataset) -> None:
    for site_id, code in [("hmeimim", "OSLK"), ("al_khadim", "HL59"), ("benina", "HLLB"), ("al_jufra", "HL69")]:
        point = dataset.sites.geometry[site_id]
        airfield = find_airfield(code)
        assert distance_km(point.x, point.y, airfield.lon, airfield.lat) <= 2.0


def test_every_record_keeps_a_source_and_a_grade(dataset) -> None:
    for frame in (dataset.sites, dataset.site_status, dataset.places, dataset.flights, dataset.events,
                  dataset.corridors, dataset.observations):
        assert frame["sources"].map(len).min() >= 1
        assert set(frame["confidence"]) <= {"high", "medium", "low"}


def test_benghazi_covers_benina_and_al_khadim(dataset) -> None:
    place = dataset.places.loc["benghazi_unnamed"]
    assert set(place["airfields"]) == {"HLLB", "HL59"}
    centre = place.geometry
    for code in ("HLLB", "HL59"):
        airfield = find_airfield(code)
        assert distance_km(centre.x, centre.y, airfield.lon, airfield.lat) <= place["radius_km"]
