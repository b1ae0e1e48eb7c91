"""Map labels of the briefing slide, read back from the drawn figure: who is named, where, and with which sources.

Shipped data, 7-day window, on the dates of the issue: the fall of Assad (8 Dec 2024), the
surge (20 and 29 Dec), the Syrian pause with the Hmeimim attack (1 Jun 2025) and the
latest data (31 Jan 2026). Every slide is rendered as the exports render it and its
artists are measured in display pixels, so what is asserted is what a reader sees.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from pathlib import Path

import numpy as np
import pytest
import shapely
from matplotlib.lines import Line2D
from matplotlib.text import Text
from pypdf import PdfReader

from layers import TimeSelection, build_snapshot, load_dataset
from layers.extents import EXTENTS
from layers.names import shorten_site_name
from layers.vocabulary import is_russian_presence

from dashboard.export.briefing import A4_LANDSCAPE, SLIDE_16_9, BriefingSpec, PageSize
from dashboard.export.canvas import get_renderer
from dashboard.export.cluster_spread import SPREAD_LABEL
from dashboard.export.feature_notes import format_note_numbers, format_place_key, map_place_notes, place_key
from dashboard.export.placement import NOTE_STYLE
from dashboard.export.product import write_product
from dashboard.export.site_marker import SITE_MARKER_PT
from dashboard.export.static_map import BriefingFigure, render_briefing_figure

DATES = [dt.date(2024, 12, 8), dt.date(2024, 12, 20), dt.date(2024, 12, 29), dt.date(2025, 6, 1),
         dt.date(2026, 1, 31)]
GENERATED = dt.datetime(2026, 2, 1, 12, 0, tzinfo=dt.UTC)
PAGES = {"a4": A4_LANDSCAPE, "16:9": SLIDE_16_9}
# Every date on both page shapes of the default extent; the other extents on two dates.
SLIDES = ([(day, "theatre", page) for day in DATES for page in PAGES]
          + [(day, extent, "16:9") for day in (dt.date(2024, 12, 20), dt.date(2025, 6, 1))
             for extent in ("syria", "libya", "route")])
SLIDE_IDS = [f"{day}-{extent}-{page}" for day, extent, page in SLIDES]
ROUTE_OVERLAP_SHARE = 0.02  # of a label's box that a route line may touch (antialiased edges)


@functools.cache
def render(day: dt.date, extent: str, page: str) -> BriefingFigure:
    selection = TimeSelection(day, 7)
    size: PageSize = PAGES[page]
    spec = BriefingSpec(selection, format="pdf" if page == "a4" else "png", extent=EXTENTS[extent],
                        extent_name=extent, size=size, generated_at=GENERATED)
    briefing = render_briefing_figure(build_snapshot(load_dataset(), selection), spec)
    briefing.figure.canvas.draw()  # as saving does: every annotation takes its final place
    return briefing


def drawn_texts(briefing: BriefingFigure, prefix: str) -> dict[str, Text]:
    """Return the map's texts whose gid starts with ``prefix``, by the rest of the gid."""
    return {t.get_gid()[len(prefix):]: t for t in briefing.map_axes.texts if str(t.get_gid()).startswith(prefix)}


def drawn_lines(briefing: BriefingFigure, prefix: str) -> list[Line2D]:
    return [line for line in briefing.map_axes.lines if str(line.get_gid()).startswith(prefix)]


def text_box(briefing: BriefingFigure, text: Text) -> tuple[float, float, float, float]:
    return tuple(Text.get_window_extent(text, get_renderer(briefing.figure)).extents)


def true_points(briefing: BriefingFigure) -> dict[str, tuple[float, float]]:
    """Return each drawn site's place key (as in gids) -> its true position on the page (display pixels)."""
    found = {}
    for _, site in briefing.shown.sites.iterrows():
        x, y = briefing.projection.to_map(site.geometry.x, site.geometry.y)
        px, py = briefing.map_axes.transData.transform((float(x), float(y)))
        found[format_place_key(place_key(site.geometry.x, site.geometry.y))] = (float(px), float(py))
    return found


def spread_ties(briefing: BriefingFigure) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Return the spread sites' keys -> (where the symbol is drawn, where its tie ends), display pixels."""
    ties = {}
    for line in drawn_lines(briefing, "spread:"):
        points = briefing.map_axes.transData.transform(line.get_xydata())
        ties[line.get_gid()[len("spread:"):]] = (points[0], points[-1])
    return ties


