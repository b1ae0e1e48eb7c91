"""The export figures' canvas draws a slide once, when it is saved, however many layers GeoPandas plots on it.

GeoPandas asks for a redraw after every ``plot``; on a canvas without a window that used
to draw the whole slide each time (twice per briefing, about a third of a second), for
nothing anyone saw.
"""

from __future__ import annotations

import io

import geopandas as gpd
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from shapely.geometry import box

from tests.export_cases import build_case

from dashboard.export.canvas import ExportCanvas
from dashboard.export.export_style import use_export_style
from dashboard.export.static_map import render_briefing_figure

SQUARES = gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1), box(2, 0, 3, 1)], crs="EPSG:4326")


def count_draws(figure: Figure) -> list[int]:
    draws: list[int] = []
    figure.canvas.mpl_connect("draw_event", lambda _event: draws.append(1))
    return draws


def plot_squares(canvas_type: type[FigureCanvasAgg]) -> tuple[Figure, list[int]]:
    figure = Figure(figsize=(4, 2), dpi=50)
    canvas_type(figure)
    draws = count_draws(figure)
    ax = figure.add_axes((0, 0, 1, 1))
    SQUARES.plot(ax=ax, facecolor="#D9D6CC")
    SQUARES.boundary.plot(ax=ax, color="black")
    return figure, draws


def save_pixels(figure: Figure) -> np.ndarray:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return np.asarray(Image.open(buffer))


def test_plotting_layers_draws_nothing_until_the_figure_is_saved() -> None:
    figure, draws = plot_squares(ExportCanvas)
    assert draws == []
    save_pixels(figure)
    assert draws == [1]


def test_the_saved_picture_is_the_one_a_plain_agg_canvas_saves() -> None:
    (export, _), (plain, plain_draws) = plot_squares(ExportCanvas), plot_squares(FigureCanvasAgg)
    assert plain_draws == [1, 1]  # what GeoPandas' redraw requests cost on the plain canvas
    assert np.array_equal(save_pixels(export), save_pixels(plain))


def test_a_briefing_is_drawn_once_when_it_is_saved() -> None:
    snapshot, spec = build_case(format="png")
    briefing = render_briefing_figure(snapshot, spec)
    assert isinstance(briefing.figure.canvas, ExportCanvas)  # GeoPandas' redraws during drawing were skipped
    draws = count_draws(briefing.figure)
    with use_export_style():
        pixels = save_pixels(briefing.figure)
    assert draws == [1]
    page = spec.page
    assert pixels.shape[:2] == (round(page.height_in * page.dpi), round(page.width_in * page.dpi))
