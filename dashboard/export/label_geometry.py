"""Vectorised geometry the label placement scores its spots with, in display pixels.

Every candidate spot of every label is tested against all that is on the map; numpy
arrays of boxes and segments keep that fast, and apart from the placement rules they
can be read (and checked) on their own.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def measure_overlap_areas(boxes: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Return the summed overlap of each row of ``boxes`` (x0, y0, x1, y1) with the rows of ``others``."""
    if not len(others):
        return np.zeros(len(boxes))
    width = np.minimum(boxes[:, 2, None], others[None, :, 2]) - np.maximum(boxes[:, 0, None], others[None, :, 0])
    height = np.minimum(boxes[:, 3, None], others[None, :, 3]) - np.maximum(boxes[:, 1, None], others[None, :, 1])
    return np.sum(np.clip(width, 0, None) * np.clip(height, 0, None), axis=1)


def clip_segment_lengths(segments: np.ndarray, boxes: np.ndarray, grow: np.ndarray) -> np.ndarray:
    """Return the length of each segment (x0, y0, x1, y1) inside its box grown by ``grow`` (Liang-Barsky).

    ``segments`` and ``boxes`` are rows that broadcast against each other: many segments
    and one box, or one segment and many boxes.
    """
    segments, boxes = np.broadcast_arrays(np.atleast_2d(segments), np.atleast_2d(boxes))
    grow = np.broadcast_to(grow, (len(segments),))
    start, delta = segments[:, :2], segments[:, 2:] - segments[:, :2]
    t0, t1 = np.zeros(len(segments)), np.ones(len(segments))
    for axis in (0, 1):
        low, high = boxes[:, axis] - grow, boxes[:, axis + 2] + grow
        step, at = delta[:, axis], start[:, axis]
        with np.errstate(divide="ignore", invalid="ignore"):
            ta, tb = (low - at) / step, (high - at) / step
        flat = step == 0
        inside = (at >= low) & (at <= high)
        enter = np.where(flat, np.where(inside, -np.inf, np.inf), np.minimum(ta, tb))
        leave = np.where(flat, np.where(inside, np.inf, -np.inf), np.maximum(ta, tb))
        t0, t1 = np.maximum(t0, enter), np.minimum(t1, leave)
    return np.clip(t1 - t0, 0, None) * np.hypot(delta[:, 0], delta[:, 1])


def measure_distance_to_box(points: np.ndarray, box: Sequence | np.ndarray) -> np.ndarray:
    """Return the distance of each point (rows x, y) to a box (x0, y0, x1, y1), or of one point to many boxes."""
    dx = np.maximum(np.maximum(box[0] - points[:, 0], 0), points[:, 0] - box[2])
    dy = np.maximum(np.maximum(box[1] - points[:, 1], 0), points[:, 1] - box[3])
    return np.hypot(dx, dy)


def measure_distances_to_boxes(points: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Return the distance of each point (rows x, y) to each box (rows x0, y0, x1, y1), one row per box.

    Row ``k`` is ``measure_distance_to_box(points, boxes[k])``, computed for all at once.
    """
    dx = np.maximum(np.maximum(boxes[:, 0, None] - points[None, :, 0], 0), points[None, :, 0] - boxes[:, 2, None])
    dy = np.maximum(np.maximum(boxes[:, 1, None] - points[None, :, 1], 0), points[None, :, 1] - boxes[:, 3, None])
    return np.hypot(dx, dy)


def measure_distance_to_segment(points: np.ndarray, segment: tuple[float, float, float, float]) -> np.ndarray:
    """Return the distance of each point (rows x, y) to the segment (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = segment
    dx, dy = x1 - x0, y1 - y0
    length2 = dx * dx + dy * dy or 1.0
    t = np.clip(((points[:, 0] - x0) * dx + (points[:, 1] - y0) * dy) / length2, 0, 1)
    return np.hypot(points[:, 0] - (x0 + t * dx), points[:, 1] - (y0 + t * dy))


def measure_distances_to_segments(points: np.ndarray, segments: np.ndarray) -> np.ndarray:
    """Return the distance of each point (rows x, y) to each segment (rows x0, y0, x1, y1), one row per segment.

    Row ``k`` is ``measure_distance_to_segment(points, segments[k])``, computed for all at once.
    """
    x0, y0, x1, y1 = (np.asarray(segments, dtype=float).reshape(-1, 4)[:, n, None] for n in range(4))
    dx, dy = x1 - x0, y1 - y0
    length2 = dx * dx + dy * dy
    length2 = np.where(length2 == 0, 1.0, length2)
    px, py = points[None, :, 0], points[None, :, 1]
    t = np.clip(((px - x0) * dx + (py - y0) * dy) / length2, 0, 1)
    return np.hypot(px - (x0 + t * dx), py - (y0 + t * dy))


def find_crossings_between(segments: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Return whether each of ``segments`` properly crosses each row of ``others``, one row per segment."""
    a, b = np.asarray(segments, dtype=float).reshape(-1, 4), np.asarray(others, dtype=float).reshape(-1, 4)
    first = tuple(a[:, n, None] for n in range(4))
    second = tuple(b[None, :, n] for n in range(4))

    def side(line: tuple, px: np.ndarray, py: np.ndarray) -> np.ndarray:
        ax_, ay_, bx, by = line
        return np.sign((bx - ax_) * (py - ay_) - (by - ay_) * (px - ax_))

    across = side(first, second[0], second[1]) * side(first, second[2], second[3])
    back = side(second, first[0], first[1]) * side(second, first[2], first[3])
    return (across < 0) & (back < 0)


def find_crossings(segment: tuple[float, float, float, float], others: np.ndarray) -> np.ndarray:
    """Return whether ``segment`` properly crosses each row of ``others``."""
    def side(line: tuple, px, py):
        ax_, ay_, bx, by = line
        return np.sign((bx - ax_) * (py - ay_) - (by - ay_) * (px - ax_))

    x0, y0, x1, y1 = segment
    rows = (others[:, 0], others[:, 1], others[:, 2], others[:, 3])
    a = side(segment, others[:, 0], others[:, 1]) * side(segment, others[:, 2], others[:, 3])
    b = side(rows, x0, y0) * side(rows, x1, y1)
    return (a < 0) & (b < 0)