def site_points(briefing: BriefingFigure) -> dict[str, tuple[tuple[float, float], str]]:
    """Return each drawn site's place key (as in gids) -> (display point of its symbol, short name).

    A spread site's symbol is where its tie starts, away from its true position.
    """
    ties = spread_ties(briefing)
    names = {format_place_key(place_key(site.geometry.x, site.geometry.y)): shorten_site_name(site["name"])
             for _, site in briefing.shown.sites.iterrows()}
    return {key: ((float(ties[key][0][0]), float(ties[key][0][1])) if key in ties else point, names[key])
            for key, point in true_points(briefing).items()}


def required_labels(briefing: BriefingFigure) -> set[str]:
    """Return the names the issue asks for: route ends on the map, active Russian sites, Hmeimim and al-Khadim."""
    shown, frame = briefing.shown, briefing.frame.lonlat
    wanted = set()
    for _, route in shown.routes.iterrows() if not shown.routes.empty else []:
        for end in ("from", "to"):
            if frame.contains(shapely.Point(route[f"{end}_lon"], route[f"{end}_lat"])):
                name = shorten_site_name(route[f"{end}_name"])
                wanted.add(f"{name} area" if route[f"{end}_radius_km"] else name)
    for _, site in shown.sites.iterrows():
        if (site["status"] == "active" and is_russian_presence(site["status_actor"], site["status"])) or \
                site["id"] in {"hmeimim", "al_khadim"}:
            wanted.add(shorten_site_name(site["name"]))
    return wanted


@pytest.mark.parametrize(("day", "extent", "page"), SLIDES, ids=SLIDE_IDS)
def test_route_ends_active_russian_sites_and_both_hubs_are_labelled(day: dt.date, extent: str, page: str) -> None:
    briefing = render(day, extent, page)
    wanted = required_labels(briefing)
    if extent in {"theatre", "route"}:
        assert {"Hmeimim", "al-Khadim"} <= wanted
    written = {t.get_text() for t in drawn_texts(briefing, "label:").values()}
    assert wanted - written == set()
    assert wanted <= set(briefing.labels)


def test_the_hubs_and_tartus_are_searchable_text_of_the_a4_pdf(tmp_path: Path) -> None:
    selection = TimeSelection(dt.date(2025, 6, 1), 7)
    spec = BriefingSpec(selection, format="pdf", generated_at=GENERATED)
    path = write_product(build_snapshot(load_dataset(), selection), spec, tmp_path / "briefing.pdf")
    first_page = PdfReader(path).pages[0].extract_text()
    assert all(name in first_page for name in ("Hmeimim", "al-Khadim", "Tartus", "Benina"))


@pytest.mark.parametrize(("day", "extent", "page"), SLIDES, ids=SLIDE_IDS)
def test_no_two_labels_overlap(day: dt.date, extent: str, page: str) -> None:
    briefing = render(day, extent, page)
    texts = [t for t in briefing.map_axes.texts if str(t.get_gid()).startswith(("label:", "notes:"))]
    boxes = [(t.get_text(), shapely.box(*text_box(briefing, t))) for t in texts]
    overlapping = [(a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1:]
                   if box_a.intersection(box_b).area > 1.0]
    assert overlapping == []


@pytest.mark.parametrize(("day", "extent", "page"), SLIDES, ids=SLIDE_IDS)
def test_every_label_is_inside_the_map(day: dt.date, extent: str, page: str) -> None:
    briefing = render(day, extent, page)
    x0, y0, x1, y1 = briefing.map_axes.get_window_extent(get_renderer(briefing.figure)).extents
    texts = [t for t in briefing.map_axes.texts if str(t.get_gid()).startswith(("label:", "notes:"))]
    outside = [t.get_text() for t in texts
               if not (x0 <= text_box(briefing, t)[0] and text_box(briefing, t)[2] <= x1
                       and y0 <= text_box(briefing, t)[1] and text_box(briefing, t)[3] <= y1)]
    assert outside == []


@pytest.mark.parametrize(("day", "extent", "page"), SLIDES, ids=SLIDE_IDS)
def test_labels_keep_off_route_lines_and_arrowheads(day: dt.date, extent: str, page: str) -> None:
    briefing = render(day, extent, page)
    ax, px_per_pt = briefing.map_axes, briefing.figure.dpi / 72
    drawn = []
    for line in drawn_lines(briefing, "route"):
        points = ax.transData.transform(line.get_xydata())
        drawn.append(shapely.LineString(points).buffer(line.get_linewidth() * px_per_pt / 2, cap_style="flat"))
    heads = [t for t in ax.texts if str(t.get_gid()).startswith("arrowhead:")]
    for head in heads:
        polygon = head.arrow_patch.get_path().to_polygons()
        drawn += [shapely.Polygon(p) for p in polygon if len(p) >= 3]
    if briefing.shown.routes.empty:
        assert drawn == []
        return
    assert drawn and heads  # the routes on the map were found
    lines = shapely.union_all(drawn)
    covered = []
    for text in drawn_texts(briefing, "label:").values():
        box = shapely.box(*text_box(briefing, text))
        if box.intersection(lines).area > ROUTE_OVERLAP_SHARE * box.area:
            covered.append(text.get_text())
    assert covered == []


