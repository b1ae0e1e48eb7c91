"""Where an aircraft went dark inside a flight, and where it could have landed while dark.

A gap is two consecutive positions of one flight more than :data:`GAP_MINUTES` apart
(readsb's 15 s "stale" mark is for display and is not a gap). A gap record holds the last
position before it and the first after it, the duration, the great-circle distance and
the implied speed.

Candidate airfields (where it may have landed during the gap). With ``A`` the last
position, ``B`` the next, ``v`` the type's top speed (:mod:`layers.tracks.performance`,
or the fastest ground speed the flight showed when that is higher) and ``t`` the
minimum ground time :data:`MIN_GROUND_MINUTES`, airfield ``X`` qualifies when

    d(A, X) + d(X, B) <= v * (gap - t)

(the boundary is an ellipse with foci A and B: :func:`build_reach_ellipse`). Qualifying
airfields are ranked by a score from 0 to 1, a weighted sum whose terms are written out
as the candidate's reasons:

==========================  ======  ==================================================
term                        weight  value
==========================  ======  ==================================================
slack                       0.30    share of the flyable distance left over
descent before the gap      0.15    when descending at A: 1 - d(A, X) / reach
climb after the gap         0.15    when climbing at B: 1 - d(X, B) / reach
agreement with last track   0.15    (1 + cos(bearing A->X - track at A)) / 2
earlier visits in the data  0.10    flights to or from X in the data, 3 or more = 1
known base                  0.15    X is one of the analyst's sites
==========================  ======  ==================================================
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from pyproj import Geod
from shapely.geometry import Polygon

from layers.tracks.airfield_match import describe_airfield, list_pool_codes, load_pool, measure_km_to_all
from layers.tracks.positions import KM_PER_NM

GAP_MINUTES = 5.0
"""Default: a silence longer than this inside a flight is a gap."""
MIN_GROUND_MINUTES = 10.0
"""Least time to land, roll out, turn and take off again; a real offload takes longer (the slack shows it)."""
DESCENT_FPM = -500.0
CLIMB_FPM = 500.0
MAX_GAP_CANDIDATES = 8
WEIGHTS = {"slack": 0.30, "descent": 0.15, "climb": 0.15, "track": 0.15, "visits": 0.10, "known": 0.15}
ELLIPSE_BEARINGS = 72
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class GapEnd:
    """A position on one side of a gap."""

    time: object
    lat: float
    lon: float
    altitude_ft: float
    vertical_rate_fpm: float
    track_deg: float
    on_ground: bool


@dataclass(frozen=True)
class Candidate:
    """An airfield the aircraft could have landed at during a gap, with its score and reasons."""

    icao: str
    name: str
    lat: float
    lon: float
    score: float
    reasons: tuple[str, ...]
    site_id: str | None = None


def measure_gap(last: GapEnd, after: GapEnd) -> tuple[float, float, float]:
    """Return the gap's duration (min), geodesic distance (km) and implied ground speed (kt)."""
    minutes = (after.time - last.time).total_seconds() / 60.0  # type: ignore[operator]
    distance = _GEOD.inv(last.lon, last.lat, after.lon, after.lat)[2] / 1000.0
    speed = distance / KM_PER_NM / (minutes / 60.0) if minutes > 0 else math.inf
    return minutes, distance, speed


def compute_reach_km(minutes: float, speed_kt: float) -> float:
    """Return how far the aircraft could fly in the gap after a minimum ground stop (0 when none)."""
    return max(minutes - MIN_GROUND_MINUTES, 0.0) / 60.0 * speed_kt * KM_PER_NM


def rank_candidates(last: GapEnd, after: GapEnd, reach_km: float, *, visits: Mapping[str, int],
                    known_bases: Mapping[str, str]) -> list[Candidate]:
    """Return the airfields within reach of a gap, best first (see the module docstring).

    Parameters
    ----------
    last, after : GapEnd
        The positions before and after the gap.
    reach_km : float
        :func:`compute_reach_km` of the gap.
    visits : mapping of str to int
        Airfield key -> flights to or from it elsewhere in the data.
    known_bases : mapping of str to str
        Airfield key -> id of the analyst's site there.
    """
    if reach_km <= 0:
        return []
    from_a = measure_km_to_all(last.lat, last.lon)
    to_b = measure_km_to_all(after.lat, after.lon)
    needed = from_a + to_b
    inside = np.flatnonzero(needed <= reach_km)
    if inside.size == 0:
        return []
    codes = list_pool_codes()
    bearing = _bearing_deg(last.lat, last.lon, inside)
    found: list[Candidate] = []
    for position, index in enumerate(inside):
        code = str(codes[index])
        terms, reasons = _score_terms(last, after, from_a=float(from_a[index]), to_b=float(to_b[index]),
                                      reach=reach_km, bearing=float(bearing[position]), visits=visits.get(code, 0),
                                      site_id=known_bases.get(code))
        airfield = describe_airfield(int(index), float(from_a[index]))
        score = round(sum(WEIGHTS[name] * value for name, value in terms.items()), 3)
        found.append(Candidate(code, airfield.name, airfield.lat, airfield.lon, score, tuple(reasons),
                               known_bases.get(code)))
    found.sort(key=lambda c: (-c.score, c.icao))
    return found[:MAX_GAP_CANDIDATES]


