"""The events of the window beside the map, and the chooser that centres the map on one.

What the map was last asked to show once (an event chosen here, or the view and event of
a URL: a shared link, or Back) is kept as a :class:`FocusRequest`; each run turns it into
the map's :class:`~dashboard.webmap.map_payload.Focus` with the event's place and popup on
the date shown. A new request gets a new number: the map applies each number once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from layers.escaping import quote_markdown_code

from dashboard.webmap.map_payload import Focus
from dashboard.webmap.popups import build_event_list_html, build_popup

CHOOSER_KEY = "ab_focus_event"
REQUEST_KEY = "ab_focus_request"
TARGET_KEY = "ab_focus_target"
TITLE_LIMIT = 80
# Sent once with the page's own style (page.py), not with the list on every settled date.
EVENT_LIST_CSS = """<style>
.ab-event-heading { margin: 0 0 4px 0; }
.ab-event-box { max-height: 430px; overflow-y: auto; }
.ab-event-list { list-style: none; padding: 0; margin: 0; font-size: 15px; }
.ab-event-item { padding: 6px 0; border-bottom: 1px solid rgba(128,128,128,0.3); }
.ab-event-date { font-weight: 700; }
.ab-event-title { font-weight: 600; }
.ab-event-meta { opacity: 0.8; font-size: 14px; }
ol.ab-event-sources { margin: 2px 0 0 0; padding-left: 22px; font-size: 14px; }
.ab-event-empty { opacity: 0.8; }
</style>"""


def render_event_list(events: list[dict[str, Any]], window_text: str) -> None:
    """Draw the list of events (date, title, confidence, sources as links) in a scrolling box.

    Its style is :data:`EVENT_LIST_CSS`, which the page draws once outside the map's fragment.
    """
    heading = f'<p class="ab-event-heading"><b>Events in the window</b> ({len(events)})</p>'
    body = build_event_list_html(events, f"No event in the window ({window_text}).")
    st.html(f'{heading}<div class="ab-event-box">{body}</div>')


def list_located_events(events: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Return the events that have a place, by id (those the map can centre on)."""
    return {row["id"]: row for row in events if row["point"] is not None}


@dataclass(frozen=True)
class FocusRequest:
    """What the map was last asked to show once.

    Attributes
    ----------
    request : int
        The request's number.
    event : str or None
        The chosen event's id (its popup opens, its own first).
    zoom, centre : float and (lat, lon), or None
        A view to show exactly (from a URL); None centres on the event, or, without one,
        returns to the opening extent.
    from_link : bool
        The event came from a URL (a notice says so if the date does not show it).
    """

    request: int
    event: str | None = None
    zoom: float | None = None
    centre: tuple[float, float] | None = None
    from_link: bool = False


def request_view(event: str | None, view: tuple[float, tuple[float, float]] | None) -> None:
    """Ask the map to show a URL's view and event once (before the chooser is drawn in this run)."""
    if event is None:
        st.session_state.pop(CHOOSER_KEY, None)
    else:
        st.session_state[CHOOSER_KEY] = event
    zoom, centre = view if view is not None else (None, None)
    st.session_state[TARGET_KEY] = FocusRequest(_next_request(), event, zoom, centre, from_link=True)


def find_focus(events: list[dict[str, Any]]) -> Focus | None:
    """Return what the map should show once, or None (reads the chooser's state; call before drawing it)."""
    target = st.session_state.get(TARGET_KEY)
    if not isinstance(target, FocusRequest):
        return None
    row = list_located_events(events).get(target.event) if target.event is not None else None
    lat, lon = row["point"] if row is not None else (None, None)
    popup = build_popup(row) if row is not None else None
    if target.zoom is not None and target.centre is not None:
        return Focus(lat=lat, lon=lon, zoom=target.zoom, request=target.request, popup=popup, centre=target.centre)
    if target.event is not None and row is None:
        return None  # the event is not on the map on this date
    return Focus(lat=lat, lon=lon, request=target.request, popup=popup)


def render_event_chooser(events: list[dict[str, Any]]) -> None:
    """Draw the chooser of the events with a place; choosing one centres the map on it."""
    located = list_located_events(events)
    titles = {event_id: _describe(row) for event_id, row in located.items()}
    chosen = st.session_state.get(CHOOSER_KEY)
    if chosen is not None and chosen not in located:
        st.session_state.pop(CHOOSER_KEY, None)
        target = st.session_state.get(TARGET_KEY)
        if isinstance(target, FocusRequest) and target.from_link and target.event == chosen:
            st.warning(f"The event {quote_markdown_code(chosen, limit=TITLE_LIMIT)} in the link is not among the "
                       "events with a place in this window: no event is chosen.")
    st.selectbox("Centre the map on an event", list(located), index=None,
                 format_func=lambda key: titles.get(key, str(key)), key=CHOOSER_KEY, on_change=_count_request,
                 disabled=not located,
                 placeholder="Choose an event" if located else "No event with a place in the window")


def _count_request() -> None:
    chosen = st.session_state.get(CHOOSER_KEY)
    st.session_state[TARGET_KEY] = FocusRequest(_next_request(), chosen) if chosen is not None else None


def _next_request() -> int:
    st.session_state[REQUEST_KEY] = int(st.session_state.get(REQUEST_KEY, 0)) + 1
    return int(st.session_state[REQUEST_KEY])


def _describe(row: dict[str, Any]) -> str:
    title = " ".join(str(row["name"]).split())
    if len(title) > TITLE_LIMIT:
        title = title[: TITLE_LIMIT - 1] + "…"
    return f"{pd.Timestamp(row['date']).date().isoformat()} · {title}"