@pytest.mark.parametrize(("day", "extent", "page"), SLIDES, ids=SLIDE_IDS)
def test_every_leader_ends_on_its_own_site_and_passes_no_other(day: dt.date, extent: str, page: str) -> None:
    briefing = render(day, extent, page)
    sites = site_points(briefing)
    ties = spread_ties(briefing)
    labels = drawn_texts(briefing, "label:")
    radius = SITE_MARKER_PT / 2 * briefing.figure.dpi / 72
    for line in drawn_lines(briefing, "leader:"):
        key = line.get_gid()[len("leader:"):]
        start, end = briefing.map_axes.transData.transform(line.get_xydata())[[0, -1]]
        if key not in sites:
            continue  # a named place's centre (under whichever symbol covers it) or an aircraft
        (point, name), label = sites[key], labels[key]
        assert label.get_text() == name
        assert math.dist(end, point) <= 2.0, f"{name}'s leader ends {math.dist(end, point):.1f} px off it"
        # What shows of it: from its label to the edge of its own symbol, under which it ends.
        along = math.dist(start, end)
        edge = end + (start - end) * min(radius / along, 1.0) if along else end
        segment = shapely.LineString([start, edge])
        passed = [other for other_key, (point, other) in sites.items()
                  if other_key != key and segment.distance(shapely.Point(point)) < radius]
        assert passed == [], f"the leader of {labels[key].get_text()} runs over {passed}"
        # Nor over another spread site's true position or across its tie: each dot reads as one symbol's.
        crossed = [sites[other_key][1] for other_key, (_, true) in ties.items()
                   if other_key != key and segment.intersects(shapely.LineString([*ties[other_key]]))]
        assert crossed == [], f"the leader of {name} crosses the ties of {crossed}"


@pytest.mark.parametrize(("day", "extent", "page"), SLIDES, ids=SLIDE_IDS)
def test_crowded_sites_are_spread_apart_each_tied_to_its_true_position(day: dt.date, extent: str,
                                                                       page: str) -> None:
    briefing = render(day, extent, page)
    px_per_pt = briefing.figure.dpi / 72
    width = SITE_MARKER_PT * px_per_pt
    true, ties, symbols = true_points(briefing), spread_ties(briefing), site_points(briefing)
    names = {key: name for key, (_, name) in symbols.items()}
    # Sites that would overlap where they are: neither stays, so no symbol covers another's.
    keys = sorted(true)
    crowded = [(a, b) for i, a in enumerate(keys) for b in keys[i + 1:] if math.dist(true[a], true[b]) < width]
    assert [(names[a], names[b]) for a, b in crowded if a not in ties or b not in ties] == []
    for key, (shown, end) in ties.items():
        assert math.dist(end, true[key]) <= 0.5, f"{names[key]}'s tie ends off its true position"
        # The dot shows beside its symbol, under no other symbol, and the symbol covers no other.
        assert math.dist(shown, end) > width / 2 + 1.5 * px_per_pt, names[key]
        on = [names[other] for other, (point, _) in symbols.items()
              if other != key and math.dist(point, end) < width / 2]
        assert on == [], f"{names[key]}'s true position is under {on}"
        near = [names[other] for other, (point, _) in symbols.items()
                if other != key and math.dist(point, shown) < width]
        assert near == [], f"{names[key]}'s spread symbol overlaps {near}"
    lines = [(key, shapely.LineString([*tie])) for key, tie in ties.items()]
    crossing = [(names[a], names[b]) for i, (a, line_a) in enumerate(lines) for b, line_b in lines[i + 1:]
                if line_a.crosses(line_b)]
    assert crossing == []


def test_sarrin_and_kobani_are_spread_on_the_8_dec_theatre_slide() -> None:
    """The issue's case: 4 pt apart on the page, drawn apart with a tie each to its true position."""
    briefing = render(dt.date(2024, 12, 8), "theatre", "16:9")
    ties = spread_ties(briefing)
    spread = {name for key, (_, name) in site_points(briefing).items() if key in ties}
    assert {"Sarrin", "Kobani"} <= spread


