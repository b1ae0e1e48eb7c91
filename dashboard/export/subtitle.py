"""The subtitle of every product: its date-time group, the data date, the flight window and any filters.

Its own module, free of matplotlib: the HTML export prints it in its metadata and should
not load a plotting library (0.35 s of a 1.6 s command) to do so.
"""

from __future__ import annotations

from layers.filters import describe_filters
from layers.timeline import describe_window_length

from dashboard.export.briefing import BriefingSpec
from dashboard.export.dtg import format_day, format_day_range, format_dtg


def describe_subtitle(spec: BriefingSpec) -> str:
    """Return the subtitle: DTG of the product, the data date, the flight window and any filters."""
    selection = spec.selection
    length = describe_window_length(selection.window_days, as_window=True)
    start = selection.start
    if start is None:
        window = f"flights and events to {format_day(selection.as_of)} ({length})"
    else:
        window = f"flights {format_day_range(start.date(), selection.as_of)} ({length})"
    filtered = describe_filters(spec.filters)
    return (f"DTG {format_dtg(spec.generated_at)}   |   Data as of {format_day(selection.as_of)}   |   {window}"
            + (f"   |   {filtered}" if filtered else ""))
