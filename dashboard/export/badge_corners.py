"""Where a badge, star or eye goes around its place: the first corner that reads as the place's own.

A symbol drawn beside a place (its flight count, events, observations) must not seem to
belong to a neighbour; choosing its corner is plain geometry on what the map has drawn so
far (map metres), apart from the drawing itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dashboard.export.site_marker import SITE_MARKER_PT

BADGE_OFFSET_PT = 9.5  # from a place to the middle of its badge, star or eye, along each axis
# The corners a badge may take around its place (x, y signs), each badge's own first.
CORNERS = ((1, 1), (-1, 1), (-1, -1), (1, -1))


def choose_corner(x: float, y: float, first: tuple[int, int], *, size_pt: float,
                  anchors_xy: Sequence[tuple[float, float]], obstacles_xy: Sequence[tuple[float, float, float]],
                  metres_per_pt: float) -> tuple[float, float]:
    """Return where a place's badge goes (x, y in badge offsets) so that it is unmistakably the place's.

    The first corner, from ``first`` on, whose badge is nearer its own place than any
    other labelled point and clear of their symbols. Where points crowd so that no corner
    is (a small-scale map), the badge moves in towards its place, as far out as it may
    be and still be nearer its own place than any other, onto the place at worst.
    """
    shift = BADGE_OFFSET_PT * metres_per_pt
    clear = (SITE_MARKER_PT / 2 + size_pt / 2) * metres_per_pt
    others = np.array([p for p in anchors_xy if (p[0] - x) ** 2 + (p[1] - y) ** 2 > metres_per_pt ** 2])
    # The badges already drawn at this place and its neighbours: no two on one spot.
    badges = np.array([(bx, by, r * metres_per_pt) for bx, by, r in obstacles_xy
                       if (bx - x) ** 2 + (by - y) ** 2 > metres_per_pt ** 2]).reshape(-1, 3)
    start = CORNERS.index(first)
    corners = CORNERS[start:] + CORNERS[:start]
    # ...and, apart, those that are not a labelled point's own symbol (badges, stars, arrowheads).
    marks = badges[[not any(abs(bx - ax_) < metres_per_pt and abs(by - ay) < metres_per_pt
                            for ax_, ay in anchors_xy) for bx, by, _ in badges]] if len(badges) else badges

    def is_free(bx: float, by: float, among: np.ndarray = badges) -> bool:
        return not len(among) or bool(np.all(np.hypot(among[:, 0] - bx, among[:, 1] - by)
                                             > among[:, 2] + size_pt / 2 * metres_per_pt))

    for sx, sy in corners:
        bx, by = x + sx * shift, y + sy * shift
        if is_free(bx, by) and (not len(others) or float(np.min(np.hypot(others[:, 0] - bx, others[:, 1] - by)))
                                > max(clear, np.hypot(bx - x, by - y))):
            return sx, sy
    if not len(others):
        return first
    for fraction in (1.0, 0.75, 0.5, 0.25):
        for sx, sy in corners:
            bx, by = x + sx * shift * fraction, y + sy * shift * fraction
            own = np.hypot(bx - x, by - y)
            nearest = float(np.min(np.hypot(others[:, 0] - bx, others[:, 1] - by)))
            if is_free(bx, by, marks) and nearest > own + metres_per_pt:
                return sx * fraction, sy * fraction
    return 0.0, 0.0
