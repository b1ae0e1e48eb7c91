"""How the two-date comparison map draws each change, and its legend (the dates, the window, each style).

No Streamlit here.
"""

from __future__ import annotations

from layers.analytics.change_layers import CHANGE_KINDS, ChangeLayers
from layers.escaping import escape_text
from layers.route_marks import UNCERTAIN_END_DASH, UNCERTAIN_END_LABEL
from layers.style import LineStyle
from layers.timeline import describe_window_length

from dashboard.webmap.change_popups import describe_day
from dashboard.webmap.symbols import build_line_sample, build_uncertainty_sample

CHANGE_ROUTE_STYLES: dict[str, LineStyle] = {
    "appeared": LineStyle("Route appeared: flown only in the later window", "#009E73", None),
    "stopped": LineStyle("Route stopped: no flight or report in the later window (not a documented end)",
                         "#7F7F7F", (2.0, 1.5)),
    "changed": LineStyle("Flights changed on the route: +N / \u2212N flights", "#0072B2", None),
}
"""How each kind of route change is drawn (keys: ``layers.analytics.change_layers.CHANGE_KINDS``)."""
STUB_STYLE = LineStyle(UNCERTAIN_END_LABEL, "#7F7F7F", UNCERTAIN_END_DASH)  # the live map's stub dashes; legend grey
SITE_RING_COLOUR = "#CC79A7"  # reddish purple (Okabe-Ito): apart from the route colours
SITE_RING_PX = 26
def build_ring_symbol(size_px: int = SITE_RING_PX) -> str:
    """Return the SVG ring drawn round a site whose status changed (a white halo under a coloured ring)."""
    middle, radius = size_px / 2, size_px / 2 - 3
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size_px}" height="{size_px}" aria-hidden="true">'
            f'<circle cx="{middle:g}" cy="{middle:g}" r="{radius:g}" fill="none" stroke="#ffffff" stroke-width="5"/>'
            f'<circle cx="{middle:g}" cy="{middle:g}" r="{radius:g}" fill="none" stroke="{SITE_RING_COLOUR}" '
            f'stroke-width="3"/><circle cx="{middle:g}" cy="{middle:g}" r="2.5" fill="{SITE_RING_COLOUR}"/></svg>')


def build_change_legend_html(layers: ChangeLayers) -> str:
    """Return the legend: the two dates and the window, then what each style means."""
    window = describe_window_length(layers.window_days)
    routes = [_legend_item(build_line_sample(CHANGE_ROUTE_STYLES[kind], 4.0), CHANGE_ROUTE_STYLES[kind].label)
              for kind in CHANGE_KINDS]
    rows = [_legend_item(build_ring_symbol(20), "Site whose status changed (hover: before → after)"), *routes,
            _legend_item(build_uncertainty_sample(18), "Airfield not named: the area it lies in"),
            _legend_item(build_line_sample(STUB_STYLE, 3.0), UNCERTAIN_END_LABEL)]
    counts = (f"{len(layers.sites)} site(s) changed status; routes: "
              + ", ".join(f"{int((layers.routes['change_kind'] == kind).sum())} {kind}" for kind in CHANGE_KINDS))
    span = f"{describe_day(layers.before)} → {describe_day(layers.after)}"
    return ('<details class="ab-legend" open>'
            f"<summary>What changed: {escape_text(span)}</summary>"
            f'<p class="ab-legend-item">Flights in the {escape_text(window)} up to each date; '
            "width = the larger count</p>"
            f'<div class="ab-legend-grid ab-columns-1">{"".join(rows)}</div>'
            f'<p class="ab-legend-item">{escape_text(counts)}</p></details>')


def _legend_item(symbol: str, label: str) -> str:
    return (f'<div class="ab-legend-item"><span class="ab-legend-symbol">{symbol}</span>'
            f"{escape_text(label)}</div>")
