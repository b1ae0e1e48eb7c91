"""Popup and tooltip HTML of the two-date comparison map: what changed at a site or on a route, with sources.

Every piece of data text goes through :func:`layers.escaping.escape_text`, mostly through
the blocks of :mod:`dashboard.webmap.popup_blocks` (sources as links only for
``http``/``https`` URLs). No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from layers.analytics.change_layers import ChangeLayers
from layers.escaping import escape_text
from layers.missing import is_present
from layers.schema import describe_partial_date
from layers.timeline import describe_window_length
from layers.vocabulary import STATUS_LABELS

from dashboard.webmap.popup_blocks import (
    wrap,
    write_confidence,
    write_heading,
    write_meta_line,
    write_provenance,
    write_row,
    write_sources,
)

CHANGE_WORDS = {"appeared": "Route appeared", "stopped": "Route stopped", "changed": "Flights changed"}


def build_site_change_tooltip(site: Mapping[str, Any]) -> str:
    """Return the hover text of a changed site: ``NAME: BEFORE → AFTER`` (statuses in words, escaped)."""
    return (f"<b>{escape_text(site['name'])}</b>: {escape_text(describe_status(site['status_before']))} → "
            f"{escape_text(describe_status(site['status_after']))}")


def build_site_change_popup(site: Mapping[str, Any], layers: ChangeLayers) -> str:
    """Return the popup of a changed site: both statuses, the rows dated between, the row in force, sources."""
    span = f"{describe_day(layers.before)} → {describe_day(layers.after)}"
    parts = [write_heading(site.get("name")), write_meta_line(["Status changed", span]),
             write_row(f"On {describe_day(layers.before)}", describe_status(site["status_before"])),
             write_row(f"On {describe_day(layers.after)}", describe_status(site["status_after"]))]
    for row in site.get("rows") or []:
        status, note = describe_status(row.get("status")), row.get("note")
        parts.append(write_row(describe_partial_date(row.get("date")), f"{status}: {note}" if note else status))
        parts.append(write_sources("Sources of that row", row.get("sources")))
    if not site.get("rows") and is_present(site.get("status_after_date")):
        # A row dated only to a month takes effect once the month is over: no row falls between the dates.
        parts.append(write_row(f"In force on {describe_day(layers.after)}, dated",
                               describe_partial_date(site["status_after_date"])))
        parts.append(write_row("Note", site.get("status_after_note")))
        parts.append(write_sources("Sources of that row", site.get("status_after_sources")))
    parts.append(write_confidence(site.get("confidence")))
    return wrap([*parts, write_provenance(site.get("provenance"))])


def build_route_change_tooltip(route: Mapping[str, Any]) -> str:
    """Return the hover text of a changed route: its ends, the kind of change and the flights on each date."""
    return (f"<b>{escape_text(route['name'])}</b>: {escape_text(CHANGE_WORDS[route['change_kind']].lower())}, "
            f"{int(route['flights_before'])} → {int(route['flights_after'])} flights")


def build_route_change_popup(route: Mapping[str, Any], layers: ChangeLayers) -> str:
    """Return the popup of a changed route: what changed, the flights in each window, uncertain ends, sources."""
    window = describe_window_length(layers.window_days)
    parts = [write_heading(route.get("name")),
             write_meta_line([CHANGE_WORDS[route["change_kind"]], f"flights in the {window} up to each date"]),
             write_row(f"Up to {describe_day(layers.before)}", _describe_flights(route, "before")),
             write_row(f"Up to {describe_day(layers.after)}", _describe_flights(route, "after"))]
    if route["change_kind"] == "changed":
        parts.append(write_row("Change", route.get("label")))
    if route["change_kind"] == "stopped":
        parts.append('<p class="ab-note">No flight or report in the later window: not a documented end.</p>')
    for end in ("from", "to"):
        if route.get(f"{end}_uncertain"):
            parts.append(write_row("Airfield not named", f"{route[f'{end}_name']}: within "
                                                         f"{float(route[f'{end}_radius_km']):g} km"))
    parts.append(write_confidence(route.get("confidence")))
    parts.append(write_sources("Sources", route.get("sources")))
    return wrap(parts)


def _describe_flights(route: Mapping[str, Any], side: str) -> str:
    total, individual = int(route[f"flights_{side}"]), int(route[f"individual_{side}"])
    reported, plans = int(route[f"reported_{side}"]), int(route[f"plans_{side}"])
    text = f"{total} flight{'s' if total != 1 else ''} ({individual} individual, {reported} reported at lower bound)"
    return f"{text}; {plans} planned" if plans else text


def describe_status(status: object) -> str:
    """Return a status in words (``layers.vocabulary.STATUS_LABELS``), or as given when unknown."""
    return STATUS_LABELS.get(str(status), str(status))


def describe_day(iso: str) -> str:
    """Return an ISO date as the map writes days: ``1 Dec 2024``."""
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%b %Y}"
