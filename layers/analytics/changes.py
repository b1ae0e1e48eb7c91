"""What changed between two dates: site statuses, routes that appeared or stopped, flight counts, events.

Both dates are read as the map reads them (:mod:`layers.timeline`):

* a site's status is the one in force on each date; a site whose status differs is
  listed with the status rows dated after the first date and up to the second;
* routes are those flown or reported in the flight window of ``window_days`` days ending
  on each date (the map's window, default 7): a route in the second window only has
  *appeared*, one in the first only has *stopped* (no flight or report in the later
  window, not a documented end), and one in both has its flight counts compared
  (individual flights, and reported flights at their lower bound, as in
  :mod:`layers.analytics.routes`); each route carries the ``sources`` and best
  ``confidence`` of its records in the window(s) compared;
* the events dated after the first date and up to the second are listed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from layers.analytics.legs import Period
from layers.analytics.routes import RouteStatistics, build_route_statistics
from layers.dataset import Dataset
from layers.timeline import DEFAULT_WINDOW_DAYS, select_status_as_of
from layers.vocabulary import select_best_confidence


@dataclass(frozen=True)
class Changes:
    """The differences between the state on ``before`` and on ``after`` (JSON-ready lists of dicts)."""

    before: str
    after: str
    window_days: int
    sites: list[dict[str, Any]]
    routes_appeared: list[dict[str, Any]]
    routes_stopped: list[dict[str, Any]]
    routes_changed: list[dict[str, Any]]
    flights: dict[str, Any]
    events: list[dict[str, Any]]

    def as_record(self) -> dict[str, Any]:
        """Return the changes as a JSON-ready dict (the ``diff --format json`` document)."""
        return asdict(self)


def compare_dates(dataset: Dataset, before: dt.date, after: dt.date,
                  window_days: int = DEFAULT_WINDOW_DAYS) -> Changes:
    """Return what changed from ``before`` to ``after`` (see the module docstring).

    Raises
    ------
    ValueError
        If ``after`` is earlier than ``before`` or ``window_days`` is below 1.
    """
    if after < before:
        raise ValueError(f"the second date ({after}) is before the first ({before})")
    if window_days < 1:
        raise ValueError(f"window_days must be 1 or more; got {window_days}")
    earlier = {r.id: r for r in build_route_statistics(dataset, _window(before, window_days))}
    later = {r.id: r for r in build_route_statistics(dataset, _window(after, window_days))}
    changed = []
    for route_id in earlier.keys() & later.keys():
        a, b = earlier[route_id], later[route_id]
        if (a.flights_individual, a.flights_reported) != (b.flights_individual, b.flights_reported):
            changed.append({**_describe_route(b), **_attest(a, b), "before": _count(a), "after": _count(b),
                            "change": b.flights_total - a.flights_total})
    first, second = _total(earlier.values()), _total(later.values())
    totals: dict[str, Any] = {"before": first, "after": second,
                              "change": second["flights_total"] - first["flights_total"]}
    return Changes(
        before=before.isoformat(), after=after.isoformat(), window_days=window_days,
        sites=_compare_sites(dataset, before, after),
        routes_appeared=[{**_describe_route(later[i]), **_attest(later[i]), "after": _count(later[i])}
                         for i in sorted(later.keys() - earlier.keys())],
        routes_stopped=[{**_describe_route(earlier[i]), **_attest(earlier[i]), "before": _count(earlier[i])}
                        for i in sorted(earlier.keys() - later.keys())],
        routes_changed=sorted(changed, key=lambda r: (-abs(r["change"]), r["id"])),
        flights=totals, events=_list_events(dataset, before, after))


def _window(day: dt.date, window_days: int) -> Period:
    return Period(day - dt.timedelta(days=window_days - 1), day)


def _compare_sites(dataset: Dataset, before: dt.date, after: dt.date) -> list[dict[str, Any]]:
    then = select_status_as_of(dataset.site_status, dataset.sites.index, before)
    now = select_status_as_of(dataset.site_status, dataset.sites.index, after)
    rows = dataset.site_status
    between = rows[(rows["start"] > pd.Timestamp(before)) & (rows["start"] <= pd.Timestamp(after))]
    found = []
    for site_id in dataset.sites.index:
        old, new = then.loc[site_id, "status"], now.loc[site_id, "status"]
        if old == new:
            continue
        steps = between[between["site_id"] == site_id]
        found.append({"id": site_id, "name": dataset.sites.loc[site_id, "name"], "before": old, "after": new,
                      "rows": [{"date": r["date"], "status": r["status"], "note": r["note"],
                                "sources": list(r["sources"]), "confidence": r["confidence"]}
                               for r in steps.to_dict("records")]})
    return found


def _list_events(dataset: Dataset, before: dt.date, after: dt.date) -> list[dict[str, Any]]:
    events = dataset.events
    shown = events[(events["date"] > pd.Timestamp(before)) & (events["date"] <= pd.Timestamp(after))]
    return [{"id": e["id"], "date": e["date"].date().isoformat(), "title": e["title"], "category": e["category"],
             "sources": list(e["sources"]), "confidence": e["confidence"]}
            for e in shown.sort_values("date", kind="stable").to_dict("records")]


def _describe_route(route: RouteStatistics) -> dict[str, Any]:
    return {"id": route.id, "origin": route.origin, "destination": route.destination,
            "name": f"{route.origin_name} → {route.destination_name}"}


def _attest(*routes: RouteStatistics) -> dict[str, Any]:
    """Return the sources and best confidence of the route's records in the window(s) compared (for the map)."""
    return {"sources": list(dict.fromkeys(source for route in routes for source in route.sources)),
            "confidence": select_best_confidence(route.confidence for route in routes)}


def _count(route: RouteStatistics) -> dict[str, int]:
    return {"flights_individual": route.flights_individual, "flights_reported": route.flights_reported,
            "plans": route.plans}


def _total(routes: Any) -> dict[str, int]:
    listed = list(routes)
    individual = sum(r.flights_individual for r in listed)
    reported = sum(r.flights_reported for r in listed)
    return {"flights_individual": individual, "flights_reported": reported, "flights_total": individual + reported}
