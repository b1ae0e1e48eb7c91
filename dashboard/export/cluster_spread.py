"""Site symbols that would sit on one another are spread apart, each tied to its true position.

On a small-scale slide two sites a few kilometres apart (Kobani and Sarrin, Tamanhint and
Sabha) fall within a symbol's width of each other: drawn where they are, one hides the
other and no label or leader can say which is which. Such a cluster is drawn as the
cartographer's spider: the symbols opened out around the cluster's centre, in the order
they lie around it, each joined by a thin line (its tie) to a small ringed dot at its
true position, so every symbol, its label and its true point read as one. Sites clear of every other keep
their true positions. The geometry is in page points; ``draw_true_position`` draws a tie.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes

from dashboard.export.label_geometry import find_crossings_between, measure_distances_to_segments
from dashboard.export.site_marker import GRADE_DISC_PT, GRADE_SHIFT, SITE_MARKER_PT

CLUSTER_BELOW_PT = SITE_MARKER_PT  # sites whose centres are nearer than a symbol's width are spread
SPACING_PT = SITE_MARKER_PT + 2.5  # between the centres of spread symbols: the shapes and their halos apart
# A spread symbol sits this far from its true position at least, so the dot shows beside it.
TIE_MIN_PT = SITE_MARKER_PT / 2 + 5.0
SYMBOL_CLEAR_PT = SITE_MARKER_PT / 2 + 1.0  # a tie or a true dot keeps this far from another site's centre
CENTRE_PT = 0.5  # a site this near its cluster's centre has no side of its own
PASSES = 4  # spreads tried at most, each with the sites that found no clear spot first
REACH_FACTORS = (1.0, 1.25, 1.5, 1.8, 2.2, 2.7, 3.3)  # of TIE_MIN_PT: how far out a symbol may go, nearest first
TURNS = tuple(sorted((math.pi * k / 16 for k in range(-16, 16)), key=abs))  # off its direction, least first
# A symbol's grade letter sits at its lower right (``site_marker``): a tie leaving that way
# would run under it, so a spot up and left of the true point is taken only when no other is.
GRADE_SIDE = math.atan2(1, -1)  # the direction from the true point to a symbol whose tie would leave lower right
GRADE_SIDE_WIDTH = math.radians(35)  # the disc covers rays within about 31 degrees of it
GRADE_AT = np.array([GRADE_SHIFT, -GRADE_SHIFT]) * SITE_MARKER_PT  # that disc, from the symbol's centre
NO_OFFSET = np.zeros(2)  # a point counted where it is (no grade-letter shift)
GRADE_SIDE_COST = 3.0  # as much as turning 120 degrees off the site's own direction
TIE_PT = 0.7
DOT_PT = 3.4  # white with a dark ring: it shows on the black route lines that end there
GRADE_CLEAR_PT = GRADE_DISC_PT + DOT_PT / 2 + 0.5  # a tie or a true dot keeps this far from a grade letter's centre
# How far from a mover's true point anything its spot could touch may lie: its spot, and any
# other spread symbol, is at most the longest reach from its own true point, and no rule
# looks further than the widest clearance. Only sites and places this near are checked.
NEAR_PT = (2 * REACH_FACTORS[-1] * TIE_MIN_PT
           + max(SPACING_PT, SYMBOL_CLEAR_PT, GRADE_CLEAR_PT + float(np.hypot(*GRADE_AT))) + 1.0)
TIE_COLOUR = "#1A1A1A"
SPREAD_LABEL = "Sites too close to draw apart: symbol set off, line to a dot at the true position"
TIE_ZORDER = 4.9  # over the routes (which end at the true position), under the symbols


def spread_clusters(points_pt: np.ndarray, keep_clear_pt: np.ndarray | None = None) -> np.ndarray:
    """Return where each site's symbol is drawn (rows x, y in page points) so that no two overlap.

    Sites nearer each other than ``CLUSTER_BELOW_PT`` form clusters (with whatever is that
    near any member). Each member's symbol moves out from its cluster's centre, in the
    direction its site lies from it (sites on the centre take the widest gaps), to the
    nearest spot at least ``TIE_MIN_PT`` from its true point where it covers no other
    symbol (``SPACING_PT`` apart), no true point and no tie, and its own tie runs under no
    other symbol and crosses no other tie: so the cluster opens like a ring around its
    centre, keeping the sites' order around it. Nor does a spread symbol or tie cover a
    point of ``keep_clear_pt`` (named places' centres, whose labels' leaders end there).
    Every other site keeps its point.

    Examples
    --------
    >>> spread_clusters(np.array([[0.0, 0.0], [4.0, 0.0], [100.0, 0.0]])).round(1).tolist()
    [[-10.5, 0.0], [14.5, 0.0], [100.0, 0.0]]
    """
    true = np.asarray(points_pt, dtype=float).reshape(-1, 2)
    keep = np.empty((0, 2)) if keep_clear_pt is None else np.asarray(keep_clear_pt, dtype=float).reshape(-1, 2)
    clusters = _find_clusters(true)
    wanted = {}
    for members in clusters:
        wanted.update(_choose_directions(true[members], members))
    # The sites furthest from their cluster's centre first: they have a side of their own to go to.
    order = sorted(wanted, key=lambda i: -wanted[i][1])
    near = {i: _find_near(true[i], true, skip=i) for i in wanted}
    near_keep = {i: keep[_find_near(true[i], keep)] for i in wanted}
    best: tuple[int, np.ndarray] | None = None
    tried: set[tuple[int, ...]] = set()
    for _ in range(PASSES):
        shown, stuck = _spread_in_order(order, wanted, true, near, near_keep)
        tried.add(tuple(order))
        if best is None or len(stuck) < best[0]:
            best = (len(stuck), shown)
        if not stuck:
            break
        order = stuck + [i for i in order if i not in stuck]  # those left with no clear spot choose first
        if tuple(order) in tried:
            break  # spread in this order before: the same spots again
    return best[1] if best is not None else true.copy()


def _find_near(point: np.ndarray, points: np.ndarray, skip: int = -1) -> np.ndarray:
    """Return the indices of ``points`` within ``NEAR_PT`` of ``point``, ``skip`` left out: all a spot there touches."""
    index = np.flatnonzero(np.hypot(*(points - point).T) <= NEAR_PT) if len(points) else np.empty(0, dtype=int)
    return index[index != skip]


def _spread_in_order(order: list[int], wanted: dict[int, tuple[float, float]], true: np.ndarray,
                     near: Mapping[int, np.ndarray],
                     near_keep: Mapping[int, np.ndarray]) -> tuple[np.ndarray, list[int]]:
    """Return the symbols' spots with the movers placed in ``order``, and the movers that found no clear spot."""
    shown = true.copy()
    placed = np.ones(len(true), dtype=bool)
    placed[order] = False
    stuck = []
    for i in order:
        shown[i] = _choose_spot(i, wanted[i][0], true, shown, placed, others=near[i], keep=near_keep[i])
        if _count_faults(i, shown[i], true, shown, placed, others=near[i], keep=near_keep[i])[0]:
            stuck.append(i)
        placed[i] = True
    return shown, stuck


