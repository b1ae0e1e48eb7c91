"""The analytics as flat rows and text: CSV tables (never a formula in a cell) and the ``diff`` listing.

Lists inside a CSV cell are joined with ``; `` (sources with `` | ``), as in the data
files. Every cell goes through :func:`layers.escaping.escape_csv_cell`, so a value that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return cannot run as a
formula when the file is opened in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from layers.analytics.changes import Changes
from layers.analytics.routes import RouteStatistics
from layers.escaping import escape_csv_cell
from layers.missing import is_present

ROUTE_COLUMNS = ("origin", "destination", "origin_name", "destination_name", "distance_km", "distance_nm",
                 "flights_individual", "flights_tracked", "flights_reported", "count_reports", "plans",
                 "aircraft_types", "registrations", "first_seen", "last_seen", "rotations_per_week",
                 "est_flight_time_h", "est_flight_time_by_type", "countries_overflown",
                 "countries_possibly_overflown", "path_basis", "airspace_flags", "avoiding_corridors",
                 "origin_country", "destination_country", "record_ids", "sources", "confidence")
CHANGE_COLUMNS = ("section", "id", "name", "before", "after", "change", "detail")
ITINERARY_LEG_COLUMNS = ("itinerary", "registration", "leg", "record_id", "origin", "origin_name", "destination",
                         "destination_name", "first_day", "last_day", "distance_km", "gap_h", "connected")
"""One row per leg of an itinerary (``python -m layers itineraries --format csv`` and the panel's download)."""


def build_itinerary_rows(itineraries: Iterable[dict[str, Any]]) -> list[dict[str, object]]:
    """Return one row per leg of :func:`layers.analytics.itineraries.describe_itinerary` dicts, legs numbered from 1."""
    return [{"itinerary": i["id"], "registration": i["registration"], "leg": number, **leg}
            for i in itineraries for number, leg in enumerate(i["legs"], start=1)]


def build_route_rows(routes: Iterable[RouteStatistics]) -> list[dict[str, object]]:
    """Return one flat row per route, the columns of :data:`ROUTE_COLUMNS` (lists joined as text)."""
    rows = []
    for route in routes:
        record = route.as_record()
        record["count_reports"] = "; ".join(
            f"{r['id']}: {r['count'] or 'no count given'} (counted {r['counted_as']}"
            f"{'' if r.get('count_stated', True) else ', count not stated'})" for r in route.count_reports)
        record["est_flight_time_by_type"] = "; ".join(f"{k} {v}" for k, v in route.est_flight_time_by_type.items())
        record["airspace_flags"] = "; ".join(
            f"{f['name']}" + (" (possibly)" if f.get("possibly_overflown") else "") for f in route.airspace_flags)
        record["avoiding_corridors"] = "; ".join(f"{c['name']} ({c['distance_km']:,.0f} km)"
                                                 for c in route.avoiding_corridors)
        record["sources"] = " | ".join(route.sources)
        rows.append({column: _join(record[column]) for column in ROUTE_COLUMNS})
    return rows


def build_change_rows(changes: Changes) -> list[dict[str, object]]:
    """Return the changes as rows of :data:`CHANGE_COLUMNS`, one per site, route or event."""
    rows: list[dict[str, object]] = []
    for site in changes.sites:
        rows.append({"section": "site status", "id": site["id"], "name": site["name"], "before": site["before"],
                     "after": site["after"], "change": "",
                     "detail": "; ".join(f"{r['date']} {r['status']}: {r['note']}" for r in site["rows"])})
    for section, key in (("route appeared", "routes_appeared"), ("route stopped", "routes_stopped"),
                         ("route flights changed", "routes_changed")):
        for route in getattr(changes, key):
            before, after = route.get("before"), route.get("after")
            rows.append({"section": section, "id": route["id"], "name": route["name"],
                         "before": _describe_count(before), "after": _describe_count(after),
                         "change": route.get("change", ""), "detail": ""})
    for event in changes.events:
        rows.append({"section": "event", "id": event["id"], "name": event["title"], "before": "",
                     "after": event["date"], "change": "", "detail": event["category"]})
    return rows


def write_csv(rows: Sequence[dict[str, object]], columns: Sequence[str]) -> str:
    """Return CSV text (header first, RFC 4180 quoting), every cell escaped against formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([escape_csv_cell(c) for c in columns])
    for row in rows:
        writer.writerow([escape_csv_cell(row.get(column)) for column in columns])
    return buffer.getvalue()


def describe_changes(changes: Changes) -> str:
    """Return the changes as the plain-text list ``diff`` prints by default."""
    lines = [(f"What changed from {changes.before} to {changes.after} "
              f"(flights in the {changes.window_days}-day window ending on each date)")]
    totals = changes.flights
    lines.append(f"Flights: {_describe_count(totals['before'])} -> {_describe_count(totals['after'])} "
                 f"({totals['change']:+d})")
    sections: list[tuple[str, list[str]]] = [
        ("Site status changes", [f"{s['name']}: {s['before']} -> {s['after']}"
                                 + "".join(f"\n    {r['date']} {r['status']}: {r['note']}" for r in s["rows"])
                                 for s in changes.sites]),
        ("Routes appeared", [f"{r['name']}: {_describe_count(r['after'])}" for r in changes.routes_appeared]),
        ("Routes stopped", [f"{r['name']}: {_describe_count(r['before'])}" for r in changes.routes_stopped]),
        ("Flight counts changed", [f"{r['name']}: {_describe_count(r['before'])} -> "
                                   f"{_describe_count(r['after'])} ({r['change']:+d})"
                                   for r in changes.routes_changed]),
        ("Events", [f"{e['date']} {e['title']} ({e['category']})" for e in changes.events]),
    ]
    for title, items in sections:
        lines.append(f"{title}: {'none' if not items else len(items)}")
        lines += [f"  - {item}" for item in items]
    return "\n".join(lines)


def _describe_count(count: Any) -> str:
    if not isinstance(count, dict):
        return ""
    text = f"{count['flights_individual']} individual + {count['flights_reported']} reported"
    return text + (f", {count['plans']} planned" if count.get("plans") else "")


def _join(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value if is_present(v))
    return value
