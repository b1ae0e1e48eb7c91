"""The briefing image rendered without a browser: matplotlib on the embedded Natural Earth basemap.

The same layers and symbology as the live map (``layers.build_snapshot`` and
``layers.style``) are drawn in a conformal projection fitted to the extent (see
``projection.py``), framed with the marking at top and bottom, the title and a subtitle
with the date-time group, a legend of what is drawn, a scale bar true at the map centre,
a north arrow, a locator inset, numbered source footnotes with confidence grades, the
basemap attribution and the generation time. Works offline and gives the same picture
for the same data and spec.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from layers import Snapshot
from layers.basemap import BASEMAP_ATTRIBUTION, read_basemap

from dashboard.export.background_write import StagedWrite, can_fork
from dashboard.export.briefing import BriefingSpec, PageSize
from dashboard.export.canvas import ExportCanvas, get_figure, get_renderer
from dashboard.export.export_style import use_export_style
from dashboard.export.feature_notes import map_place_notes
from dashboard.export.footnotes import SITE_POSITIONS_NOTE, SourceNote, build_footnotes
from dashboard.export.furniture import (
    INK,
    draw_basemap,
    draw_footer,
    draw_footnotes,
    draw_graticule,
    draw_locator,
    draw_marking,
    draw_north_arrow,
    draw_scale_bar,
    draw_title_block,
    measure_scale_bar_box_pt,
    plan_footnotes,
)
from dashboard.export.layout import SlideLayout, plan_layout
from dashboard.export.legend import LegendSection, build_legend, draw_legend, measure_legend_pt
from dashboard.export.placement import place_labels
from dashboard.export.png_pages import plan_source_pages
from dashboard.export.projection import (
    WEB_MERCATOR,
    MapFrame,
    MapProjection,
    choose_projection,
    fit_frame,
    frame_bounds,
    measure_scale_bar,
)
from dashboard.export.route_notes import RouteNote, build_route_notes
from dashboard.export.subtitle import describe_subtitle
from dashboard.export.symbology import DrawnMap, LabelCandidate, draw_layers
from dashboard.export.track_parts import cut_tracks_at_gaps
from dashboard.export.track_symbology import draw_track_layers
from dashboard.export.visibility import filter_layers, filter_to_frame

LOCATOR_MIN_IN, LOCATOR_MAX_IN, LOCATOR_RATIO = 1.6, 2.3, 0.72
COUNTRY_LABEL_SHARE = 0.012  # of the frame area, for a country to be named


@dataclass(frozen=True)
class BriefingFigure:
    """A rendered briefing and what it contains (for the PDF sources page, notes and tests)."""

    figure: Figure
    shown: Snapshot
    footnotes: list[SourceNote]
    footnotes_left_out: int
    legend: list[LegendSection]
    labels: list[str]
    projection: MapProjection
    frame: MapFrame
    subtitle: str
    map_axes: Axes  # the map panel, whose data limits are ``frame`` (the georeferenced export crops to it)
    continued: bool = False  # some footnotes or route lines are not on the slide: its last line says where


@dataclass(frozen=True)
class RasterMap:
    """A picture of the live map (Web Mercator) to frame instead of drawing the layers.

    ``bounds`` are the lon/lat edges the picture shows (west, south, east, north), as the
    browser's map reported them; ``attribution`` names the basemap tiles.
    """

    image: np.ndarray
    bounds: tuple[float, float, float, float]
    attribution: str


def plan_map_area(snapshot: Snapshot, spec: BriefingSpec, *, page: PageSize | None = None,
                  with_title_block: bool = True) -> tuple[SlideLayout, tuple[float, float]]:
    """Return the layout of a briefing and the map area's size in inches (width, height).

    The snapshot as seen uses it to open the browser at exactly the size of the map area.
    """
    page = page or spec.page
    layout, _, _ = _settle_layout(_select_drawn(snapshot, spec), spec, page, with_title_block)
    _, _, width, height = layout.map_rect
    return layout, (width * page.width_in, height * page.height_in)


def render_briefing_figure(snapshot: Snapshot, spec: BriefingSpec, *, page: PageSize | None = None,
                           with_title_block: bool = True, countries: gpd.GeoDataFrame | None = None,
                           raster: RasterMap | None = None, layout: SlideLayout | None = None,
                           on_continued: Callable[[list[SourceNote], list[RouteNote]], None] | None = None,
                           ) -> BriefingFigure:
    """Draw the briefing slide of ``snapshot`` as ``spec`` asks.

    Parameters
    ----------
    snapshot : Snapshot
        Layers as of the spec's date (``layers.build_snapshot``).
    spec : BriefingSpec
        Title, marking, extent, visible layers, generation time.
    page : PageSize, optional
        Overrides ``spec.page`` (the PPTX slide uses the space under its title).
    with_title_block : bool
        False leaves out the title, subtitle and markings (the PPTX writes them as text).
    countries : GeoDataFrame, optional
        The basemap; default the embedded Natural Earth countries.
    raster : RasterMap, optional
        A screenshot of the live map to frame (``snapshot_as_seen``) instead of drawing.
    layout : SlideLayout, optional
        The layout to use (with ``raster``: the one the screenshot was sized for).
    on_continued : callable, optional
        Called with every footnote and route line of the slide as soon as it is known that
        some do not fit (``BriefingFigure.continued``), before the map is drawn: the PNG
        starts its sources pages then.
    """
    page = page or spec.page
    countries = read_countries() if countries is None else countries
    with use_export_style():
        drawn = _select_drawn(snapshot, spec)
        if raster is None:
            layout, projection, frame = _settle_layout(drawn, spec, page, with_title_block)
        else:
            projection = WEB_MERCATOR
            frame = frame_bounds(projection, *raster.bounds)
            framed = filter_to_frame(drawn, frame.lonlat)
            layout = layout or plan_layout(page, len(build_footnotes(framed)), with_title_block,
                                           route_count=len(build_route_notes(framed)))
        shown = filter_to_frame(drawn, frame.lonlat)
        notes = build_footnotes(shown)
        routes = build_route_notes(shown)
        figure = Figure(figsize=(page.width_in, page.height_in), dpi=page.dpi, facecolor="white")
        ExportCanvas(figure)
        subtitle = describe_subtitle(spec)
        if with_title_block:
            if layout.title_top is None:
                raise ValueError("the layout has no room for a title block: plan it with_title_block=True")
            draw_marking(figure, spec.marking, layout.marking_top, rule_below=True)
            draw_marking(figure, spec.marking, layout.marking_bottom, rule_below=False)
            draw_title_block(figure, spec.title, subtitle, layout.left, layout.title_top)
        # The footnotes first: whether the slide continues on sources pages is then known
        # before the map is drawn, and the pages can draw meanwhile (``on_continued``).
        kept, left_out = plan_footnotes(notes, layout.footnote_rows, layout.footnote_columns)
        left_out, routes_cut = draw_footnotes(figure, kept, left_out, layout.footnote_rect,
                                              columns=layout.footnote_columns,
                                              positions_note=SITE_POSITIONS_NOTE, format_key=spec.format,
                                              routes=[route.text for route in routes], route_rows=layout.route_rows)
        continued = bool(left_out) or routes_cut
        if continued and on_continued is not None:
            on_continued(notes, routes)
        map_ax = figure.add_axes(layout.map_rect)
        if raster is None:
            drawn_map = _draw_map(map_ax, shown, projection, frame, countries)
            furniture = _draw_furniture(figure, map_ax, drawn_map, projection, frame, countries=countries)
            drawn_map.labels.extend(_country_labels(countries, projection, frame))
            labels = place_labels(map_ax, drawn_map, get_renderer(figure), furniture,
                                  notes=map_place_notes(shown, notes))
            attribution = f"{BASEMAP_ATTRIBUTION}  ·  {projection.name}, WGS84"
        else:
            _draw_raster(map_ax, raster, frame)
            # Leaflet writes the tile attribution in the lower right: keep it visible.
            _draw_furniture(figure, map_ax, DrawnMap(), projection, frame, countries=countries,
                            keep_clear="lower right")
            labels = []
            attribution = f"Live map as seen: {raster.attribution}  ·  {projection.name}"
        sections = build_legend(shown, frame.lonlat, spread=raster is None and bool(drawn_map.spread))
        _draw_panel(figure, layout, sections)
        draw_footer(figure, attribution, f"Generated {spec.generated_at:%Y-%m-%d %H:%M} UTC by Airbridge",
                    y=layout.footer_y, left=layout.left, right=layout.right)
    return BriefingFigure(figure, shown, notes, left_out, sections, labels, projection, frame, subtitle, map_ax,
                          continued=continued)


def write_png(snapshot: Snapshot, spec: BriefingSpec, path: Path, *, pages_beside: Path | None = None) -> list[Path]:
    """Write the briefing slide as a PNG of the spec's pixel size; return the sources pages written.

    When some sources or route lines do not fit, the slide says they continue on its
    sources pages, which are written beside ``pages_beside`` (the slide's final name;
    ``png_pages.name_source_page``), drawn while the slide draws where a second process
    can run. Without it, none are written.
    """
    started: list[StagedWrite] = []

    def start_pages(notes: list[SourceNote], routes: list[RouteNote]) -> None:
        if pages_beside is not None:
            pages = plan_source_pages(notes, routes, spec, pages_beside)
            started.append(pages)  # before it starts: a stop signal held back while it starts comes after
            pages.start(in_background=can_fork())

    try:
        briefing = render_briefing_figure(snapshot, spec, on_continued=start_pages)
        with use_export_style():
            briefing.figure.savefig(path, format="png", dpi=spec.page.dpi, metadata={
                "Title": spec.title, "Description": f"{spec.marking}. {briefing.subtitle}", "Software": "Airbridge"})
        return started[0].finish() if started else []
    except BaseException:  # a failure or a stop signal: no sources page without its slide
        for pages in started:
            pages.cancel()
        raise


def _settle_layout(drawn: Snapshot, spec: BriefingSpec, page: PageSize,
                   with_title_block: bool) -> tuple[SlideLayout, MapProjection, MapFrame]:
    """Return the layout, projection and frame, settled in two rounds.

    The frame decides the footnotes, whose height decides the frame.
    """
    projection = choose_projection(spec.extent)
    layout = plan_layout(page, footnote_count=0, with_title_block=with_title_block)
    for _ in range(2):
        frame = fit_frame(projection, spec.extent, _aspect(page, layout.map_rect))
        framed = filter_to_frame(drawn, frame.lonlat)
        layout = plan_layout(page, footnote_count=len(build_footnotes(framed)), with_title_block=with_title_block,
                             route_count=len(build_route_notes(framed)))
    return layout, projection, fit_frame(projection, spec.extent, _aspect(page, layout.map_rect))


def _draw_raster(ax: Axes, raster: RasterMap, frame: MapFrame) -> None:
    """Show the live map's picture in the frame."""
    ax.imshow(raster.image, extent=(frame.xmin, frame.xmax, frame.ymin, frame.ymax), interpolation="lanczos",
              zorder=1)
    ax.set_xlim(frame.xmin, frame.xmax)
    ax.set_ylim(frame.ymin, frame.ymax)
    ax.set_aspect("auto")
    ax.set_xticks([])
    ax.set_yticks([])


