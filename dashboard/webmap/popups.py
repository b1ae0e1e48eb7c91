"""Popup, tooltip and label HTML of the map features, built from their properties.

Every piece of data text that reaches a page goes through
:func:`layers.escaping.escape_text`, the one HTML escaper, mostly through the blocks of
:mod:`dashboard.webmap.popup_blocks` (rows, sources as links only for ``http``/``https``
URLs, provenance). The ADS-B layers' popups are in :mod:`dashboard.webmap.track_popups`;
:func:`build_popup` and :func:`build_tooltip` serve every layer.

No Streamlit here: the live page, the standalone HTML export and the tests use it alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd

from layers.escaping import escape_text
from layers.missing import is_present
from layers.route_facts import describe_closure, describe_countries
from layers.schema import describe_partial_date
from layers.style import ACTOR_MARKS, CONFIDENCE_MARKS, KIND_SYMBOLS, ROUTE_STYLES, STATUS_STYLES, choose_actor_mark
from layers.vocabulary import (
    ACTOR_LABELS,
    CATEGORY_LABELS,
    CONFIDENCE_LABELS,
    GROUP_LABELS,
    NOT_REPORTED,
    OBSERVATION_METHOD_LABELS,
    RECORD_TYPE_LABELS,
    describe_last_reported,
)

from dashboard.webmap.popup_blocks import (
    build_source_links,
    describe_date_span,
    look_up,
    wrap,
    wrap_parts,
    write_confidence,
    write_conflict,
    write_heading,
    write_meta_line,
    write_provenance,
    write_row,
    write_sources,
)
from dashboard.webmap.track_popups import (
    build_gap_popup,
    build_position_popup,
    build_reach_popup,
    build_track_flight_rows,
    build_track_popup,
    build_track_tooltip,
    is_track_flight,
)

__all__ = [
    "build_corridor_popup", "build_event_list_html", "build_event_popup", "build_flight_popup", "build_group_tooltip",
    "build_map_caption", "build_observation_popup", "build_popup", "build_route_popup", "build_route_popup_parts",
    "build_site_popup",
    "build_source_links", "build_tooltip", "build_uncertainty_tooltip", "escape_text", "write_actor",
    "write_pending", "write_stale", "write_status_evidence",
]

def build_popup(properties: Mapping[str, Any]) -> str:
    """Return the popup HTML of a feature of any layer (by its ``layer`` property).

    Raises
    ------
    ValueError
        If ``layer`` is not a layer of ``layers.LAYER_NAMES``.
    """
    builders: dict[str, Callable[[Mapping[str, Any]], str]] = {
        "site": build_site_popup, "route": build_route_popup, "flight": build_flight_popup,
        "corridor": build_corridor_popup, "event": build_event_popup, "observation": build_observation_popup,
        "track": build_track_popup,
        "gap": build_gap_popup, "reach": build_reach_popup, "position": build_position_popup,
    }
    layer = properties.get("layer")
    if layer not in builders:
        raise ValueError(f"no popup for layer {layer!r}: use one of {', '.join(builders)}")
    return builders[layer](properties)


def build_site_popup(site: Mapping[str, Any]) -> str:
    """Return the popup of a site: name, kind, status as of the date and its actor, role, confidence, sources.

    The status date is worded at its precision (``describe_partial_date``: "since May 2025,
    day not known"); the actor row says whose status it is and whether it counts as Russian
    presence (``layers.vocabulary.is_russian_presence``, computed in the site layer).
    """
    kind = KIND_SYMBOLS[site["kind"]].label if site.get("kind") in KIND_SYMBOLS else site.get("kind")
    status = site.get("status")
    status_label = STATUS_STYLES[status].label if status in STATUS_STYLES else status
    meta = [kind, look_up(GROUP_LABELS, site.get("group")), site.get("country"),
            f"ICAO {site['icao']}" if is_present(site.get("icao")) else None]
    parts = [write_heading(site.get("name")), write_meta_line(meta)]
    if is_present(site.get("alt_names")):
        parts.append(write_row("Also", "; ".join(str(n) for n in site["alt_names"])))
    since = (f" since {escape_text(describe_partial_date(site['status_date']))}"
             if is_present(site.get("status_date")) else "")
    parts.append(f'<p><b>Status:</b> <span class="ab-status ab-status-{escape_text(status)}">'
                 f"{escape_text(status_label)}</span>{since}{write_stale(site)}</p>")
    parts.append(write_status_evidence(site.get("status_confidence")))
    parts.append(write_pending(site))
    parts.append(write_actor(site))
    if is_present(site.get("status_note")):
        parts.append(f'<p class="ab-note">{escape_text(site["status_note"])}</p>')
    parts.append(write_conflict(site.get("status_conflict")))
    parts.append(write_row("Role", site.get("role")))
    parts.append(write_confidence(site.get("confidence")))
    parts.append(write_conflict(site.get("conflict")))
    if is_present(site.get("notes")):
        parts.append(write_row("Notes", site["notes"]))
    if is_present(site.get("status_sources")):
        parts.append(write_sources("Status sources", site["status_sources"]))
    parts.append(write_sources("Sources", site.get("sources")))
    if is_present(site.get("coord_origin")):
        parts.append(f'<p class="ab-small">Position: {escape_text(site["coord_origin"])}</p>')
    return wrap([*parts, write_provenance(site.get("provenance"))])


def write_stale(site: Mapping[str, Any]) -> str:
    """Return `` · last reported YEAR`` for a site whose status is stale (``layers.timeline``), else nothing."""
    if not site.get("status_stale") or not is_present(site.get("status_date")):
        return ""
    return f' · <span class="ab-stale-note">{escape_text(describe_last_reported(site["status_date"]))}</span>'


def write_status_evidence(grade: object) -> str:
    """Return the row grading the evidence for the status (its letter is on the symbol), apart from the status."""
    if not is_present(grade):
        return ""
    label = CONFIDENCE_LABELS.get(str(grade), str(grade))
    letter = CONFIDENCE_MARKS.get(str(grade))
    on_symbol = f" ({letter} on the symbol)" if letter else ""
    return f'<p class="ab-evidence"><b>Evidence for the status:</b> {escape_text(label)} confidence{on_symbol}</p>'


def write_pending(site: Mapping[str, Any]) -> str:
    """Return the row of a partial status row not yet in force: "in Dec 2024, day not known: STATUS"."""
    pending, date = site.get("status_pending"), site.get("status_pending_date")
    if not is_present(pending) or not is_present(date):
        return ""
    label = STATUS_STYLES[pending].label if pending in STATUS_STYLES else pending
    return (f'<p class="ab-pending"><b>In {escape_text(describe_partial_date(date))}:</b> {escape_text(label)} '
            "(the status only once that period is over: the day may be later than this date)</p>")


def write_actor(site: Mapping[str, Any]) -> str:
    """Return the row naming the actor of a site's status, and whether it counts as Russian presence.

    Nothing before the site's first status row; "not stated" for a row that names no actor.
    """
    if site.get("status") in (None, NOT_REPORTED):
        return ""
    actor = site.get("status_actor")
    label = ACTOR_LABELS.get(actor, "not stated") if isinstance(actor, str) else "not stated"
    present = bool(site.get("russian_presence"))
    presence = "counts as Russian presence" if present else "not Russian presence"
    return (f'<p class="ab-actor"><b>Actor:</b> {escape_text(label)} · '
            f'<span class="ab-presence ab-presence-{"yes" if present else "no"}">{presence}</span></p>')


def build_observation_popup(observation: Mapping[str, Any]) -> str:
    """Return the popup of an observation: what a source saw, when (at the date's precision), how, sources."""
    radius = observation.get("uncertainty_km")
    parts = [write_heading(observation.get("name")),
             write_meta_line(["Observation, not a flight", describe_partial_date(observation.get("date")),
                              look_up(OBSERVATION_METHOD_LABELS, observation.get("method"))]),
             write_row("Place", observation.get("place_name")),
             write_row("Seen", observation.get("observed")),
             write_row("Aircraft counted", observation.get("aircraft")),
             write_row("Place uncertain", f"airfield not named, within {float(radius):g} km")
             if is_present(radius) and float(radius) > 0 else "",
             write_confidence(observation.get("confidence")), write_conflict(observation.get("conflict")),
             write_sources("Sources", observation.get("sources"))]
    return wrap([*parts, write_provenance(observation.get("provenance"))])


def build_route_popup(route: Mapping[str, Any]) -> str:
    """Return the popup of a route leg: ends, record type, flights in the window, dates, sources."""
    return "".join(build_route_popup_parts(route))


def build_route_popup_parts(route: Mapping[str, Any]) -> list[str]:
    """Return :func:`build_route_popup` as its pieces (heading, each row, the sources), in order.

    The live map sends a route's popup as these pieces (``map_contract.RouteFeature``): the
    scrub index holds a popup for every set of flights a leg carries on some day in some
    window (22,458 with 10,000 flights), and pieces such as the heading, the great circle's
    countries and the closures are the same in most of them.
    """
    style = look_up(ROUTE_STYLES, route.get("record_type"), None)
    flights = int(route.get("flights") or 0)
    records = int(route.get("records") or 0)
    # From the first record's start to the last day any covers (a count report's period end).
    last = route.get("end_date") if is_present(route.get("end_date")) else route.get("date")
    dates = route.get("first_date")
    if is_present(last) and last != dates:
        dates = f"{dates} to {last}"
    parts = [write_heading(f"{route.get('from_name')} → {route.get('to_name')}"),
             write_meta_line([style.label if style else route.get("record_type"), f"{route.get('length_km')} km"]),
             write_row("Flights in the window", f"{flights} (from {records} record{'s' if records != 1 else ''};"
                  f" a count report adds the lower bound of its whole period{_describe_unstated(route)})"),
             write_row("Dates", dates), *_describe_crossing(route), write_confidence(route.get("confidence"))]
    for end in ("from", "to"):
        radius = route.get(f"{end}_radius_km")
        if is_present(radius) and float(radius) > 0:
            parts.append(write_row("Uncertain end", f"{route.get(f'{end}_name')}: airfield not named, "
                              f"within {float(radius):g} km; the line stops at the edge of that area"))
    parts.append(write_sources("Sources", route.get("sources")))
    return wrap_parts([*parts, write_provenance(route.get("provenance"))])


def _describe_crossing(route: Mapping[str, Any]) -> list[str]:
    """Rows for the great circle's countries and the estimated flight time (``layers.route_facts``)."""
    countries = route.get("countries_overflown")
    rows = []
    if isinstance(countries, (list, tuple)):
        rows.append(write_row("Great circle crosses", describe_countries(countries)))
    hours = route.get("est_flight_time_h")
    if is_present(hours):
        rows.append(write_row("Estimated flight time", f"{float(hours):g} h ({route.get('flight_time_basis')})"))
    closed = route.get("airspace_closed")
    if isinstance(closed, (list, tuple)) and closed:
        rows.append(write_row("Closed airspace on the path", "; ".join(
            f"{flag['name']}: {describe_closure(flag)}" for flag in closed)))
        rows.append(write_sources("Closure sources", list(dict.fromkeys(
            str(source) for flag in closed for source in flag["sources"]))))
    return rows


def _describe_unstated(route: Mapping[str, Any]) -> str:
    unstated = int(route.get("reports_unstated") or 0)
    if not unstated:
        return ""
    many = unstated != 1
    return f"; {unstated} report{'s' if many else ''} state{'' if many else 's'} no count, counted as 1"


def build_flight_popup(flight: Mapping[str, Any]) -> str:
    """Return the popup of a flight record: what, when, from where to where, sources.

    A flight made from an ADS-B track says its ends are inferred, lists their candidate
    airfields and gives the reasons of ``notes`` one per line
    (:func:`dashboard.webmap.track_popups.build_track_flight_rows`).
    """
    dates = describe_date_span(flight)
    via = ", ".join(str(v) for v in flight.get("via") or [])
    tracked = is_track_flight(flight)
    parts = [write_heading(flight.get("name")),
             write_meta_line([look_up(RECORD_TYPE_LABELS, flight.get("record_type")), dates,
                              "from an ADS-B track" if tracked else None]),
             write_row("Aircraft", " ".join(str(flight[k]) for k in ("aircraft_type", "registration")
                                            if is_present(flight.get(k))) or "not reported"),
             write_row("Operator", flight.get("operator")),
             write_row("Count as reported", flight.get("count"))]
    if tracked:
        parts += build_track_flight_rows(flight)
    else:
        parts += [write_row("From (as reported)", flight.get("origin_name")),
                  write_row("To (as reported)", flight.get("destination_name"))]
    parts.append(write_row("Via", via))
    radius = flight.get("uncertainty_km")
    if is_present(radius) and float(radius) > 0:
        parts.append(write_row("Drawn at", f"the {flight.get('located_at')}, airfield not named: "
                               f"within {float(radius):g} km"))
    parts += [write_confidence(flight.get("confidence")), write_conflict(flight.get("conflict")),
              "" if tracked else write_row("Notes", flight.get("notes")),
              write_sources("Sources", flight.get("sources"))]
    return wrap([*parts, write_provenance(flight.get("provenance"))])


def build_corridor_popup(corridor: Mapping[str, Any]) -> str:
    """Return the popup of a documented corridor (a schematic reference line)."""
    valid = " to ".join(str(v) if is_present(v) else "open" for v in (corridor.get("valid_from"),
                                                                       corridor.get("valid_to")))
    parts = [write_heading(corridor.get("name")), write_meta_line(["Documented corridor, schematic line", valid]),
             f'<p class="ab-note">{escape_text(corridor.get("description"))}</p>',
             write_confidence(corridor.get("confidence")), write_sources("Sources", corridor.get("sources"))]
    return wrap([*parts, write_provenance(corridor.get("provenance"))])


def build_event_popup(event: Mapping[str, Any]) -> str:
    """Return the popup of an event: date, title, category, place, description, sources."""
    dates = describe_date_span(event)
    places = "; ".join(str(p) for p in event.get("place_names") or [])
    parts = [write_heading(event.get("name")),
             write_meta_line([dates, look_up(CATEGORY_LABELS, event.get("category"))]),
             write_row("Place", places),
             f'<p class="ab-note">{escape_text(event.get("description"))}</p>',
             write_confidence(event.get("confidence")), write_conflict(event.get("conflict")),
             write_sources("Sources", event.get("sources"))]
    return wrap([*parts, write_provenance(event.get("provenance"))])


def build_tooltip(properties: Mapping[str, Any]) -> str:
    """Return the one-line hover text of a feature (escaped HTML)."""
    layer = properties.get("layer")
    name = escape_text(properties.get("name"))
    if layer == "site":
        status = look_up(STATUS_STYLES, properties.get("status"), None)
        mark = choose_actor_mark(properties.get("status"), properties.get("status_actor"))
        other = f" · {escape_text(ACTOR_MARKS[mark].label)}, not Russian presence" if mark else ""
        return (f"<b>{name}</b><br>{escape_text(status.label if status else properties.get('status'))}"
                f"{write_stale(properties)}{other}")
    if layer == "route":
        flights = int(properties.get("flights") or 0)
        return f"<b>{name}</b><br>{flights} flight{'s' if flights != 1 else ''} in the window"
    if layer in ("flight", "event"):
        return f"{escape_text(properties.get('date'))}: {name}"
    if layer == "observation":
        return f"{escape_text(describe_partial_date(properties.get('date')))}: {name}"
    if layer in ("track", "gap", "reach", "position"):
        return build_track_tooltip(properties)
    return name


def build_group_tooltip(count: int, noun: str) -> str:
    """Return the first line of the hover text of several records drawn at one place."""
    return f"<b>{int(count)} {escape_text(noun)}s here</b>"


def build_uncertainty_tooltip(name: object, radius_km: float) -> str:
    """Return the hover text of an uncertainty circle: the place and its radius."""
    return f"{escape_text(name)}: airfield not named, within {float(radius_km):g} km"


def build_map_caption(as_of: dt.date, window_days: int | None, start: object = None) -> str:
    """Return the date box of the map, e.g. ``Fri 20 Dec 2024`` over ``Flights 14-20 Dec 2024 (7 days)``."""
    day = f"{as_of:%a} {as_of.day} {as_of:%b %Y}"
    if window_days is None:
        window = f"Flights: all up to {as_of.day} {as_of:%b %Y}"
    else:
        first = pd.Timestamp(str(start)).date() if is_present(start) else as_of
        days = "1 day" if window_days == 1 else f"{window_days} days"
        window = f"Flights: {first.day} {first:%b %Y} – {as_of.day} {as_of:%b %Y} ({days})"
    return f"<b>{escape_text(day)}</b><br>{escape_text(window)}"


def build_event_list_html(events: Iterable[Mapping[str, Any]], empty_text: str) -> str:
    """Return the list of events beside the map: date, title, category, confidence, sources.

    Parameters
    ----------
    events : iterable of mappings
        Event properties (as in ``Snapshot.events``), in the order to show.
    empty_text : str
        Plain text shown when there is no event.
    """
    items = []
    for event in events:
        dates = escape_text(event.get("date"))
        if is_present(event.get("end_date")):
            dates += f" to {escape_text(event['end_date'])}"
        place = "; ".join(str(p) for p in event.get("place_names") or []) or "no place given"
        items.append(
            f'<li class="ab-event-item"><div class="ab-event-date">{dates}</div>'
            f'<div class="ab-event-title">{escape_text(event.get("name"))}</div>'
            f'<div class="ab-event-meta">{escape_text(look_up(CATEGORY_LABELS, event.get("category")))}'
            f" · {escape_text(place)} · confidence {escape_text(event.get('confidence'))}</div>"
            f"{build_source_links(event.get('sources') or [], 'ab-event-sources')}</li>")
    if not items:
        return f'<p class="ab-event-empty">{escape_text(empty_text)}</p>'
    return f'<ol class="ab-event-list">{"".join(items)}</ol>'
