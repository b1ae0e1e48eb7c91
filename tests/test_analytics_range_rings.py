"""Range rings: every vertex at the documented range from the site (checked with pyproj), one ring per figure."""

from __future__ import annotations

import pytest
import shapely
from pyproj import Geod

from layers.analytics.range_rings import build_range_ring, build_range_ring_layer, list_range_figures
from layers.dataset import load_dataset
from tests.analytics_cases import MINI

GEOD = Geod(ellps="WGS84")


@pytest.mark.parametrize("radius_km", [500.0, 4500.0, 16500.0])
def test_every_vertex_of_a_ring_is_at_the_radius(radius_km: float) -> None:
    lon, lat = 35.9487, 35.4011  # Hmeimim (OSLK)
    ring = build_range_ring(lon, lat, radius_km)
    coords = shapely.get_coordinates(ring)
    distances = GEOD.inv([lon] * len(coords), [lat] * len(coords), coords[:, 0], coords[:, 1])[2]
    # The vertices made by pyproj.fwd are exact; the densified ones between them stay within 0.5 %.
    assert max(abs(d / 1000 - radius_km) for d in distances) <= radius_km * 0.005


def test_a_ring_that_crosses_the_antimeridian_is_split_there() -> None:
    ring = build_range_ring(35.9487, 35.4011, 16500.0)
    assert ring.geom_type == "MultiLineString"
    assert all(-180 <= x <= 180 for x in shapely.get_coordinates(ring)[:, 0])


def test_the_layer_has_one_ring_per_documented_range_with_its_source() -> None:
    layer = build_range_ring_layer(load_dataset(MINI), "hmeimim", "An-124-100")
    figures = list_range_figures("A124")
    assert list(layer["range_km"]) == [f.km for f in figures]
    assert [s[0] for s in layer["sources"]] == [f.source for f in figures]
    assert set(layer["layer"]) == {"range_ring"} and layer.crs == "EPSG:4326"


def test_a_type_without_documented_ranges_gives_no_ring() -> None:
    assert build_range_ring_layer(load_dataset(MINI), "hmeimim", "cargo plane").empty


def test_an_unknown_site_and_an_impossible_radius_are_refused() -> None:
    with pytest.raises(KeyError, match="not a site"):
        build_range_ring_layer(load_dataset(MINI), "nowhere", "Il-76")
    with pytest.raises(ValueError, match="radius"):
        build_range_ring(0.0, 0.0, 25_000.0)
