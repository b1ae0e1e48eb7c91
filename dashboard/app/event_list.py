"""The events of the window beside the map, and the chooser that centres the map on one."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard.webmap.map_payload import Focus
from dashboard.webmap.popups import build_event_list_html

CHOOSER_KEY = "ab_focus_event"
REQUEST_KEY = "ab_focus_request"
TITLE_LIMIT = 80
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
    """Draw the list of events (date, title, confidence, sources as links) in a scrolling box."""
    heading = f'<p class="ab-event-heading"><b>Events in the window</b> ({len(events)})</p>'
    body = build_event_list_html(events, f"No event in the window ({window_text}).")
    st.html(f'{EVENT_LIST_CSS}{heading}<div class="ab-event-box">{body}</div>')


def list_located_events(events: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Return the events that have a place, by id (those the map can centre on)."""
    return {row["id"]: row for row in events if row["point"] is not None}


def find_focus(events: list[dict[str, Any]]) -> Focus | None:
    """Return where the chosen event is, or None (reads the chooser's state; call before drawing it)."""
    chosen = st.session_state.get(CHOOSER_KEY)
    located = list_located_events(events)
    if chosen not in located:
        return None
    lat, lon = located[chosen]["point"]
    return Focus(lat=lat, lon=lon, request=int(st.session_state.get(REQUEST_KEY, 0)))


def render_event_chooser(events: list[dict[str, Any]]) -> None:
    """Draw the chooser of the events with a place; choosing one centres the map on it."""
    located = list_located_events(events)
    titles = {event_id: _describe(row) for event_id, row in located.items()}
    if st.session_state.get(CHOOSER_KEY) not in located:
        st.session_state.pop(CHOOSER_KEY, None)
    st.selectbox("Centre the map on an event", list(located), index=None,
                 format_func=lambda key: titles.get(key, str(key)), key=CHOOSER_KEY, on_change=_count_request,
                 disabled=not located,
                 placeholder="Choose an event" if located else "No event with a place in the window")


def _count_request() -> None:
    st.session_state[REQUEST_KEY] = int(st.session_state.get(REQUEST_KEY, 0)) + 1


def _describe(row: dict[str, Any]) -> str:
    title = " ".join(str(row["name"]).split())
    if len(title) > TITLE_LIMIT:
        title = title[: TITLE_LIMIT - 1] + "…"
    return f"{pd.Timestamp(row['date']).date().isoformat()} · {title}"
