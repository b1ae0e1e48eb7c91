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
# A label's white halo is a copy of it drawn behind, stroked: the label itself stays plain
# text, which the PDF keeps as searchable, selectable text (a text with a path effect is
# written as outlines, so "al-Khadim" could not be found in the PDF).
HALO = [patheffects.Stroke(linewidth=2.8, foreground="white")]
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
    labels: list[Bbox] = []  # the written labels' boxes, which no leader line may cross
    for candidate in sorted(drawn.labels, key=lambda c: c.priority):
        shown = cut_label(candidate)
        own_x, own_y = ax.transData.transform((candidate.x, candidate.y))
        own = (float(own_x), float(own_y))
        best: tuple[tuple[bool, float], Annotation, Bbox, tuple[float, float]] | None = None
        for dx, dy in candidate.prefer + tuple(d for d in DIRECTIONS if d not in candidate.prefer):
            text = _make_text(ax, candidate, shown, dx, dy)
            text.update_positions(renderer)
            box = Text.get_window_extent(text, renderer).expanded(1.04, 1.1)  # the text, not its leader
            inside = (frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1)
            overlap = sum(_overlap_area(box, other) for other in taken)
            if max(abs(dx), abs(dy)) > 1:
                if _nearer_to_another(box, own, anchors):
                    overlap += box.width * box.height  # a far label must sit nearest its own point
                # ...and its leader line must not cross another label.
                overlap += sum(_overlap_area(b, other) for b in _leader_boxes(own, box, scale) for other in labels)
            score = (not inside, overlap)
            if best is None or score < best[0]:
                if best is not None:
                    best[1].remove()
                best = (score, text, box, (dx, dy))
            else:
                text.remove()
            if inside and overlap == 0:
                break
        if best is None:  # only when DIRECTIONS is empty
            continue
        (outside, overlap), text, box, (best_dx, best_dy) = best
        crowded = overlap > MUST_SHOW_OVERLAP * box.width * box.height
        if outside or (overlap and candidate.priority > MUST_SHOW) or crowded:
            text.remove()
            continue
        taken.append(box)
        labels.append(box)
        if text.arrow_patch is not None:  # a far label: later labels keep off its leader line too
            taken += _leader_boxes(own, box, scale)
        _make_text(ax, candidate, shown, best_dx, best_dy, halo=True)
        written.append(shown)
    return written


def _leader_boxes(own: tuple[float, float], box: Bbox, scale: float) -> list[Bbox]:
    """Return small boxes along the leader from a point to its label (display pixels)."""
    end_x, end_y = min(max(own[0], box.x0), box.x1), min(max(own[1], box.y0), box.y1)
    half = 1.5 * scale
    steps = [0.25, 0.45, 0.65, 0.85]
    return [Bbox([[x - half, y - half], [x + half, y + half]])
            for x, y in ((own[0] + t * (end_x - own[0]), own[1] + t * (end_y - own[1])) for t in steps)]


def cut_label(candidate: LabelCandidate) -> str:
    r"""Return the text a label shows: one line (or ``candidate.lines``) of at most ``LABEL_CHARS`` in all.

    Line breaks in the text count only up to ``candidate.lines``; any others (a name with
    a newline in it) are spaces, so data can never stretch a label down the map.

    Examples
    --------
    >>> cut_label(LabelCandidate(0, 0, 0, "RA-82038\n261918Z", lines=2))
    'RA-82038\n261918Z'
    >>> cut_label(LabelCandidate(0, 0, 0, "Hmeimim\nAir Base"))
    'Hmeimim Air Base'
    """
    parts = candidate.text.split("\n", max(candidate.lines, 1) - 1)
    room = (LABEL_CHARS - (len(parts) - 1)) // len(parts)
    return "\n".join(shorten(part, room) for part in parts)


def _make_text(ax: Axes, candidate: LabelCandidate, shown: str, dx: float, dy: float, *,
               halo: bool = False) -> Annotation:
    """Write the label, or (``halo``) its white halo: the same text, stroked, just below it, without leader."""
    offset = max(candidate.clearance_pt, 3.0)
    style = {"fontsize": 9, "color": "#1A1A1A", **candidate.style}
    if halo:
        style["color"] = "white"
    far = max(abs(dx), abs(dy)) > 1
    arrow = {"arrowstyle": "-", "color": "#333333", "linewidth": 0.8, "shrinkA": 1,
             "shrinkB": candidate.clearance_pt * 0.7} if far and candidate.clearance_pt and not halo else None
    return ax.annotate(shown, xy=(candidate.x, candidate.y), xytext=(dx * offset, dy * offset),
                       arrowprops=arrow,
                       textcoords="offset points",
                       ha="left" if dx > 0 else "right" if dx < 0 else "center",
                       va="bottom" if dy > 0 else "top" if dy < 0 else "center_baseline",
                       path_effects=HALO if halo else None, zorder=9.9 if halo else 10, annotation_clip=False,
                       **style)


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
