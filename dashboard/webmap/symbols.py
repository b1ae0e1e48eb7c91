"""SVG symbols of the live map and its legend, drawn from the shared symbology in ``layers.style``.

A site is a shape by kind, filled in its group's colour as its status says (solid, faint,
hollow, dashed outline, the strokes of ``layers.style.STATUS_STYLES``), faded when its status
is stale, with the status row's confidence letter in its corner; a site whose status row is another actor's (or
names none) is hollow and grey with the actor's letter inside (``layers.style.ACTOR_MARKS``),
so it never looks like a Russian site; an event is a star; an observation an eye on a disc; flight records are a dark
badge with their number; an aircraft's last position is an arrowhead (a dot when its
heading is unknown). The same SVG is used on the map and in the legend, so the two
cannot disagree. Every value placed in the SVG comes from ``layers.style`` tables (or a
number), never from data text.
"""

from __future__ import annotations

from layers.style import (
    ACTOR_MARKS,
    CONFIDENCE_MARKS,
    EVENT_COLOUR,
    FLIGHT_COLOUR,
    GROUP_COLOURS,
    KIND_SYMBOLS,
    OBSERVATION_STYLE,
    OTHER_ACTOR_STYLE,
    POSITION_COLOUR,
    REACH_FILL_OPACITY,
    REACH_STYLE,
    STALE_OPACITY,
    STATUS_STYLES,
    UNCERTAINTY_COLOUR,
    LineStyle,
    dash_pattern,
)

SITE_SYMBOL_PX = 24
EVENT_SYMBOL_PX = 22
OBSERVATION_SYMBOL_PX = 22
EYE_PATH = "M3 10 Q10 3.2 17 10 Q10 16.8 3 10 Z"  # an almond, pupil drawn on top
NEUTRAL_COLOUR = "#7F7F7F"
HALO_COLOUR = "#FFFFFF"
GRADE_COLOUR = "#1A1A1A"  # the confidence letter and its disc's edge: dark on white, legible on any fill
POSITION_SYMBOL_PX = 20
POSITION_ARROW_PATH = "M10 1 L17.5 18 L10 13.8 L2.5 18 Z"  # pointing up (north); the map turns it to the heading
REACH_OUTLINE_PX = 1.5
STAR_PATH = "M10 0.8 L12.6 7 L19.3 7.3 L14.1 11.5 L15.9 18.4 L10 14.6 L4.1 18.4 L5.9 11.5 L0.7 7.3 L7.4 7 Z"