@pytest.mark.parametrize(("day", "extent", "page"), SLIDES, ids=SLIDE_IDS)
def test_the_legend_explains_the_tie_and_dot_exactly_when_the_slide_draws_one(day: dt.date, extent: str,
                                                                             page: str) -> None:
    briefing = render(day, extent, page)
    rows = [entry.label for section in briefing.legend for entry in section.entries if entry.symbol == "spread"]
    assert rows == ([SPREAD_LABEL] if spread_ties(briefing) else [])
    if rows:  # drawn as on the map: a tie ending in its dot, in the legend's panel
        figure_lines = [line for ax in briefing.figure.axes if ax is not briefing.map_axes for line in ax.lines
                        if line.get_gid() == "legend:spread"]
        assert len(figure_lines) == 1 and len(figure_lines[0].get_xdata()) == 2


@pytest.mark.parametrize(("day", "extent", "page"), SLIDES, ids=SLIDE_IDS)
def test_sites_stay_on_their_positions_unless_tied_to_them_and_badges_and_stars_on_their_own_site(
        day: dt.date, extent: str, page: str) -> None:
    briefing = render(day, extent, page)
    ax = briefing.map_axes
    drawn = {tuple(np.round(o)) for c in ax.collections if c.get_gid() == "site-symbols"
             for o in ax.transData.transform(c.get_offsets())}
    points = {key: point for key, (point, _) in site_points(briefing).items()}
    assert drawn == {tuple(np.round(point)) for point in points.values()}
    for key, (_, end) in spread_ties(briefing).items():
        assert math.dist(end, true_points(briefing)[key]) <= 0.5
    badges = drawn_lines(briefing, "badge:") + drawn_lines(briefing, "event:")
    assert badges or (briefing.shown.flights.empty and briefing.shown.events.empty)
    for badge in badges:
        key = badge.get_gid().split(":", 1)[1]
        if key not in points:
            continue  # at a named place's centre, not at a site
        centre = badge.get_transform().transform(badge.get_xydata())[0]
        nearest = min(points, key=lambda k: math.dist(points[k], centre))
        assert nearest == key, f"{badge.get_gid()} sits nearer {nearest}"


@pytest.mark.parametrize(("day", "extent", "page"), SLIDES, ids=SLIDE_IDS)
def test_each_site_label_carries_the_numbers_of_its_footnotes(day: dt.date, extent: str, page: str) -> None:
    briefing = render(day, extent, page)
    expected = map_place_notes(briefing.shown, briefing.footnotes)
    labels, numbers = drawn_texts(briefing, "label:"), drawn_texts(briefing, "notes:")
    assert numbers, "no footnote numbers on the map"
    for key, label in labels.items():
        if not key:
            continue  # a country's name
        wanted = format_note_numbers(expected.get(tuple(map(float, key.split(","))), ()))
        assert (numbers[key].get_text() if key in numbers else "") == wanted, label.get_text()
    # Read back against the footnotes block itself: each site's status note is by its label.
    sites = site_points(briefing)
    for _, site in briefing.shown.sites.iterrows():
        key = format_place_key(place_key(site.geometry.x, site.geometry.y))
        if key not in labels or not site["status_sources"]:
            continue
        claim = f"{shorten_site_name(site['name'])} {site['status']}"
        status_notes = {n.number for n in briefing.footnotes if any(c.subject == claim for c in n.claims)}
        assert status_notes and status_notes <= expand_numbers(numbers[key].get_text()), sites[key][1]


@pytest.mark.parametrize(("day", "extent", "page"), SLIDES[:2], ids=SLIDE_IDS[:2])
def test_note_numbers_are_small_blue_type_beside_their_label(day: dt.date, extent: str, page: str) -> None:
    briefing = render(day, extent, page)
    labels = drawn_texts(briefing, "label:")
    for key, note in drawn_texts(briefing, "notes:").items():
        label = labels[key]
        assert note.get_color() == NOTE_STYLE["color"] and note.get_fontweight() == "normal"
        assert note.get_fontsize() < label.get_fontsize() - 1.5
        nx0, ny0, _, ny1 = text_box(briefing, note)
        _, ly0, lx1, ly1 = text_box(briefing, label)
        assert 0 <= nx0 - lx1 <= 3 and ny1 > ly1 and ny0 > ly0  # just after the name, raised


def expand_numbers(text: str) -> set[int]:
    """Return the note numbers a superscript says, e.g. ``1–3,7`` -> {1, 2, 3, 7}."""
    found: set[int] = set()
    for part in text.split(","):
        first, _, last = part.partition("–")
        found |= set(range(int(first), int(last or first) + 1))
    return found