@functools.cache
def read_countries() -> gpd.GeoDataFrame:
    """Return the embedded Natural Earth countries, read once per process (never modified)."""
    return read_basemap()


def _select_drawn(snapshot: Snapshot, spec: BriefingSpec) -> Snapshot:
    """Return the layers a static map draws: visible layers, events of the window only.

    Tracks are cut where their flights went dark (whether the gap layer is shown or not),
    so the frame, the legend and the footnotes count only the parts the aircraft was seen.
    """
    visible = filter_layers(snapshot, spec.visible_layers)
    events = visible.events
    if not events.empty:
        events = events[events["in_window"]]
    return dataclasses.replace(visible, events=events, tracks=cut_tracks_at_gaps(visible.tracks, snapshot.gaps))


def _draw_map(ax: Axes, shown: Snapshot, projection: MapProjection, frame: MapFrame,
              countries: gpd.GeoDataFrame) -> DrawnMap:
    ax.set_xlim(frame.xmin, frame.xmax)
    ax.set_ylim(frame.ymin, frame.ymax)
    ax.set_aspect("equal", adjustable="box")
    ax.apply_aspect()  # final position now, so labels and the locator are placed where they will be drawn
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor(INK)
        spine.set_linewidth(0.9)
    draw_basemap(ax, _project_countries(countries, projection, frame))
    ax.set_xlabel("")
    ax.set_ylabel("")
    draw_graticule(ax, projection, frame)
    metres_per_pt = 1 / _pt_per_metre(ax, frame)
    drawn = draw_layers(ax, shown, projection, metres_per_pt)
    draw_track_layers(ax, shown, projection, metres_per_pt, drawn)
    return drawn


