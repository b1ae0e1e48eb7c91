"""The briefing slide's layout: every footnote readable in full, the rest continued by name, and room for the map.

The shipped data as of 20 Dec 2024 (seven routes, 36 sources: more than a slide holds) and
the Libya extent of 8 Dec 2024 (the legend's longest labels), drawn at 1920x1080 and A4.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

import pytest
from matplotlib.text import Text

from layers import TimeSelection, build_snapshot, load_dataset
from layers.extents import EXTENTS
from tests.export_cases import ROOT

from dashboard.export.briefing import A4_LANDSCAPE, SLIDE_16_9, BriefingSpec
from dashboard.export.canvas import get_renderer
from dashboard.export.export_style import use_export_style
from dashboard.export.footnote_lines import describe_source_head
from dashboard.export.static_map import BriefingFigure, render_briefing_figure

GENERATED = dt.datetime(2025, 1, 2, 3, 4, tzinfo=dt.UTC)
BUSY = TimeSelection(dt.date(2024, 12, 20), 7)
PAGES = {"16:9": SLIDE_16_9, "a4": A4_LANDSCAPE}
MIN_MAP_SHARE = 0.365  # of the slide's area: 0.370 (16:9) and 0.373 (A4); 0.351 and 0.342 before this layout


@cache
def load_shipped():
    return load_dataset(ROOT / "data")


@cache
def render(page_name: str, export_format: str = "png", day: dt.date = BUSY.as_of, extent: str = "theatre",
           ) -> BriefingFigure:
    selection = TimeSelection(day, BUSY.window_days)
    spec = BriefingSpec(selection, format=export_format, extent=EXTENTS[extent], extent_name=extent,
                        size=PAGES[page_name], generated_at=GENERATED)
    return render_briefing_figure(build_snapshot(load_shipped(), selection), spec)


def slide_texts(briefing: BriefingFigure) -> list[str]:
    return [text.get_text() for text in briefing.figure.findobj(Text) if text.get_text()]


@pytest.mark.parametrize("page_name", PAGES)
def test_no_text_on_the_slide_is_cut_with_an_ellipsis(page_name: str) -> None:
    cut = [text for text in slide_texts(render(page_name)) if "…" in text]
    assert not cut, f"cut on the slide: {cut[:3]}"


@pytest.mark.parametrize("page_name", PAGES)
def test_each_footnote_on_the_slide_names_its_grades_outlet_and_date_in_full(page_name: str) -> None:
    briefing = render(page_name)
    written = " ".join(t.get_text() for t in briefing.figure.texts)
    shown = len(briefing.footnotes) - briefing.footnotes_left_out
    assert shown >= 8, f"only {shown} sources on the slide"
    for note in briefing.footnotes[:shown]:
        assert describe_source_head(note) in written, f"footnote {note.number} is not whole on the slide"


@pytest.mark.parametrize(("export_format", "where"), [
    ("pdf", "on the sources pages that follow"), ("pptx", "on the sources slides that follow"),
    ("png", "on the sources page saved beside this image (its name ends _2.png)")])
def test_the_sources_left_out_are_named_with_where_they_continue(export_format: str, where: str) -> None:
    briefing = render("16:9", export_format)
    total, left_out = len(briefing.footnotes), briefing.footnotes_left_out
    assert left_out > 0  # 36 sources: more than the slide holds
    written = " ".join(t.get_text() for t in briefing.figure.texts)
    assert f"Sources {total - left_out + 1}–{total} continue {where}, with every claim and link" in written
    numbers = {t.get_text() for t in briefing.figure.texts}
    assert str(total - left_out) in numbers and str(total - left_out + 1) not in numbers


@pytest.mark.parametrize("page_name", PAGES)
def test_footnote_lines_stay_in_the_block_without_overlapping(page_name: str) -> None:
    briefing = render(page_name)
    figure = briefing.figure
    with use_export_style():
        renderer = get_renderer(figure)
        map_box = briefing.map_axes.get_window_extent(renderer)
        # Under the map, left-aligned: the footnotes (and the footer's attribution), not the marking or time.
        below = [t.get_window_extent(renderer) for t in figure.texts
                 if t.get_text() and t.get_horizontalalignment() == "left"
                 and t.get_window_extent(renderer).y1 < map_box.y0]
    for box in below:
        assert box.x1 <= map_box.x1 + 1, "a footnote line runs past the map's right edge into the legend"
    rows = [box for box in below if box.height > 0]
    for i, one in enumerate(rows):
        for other in rows[i + 1:]:
            assert not one.overlaps(other) or one.x1 <= other.x0 + 1 or other.x1 <= one.x0 + 1


@pytest.mark.parametrize("page_name", PAGES)
def test_the_map_takes_a_larger_share_of_the_slide(page_name: str) -> None:
    _, _, width, height = render(page_name).map_axes.get_position().bounds
    assert width * height >= MIN_MAP_SHARE


@pytest.mark.parametrize("page_name", PAGES)
def test_legend_labels_stay_on_the_page(page_name: str) -> None:
    briefing = render(page_name, day=dt.date(2024, 12, 8), extent="libya")  # labels too wide for the panel before
    figure = briefing.figure
    with use_export_style():
        renderer = get_renderer(figure)
        legend = next(ax for ax in figure.axes if not ax.axison and ax is not briefing.map_axes)
        right = max(text.get_window_extent(renderer).x1 for text in legend.texts)
    margin_px = 0.2 * figure.dpi
    assert right <= figure.bbox.width - margin_px + 1
    labels = {text.get_text() for text in legend.texts}
    assert any(re.match("Faded dashed end", label) for label in labels)
