"""What a map label may not cover, in display pixels: the occupied space the placement scores spots in.

The placement tries many spots for each label against everything already on the map;
keeping that as numpy arrays (symbols, furniture, labels, lines, leaders) that grow as
labels are written lets each try be a few array operations, and a plan be thrown away
by dropping a copy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes

from dashboard.export.symbology import DrawnMap, LabelCandidate

LEADER_CLEAR_PT = 1.5  # a later label keeps this far off a leader...
LEADER_START_CLEAR_PT = 4.5  # ...and this far off where it leaves its label, so it seems to leave from its own
TIE_PAST_PT = 2.5  # a spread symbol's tie, as leaders keep off it, runs this far past the dot at its true position


@dataclass(frozen=True)
class LabelBlock:
    """Where a label would go, in display pixels: the label, its note numbers and the whole."""

    label: tuple[float, float, float, float]
    notes: tuple[float, float, float, float] | None
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class ReadyLabel:
    """A candidate made ready to place: its text, numbers, point and sizes in display pixels."""

    candidate: LabelCandidate
    shown: str
    numbers: str
    own: tuple[float, float]
    size: tuple[float, float]
    note_size: tuple[float, float] | None
    required: bool


@dataclass(frozen=True)
class PlacedLabel:
    """Where a label goes and how much it covers of what should stay clear (0 when nothing)."""

    label: ReadyLabel
    block: LabelBlock
    leader: tuple[float, float, float, float] | None
    blocked: float
    outside: bool = False


class LabelSpace:
    """What is already on the map, in display pixels, as arrays the candidates are scored against."""

    discs: np.ndarray  # x, y, radius
    boxes: np.ndarray  # x0, y0, x1, y1 of what no label may cover: symbols, furniture, labels
    labels: np.ndarray  # the labels written, which no leader may cross
    segments: np.ndarray  # x0, y0, x1, y1 of the lines labels keep off, with their half widths
    widths: np.ndarray
    soft: np.ndarray  # lines a label may cover where nothing else is free
    leaders: np.ndarray  # the leaders written and the ties of spread symbols, which no leader may cross

    @classmethod
    def from_drawn(cls, ax: Axes, drawn: DrawnMap, boxes: list[tuple[float, float, float, float]],
                   scale: float) -> LabelSpace:
        """Return the space taken by the symbols and lines of ``drawn`` and the ``boxes`` (furniture), no labels yet."""
        space = cls()
        discs = [(*ax.transData.transform((x, y)), r * scale) for x, y, r in drawn.obstacles_xy]
        space.discs = np.array(discs, dtype=float).reshape(-1, 3)
        # A disc weighs as the square of the same area: no corner of a square counts twice.
        half = space.discs[:, 2] * math.sqrt(math.pi) / 2
        symbol_boxes = np.column_stack([space.discs[:, 0] - half, space.discs[:, 1] - half,
                                        space.discs[:, 0] + half, space.discs[:, 1] + half])
        space.boxes = np.vstack([symbol_boxes, np.array(boxes, dtype=float).reshape(-1, 4)])
        space.labels = np.empty((0, 4))
        segments, widths, soft = [np.empty((0, 4))], [np.empty(0)], [np.empty(0, dtype=bool)]
        for line in drawn.lines:
            points = ax.transData.transform(line.coords)
            segments.append(np.column_stack([points[:-1], points[1:]]))
            widths.append(np.full(len(points) - 1, line.half_width_pt * scale))
            soft.append(np.full(len(points) - 1, line.soft))
        space.segments, space.widths, space.soft = np.vstack(segments), np.concatenate(widths), np.concatenate(soft)
        # A spread symbol's tie to its true position is crossed by no leader, nor is its dot
        # (the tie is taken a little past it): each dot must read as one symbol's.
        ties = []
        for true, shown in drawn.spread.items():
            (sx, sy), (tx, ty) = ax.transData.transform([shown, true])
            length = math.hypot(tx - sx, ty - sy) or 1.0
            past = TIE_PAST_PT * scale / length
            ties.append((sx, sy, tx + (tx - sx) * past, ty + (ty - sy) * past))
        space.leaders = np.array(ties, dtype=float).reshape(-1, 4)
        return space

    def copy(self) -> LabelSpace:
        """Return a copy that labels can be added to without changing this one."""
        other = LabelSpace()
        other.__dict__.update(self.__dict__)  # arrays are replaced, never changed in place
        return other

    def around(self, x: float, y: float, reach: float) -> LabelSpace:
        """Return the part of the space within ``reach`` pixels of (x, y) (by bounding boxes)."""
        def near(boxes: np.ndarray, grow: np.ndarray | float = 0.0) -> np.ndarray:
            return ((np.minimum(boxes[:, 0], boxes[:, 2]) - grow <= x + reach)
                    & (np.maximum(boxes[:, 0], boxes[:, 2]) + grow >= x - reach)
                    & (np.minimum(boxes[:, 1], boxes[:, 3]) - grow <= y + reach)
                    & (np.maximum(boxes[:, 1], boxes[:, 3]) + grow >= y - reach))

        part = self.copy()
        disc_boxes = np.column_stack([self.discs[:, :2] - self.discs[:, 2:], self.discs[:, :2] + self.discs[:, 2:]])
        part.discs = self.discs[near(disc_boxes)]
        part.boxes, part.labels, part.leaders = (a[near(a)] for a in (self.boxes, self.labels, self.leaders))
        keep = near(self.segments, self.widths)
        part.segments, part.widths, part.soft = self.segments[keep], self.widths[keep], self.soft[keep]
        return part

    def add(self, placed: PlacedLabel, scale: float) -> None:
        """Add a placed label, its numbers and its leader to what later labels keep off."""
        block, leader = placed.block, placed.leader
        for box in (block.label, block.notes):
            if box is not None:
                self.labels = np.vstack([self.labels, box])
                self.boxes = np.vstack([self.boxes, box])
        if leader is not None:
            x, y, half = leader[0], leader[1], LEADER_START_CLEAR_PT * scale
            self.boxes = np.vstack([self.boxes, (x - half, y - half, x + half, y + half)])
            self.leaders = np.vstack([self.leaders, leader])
            self.segments = np.vstack([self.segments, leader])
            self.widths = np.append(self.widths, LEADER_CLEAR_PT * scale)
            self.soft = np.append(self.soft, False)
