"""Map layers of a two-date comparison: the sites whose status changed and the routes that appeared, stopped or moved.

Built from :func:`layers.analytics.changes.compare_dates` (what changed) and the dataset
(where): a changed site is a point at the site, with its status on each date, the status
rows between and their sources; a route is the geodesic between its two ends, cut at the
edge of an end the sources name only roughly (:func:`layers.route_ends.trim_route_line`,
as every route layer is), with its flights on each date. A route whose two ends' circles
cover the whole way keeps a null geometry: listed, not drawn.

Flights are counted as :mod:`layers.analytics.changes` counts them: individual flights plus
count reports at their lower bound (plans kept apart), in the window ending on each date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from layers.analytics.changes import Changes
from layers.analytics.legs import locate
from layers.dataset import CRS, Dataset
from layers.route_ends import trim_route_line
from layers.timeline import select_status_as_of

CHANGE_KINDS = ("appeared", "stopped", "changed")
"""How a route moved between the two dates, in the order the map's legend lists them."""
CHANGE_SECTIONS = {"appeared": "routes_appeared", "stopped": "routes_stopped", "changed": "routes_changed"}
"""The :class:`~layers.analytics.changes.Changes` list each kind comes from."""
MINUS = "\u2212"  # a real minus sign: a hyphen reads as a dash in a label

_COMMON = ("layer", "id", "name", "sources", "confidence", "provenance")
CHANGED_SITE_COLUMNS = (*_COMMON, "status_before", "status_after", "status_after_date", "status_after_note",
                        "status_after_sources", "rows", "uncertainty_km")
CHANGED_ROUTE_COLUMNS = (*_COMMON, "change_kind", "from_id", "to_id", "from_name", "to_name", "from_radius_km",
                         "to_radius_km", "from_uncertain", "to_uncertain", "from_lon", "from_lat", "to_lon", "to_lat",
                         "individual_before", "reported_before", "plans_before", "individual_after",
                         "reported_after", "plans_after", "flights_before", "flights_after", "change", "label")


@dataclass(frozen=True)
class ChangeLayers:
    """The two-date comparison as map layers: ``sites`` (points) and ``routes`` (lines), with its dates and window."""

    before: str
    after: str
    window_days: int
    sites: gpd.GeoDataFrame
    routes: gpd.GeoDataFrame


def build_change_layers(dataset: Dataset, changes: Changes) -> ChangeLayers:
    """Return the changed sites and routes of ``changes`` as GeoDataFrames (EPSG:4326).

    Parameters
    ----------
    dataset : Dataset
        The data ``changes`` was computed on (sites, named places and status rows).
    changes : Changes
        From :func:`layers.analytics.changes.compare_dates`.
    """
    return ChangeLayers(changes.before, changes.after, changes.window_days,
                        build_changed_site_layer(dataset, changes), build_changed_route_layer(dataset, changes))


def build_changed_site_layer(dataset: Dataset, changes: Changes) -> gpd.GeoDataFrame:
    """Return one point per site whose status differs between the two dates.

    ``rows`` are the status rows dated between the dates (as ``compare_dates`` lists them);
    ``status_after_*`` is the row in force on the second date, which carries the change
    even when no row is dated between (a row dated only to a month takes effect when the
    month is over). ``sources`` are the site's own, then those of those rows.
    ``uncertainty_km`` is the place's radius (0 for a site with known coordinates).
    """
    ids = [site["id"] for site in changes.sites]
    now = select_status_as_of(dataset.site_status, pd.Index(ids), pd.Timestamp(changes.after).date())
    rows: list[dict[str, Any]] = []
    geometries: list[Point] = []
    for change in changes.sites:
        site = dataset.sites.loc[change["id"]]
        state = now.loc[change["id"]]
        in_force = isinstance(state["note"], str)
        after_sources = list(state["sources"]) if in_force else []
        steps = [dict(step) for step in change["rows"]]
        rows.append({
            "layer": "changed_site", "id": change["id"], "name": change["name"],
            "sources": list(dict.fromkeys([*site["sources"], *(s for step in steps for s in step["sources"]),
                                           *after_sources])),
            "confidence": site["confidence"], "provenance": site["provenance"],
            "status_before": change["before"], "status_after": change["after"],
            "status_after_date": state["date"] if in_force else None,
            "status_after_note": state["note"] if in_force else None,
            "status_after_sources": after_sources, "rows": steps,
            "uncertainty_km": float(dataset.locations[change["id"]].radius_km),
        })
        geometries.append(Point(site.geometry.x, site.geometry.y))
    return _to_frame(CHANGED_SITE_COLUMNS, rows, geometries)