def build_site_symbol(kind: str, group: str | None, status: str, size_px: int = SITE_SYMBOL_PX,
                      mark: str | None = None, *, grade: str | None = None, stale: bool = False) -> str:
    """Return the SVG of a site symbol.

    Parameters
    ----------
    kind : str
        A key of ``KIND_SYMBOLS`` (the shape).
    group : str or None
        A key of ``GROUP_COLOURS`` (the fill colour); None draws neutral grey, for legend
        rows that explain a status.
    status : str
        A key of ``STATUS_STYLES`` (fill opacity, outline, dashes, strokes).
    mark : str, optional
        A key of ``ACTOR_MARKS`` (``layers.style.choose_actor_mark``): the status row is not
        about Russians, so the shape is white, outlined in grey, with the actor's letter.
    grade : str, optional
        The status row's confidence (a key of ``CONFIDENCE_MARKS``): its letter in a disc
        at the lower right, apart from the status.
    stale : bool
        The status is stale (``layers.timeline``): the shape is drawn faded
        (``STALE_OPACITY``); the grade letter stays readable.

    Raises
    ------
    KeyError
        If the kind, group, status, mark or grade is not in the symbology tables.
    """
    symbol, style = KIND_SYMBOLS[kind], STATUS_STYLES[status]
    colour = GROUP_COLOURS[group] if group is not None else NEUTRAL_COLOUR
    fill_opacity, outline, letter, classes = style.fill_opacity, style.outline, "", []
    data = ""
    if mark is not None:
        colour, fill_opacity, outline = HALO_COLOUR, 0.92, OTHER_ACTOR_STYLE.outline
        classes.append("ab-other-actor")
        data += f' data-ab-actor="{mark}"'
        letter = (f'<text x="10" y="15" text-anchor="middle" font-family="sans-serif" font-size="11" '
                  f'font-weight="bold" fill="{OTHER_ACTOR_STYLE.colour}" stroke="{HALO_COLOUR}" stroke-width="2.4" '
                  f'paint-order="stroke">{ACTOR_MARKS[mark].letter}</text>')
    dash = ' stroke-dasharray="3 2"' if style.dashed else ""
    lines = " ".join(f"M{x1:g} {y1:g} L{x2:g} {y2:g}" for x1, y1, x2, y2 in style.strokes)
    strokes = (f'<path d="{lines}" stroke="{HALO_COLOUR}" stroke-width="4.2"/>'
               f'<path d="{lines}" stroke="{outline}" stroke-width="2"/>') if lines else ""
    shape = (f'<path d="{symbol.svg_path}" fill="none" stroke="{HALO_COLOUR}" stroke-width="4" '
             'stroke-linejoin="round"/>'
             f'<path d="{symbol.svg_path}" fill="{colour}" fill-opacity="{fill_opacity:g}" '
             f'stroke="{outline}" stroke-width="1.7" stroke-linejoin="round"{dash}/>{strokes}{letter}')
    if stale:
        classes.append("ab-stale")
        shape = f'<g opacity="{STALE_OPACITY:g}">{shape}</g>'
    badge = ""
    if grade is not None:
        grade_letter = CONFIDENCE_MARKS[grade]
        data += f' data-ab-grade="{grade_letter}"'
        badge = (f'<circle cx="16.6" cy="16.6" r="4.3" fill="{HALO_COLOUR}" stroke="{GRADE_COLOUR}" '
                 f'stroke-width="0.9"/><text x="16.6" y="19.1" text-anchor="middle" font-family="sans-serif" '
                 f'font-size="7" font-weight="bold" fill="{GRADE_COLOUR}">{grade_letter}</text>')
    marked = (f' class="{" ".join(classes)}"' if classes else "") + data
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size_px}" height="{size_px}" viewBox="-1 -1 22 22" '
            f'aria-hidden="true"{marked}>{shape}{badge}</svg>')


def build_observation_symbol(size_px: int = OBSERVATION_SYMBOL_PX) -> str:
    """Return the SVG of an observation: an eye (``layers.style.OBSERVATION_STYLE``) on a white disc."""
    style = OBSERVATION_STYLE
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size_px}" height="{size_px}" viewBox="0 0 20 20" '
            f'aria-hidden="true" class="ab-eye"><circle cx="10" cy="10" r="9" fill="{HALO_COLOUR}" '
            f'stroke="{style.outline}" stroke-width="1.2"/><path d="{EYE_PATH}" fill="{HALO_COLOUR}" '
            f'stroke="{style.colour}" stroke-width="1.8" stroke-linejoin="round"/>'
            f'<circle cx="10" cy="10" r="2.9" fill="{style.colour}"/></svg>')


def build_event_symbol(in_window: bool, size_px: int = EVENT_SYMBOL_PX) -> str:
    """Return the SVG star of an event: solid in the window, faint for earlier events."""
    opacity = 1.0 if in_window else 0.45
    size = size_px if in_window else round(size_px * 0.8)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="-1 -1 22 22" '
            f'aria-hidden="true"><path d="{STAR_PATH}" fill="{EVENT_COLOUR}" fill-opacity="{opacity:g}" '
            f'stroke="#000000" stroke-opacity="{max(opacity, 0.6):g}" stroke-width="1.3" '
            f'stroke-linejoin="round"/></svg>')


