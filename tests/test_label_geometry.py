"""The placement's geometry: distances to segments and crossings, one at a time and many at once.

The briefing map's spread of clustered sites (``cluster_spread``) checks all 32 turns of a
reach at once with the many-at-once forms; they must say exactly what the one-at-a-time
forms say, or a symbol would move to another spot than before.
"""

from __future__ import annotations

import numpy as np

from dashboard.export.label_geometry import (
    find_crossings,
    find_crossings_between,
    measure_distance_to_segment,
    measure_distances_to_segments,
)


def test_a_point_beside_a_segment_is_its_perpendicular_distance_away_and_beyond_an_end_the_ends() -> None:
    points = np.array([[5.0, 3.0], [-3.0, 4.0], [13.0, 0.0]])
    assert measure_distance_to_segment(points, (0.0, 0.0, 10.0, 0.0)).tolist() == [3.0, 5.0, 3.0]
    assert measure_distances_to_segments(points, np.array([[0.0, 0.0, 10.0, 0.0], [0.0, 0.0, 0.0, 0.0]])).tolist() == [
        [3.0, 5.0, 3.0], [float(np.hypot(5, 3)), 5.0, 13.0]]  # a segment of no length is its point


def test_an_x_crosses_and_segments_that_only_touch_or_run_apart_do_not() -> None:
    x = (0.0, 0.0, 2.0, 2.0)
    others = np.array([[0.0, 2.0, 2.0, 0.0], [2.0, 2.0, 3.0, 0.0], [0.0, 1.0, 2.0, 3.0]])
    assert find_crossings(x, others).tolist() == [True, False, False]
    assert find_crossings_between(np.array([x, others[0]]), others).tolist() == [[True, False, False],
                                                                                 [False, False, True]]


def test_many_at_once_are_exactly_the_one_at_a_time_answers() -> None:
    rng = np.random.default_rng(7)
    points = rng.uniform(-50, 50, (40, 2))
    segments = rng.uniform(-50, 50, (25, 4))
    segments[3, 2:] = segments[3, :2]  # one of no length
    distances = measure_distances_to_segments(points, segments)
    crossings = find_crossings_between(segments, segments[::-1])
    for k, segment in enumerate(segments):
        assert np.array_equal(distances[k], measure_distance_to_segment(points, tuple(segment)))
        assert np.array_equal(crossings[k], find_crossings(tuple(segment), segments[::-1]))