def _draw_furniture(figure: Figure, map_ax: Axes, drawn: DrawnMap, projection: MapProjection, frame: MapFrame, *,
                    countries: gpd.GeoDataFrame, keep_clear: str | None = None) -> list[Artist]:
    """Draw the north arrow (upper right), the scale bar and the locator in the emptiest corners.

    The scale bar takes the emptier lower corner; the locator the emptiest of the other
    corners (ties go to the lower right, then the upper left); ``keep_clear`` names a
    corner neither may take. Returns the artists that labels must not cover.
    """
    pt_per_metre = _pt_per_metre(map_ax, frame)
    metres_per_pt = 1 / pt_per_metre
    points = [(x, y) for x, y, _ in drawn.obstacles_xy] + [(c.x, c.y) for c in drawn.labels]
    bar = measure_scale_bar(projection, frame)
    bar_w, bar_h = (v * metres_per_pt for v in measure_scale_bar_box_pt(bar, pt_per_metre))
    width_in = map_ax.get_position().width * figure.get_figwidth()
    inset_w_in = min(max(0.2 * width_in, LOCATOR_MIN_IN), LOCATOR_MAX_IN)
    inset_w, inset_h = (v * 72 * metres_per_pt for v in (inset_w_in, inset_w_in * LOCATOR_RATIO))

    def crowd(corner: str, box_w: float, box_h: float) -> int:
        x0 = frame.xmin if corner.endswith("left") else frame.xmax - box_w
        y0 = frame.ymin if corner.startswith("lower") else frame.ymax - box_h
        return sum(x0 <= x <= x0 + box_w and y0 <= y <= y0 + box_h for x, y in points)

    bar_corner = min([c for c in ("lower left", "lower right") if c != keep_clear],
                     key=lambda c: crowd(c, bar_w, bar_h))
    scale_bar = draw_scale_bar(map_ax, bar, frame, pt_per_metre, bar_corner)
    north_arrow = draw_north_arrow(map_ax, projection, frame)
    free = [c for c in ("lower right", "upper left", "lower left") if c not in (bar_corner, keep_clear)]
    inset_corner = min(free, key=lambda c: crowd(c, inset_w, inset_h))
    left, bottom, width, height = map_ax.get_position().bounds
    w, h = inset_w_in / figure.get_figwidth(), inset_w_in * LOCATOR_RATIO / figure.get_figheight()
    pad_x, pad_y = 0.08 / figure.get_figwidth(), 0.08 / figure.get_figheight()
    x = left + pad_x if inset_corner.endswith("left") else left + width - w - pad_x
    y = bottom + pad_y if inset_corner.startswith("lower") else bottom + height - h - pad_y
    locator = figure.add_axes((x, y, w, h), zorder=20)
    draw_locator(locator, countries, frame)
    return [scale_bar, north_arrow, locator]


