"""The briefing image: right size, not blank, and every piece of furniture drawn and honest."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pyproj import Geod

from layers.extents import EXTENTS
from tests.export_cases import build_case

from dashboard.export.briefing import PageSize
from dashboard.export.dtg import format_dtg
from dashboard.export.legend import build_legend
from dashboard.export.product import write_product
from dashboard.export.projection import choose_projection, fit_frame, measure_scale_bar
from dashboard.export.static_map import render_briefing_figure


def render_png(tmp_path: Path, name: str = "slide.png", **changes) -> np.ndarray:
    snapshot, spec = build_case(**changes)
    path = write_product(snapshot, spec, tmp_path / name)
    return np.asarray(Image.open(path).convert("RGB")).astype(int)


def figure_texts(**changes) -> list:
    snapshot, spec = build_case(**changes)
    briefing = render_briefing_figure(snapshot, spec)
    return [t for t in briefing.figure.findobj(lambda a: hasattr(a, "get_text")) if t.get_text()], briefing


def test_png_has_the_default_slide_size(tmp_path: Path) -> None:
    assert render_png(tmp_path).shape == (1080, 1920, 3)


def test_png_has_a_requested_size(tmp_path: Path) -> None:
    pixels = render_png(tmp_path, size=PageSize.from_pixels(1280, 720))
    assert pixels.shape == (720, 1280, 3)


def test_png_is_not_blank(tmp_path: Path) -> None:
    pixels = render_png(tmp_path)
    assert pixels.std() > 20
    colours = np.unique(pixels.reshape(-1, 3)[::7], axis=0)
    assert len(colours) > 200  # basemap, symbols, anti-aliased text


def test_title_is_drawn_in_the_title_band_only(tmp_path: Path) -> None:
    one = render_png(tmp_path, "a.png", title="Air bridge A")
    other = render_png(tmp_path, "b.png", title="A quite different and much longer title")
    rows = np.nonzero((one != other).any(axis=(1, 2)))[0]
    assert rows.size > 10
    assert rows.max() < 1080 * 0.12  # the title band under the top marking


def test_marking_is_written_at_top_and_bottom() -> None:
    texts, _ = figure_texts(marking="SECRET // TEST")
    heights = sorted(t.get_position()[1] for t in texts if t.get_text() == "SECRET // TEST")
    assert len(heights) == 2 and heights[0] < 0.05 and heights[1] > 0.95


def test_subtitle_gives_the_dtg_and_the_data_date() -> None:
    texts, _ = figure_texts()
    subtitle = next(t.get_text() for t in texts if t.get_text().startswith("DTG "))
    assert "DTG 020304Z JAN 25" in subtitle
    assert "Data as of 27 DEC 2024" in subtitle
    assert "14-27 DEC 2024 (14-day window)" in subtitle


def test_dtg_is_utc_day_hour_minute_zulu_month_year() -> None:
    moment = dt.datetime(2024, 12, 20, 15, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert format_dtg(moment) == "201430Z DEC 24"
    with pytest.raises(ValueError, match="timezone-aware"):
        format_dtg(dt.datetime(2024, 12, 20, 14, 30))


def test_legend_shows_what_is_drawn() -> None:
    texts, _ = figure_texts()
    written = {t.get_text() for t in texts}
    assert {"Individual flights", "Plans and claims", "Event in the window", "Air base",
            "Documented corridor (schematic)", "Airfield not named: the area it is in"} <= written
    assert "Reported counts (no flight detail)" not in written  # no count report has a route


def test_legend_leaves_out_hidden_layers() -> None:
    snapshot, spec = build_case(visible_layers=frozenset({"site"}))
    briefing = render_briefing_figure(snapshot, spec)
    headings = [section.heading for section in briefing.legend]
    assert not any(h.startswith("Flights") for h in headings)
    assert "Also shown" not in headings
    assert briefing.shown.routes.empty and briefing.shown.events.empty


def test_legend_of_an_empty_window_has_no_flight_rows() -> None:
    snapshot, _ = build_case(selection=dataclasses.replace(build_case()[1].selection,
                                                           as_of=dt.date(2024, 12, 9), window_days=1))
    labels = [e.label for section in build_legend(snapshot) for e in section.entries]
    assert "Individual flights" not in labels and "Active" in labels


def test_footnotes_cite_every_source_of_what_is_drawn() -> None:
    texts, briefing = figure_texts()
    shown = briefing.shown
    expected = {s.split(" ")[0] for frame in (shown.routes, shown.flights, shown.events, shown.corridors)
                for sources in frame["sources"] for s in sources}
    expected |= {s.split(" ")[0] for sources in shown.sites["status_sources"] for s in sources}
    assert {note.url for note in briefing.footnotes} == expected
    written = " ".join(t.get_text() for t in texts)
    assert "[high/medium/low] itamilradar.com: " in written
    # The acronym "NYT" names nytimes.com, so the footnote needs no "via".
    assert "[medium] NYT 2024-12-19: " in written


def test_attribution_and_generation_time_are_written() -> None:
    texts, _ = figure_texts()
    written = " ".join(t.get_text() for t in texts)
    assert "Natural Earth" in written
    assert "Generated 2025-01-02 03:04 UTC" in written


def test_events_before_the_window_are_not_drawn() -> None:
    _, briefing = figure_texts()
    assert list(briefing.shown.events["id"]) == ["e-2024-12-26-an124"]


@pytest.mark.parametrize("name", sorted(EXTENTS))
def test_scale_bar_is_true_on_the_ground_at_the_map_centre(name: str) -> None:
    projection = choose_projection(EXTENTS[name])
    frame = fit_frame(projection, EXTENTS[name], 16 / 9)
    bar = measure_scale_bar(projection, frame)
    cx, cy = frame.centre
    lon0, lat0 = projection.to_lonlat(cx, cy)
    lon1, lat1 = projection.to_lonlat(cx + bar.map_length, cy)
    _, _, metres = Geod(ellps="WGS84").inv(float(lon0), float(lat0), float(lon1), float(lat1))
    assert metres / 1000 == pytest.approx(bar.km, rel=0.01)


def test_scale_bar_is_not_the_naive_degree_length() -> None:
    extent = EXTENTS["syria"]  # about 35 N, where 1/cos(latitude) is 1.22
    projection = choose_projection(extent)
    frame = fit_frame(projection, extent, 16 / 9)
    bar = measure_scale_bar(projection, frame)
    naive_metres_per_degree = 111_320.0
    lon_span = frame.lonlat.bounds[2] - frame.lonlat.bounds[0]
    naive_map_length = bar.km * 1000 / naive_metres_per_degree / lon_span * (frame.xmax - frame.xmin)
    assert bar.map_length / naive_map_length == pytest.approx(1 / np.cos(np.radians(bar.latitude)), rel=0.05)


def test_png_carries_its_title_and_marking_as_metadata(tmp_path: Path) -> None:
    snapshot, spec = build_case(title="Metadata title")
    path = write_product(snapshot, spec, tmp_path / "meta.png")
    info = Image.open(io.BytesIO(path.read_bytes())).info
    assert info["Title"] == "Metadata title" and "UNCLASSIFIED // OPEN SOURCE" in info["Description"]


def test_legend_leaves_out_symbols_drawn_outside_the_frame() -> None:
    snapshot, spec = build_case(extent=EXTENTS["syria"], extent_name="syria")
    briefing = render_briefing_figure(snapshot, spec)
    labels = [e.label for section in briefing.legend for e in section.entries]
    assert "Airfield not named: the area it is in" not in labels  # Benghazi's circle is off this map
    assert "Individual flights" in labels  # the Hmeimim routes cross it
