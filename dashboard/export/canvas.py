"""The figure and renderer behind the static exports' matplotlib artists, typed as they are.

matplotlib types ``Axes.figure`` as a figure *or subfigure* and ``Figure.canvas`` as any
canvas, because it allows both. The exports never make subfigures and always draw on an
Agg canvas (``static_map.render_briefing_figure`` attaches one), so these helpers return
the concrete types and fail loudly if that ever stops being true.

:class:`ExportCanvas` is that Agg canvas, drawing only when the figure is saved or read
(``savefig``, ``canvas.draw()``), not on every ``draw_idle`` request.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure


class ExportCanvas(FigureCanvasAgg):
    """The Agg canvas of an export figure: it draws when saved or read, never on a redraw request.

    GeoPandas' ``GeoDataFrame.plot`` ends with ``canvas.draw_idle()``, and on a canvas
    without a window that draws the whole figure at once: the basemap and the locator
    each cost a full draw of the slide (measured: 0.1 to 0.2 s each) that nothing ever
    looks at. An export's picture is the one drawn when it is saved, so the request is
    dropped; ``draw()`` and ``savefig`` draw as before.
    """

    def draw_idle(self, *args: object, **kwargs: object) -> None:
        """Do nothing: the figure is drawn when it is saved (or ``draw()`` is called)."""


def get_figure(ax: Axes) -> Figure:
    """Return the top-level figure that ``ax`` is drawn in.

    Raises
    ------
    ValueError
        If ``ax`` is not in a figure.
    """
    figure = ax.get_figure(root=True)
    if figure is None:
        raise ValueError("the axes are not in a figure")
    return figure


def get_renderer(figure: Figure) -> RendererAgg:
    """Return the Agg renderer of ``figure``, which measures text as it will be drawn.

    Raises
    ------
    TypeError
        If the figure has no Agg canvas (the exports attach one to every figure).
    """
    canvas = figure.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        raise TypeError(f"static exports draw on an Agg canvas, not {type(canvas).__name__}")
    return canvas.get_renderer()
