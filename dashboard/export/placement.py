"""Greedy placement of map labels: each label takes the first free spot around its point.

A label keeps off the labels already written, the symbols (sites, badges, stars, aircraft,
arrowheads), the route lines and the map furniture. Pushed away from its point, it is
joined to it by a thin leader line that runs to the point itself (under the symbol), and
neither the leader nor the label may sit nearer another labelled point than its own, nor
cross another label, leader or symbol: a reader can always tell which symbol a name is
for. A site whose symbol was spread out of a crowded cluster (``cluster_spread``) is
labelled at its symbol, and no leader crosses the tie to its true position. A label of a
place carries the numbers of its footnotes in small blue type at its upper right
(``feature_notes``), unlike the black flight-count badges. What is already on the map is
a ``label_space.LabelSpace``; the overlaps and distances are ``label_geometry``'s.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib import patheffects
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.text import Text

from layers.names import shorten

from dashboard.export.canvas import get_figure
from dashboard.export.feature_notes import PlaceKey, format_note_numbers, format_place_key
from dashboard.export.label_geometry import (
    clip_segment_lengths,
    find_crossings,
    measure_distance_to_box,
    measure_distance_to_segment,
    measure_distances_to_boxes,
    measure_overlap_areas,
)
from dashboard.export.label_space import LEADER_START_CLEAR_PT, LabelBlock, LabelSpace, PlacedLabel, ReadyLabel
from dashboard.export.symbology import DrawnMap, LabelCandidate

# Right, upper right, lower right, left, upper left, lower left, above, below; then the same
# further out, where a thin leader line joins label and point.
NEAR = ((1, 0), (0.8, 0.8), (0.8, -0.8), (-1, 0), (-0.8, 0.8), (-0.8, -0.8), (0, 1), (0, -1))
FAR_FACTOR = 2.6
DIRECTIONS = NEAR + tuple((dx * FAR_FACTOR, dy * FAR_FACTOR) for dx, dy in NEAR)
# A label that must be shown and finds no free spot in DIRECTIONS looks further out, all round.
RING_FACTORS = (4.0, 5.8, 8.0, 11.0)
RING_ANGLES = 16
# A label's white halo is a copy of it drawn behind, stroked: the label itself stays plain
# text, which the PDF keeps as searchable, selectable text (a text with a path effect is
# written as outlines, so "al-Khadim" could not be found in the PDF).
HALO = [patheffects.Stroke(linewidth=2.8, foreground="white")]
MUST_SHOW = 0  # candidates of this priority or better are written however crowded, as ``must_show`` ones
PAD_PT = 1.2  # room kept clear around a label
# A map label longer than this would cover the map (the longest shipped one has 37); cut
# it before it is measured, so a name of thousands of characters costs nothing.
# The full name stays in the footnotes' PDF sources page, the KML and the data exports.
LABEL_CHARS = 60
NOTE_STYLE = {"fontsize": 6.5, "color": "#1F5AA6", "fontweight": "normal", "fontstyle": "normal"}
NOTE_GAP_PT = 0.8  # between a label and its note numbers
NOTE_RAISE_PT = 2.4  # the numbers' top above the label's: a superscript
LEADER_COLOUR = "#333333"
LEADER_PT = 0.8
LEADER_GAP_PT = 1.0  # between a label and the start of its leader
LEADER_ZORDER = 4.8  # over the routes, under the symbols: the leader ends under its own symbol
PASSES = 6  # placements tried at most, each with the labels that found no room first (a spread cluster of
# the route extent takes six; a slide whose first plan is clear tries once)
CROWD_PT = 12.0  # other labelled points this near a spot count against it
DENSE_PT = 40.0  # labelled points this near each other make a cluster, whose labels go first


def place_labels(ax: Axes, drawn: DrawnMap, renderer: RendererBase, avoid: Sequence[Artist] = (),
                 notes: Mapping[PlaceKey, tuple[int, ...]] | None = None) -> list[str]:
    """Write the label candidates of ``drawn`` on ``ax``, each clear of the rest; return what was written.

    Candidates that must be shown (``must_show``, or priority ``MUST_SHOW`` or better)
    go first, then the others, each group in priority order (lower first) and, within
    it, the thickest clusters first. A label takes the spot that covers no label,
    symbol, route line, leader or furniture (the ``avoid`` artists: scale bar, north
    arrow, locator) and is read as its own point's, preferring spots near its point and
    away from other points; schematic corridors it covers only where nothing else is
    free. A label that must be shown looks further out, all round, when nothing near its
    point is free; should it still find no free spot, the labels are placed again with
    it first (up to ``PASSES`` times), and the arrangement that covers least is kept. A
    label that need not be shown and finds no free spot is left out. Labels never leave
    the axes. A label is cut to ``LABEL_CHARS`` with an ellipsis; a place's label is
    followed by the numbers ``notes`` gives its ``key``.

    The artists are named for what reads the figure: ``label:KEY`` (``label:`` for a
    label of no place), ``notes:KEY`` and ``leader:KEY``, KEY as ``format_place_key``.
    """
    scale = get_figure(ax).dpi / 72
    frame = ax.get_window_extent(renderer).extents
    space = LabelSpace.from_drawn(ax, drawn, [artist.get_window_extent(renderer).extents for artist in avoid], scale)
    anchors = [tuple(ax.transData.transform(point)) for point in drawn.anchors_xy]
    anchors += [tuple(ax.transData.transform((c.x, c.y))) for c in drawn.labels if c.clearance_pt]
    anchor_xy = np.array(anchors, dtype=float).reshape(-1, 2)
    notes = notes or {}
    labels = []
    for candidate in drawn.labels:
        shown = cut_label(candidate)
        numbers = format_note_numbers(notes.get(candidate.key, ())) if candidate.key else ""
        own = tuple(float(v) for v in ax.transData.transform((candidate.x, candidate.y)))
        labels.append(ReadyLabel(candidate, shown, numbers, (own[0], own[1]),
                                 _measure(ax, shown, _label_style(candidate), renderer),
                                 _measure(ax, numbers, NOTE_STYLE, renderer) if numbers else None,
                                 _is_required(candidate)))

    def crowding(label: ReadyLabel) -> int:
        return int((np.hypot(anchor_xy[:, 0] - label.own[0], anchor_xy[:, 1] - label.own[1]) < DENSE_PT * scale).sum())

    order = sorted(labels, key=lambda lb: (not lb.required, lb.candidate.priority, -crowding(lb)))
    best: list[PlacedLabel] | None = None
    tried: set[tuple[int, ...]] = set()
    for _ in range(PASSES):
        plan = _plan(order, space.copy(), anchor_xy, frame, scale)
        tried.add(tuple(id(label) for label in order))
        if best is None or _plan_cost(plan) < _plan_cost(best):
            best = plan
        stuck = [placed.label for placed in plan if placed.blocked]
        if not stuck:
            break
        order = stuck + [label for label in order if label not in stuck]
        if tuple(id(label) for label in order) in tried:
            break  # an order placed before: the same plan again (two orders can take turns), nothing to gain
    written = []
    for placed in best or []:
        _write(ax, placed, scale)
        written.append(placed.label.shown)
    return written


def _plan(order: list[ReadyLabel], space: LabelSpace, anchor_xy: np.ndarray, frame: Sequence[float],
          scale: float) -> list[PlacedLabel]:
    """Return where each label goes, in ``order``, each clear of those before it; labels with no room left out."""
    plan = []
    for label in order:
        placed = _place_one(label, space, anchor_xy, frame, scale)
        if placed is None or placed.outside or (placed.blocked and not label.required):
            continue  # no room (or, for a point off the map, no spot on it)
        space.add(placed, scale)
        plan.append(placed)
    return plan


def _plan_cost(plan: list[PlacedLabel]) -> tuple[int, float, int]:
    """Return how bad a plan is: labels that cover something, how much they cover, labels written (fewer is worse)."""
    return sum(bool(p.blocked) for p in plan), sum(p.blocked for p in plan), -len(plan)


def _place_one(label: ReadyLabel, space: LabelSpace, anchor_xy: np.ndarray, frame: Sequence[float],
               scale: float) -> PlacedLabel | None:
    """Return the best spot for ``label`` in ``space`` (None only when there are no directions to try).

    Every direction is scored at once (``_score``, arrays of all the spots); a leader's
    rules (``_count_leader_faults``) are checked only for the spots that could still be
    best, in order of their rank without them: a fault can only make a spot worse.
    """
    candidate, own = label.candidate, label.own
    others = anchor_xy[np.hypot(anchor_xy[:, 0] - own[0], anchor_xy[:, 1] - own[1]) > 1]
    directions = candidate.prefer + tuple(d for d in DIRECTIONS if d not in candidate.prefer)
    if label.required:
        directions += _ring_directions()
    if not directions:
        return None
    offset = max(candidate.clearance_pt, 3.0) * scale
    reach = max(max(abs(dx), abs(dy)) for dx, dy in directions) * offset + label.size[0] + label.size[1] + (
        label.note_size[0] if label.note_size else 0.0) + CROWD_PT * scale
    local = space.around(own[0], own[1], reach)
    blocks = [_lay_out(own, direction, offset, size=label.size, note_size=label.note_size, scale=scale)
              for direction in directions]
    rings = [_ring_of(dx, dy) for dx, dy in directions]
    leaders = [_leader(own, block, scale) if ring and candidate.clearance_pt > 0 else None
               for block, ring in zip(blocks, rings, strict=True)]
    boxes = np.array([block.box for block in blocks], dtype=float)
    outside, blocked, soft, area = _score(boxes, np.array([leader is not None for leader in leaders]), own,
                                          others=others, space=local, frame=frame, scale=scale,
                                          clearance=candidate.clearance_pt * scale)
    crowd = ((measure_distances_to_boxes(others, boxes) < CROWD_PT * scale).sum(axis=1) if len(others)
             else np.zeros(len(boxes), dtype=int))

    # Clear first; then off the corridors; then near its point and away from other points, whose
    # labels need the room (one ring further out is worth two points fewer nearby).
    def rank(index: int, covered: float) -> tuple:
        return (bool(outside[index]), covered > 0, covered, bool(soft[index] > 0),
                int(crowd[index]) + 2 * rings[index], float(soft[index]), index)

    queue = [(rank(index, float(blocked[index])), leaders[index] is None) for index in range(len(blocks))]
    heapq.heapify(queue)
    while True:
        best, final = heapq.heappop(queue)
        index = best[-1]
        leader = leaders[index]
        if final or leader is None:
            return PlacedLabel(label, blocks[index], leader, best[2], bool(outside[index]))
        faults = _count_leader_faults(leader, own, others=others, space=local, scale=scale,
                                      clearance=candidate.clearance_pt * scale)
        heapq.heappush(queue, (rank(index, best[2] + float(area[index]) * faults), True))


def _is_required(candidate: LabelCandidate) -> bool:
    return candidate.must_show or candidate.priority <= MUST_SHOW


def _ring_of(dx: float, dy: float) -> int:
    """Return how far out a direction lies: 0 beside the point, 1 at ``FAR_FACTOR``, then each of ``RING_FACTORS``."""
    reach = max(abs(dx), abs(dy))
    if reach <= 1:
        return 0
    return 1 + sum(reach > factor * 0.99 for factor in RING_FACTORS)


def _ring_directions() -> tuple[tuple[float, float], ...]:
    """Return directions all round at each of ``RING_FACTORS``, starting east, counter-clockwise."""
    return tuple((factor * math.cos(2 * math.pi * k / RING_ANGLES), factor * math.sin(2 * math.pi * k / RING_ANGLES))
                 for factor in RING_FACTORS for k in range(RING_ANGLES))


def _label_style(candidate: LabelCandidate) -> dict:
    return {"fontsize": 9, "color": "#1A1A1A", **candidate.style}


def _measure(ax: Axes, text: str, style: dict, renderer: RendererBase) -> tuple[float, float]:
    """Return the (width, height) in display pixels of ``text`` in ``style``."""
    artist = ax.text(0, 0, text, ha="left", va="bottom", **style)
    extent = Text.get_window_extent(artist, renderer)
    artist.remove()
    return extent.width, extent.height


def _lay_out(own: tuple[float, float], direction: tuple[float, float], offset: float, *, size: tuple[float, float],
             note_size: tuple[float, float] | None, scale: float) -> LabelBlock:
    """Return the label (and its numbers) set off ``offset`` pixels from ``own`` in direction (dx, dy).

    The whole block is aligned on the side it lies: its left edge to the right of the
    point, its top below it, its middle straight above or below.
    """
    dx, dy = direction
    width, height = size
    raise_px = NOTE_RAISE_PT * scale if note_size else 0.0
    total_w = width + (NOTE_GAP_PT * scale + note_size[0] if note_size else 0.0)
    total_h = height + raise_px
    unit = math.hypot(dx, dy) or 1.0
    ax_, ay_ = own[0] + dx * offset, own[1] + dy * offset
    x0 = ax_ if dx / unit > 0.3 else ax_ - total_w if dx / unit < -0.3 else ax_ - total_w / 2
    y0 = ay_ if dy / unit > 0.3 else ay_ - total_h if dy / unit < -0.3 else ay_ - height / 2
    label = (x0, y0, x0 + width, y0 + height)
    if not note_size:
        return LabelBlock(label, None, label)
    nx0, top = x0 + width + NOTE_GAP_PT * scale, y0 + height + raise_px
    notes = (nx0, top - note_size[1], nx0 + note_size[0], top)
    return LabelBlock(label, notes, (x0, min(y0, notes[1]), notes[2], top))


def _leader(own: tuple[float, float], block: LabelBlock, scale: float) -> tuple[float, float, float, float]:
    """Return the leader from the label's nearest point to its own point (x0, y0, x1, y1 pixels).

    It leaves from the whole block (label and numbers), so it never runs through its own numbers.
    """
    x0, y0, x1, y1 = block.box
    sx, sy = min(max(own[0], x0), x1), min(max(own[1], y0), y1)
    length = math.hypot(own[0] - sx, own[1] - sy) or 1.0
    gap = min(LEADER_GAP_PT * scale, length / 2)
    return (sx + (own[0] - sx) * gap / length, sy + (own[1] - sy) * gap / length, own[0], own[1])


def _score(boxes: np.ndarray, with_leader: np.ndarray, own: tuple[float, float], *, others: np.ndarray,
           space: LabelSpace, frame: Sequence[float], scale: float,
           clearance: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return, for each spot's block ``boxes`` (rows x0, y0, x1, y1), what it would cover, leaders aside.

    The arrays are: outside the map; the area covering what must stay clear (symbols,
    furniture, labels, hard lines, or a spot read as another point's); the area covering
    soft lines; and the area of the block with its pad, which each broken rule of its
    leader adds to the second.
    """
    pad = PAD_PT * scale
    grown = boxes + np.array([-pad, -pad, pad, pad])
    outside = ~((frame[0] <= boxes[:, 0]) & (boxes[:, 2] <= frame[2]) & (frame[1] <= boxes[:, 1])
                & (boxes[:, 3] <= frame[3]))
    area = (grown[:, 2] - grown[:, 0]) * (grown[:, 3] - grown[:, 1])
    blocked = measure_overlap_areas(grown, space.boxes)
    if clearance and len(others):
        # Beside a point, a label is read as the nearest point's; on a leader, as long as it
        # does not sit where another point's label would.
        gap = measure_distances_to_boxes(others, boxes).min(axis=1)
        own_gap = measure_distances_to_boxes(np.array([own]), boxes)[:, 0]
        blocked = blocked + np.where(gap < np.where(with_leader, clearance + 1, own_gap + 1), area, 0.0)
    soft = np.zeros(len(boxes))
    if len(space.segments):
        count = len(space.segments)
        covered = clip_segment_lengths(np.tile(space.segments, (len(boxes), 1)), np.repeat(grown, count, axis=0),
                                       np.tile(space.widths, len(boxes))).reshape(len(boxes), count)
        covered *= 2 * space.widths
        blocked = blocked + covered[:, ~space.soft].sum(axis=1)
        soft = covered[:, space.soft].sum(axis=1)
    return outside, blocked, soft, area


