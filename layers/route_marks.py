"""How the live map and every export mark what a route does not know: uncertain ends, unstated counts.

Written once here and read by ``dashboard/webmap`` (the live map and its legend) and
``dashboard/export`` (the static map, its legend, KML), so every product draws a route's
doubt the same way:

* the **uncertain stub** (:mod:`layers.route_ends`): the part of a route next to an end
  whose airfield is not named, drawn thinner, dashed and faded;
* a **count not stated**: a route carrying a count report that gives no figure
  (:mod:`layers.count_bounds`) is drawn hollow, a white stripe down its middle; it is
  as wide as its lower bound, such a report counting as one flight.
"""

from __future__ import annotations

UNCERTAIN_END_DASH = (1.0, 1.4)
"""On/off lengths of the uncertain stub, in line widths."""
UNCERTAIN_END_OPACITY = 0.5
UNCERTAIN_END_WIDTH_SHARE = 0.7
"""The stub is this share of the route's width (at least 2 px), so it reads as the same line thinning out."""
HOLLOW_STRIPE_SHARE = 0.4
"""The white stripe down a route whose count is not stated: this share of the line's width (at least 1 px)."""

WIDTH_COUNTS = "flights in the window"
# Short enough for one line of the slide's legend column (a longer one ran off the slide).
WIDTH_DETAIL = "individual flights; count reports whole, at lower bound"
WIDTH_MEANS = f"Width = {WIDTH_COUNTS}: {WIDTH_DETAIL}"
UNCERTAIN_END_LABEL = "Faded dashed end: airfield not named; stops at its area"
UNSTATED_LABEL = "Hollow: a count report gives no figure (counted as 1)"


def stub_width(width: float) -> float:
    """Return the line width of the uncertain stub of a route ``width`` wide (same unit)."""
    return max(width * UNCERTAIN_END_WIDTH_SHARE, 2.0)


def stripe_width(width: float) -> float:
    """Return the width of the white stripe of a hollow route ``width`` wide (same unit)."""
    return max(width * HOLLOW_STRIPE_SHARE, 1.0)

ROUTE_MARKS = {"stubDash": list(UNCERTAIN_END_DASH), "stubOpacity": UNCERTAIN_END_OPACITY,
               "stubWidthShare": UNCERTAIN_END_WIDTH_SHARE, "stripeShare": HOLLOW_STRIPE_SHARE}
"""The same numbers, named as the live map's script reads them (``options.styles.routeMarks``)."""
