"""One line per route drawn, for the exports' footnotes: distance, flight time, countries crossed, closed airspace.

The figures are the route layer's own (:mod:`layers.route_facts`, the same as the live
map's route popup and ``python -m layers routes``): the centre-to-centre geodesic
``length_km``, the slowest reported type's time at its documented cruise speed, and the
basemap countries under the great circle, and the airspace closures it meets on its dates
(the layer's ``airspace_closed``, :func:`layers.route_facts.flag_leg_closures`, the same
rows as the popup's). The line cites each closure by its first source, and
:attr:`RouteNote.closures` names them with all their sources for the pages that print
links. Records of several types on one directed leg (an individual flight and a count
report) give one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from layers import Snapshot
from layers.missing import is_present
from layers.route_facts import describe_closure, describe_countries, find_timed_type
from layers.tracks.positions import KM_PER_NM

from dashboard.export.footnotes import name_place

ROUTE_NOTES_HEADING = ("Routes drawn: distance between the ends' centres, time at the slowest type's cruise "
                       "speed, countries under the great circle, closed airspace")
"""The heading the slide, the sources pages and the notes give the route lines."""


@dataclass(frozen=True)
class RouteNote:
    """The footnote line of one directed route, and the closures it flags with all their sources."""

    ends: tuple[str, str]  # the route layer's ``from_id``, ``to_id``
    route: str  # e.g. "Hmeimim → al-Khadim"
    text: str  # the whole line, starting with ``route``
    closures: tuple[tuple[str, tuple[str, ...]], ...]  # (name, sources as ``URL (outlet, date)``) of each closure


def build_route_notes(snapshot: Snapshot) -> list[RouteNote]:
    """Return one :class:`RouteNote` per directed route in ``snapshot.routes``, the most flown first."""
    routes = snapshot.routes
    if routes.empty:
        return []
    legs: dict[tuple[str, str], list[pd.Series]] = {}
    for _, row in routes.iterrows():
        legs.setdefault((row["from_id"], row["to_id"]), []).append(row)
    # The busiest routes first (flights in the window, count reports at their lower bound): a slide
    # short of room keeps them, and the rest follow in the layer's order.
    ordered = sorted(legs.values(), key=lambda rows: -sum(int(row["flights"]) for row in rows))
    return [describe_route(rows) for rows in ordered]


def describe_route(rows: list[pd.Series]) -> RouteNote:
    """Return the line of one directed route from its route-layer rows (one per record type).

    e.g. ``Hmeimim → al-Khadim: 1,418 km (765 NM), about 1.8 h by Il-76; crosses Cyprus, N. Cyprus;
    closed: Cyprus (CAPA, 2022-02-28)``: each closed country with the first source of its closure.
    """
    first = rows[0]
    route = (f"{name_place(first['from_name'], first['from_radius_km'])} → "
             f"{name_place(first['to_name'], first['to_radius_km'])}")
    km = float(first["length_km"])
    parts = [f"{km:,.0f} km ({km / KM_PER_NM:,.0f} NM)", _describe_time(rows),
             f"crosses {describe_countries(first['countries_overflown'])}"]
    flags = _merge_closures(rows)
    if flags:  # the closure's name and every source are on the sources pages and in the notes
        parts.append("closed: " + "; ".join(describe_closure(flag) for flag in flags))
    closures = tuple((str(flag["name"]), tuple(flag["sources"])) for flag in flags)
    text = f"{route}: {', '.join(parts[:2])}; {'; '.join(parts[2:])}"
    return RouteNote((str(first["from_id"]), str(first["to_id"])), route, text, closures)


def _describe_time(rows: list[pd.Series]) -> str:
    """``about 1.8 h by Il-76`` for the slowest timed record type on the leg, else why there is no time."""
    timed = [row for row in rows if is_present(row["est_flight_time_h"])]
    if not timed:
        reason = str(rows[0]["flight_time_basis"]).rsplit("; ", 1)[-1]
        return f"no flight time ({reason})"
    slowest = max(timed, key=lambda row: float(row["est_flight_time_h"]))
    kind = find_timed_type(str(slowest["flight_time_basis"]))
    return f"about {float(slowest['est_flight_time_h']):.1f} h" + (f" by {kind}" if kind else "")


def _merge_closures(rows: list[pd.Series]) -> list[dict[str, Any]]:
    """Return the closures the leg's record types meet (the route layer's ``airspace_closed``), each once.

    A closure met by several record types binds the leg when it binds any of them
    (``applies`` True), and stays "nationality not reported" (None) only when none is known.
    """
    merged: dict[str, dict[str, Any]] = {}
    for row in rows:
        for flag in row["airspace_closed"]:
            kept = merged.setdefault(str(flag["id"]), dict(flag))
            if flag["applies"]:
                kept["applies"] = True
    return list(merged.values())