def _find_clusters(points: np.ndarray) -> list[list[int]]:
    """Return the groups of two or more sites linked by distances under ``CLUSTER_BELOW_PT``."""
    distance = np.hypot(*(points[:, None, :] - points[None, :, :]).transpose(2, 0, 1))
    group = list(range(len(points)))

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for i, j in zip(*np.nonzero(np.triu(distance < CLUSTER_BELOW_PT, k=1)), strict=True):
        group[root(int(j))] = root(int(i))
    found: dict[int, list[int]] = {}
    for i in range(len(points)):
        found.setdefault(root(i), []).append(i)
    return [members for members in found.values() if len(members) > 1]


def _choose_directions(true: np.ndarray, members: list[int]) -> dict[int, tuple[float, float]]:
    """Return each member's direction out of its cluster (radians) and its distance from the centre (points)."""
    offsets = true - true.mean(axis=0)
    reach = np.hypot(*offsets.T)
    angles: dict[int, float] = {k: math.atan2(offsets[k, 1], offsets[k, 0]) for k in range(len(true))
                                if reach[k] > CENTRE_PT}
    for k in range(len(true)):
        if k in angles:
            continue
        # On the centre: the middle of the widest gap between the directions taken (east on an empty ring).
        taken = sorted(angles.values())
        if not taken:
            angles[k] = 0.0
            continue
        gaps = [((taken[(n + 1) % len(taken)] - a) % (2 * math.pi) or 2 * math.pi, a) for n, a in enumerate(taken)]
        width, start = max(gaps)
        angles[k] = start + width / 2
    return {members[k]: (angles[k], float(reach[k])) for k in range(len(true))}


