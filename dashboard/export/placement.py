"""Greedy placement of map labels: each label takes the first free spot around its point."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib import patheffects
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

from layers.names import shorten

from dashboard.export.canvas import get_figure
from dashboard.export.symbology import DrawnMap, LabelCandidate

# Right, upper right, lower right, left, upper left, lower left, above, below; then the same
# further out, where a thin leader line joins label and point.
NEAR = ((1, 0), (0.8, 0.8), (0.8, -0.8), (-1, 0), (-0.8, 0.8), (-0.8, -0.8), (0, 1), (0, -1))
FAR_FACTOR = 2.6
DIRECTIONS = NEAR + tuple((dx * FAR_FACTOR, dy * FAR_FACTOR) for dx, dy in NEAR)
HALO = [patheffects.withStroke(linewidth=2.8, foreground="white")]
MUST_SHOW = 0  # candidates of this priority or better are written even where a little crowded
MUST_SHOW_OVERLAP = 0.25  # ...as long as they are covered by no more than this share of their area
# A map label longer than this would cover the map (the longest shipped one has 37); cut
# it before it is measured 16 times, so a name of thousands of characters costs nothing.
# The full name stays in the footnotes' PDF sources page, the KML and the data exports.
LABEL_CHARS = 60


def place_labels(ax: Axes, drawn: DrawnMap, renderer: RendererBase, avoid: Sequence[Artist] = ()) -> list[str]:
    """Write the label candidates of ``drawn`` on ``ax`` without overlaps; return what was written.

    Candidates go in priority order (lower first). A label that finds no free spot is
    left out, unless its priority is ``MUST_SHOW`` or better: then it takes the spot
    overlapping least, if that hides at most a quarter of it. Labels never leave the axes,
    nor cover the ``avoid`` artists (scale bar, north arrow, locator). A label is cut to
    ``LABEL_CHARS`` with an ellipsis.
    """
    scale = get_figure(ax).dpi / 72
    taken: list[Bbox] = []
    for x, y, radius in drawn.obstacles_xy:
        cx, cy = ax.transData.transform((x, y))
        r = radius * scale
        taken.append(Bbox([[cx - r, cy - r], [cx + r, cy + r]]))
    taken += [artist.get_window_extent(renderer) for artist in avoid]
    frame = ax.get_window_extent(renderer)
    anchors = [tuple(ax.transData.transform(point)) for point in drawn.anchors_xy]
    written = []
    for candidate in sorted(drawn.labels, key=lambda c: c.priority):
        shown = shorten(candidate.text, LABEL_CHARS)
        own_x, own_y = ax.transData.transform((candidate.x, candidate.y))
        own = (float(own_x), float(own_y))
        best: tuple[tuple[bool, float], Annotation, Bbox] | None = None
        for dx, dy in DIRECTIONS:
            text = _make_text(ax, candidate, shown, dx, dy)
            text.update_positions(renderer)
            box = Text.get_window_extent(text, renderer).expanded(1.04, 1.1)  # the text, not its leader
            inside = (frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1)
            overlap = sum(_overlap_area(box, other) for other in taken)
            if max(abs(dx), abs(dy)) > 1 and _nearer_to_another(box, own, anchors):
                overlap += box.width * box.height  # a far label must sit nearest its own point
            score = (not inside, overlap)
            if best is None or score < best[0]:
                if best is not None:
                    best[1].remove()
                best = (score, text, box)
            else:
                text.remove()
            if inside and overlap == 0:
                break
        if best is None:  # only when DIRECTIONS is empty
            continue
        (outside, overlap), text, box = best
        crowded = overlap > MUST_SHOW_OVERLAP * box.width * box.height
        if outside or (overlap and candidate.priority > MUST_SHOW) or crowded:
            text.remove()
            continue
        taken.append(box)
        written.append(shown)
    return written


def _make_text(ax: Axes, candidate: LabelCandidate, shown: str, dx: float, dy: float) -> Annotation:
    offset = max(candidate.clearance_pt, 3.0)
    style = {"fontsize": 9, "color": "#1A1A1A", **candidate.style}
    far = max(abs(dx), abs(dy)) > 1
    arrow = {"arrowstyle": "-", "color": "#333333", "linewidth": 0.8, "shrinkA": 1,
             "shrinkB": candidate.clearance_pt * 0.7} if far and candidate.clearance_pt else None
    return ax.annotate(shown, xy=(candidate.x, candidate.y), xytext=(dx * offset, dy * offset),
                       arrowprops=arrow,
                       textcoords="offset points",
                       ha="left" if dx > 0 else "right" if dx < 0 else "center",
                       va="bottom" if dy > 0 else "top" if dy < 0 else "center_baseline",
                       path_effects=HALO, zorder=10, annotation_clip=False, **style)


def _nearer_to_another(box: Bbox, own: tuple[float, float], anchors: list[tuple[float, float]]) -> bool:
    """Return whether some other labelled point is nearer to the label than its own point."""
    def distance(point: tuple[float, float]) -> float:
        dx = max(box.x0 - point[0], 0, point[0] - box.x1)
        dy = max(box.y0 - point[1], 0, point[1] - box.y1)
        return (dx * dx + dy * dy) ** 0.5

    mine = distance(own)
    return any(distance(p) < mine for p in anchors if (p[0] - own[0]) ** 2 + (p[1] - own[1]) ** 2 > 1)


def _overlap_area(a: Bbox, b: Bbox) -> float:
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    return width * height if width > 0 and height > 0 else 0.0