def _count_leader_faults(leader: tuple[float, float, float, float], own: tuple[float, float], *, others: np.ndarray,
                         space: LabelSpace, scale: float, clearance: float) -> int:
    """Return how many of the leader's rules a leader breaks (0 when it reads unmistakably)."""
    faults = 0
    segment = np.array([leader])
    if len(space.labels) and (clip_segment_lengths(segment, space.labels, np.zeros(len(space.labels))).any()
                              or measure_distance_to_box(segment[:, :2], space.labels.T).min()
                              < LEADER_START_CLEAR_PT * scale):
        faults += 1  # crosses a label, or starts so near one that it seems to leave from it
    if len(space.leaders) and find_crossings(leader, space.leaders).any():
        faults += 1  # crosses another leader
    # What shows of it: from the label to the edge of its own symbol, which it runs under.
    # That part passes over no other symbol (symbols that would overlap are spread apart, see
    # ``cluster_spread``), and meets its own symbol nearer that point than any other.
    sx, sy, _, _ = leader
    length = math.hypot(own[0] - sx, own[1] - sy) or 1.0
    inside = min(max(clearance - 2 * scale, 0.0), length)  # a site's clearance is its half size and 2 pt
    edge = (own[0] + (sx - own[0]) * inside / length, own[1] + (sy - own[1]) * inside / length)
    # (Badges and stars it may pass under: they name no place, and it shows again beyond them.)
    if len(others) and (measure_distance_to_segment(others, (sx, sy, *edge)) < clearance - scale).any():
        faults += 1  # runs over another labelled point's symbol
    elif len(others) and np.hypot(others[:, 0] - edge[0], others[:, 1] - edge[1]).min() < inside:
        faults += 1  # meets its symbol on the side of another
    return faults


