"""The Filters panel above the map: confidence, record type, event category, country and affiliation.

The filters are read from the URL when the session starts and whenever the address differs
from the one the page wrote (Back, Forward; ``view_state.parse_filter_params``),
held by the panel's multiselects, and written back to the URL with the view. The page
applies them to the dataset before anything is built (``layers.filters.apply_filters``,
cached in ``dashboard.app.cache``): the map and its date control, the event list, the
histogram and the exports all show the filtered data. A change reruns the whole page, so
the map is redrawn from the filtered catalogue and no feature of the old filter stays drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from layers.filters import FILTER_SPECS, NO_FILTERS, VOCABULARIES, Filters, build_filters, describe_filters

from dashboard.app.view_state import parse_filter_params

FILTERS_KEY = "ab_filters"
NOTICES_KEY = "ab_filter_notices"
WIDGET_KEYS: dict[str, str] = {spec.field: f"ab_filter_{spec.param}" for spec in FILTER_SPECS}
"""The session key of each filter's multiselect, by ``Filters`` field."""


def start_filters(params: Mapping[str, str | Sequence[str]], countries: Sequence[str], *,
                  reread: bool = False) -> Filters:
    """Return the filters of this run: the URL's on a session's first run (or ``reread``), else the panel's.

    Called before anything is built, so the whole run uses the filters the analyst has
    just picked (Streamlit stores a widget's new value before the rerun).

    Parameters
    ----------
    params : mapping
        The page's query parameters.
    countries : sequence of str
        The country codes of the data (``layers.filters.list_countries``).
    reread : bool
        Whether the address changed under the page (Back or Forward): its filters win, as
        the rest of its view does.
    """
    if FILTERS_KEY not in st.session_state or reread:
        filters, notices = parse_filter_params(params, countries)
        for spec in FILTER_SPECS:
            st.session_state[WIDGET_KEYS[spec.field]] = list(getattr(filters, spec.field))
        st.session_state[NOTICES_KEY] = notices
    chosen = build_filters(**{spec.field: st.session_state.get(WIDGET_KEYS[spec.field]) or []
                              for spec in FILTER_SPECS})
    st.session_state[FILTERS_KEY] = chosen
    return chosen


def read_filters() -> Filters:
    """Return the filters in force in this session (none before :func:`start_filters`)."""
    filters = st.session_state.get(FILTERS_KEY)
    return filters if isinstance(filters, Filters) else NO_FILTERS


def render_filter_panel(countries: Sequence[str]) -> None:
    """Draw the folded Filters panel (one multiselect per filter, empty = all) and what applies."""
    for notice in st.session_state.pop(NOTICES_KEY, []):
        st.warning(notice)
    with st.expander("Filters", expanded=False):
        for spec, column in zip(FILTER_SPECS, st.columns(len(FILTER_SPECS)), strict=True):
            labels = spec.labels
            options = list(countries) if labels is None else list(VOCABULARIES[spec.field])
            with column:
                st.multiselect(spec.label, options, key=WIDGET_KEYS[spec.field], placeholder="All",
                               format_func=(lambda value, words=labels: words[value]) if labels else str)
        st.caption("Each filter keeps the records that carry its field (docs/dashboard.md, Filters); "
                   "the map, the event list, the histogram and the exports follow.")
    summary = describe_filters(read_filters())
    if summary:
        st.caption(f"{summary}.")