def _country_labels(countries: gpd.GeoDataFrame, projection: MapProjection, frame: MapFrame) -> list[LabelCandidate]:
    if "name" not in countries.columns:
        return []
    projected = _project_countries(countries, projection, frame)
    area = (frame.xmax - frame.xmin) * (frame.ymax - frame.ymin)
    inset = shapely.box(frame.xmin, frame.ymin, frame.xmax, frame.ymax).buffer(-0.04 * (frame.xmax - frame.xmin))
    labels = []
    for name, geometry in zip(projected["name"], projected.geometry, strict=True):
        part = geometry.intersection(inset) if geometry is not None else None
        if part is None or part.is_empty or part.area < COUNTRY_LABEL_SHARE * area:
            continue
        point = part.representative_point()
        labels.append(LabelCandidate(4, point.x, point.y, str(name).upper(), clearance_pt=0,
                                     style={"color": "#8C8C8C", "fontsize": 8.5, "fontweight": "normal"}))
    return labels


def _project_countries(countries: gpd.GeoDataFrame, projection: MapProjection, frame: MapFrame) -> gpd.GeoDataFrame:
    west, south, east, north = frame.lonlat.bounds
    pad = 3.0
    box = (max(west - pad, -180), max(south - pad, -89), min(east + pad, 180), min(north + pad, 89))
    near = countries.cx[box[0]:box[2], box[1]:box[3]]
    clipped = near.set_geometry(shapely.clip_by_rect(near.geometry.values, *box))
    clipped = clipped[~clipped.geometry.is_empty]
    return clipped.to_crs(projection.crs)


def _draw_panel(figure: Figure, layout: SlideLayout, sections: list[LegendSection]) -> None:
    """Draw the legend in the right-hand panel, shrunk to fit when it is taller than the panel."""
    _, _, width, height = layout.panel_rect
    width_in, height_in = figure.get_figwidth(), figure.get_figheight()
    panel_h_pt = height * height_in * 72
    scale = min(1.0, panel_h_pt / max(measure_legend_pt(sections), 1))
    legend_ax = figure.add_axes(layout.panel_rect)
    legend_ax.set_xlim(0, width * width_in * 72)
    legend_ax.set_ylim(panel_h_pt, 0)
    legend_ax.axis("off")
    draw_legend(legend_ax, sections, scale)


def _aspect(page: PageSize, rect: tuple[float, float, float, float]) -> float:
    return (rect[2] * page.width_in) / (rect[3] * page.height_in)


def _pt_per_metre(ax: Axes, frame: MapFrame) -> float:
    width_in = ax.get_position().width * get_figure(ax).get_figwidth()
    return width_in * 72 / (frame.xmax - frame.xmin)