def _write(ax: Axes, placed: PlacedLabel, scale: float) -> None:
    """Draw the label, its numbers and its leader where ``placed`` says, each text over a white halo."""
    label, block, leader = placed.label, placed.block, placed.leader
    candidate, shown, numbers, own = label.candidate, label.shown, label.numbers, label.own
    name = format_place_key(candidate.key) if candidate.key else ""
    style = _label_style(candidate)
    # Lines of a two-line label line up on the side facing the point.
    align = "left" if block.label[0] >= own[0] else "right" if block.label[2] <= own[0] else "center"
    parts = [(shown, block.label, style, f"label:{name}", 10.0)]
    if numbers and block.notes is not None:
        parts.append((numbers, block.notes, NOTE_STYLE, f"notes:{name}", 10.05))
    for text, (x0, y0, _, _), part_style, gid, zorder in parts:
        offset = ((x0 - own[0]) / scale, (y0 - own[1]) / scale)
        for halo in (True, False):
            ax.annotate(text, xy=(candidate.x, candidate.y), xytext=offset, textcoords="offset points",
                        ha="left", va="bottom", multialignment=align, annotation_clip=False,
                        path_effects=HALO if halo else None, zorder=zorder - 0.1 if halo else zorder,
                        gid="halo" if halo else gid, **{**part_style, **({"color": "white"} if halo else {})})
    if leader is not None:
        to_data = ax.transData.inverted()
        (sx, sy), _ = to_data.transform([leader[:2], leader[2:]])
        ax.plot([sx, candidate.x], [sy, candidate.y], color=LEADER_COLOUR, linewidth=LEADER_PT, zorder=LEADER_ZORDER,
                solid_capstyle="butt", gid=f"leader:{name}",
                path_effects=[patheffects.withStroke(linewidth=LEADER_PT + 1.6, foreground="white", alpha=0.8)])


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