def build_flight_badge(count: int) -> str:
    """Return the HTML of a flight badge: a dark disc with the number of flight records."""
    return f'<span class="ab-badge" style="background:{FLIGHT_COLOUR}">{int(count)}</span>'


def build_line_sample(style: LineStyle, width: float, length_px: int = 44, arrow: bool = False) -> str:
    """Return an SVG line drawn as a route or corridor of ``style`` and ``width`` pixels."""
    height = max(int(width) + 8, 14)
    middle = height / 2
    dash = dash_pattern(style, width)
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    head = ""
    if arrow:
        tip, size = length_px - 2, 4 + width
        head = (f'<path d="M{tip - size:g} {middle - size * 0.6:g} L{tip:g} {middle:g} '
                f'L{tip - size:g} {middle + size * 0.6:g} Z" fill="{style.colour}"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{length_px}" height="{height}" aria-hidden="true">'
            f'<line x1="2" y1="{middle:g}" x2="{length_px - (6 if arrow else 2)}" y2="{middle:g}" '
            f'stroke="{style.colour}" stroke-width="{width:g}"{dash_attr}/>{head}</svg>')


def build_uncertainty_sample(size_px: int = 22) -> str:
    """Return the SVG of an uncertainty circle (a named place whose airfield is not named)."""
    r = size_px / 2 - 1.5
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size_px}" height="{size_px}" aria-hidden="true">'
            f'<circle cx="{size_px / 2:g}" cy="{size_px / 2:g}" r="{r:g}" fill="none" '
            f'stroke="{UNCERTAINTY_COLOUR}" stroke-width="1.8" stroke-dasharray="4 3"/></svg>')


def list_symbol_keys(kinds_groups_statuses: set[tuple[str, str, str]]) -> dict[str, str]:
    """Return the SVG of each (kind, group, status) as ``{"kind|group|status": svg}``."""
    return {"|".join(key): build_site_symbol(*key) for key in sorted(kinds_groups_statuses)}


def build_site_symbol_key(kind: str, group: str, status: str, mark: str | None, *, grade: str | None = None,
                          stale: bool = False) -> str:
    """Return the catalogue key of a site symbol: ``kind|group|status``, then ``|mark``, ``|g:grade``, ``|stale``."""
    extra = (*((mark,) if mark else ()), *((f"g:{grade}",) if grade else ()), *(("stale",) if stale else ()))
    return "|".join((kind, group, status, *extra))


def build_position_symbol(heading_known: bool = True, size_px: int = POSITION_SYMBOL_PX) -> str:
    """Return the SVG of an aircraft's last position: an arrowhead pointing north, or a dot without heading.

    The map turns the arrowhead to the heading (a CSS rotation of its box).
    """
    shape = (f'<path d="{POSITION_ARROW_PATH}" stroke-linejoin="round"/>' if heading_known
             else '<circle cx="10" cy="10" r="5.5"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size_px}" height="{size_px}" viewBox="0 0 20 20" '
            f'aria-hidden="true"><g fill="{POSITION_COLOUR}" stroke="{HALO_COLOUR}" stroke-width="1.6">{shape}</g>'
            "</svg>")


def build_area_sample(width_px: int = 40, height_px: int = 20) -> str:
    """Return the SVG of a reach area: a faint fill with a dotted edge (``layers.style.REACH_STYLE``)."""
    dash = dash_pattern(REACH_STYLE, REACH_OUTLINE_PX)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width_px}" height="{height_px}" aria-hidden="true">'
            f'<ellipse cx="{width_px / 2:g}" cy="{height_px / 2:g}" rx="{width_px / 2 - 2:g}" '
            f'ry="{height_px / 2 - 2:g}" fill="{REACH_STYLE.colour}" fill-opacity="{REACH_FILL_OPACITY:g}" '
            f'stroke="{REACH_STYLE.colour}" stroke-width="{REACH_OUTLINE_PX:g}" stroke-dasharray="{dash}"/></svg>')