def build_changed_route_layer(dataset: Dataset, changes: Changes) -> gpd.GeoDataFrame:
    """Return one line per directed route that appeared, stopped or whose flights changed (``change_kind``).

    ``flights_before`` / ``flights_after`` are the flights in each window (individual plus
    reported at their lower bound; 0 where the route was not flown); ``change`` is their
    difference and ``label`` its signed figure (``+2``, ``-1`` with a minus sign, ``±0``) for a route flown on
    both dates, None otherwise.
    """
    rows: list[dict[str, Any]] = []
    geometries: list[Any] = []
    for kind in CHANGE_KINDS:
        for route in getattr(changes, CHANGE_SECTIONS[kind]):
            origin, destination = locate(dataset, route["origin"]), locate(dataset, route["destination"])
            if origin is None or destination is None:  # compare_dates lists only located routes; kept safe
                continue
            before, after = _counts(route.get("before")), _counts(route.get("after"))
            change = after["total"] - before["total"]
            rows.append({
                "layer": "changed_route", "id": route["id"], "name": route["name"],
                "sources": list(route.get("sources", [])), "confidence": route.get("confidence"),
                "provenance": None, "change_kind": kind,
                "from_id": origin.id, "to_id": destination.id, "from_name": origin.name,
                "to_name": destination.name, "from_radius_km": origin.radius_km,
                "to_radius_km": destination.radius_km, "from_uncertain": origin.radius_km > 0,
                "to_uncertain": destination.radius_km > 0, "from_lon": origin.lon, "from_lat": origin.lat,
                "to_lon": destination.lon, "to_lat": destination.lat,
                "individual_before": before["individual"], "reported_before": before["reported"],
                "plans_before": before["plans"], "individual_after": after["individual"],
                "reported_after": after["reported"], "plans_after": after["plans"],
                "flights_before": before["total"], "flights_after": after["total"], "change": change,
                "label": describe_change(change) if kind == "changed" else None,
            })
            geometries.append(trim_route_line(origin, destination))
    return _to_frame(CHANGED_ROUTE_COLUMNS, rows, geometries)


def describe_change(change: int) -> str:
    """Return a change of flights as a signed figure: ``+3``, ``-2`` (with :data:`MINUS`), ``±0``.

    Examples
    --------
    >>> describe_change(3), describe_change(0), describe_change(-2) == MINUS + "2"
    ('+3', '±0', True)
    """
    if change > 0:
        return f"+{change}"
    if change < 0:
        return f"{MINUS}{-change}"
    return "\u00b10"


def _counts(count: Mapping[str, int] | None) -> dict[str, int]:
    given = count or {}
    individual, reported = int(given.get("flights_individual", 0)), int(given.get("flights_reported", 0))
    return {"individual": individual, "reported": reported, "plans": int(given.get("plans", 0)),
            "total": individual + reported}


def _to_frame(columns: tuple[str, ...], rows: list[dict[str, Any]], geometries: list[Any]) -> gpd.GeoDataFrame:
    # Object columns keep None as None, as the snapshot layers do (layers.features).
    frame = pd.DataFrame(rows, columns=list(columns), dtype=object)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometries, crs=CRS), crs=CRS)