def _choose_spot(i: int, direction: float, true: np.ndarray, shown: np.ndarray, placed: np.ndarray, *,
                 others: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Return the spot for site ``i``'s symbol: readable and clear of what is placed, nearest its direction.

    The fewest faults first, then the lowest cost; of equals, the first in ``TURNS`` order
    (the least turn) and the nearest reach.
    """
    angles = [direction + turn for turn in TURNS]
    units = np.array([[math.cos(angle), math.sin(angle)] for angle in angles])
    bends = [2 * (1 - math.cos(turn)) for turn in TURNS]
    behind = [GRADE_SIDE_COST if abs(math.remainder(angle - GRADE_SIDE, 2 * math.pi)) < GRADE_SIDE_WIDTH else 0.0
              for angle in angles]
    best, best_rank = shown[i], (math.inf, math.inf)
    for factor in REACH_FACTORS:
        spots = true[i] + factor * TIE_MIN_PT * units
        faults = _count_faults(i, spots, true, shown, placed, others=others, keep=keep)
        ranks = [(int(fault), factor + bend + grade) for fault, bend, grade in zip(faults, bends, behind, strict=True)]
        chosen = min(range(len(ranks)), key=ranks.__getitem__)  # the first of the lowest
        if ranks[chosen] < best_rank:
            best, best_rank = spots[chosen], ranks[chosen]
        if best_rank[0] == 0:
            break  # a clear spot at this reach: none further out is nearer
    return best


def _count_faults(i: int, spots: np.ndarray, true: np.ndarray, shown: np.ndarray, placed: np.ndarray, *,
                  others: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Return how many of the spread's rules each of ``spots`` (rows x, y) would break for site ``i``.

    0 where the symbol would read unmistakably. ``others`` and ``keep`` are the sites and
    named places near enough to matter (``NEAR_PT``).
    """
    spots = np.asarray(spots, dtype=float).reshape(-1, 2)
    symbols = shown[others[placed[others]]]
    moved = others[placed[others] & (np.hypot(*(shown[others] - true[others]).T) > 0)]
    ties = np.hstack([spots, np.broadcast_to(true[i], spots.shape)])
    near_true = true[others]

    def count_within(points: np.ndarray, limit: float, offset: np.ndarray = NO_OFFSET) -> np.ndarray:
        gaps = np.hypot(points[None, :, 0] - spots[:, 0, None] - offset[0],
                        points[None, :, 1] - spots[:, 1, None] - offset[1])
        return (gaps < limit).sum(axis=1)

    faults = count_within(symbols, SPACING_PT)  # on another symbol
    faults += count_within(near_true, SYMBOL_CLEAR_PT)  # on a true point
    # ...or its grade letter on one (taken as on every symbol: most sites have one).
    faults += count_within(near_true, GRADE_CLEAR_PT, GRADE_AT)
    if len(symbols):
        faults += (measure_distances_to_segments(symbols, ties) < SYMBOL_CLEAR_PT).sum(axis=1)  # its tie under one
        faults += (measure_distances_to_segments(symbols + GRADE_AT, ties) < GRADE_CLEAR_PT).sum(axis=1)
    if len(keep):
        faults += count_within(keep, SPACING_PT)  # on a named place's centre
        faults += (measure_distances_to_segments(keep, ties) < SYMBOL_CLEAR_PT).sum(axis=1)  # its tie over one
    if len(moved):
        other_ties = np.hstack([shown[moved], true[moved]])
        faults += (measure_distances_to_segments(spots, other_ties) < SYMBOL_CLEAR_PT).sum(axis=0)  # on a tie
        faults += (measure_distances_to_segments(spots + GRADE_AT, other_ties) < GRADE_CLEAR_PT).sum(axis=0)
        faults += find_crossings_between(ties, other_ties).sum(axis=1)
    return faults


def draw_true_position(ax: Axes, shown: tuple[float, float], true: tuple[float, float], *, gid: str) -> None:
    """Draw the tie of a spread symbol: a thin line from where it is drawn to a dot at its true position.

    One artist, named ``gid`` (``spread:KEY`` on the map), whose first point is the symbol
    and last the true position, for what reads the figure.
    """
    ax.plot([shown[0], true[0]], [shown[1], true[1]], color=TIE_COLOUR, linewidth=TIE_PT, solid_capstyle="butt",
            marker="o", markevery=[1], markersize=DOT_PT, markerfacecolor="white", markeredgecolor=TIE_COLOUR,
            markeredgewidth=0.8, zorder=TIE_ZORDER, gid=gid,
            path_effects=[patheffects.withStroke(linewidth=TIE_PT + 1.4, foreground="white", alpha=0.8)])


def find_shown_position(spread: Mapping[tuple[float, float], tuple[float, float]], x: float, y: float,
                        tolerance: float) -> tuple[float, float]:
    """Return where the symbol of the site at (x, y) is drawn: (x, y) itself unless it was spread.

    ``spread`` maps each spread site's true point to its drawn one (``symbology.DrawnMap.spread``);
    badges, stars and eyes go beside the drawn symbol.
    """
    for (tx, ty), shown in spread.items():
        if abs(tx - x) <= tolerance and abs(ty - y) <= tolerance:
            return shown
    return x, y