def _score_terms(last: GapEnd, after: GapEnd, *, from_a: float, to_b: float, reach: float, bearing: float,
                 visits: int, site_id: str | None) -> tuple[dict[str, float], list[str]]:
    needed = from_a + to_b
    terms = {"slack": (reach - needed) / reach}
    reasons = [(f"needs {needed:,.0f} km of the {reach:,.0f} km it could fly in the gap "
                f"(slack {reach - needed:,.0f} km)")]
    if last.vertical_rate_fpm < DESCENT_FPM:
        terms["descent"] = max(0.0, 1 - from_a / reach)
        reasons.append(f"descending at {abs(last.vertical_rate_fpm):,.0f} ft/min before the gap, "
                       f"{from_a:,.0f} km from the last position")
    if after.vertical_rate_fpm > CLIMB_FPM or (after.on_ground and not last.on_ground):
        terms["climb"] = max(0.0, 1 - to_b / reach)
        reasons.append(f"climbing at {after.vertical_rate_fpm:,.0f} ft/min after the gap, {to_b:,.0f} km "
                       "from the next position" if not math.isnan(after.vertical_rate_fpm)
                       else f"on the ground after the gap, {to_b:,.0f} km away")
    if not math.isnan(last.track_deg):
        off = abs((bearing - last.track_deg + 180) % 360 - 180)
        terms["track"] = (1 + math.cos(math.radians(off))) / 2
        reasons.append(f"{off:.0f}° off the last track ({last.track_deg:.0f}°)")
    else:
        reasons.append("no track before the gap to compare with")
    if visits:
        terms["visits"] = min(visits / 3, 1.0)
        reasons.append(f"{visits} earlier flight{'s' if visits != 1 else ''} to or from it in the data")
    if site_id:
        terms["known"] = 1.0
        reasons.append(f"a known site ({site_id})")
    return terms, reasons


def _bearing_deg(lat: float, lon: float, indices: np.ndarray) -> np.ndarray:
    pool = load_pool()
    lats, lons = np.degrees(pool.lat[indices]), np.degrees(pool.lon[indices])
    forward, _, _ = _GEOD.inv(np.full(len(indices), lon), np.full(len(indices), lat), lons, lats)
    return np.asarray(forward) % 360


def build_reach_ellipse(last: GapEnd, after: GapEnd, reach_km: float) -> Polygon | None:
    """Return the area where d(A, X) + d(X, B) <= reach (None when the gap leaves no time to land).

    For each of :data:`ELLIPSE_BEARINGS` bearings from A, the boundary's distance is found
    by bisection on the geodesic sums (all bearings at once), so the shape is right on the
    ellipsoid, not only in a map projection.
    """
    direct = _GEOD.inv(last.lon, last.lat, after.lon, after.lat)[2] / 1000.0
    if reach_km <= direct:
        return None
    bearings = np.linspace(0.0, 360.0, ELLIPSE_BEARINGS, endpoint=False)
    low, high = np.zeros_like(bearings), np.full_like(bearings, reach_km)
    lon_a, lat_a = np.full_like(bearings, last.lon), np.full_like(bearings, last.lat)
    for _ in range(30):
        middle = (low + high) / 2
        lon_x, lat_x, _ = _GEOD.fwd(lon_a, lat_a, bearings, middle * 1000.0)
        to_b = _GEOD.inv(lon_x, lat_x, np.full_like(bearings, after.lon), np.full_like(bearings, after.lat))[2] / 1000
        inside = middle + to_b <= reach_km
        low, high = np.where(inside, middle, low), np.where(inside, high, middle)
    lon_x, lat_x, _ = _GEOD.fwd(lon_a, lat_a, bearings, low * 1000.0)
    return Polygon(zip(np.asarray(lon_x), np.asarray(lat_x), strict=True))
