"""Draw a site's symbol in the shared symbology: shape by kind, colour by group, fill and strokes by status.

The map and its legend draw the same symbol (the legend's status rows with ``group=None``),
so it is written once here; the size is that of the live map's site marker in points.
"""

from __future__ import annotations

from collections.abc import Iterable

from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.path import Path
from matplotlib.transforms import offset_copy

from layers.style import (
    ACTOR_MARKS,
    CONFIDENCE_MARKS,
    GROUP_COLOURS,
    KIND_SYMBOLS,
    OTHER_ACTOR_STYLE,
    STALE_OPACITY,
    STATUS_STYLES,
    StatusStyle,
)

from dashboard.export.canvas import get_figure

SITE_MARKER_PT = 11.0
SITE_EDGE_PT = 1.1
GRADE_SHIFT = 0.42  # of the symbol's size: the grade letter's disc, right and down from the symbol's centre
GRADE_DISC_PT = 3.4  # the radius of that disc at the map's symbol size


def draw_site_marker(ax: Axes, x: Iterable[float], y: Iterable[float], *, kind: str, group: str | None,
                     status: str, size_pt: float = SITE_MARKER_PT, transform=None, zorder: float = 5,
                     mark: str | None = None, grade: str | None = None, stale: bool = False,
                     gid: str | None = None) -> None:
    """Draw site symbols: shape by kind, colour by group, fill, outline and strokes by status.

    ``group=None`` draws the status in neutral grey (legend entries for status). ``mark``
    (a key of ``ACTOR_MARKS``, from ``choose_actor_mark``) draws a status row of another
    actor as the live map does: a white shape outlined in grey with the actor's letter.
    ``grade`` (a confidence level) writes its letter (``CONFIDENCE_MARKS``) in a white disc
    at the lower right; ``stale`` fades the shape to ``STALE_OPACITY``, as on the live map.
    ``gid`` names the shapes' artist (``site-symbols`` on the map), for what reads the figure.
    """
    style = STATUS_STYLES[status]
    colour = GROUP_COLOURS[group] if group else "#7F7F7F"
    alpha = STALE_OPACITY if stale else 1.0
    x, y = list(x), list(y)
    kwargs = {"transform": transform} if transform is not None else {}
    if mark is not None:
        style = StatusStyle(style.label, 0.92, OTHER_ACTOR_STYLE.outline, style.dashed, style.strokes)
        colour = "#FFFFFF"
        for px, py in zip(x, y, strict=True):
            ax.text(px, py, ACTOR_MARKS[mark].letter, color=OTHER_ACTOR_STYLE.colour, fontsize=size_pt * 0.62,
                    fontweight="bold", ha="center", va="center", zorder=zorder + 0.2, alpha=alpha,
                    path_effects=[patheffects.withStroke(linewidth=2, foreground="white")], **kwargs)
    marker = KIND_SYMBOLS[kind].marker
    # A white halo under the outline, as on the live map, keeps symbols clear of lines and land.
    ax.scatter(x, y, s=size_pt ** 2, marker=marker, facecolors="none", edgecolors=[to_rgba("white", alpha)],
               linewidths=SITE_EDGE_PT + 2.2, zorder=zorder - 0.05, **kwargs)
    ax.scatter(x, y, s=size_pt ** 2, marker=marker,
               facecolors=[to_rgba(colour, style.fill_opacity * alpha)], edgecolors=[to_rgba(style.outline, alpha)],
               linewidths=SITE_EDGE_PT, linestyles=(0, (2.5, 1.5)) if style.dashed else "solid",
               zorder=zorder, gid=gid, **kwargs)
    if style.strokes:
        ax.scatter(x, y, s=size_pt ** 2, marker=_stroke_marker(style), facecolors="none",
                   edgecolors=[to_rgba(style.outline, alpha)], linewidths=SITE_EDGE_PT * 1.2, zorder=zorder + 0.1,
                   path_effects=[patheffects.withStroke(linewidth=SITE_EDGE_PT * 3,
                                                        foreground=to_rgba("white", alpha))], **kwargs)
    if grade in CONFIDENCE_MARKS:
        base = transform if transform is not None else ax.transData
        corner = offset_copy(base, fig=get_figure(ax), x=size_pt * GRADE_SHIFT, y=-size_pt * GRADE_SHIFT,
                             units="points")
        for px, py in zip(x, y, strict=True):
            ax.text(px, py, CONFIDENCE_MARKS[grade], color="#1A1A1A", fontsize=size_pt * 0.5, fontweight="bold",
                    ha="center", va="center", zorder=zorder + 0.3, transform=corner,
                    bbox={"boxstyle": "circle,pad=0.12", "facecolor": "white", "edgecolor": "#1A1A1A",
                          "linewidth": 0.5})


def _stroke_marker(style: StatusStyle) -> Path:
    """Return a status's strokes (``layers.style``, 20x20 box, y down) as a marker path the size of the shape.

    Two invisible corner points keep matplotlib from scaling a short stroke up to the marker's size.
    """
    vertices: list[tuple[float, float]] = [(-1.0, -1.0), (1.0, 1.0)]
    codes = [Path.MOVETO, Path.MOVETO]
    for x1, y1, x2, y2 in style.strokes:
        vertices += [((x1 - 10) / 10, (10 - y1) / 10), ((x2 - 10) / 10, (10 - y2) / 10)]
        codes += [Path.MOVETO, Path.LINETO]
    return Path(vertices, codes)
