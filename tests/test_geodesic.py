"""Geodesic routes: lengths match pyproj, segments stay short, the antimeridian splits."""

from __future__ import annotations

import itertools

import pytest
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString

from layers.geodesic import build_geodesic_line, find_spherical_centre, measure_line_km

GEOD = Geod(ellps="WGS84")
HMEIMIM = (35.9487, 35.4011)
AL_KHADIM = (21.1918, 31.9985)
CHKALOVSKY = (38.0617, 55.8783)
BAMAKO = (-7.94994, 12.5335)


def segment_lengths_km(line: LineString) -> list[float]:
    """Return the geodesic length of every straight segment of a line."""
    coords = list(line.coords)
    return [GEOD.inv(*a, *b)[2] / 1000 for a, b in itertools.pairwise(coords)]


@pytest.mark.parametrize(("start", "end", "expected_km"), [
    (HMEIMIM, AL_KHADIM, 1417.6),      # the Syria-Libya shuttle, ~1,415 km (domain notes)
    (CHKALOVSKY, HMEIMIM, 2293.0),     # ~2,280 km great circle (domain notes)
    (AL_KHADIM, BAMAKO, 3680.0),       # ~3,680 km (domain notes)
])
def test_route_length_matches_pyproj_within_half_a_percent(start, end, expected_km) -> None:
    line = build_geodesic_line([start, end])
    reference_km = GEOD.inv(*start, *end)[2] / 1000
    assert measure_line_km(line) == pytest.approx(reference_km, rel=0.005)
    assert reference_km == pytest.approx(expected_km, rel=0.01)


def test_no_segment_is_longer_than_100_km() -> None:
    line = build_geodesic_line([CHKALOVSKY, HMEIMIM, AL_KHADIM, BAMAKO])
    assert max(segment_lengths_km(line)) <= 100.0
    assert line.coords[0] == CHKALOVSKY and line.coords[-1] == BAMAKO


def detour_km(start: tuple[float, float], via: tuple[float, float], end: tuple[float, float]) -> float:
    """Return how much longer start -> via -> end is than start -> end."""
    return (GEOD.inv(*start, *via)[2] + GEOD.inv(*via, *end)[2] - GEOD.inv(*start, *end)[2]) / 1000


def test_every_vertex_lies_on_the_geodesic() -> None:
    line = build_geodesic_line([CHKALOVSKY, AL_KHADIM])
    assert max(detour_km(CHKALOVSKY, v, AL_KHADIM) for v in line.coords) < 0.5
    # The naive straight line in lon/lat would leave the geodesic by far more.
    naive_middle = ((CHKALOVSKY[0] + AL_KHADIM[0]) / 2, (CHKALOVSKY[1] + AL_KHADIM[1]) / 2)
    assert detour_km(CHKALOVSKY, naive_middle, AL_KHADIM) > 5


def test_line_crossing_the_antimeridian_is_split_at_180() -> None:
    line = build_geodesic_line([(170.0, 60.0), (-170.0, 62.0)])
    assert isinstance(line, MultiLineString) and len(line.geoms) == 2
    west, east = line.geoms
    assert west.coords[-1][0] == 180.0 and east.coords[0][0] == -180.0
    assert west.coords[-1][1] == pytest.approx(east.coords[0][1])
    assert measure_line_km(line) == pytest.approx(GEOD.inv(170, 60, -170, 62)[2] / 1000, rel=0.005)


def test_centre_of_two_points_is_between_them() -> None:
    lon, lat = find_spherical_centre([(20.2695, 32.0968), (21.1918, 31.9985)])
    assert 20.2695 < lon < 21.1918 and 31.9985 < lat < 32.0968


def test_centre_across_the_antimeridian_is_not_on_the_far_side() -> None:
    lon, _ = find_spherical_centre([(179.0, 0.0), (-179.0, 0.0)])
    assert abs(lon) == pytest.approx(180.0)
