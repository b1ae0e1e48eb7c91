"""Which airfields a position could be at: the nearest airportsdata entries within set limits.

A flight's departure is inferred from its first position and its arrival from its last,
only when that position is plausibly at an airfield: on the ground, or no higher than
:data:`MAX_ENDPOINT_ABOVE_FIELD_FT` above the field, and within :data:`MAX_ENDPOINT_KM` of
it. Otherwise the endpoint stays unknown and says why ("first seen at 31,000 ft"), since a
track that starts at cruise height only starts where a receiver first heard it.

The pool is every airportsdata entry (ICAO codes and its local keys such as ``HL59`` for
al-Khadim) except heliports: airportsdata gives no runway lengths, so "suitable" cannot
mean more without inventing data. The nearest candidates are kept, nearest first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np

from layers.airfields import load_airfield_table
from layers.geodesic import measure_haversine_km

MAX_ENDPOINT_KM = 15.0
"""Farthest an endpoint may be from the airfield it is put at (a long final approach is ~15 km)."""
MAX_ENDPOINT_ABOVE_FIELD_FT = 4000.0
"""Highest above the field an endpoint may be (a 3-degree approach is ~3,000 ft at 15 km)."""
MAX_CANDIDATES = 5


@dataclass(frozen=True)
class AirfieldCandidate:
    """An airfield near a position: its airportsdata key, name, place and how far it is."""

    icao: str
    name: str
    country: str
    lat: float
    lon: float
    elevation_ft: float
    distance_km: float


@dataclass(frozen=True)
class Endpoint:
    """Where a flight starts or ends: the airfield chosen (or None), the candidates and why."""

    icao: str | None
    candidates: tuple[AirfieldCandidate, ...]
    reason: str


@dataclass(frozen=True)
class AirfieldPool:
    """Every candidate airfield as arrays (keys, latitude and longitude in radians, elevation in ft)."""

    codes: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    elevation: np.ndarray


@cache
def load_pool() -> AirfieldPool:
    """Return the pool of candidate airfields (see the module docstring), built once per process."""
    rows = [(code, row) for code, row in load_airfield_table().items()
            if "heliport" not in row["name"].lower() and "helipad" not in row["name"].lower()]
    return AirfieldPool(np.array([code for code, _ in rows]), np.radians([float(r["lat"]) for _, r in rows]),
                 np.radians([float(r["lon"]) for _, r in rows]),
                 np.array([float(r["elevation"] or 0.0) for _, r in rows]))


def measure_km_to_all(lat: float, lon: float) -> np.ndarray:
    """Return the great-circle distance in km from (lat, lon) to every airfield of the pool."""
    pool = load_pool()
    return measure_haversine_km(math.radians(lat), math.radians(lon), pool.lat, pool.lon)


def find_nearby_airfields(lat: float, lon: float, max_km: float, limit: int = MAX_CANDIDATES) -> list[
        AirfieldCandidate]:
    """Return up to ``limit`` airfields within ``max_km`` of (lat, lon), nearest first."""
    distances = measure_km_to_all(lat, lon)
    inside = np.flatnonzero(distances <= max_km)
    nearest = inside[np.argsort(distances[inside], kind="stable")][:limit]
    return [describe_airfield(int(i), float(distances[i])) for i in nearest]


def describe_airfield(index: int, distance_km: float) -> AirfieldCandidate:
    """Return the pool's airfield ``index`` as a candidate ``distance_km`` away."""
    pool = load_pool()
    code = str(pool.codes[index])
    row = load_airfield_table()[code]
    return AirfieldCandidate(code, row["name"], row["country"], float(row["lat"]), float(row["lon"]),
                             float(pool.elevation[index]), round(distance_km, 1))


def list_pool_codes() -> np.ndarray:
    """Return the airportsdata keys of the pool, in pool order (for vectorised callers)."""
    return load_pool().codes


def infer_endpoint(lat: float, lon: float, altitude_ft: float, on_ground: bool, role: str) -> Endpoint:
    """Return the airfield a flight's first (``role`` "departure") or last ("arrival") position is at.

    Parameters
    ----------
    lat, lon : float
        The position.
    altitude_ft : float
        Its barometric altitude (NaN when unknown: then only the distance decides).
    on_ground : bool
        Whether the source says it was on the ground.
    role : str
        ``departure`` or ``arrival``, for the reason's wording.
    """
    nearby = find_nearby_airfields(lat, lon, MAX_ENDPOINT_KM)
    seen = "first seen" if role == "departure" else "last seen"
    if not nearby:
        return Endpoint(None, (), f"{seen} {_describe_height(altitude_ft, on_ground)}, "
                                  f"no airfield within {MAX_ENDPOINT_KM:.0f} km")
    low_enough = [a for a in nearby if on_ground or math.isnan(altitude_ft)
                  or altitude_ft - a.elevation_ft <= MAX_ENDPOINT_ABOVE_FIELD_FT]
    if not low_enough:
        return Endpoint(None, tuple(nearby), f"{seen} {_describe_height(altitude_ft, on_ground)}, "
                                             f"too high to be at {nearby[0].name} ({nearby[0].distance_km} km)")
    chosen = low_enough[0]
    return Endpoint(chosen.icao, tuple(low_enough), f"{seen} {_describe_height(altitude_ft, on_ground)} "
                                                    f"{chosen.distance_km} km from {chosen.name}")


def _describe_height(altitude_ft: float, on_ground: bool) -> str:
    if on_ground:
        return "on the ground"
    if math.isnan(altitude_ft):
        return "at an unknown height"
    return f"at {altitude_ft:,.0f} ft"


def describe_airfield_by_code(code: str) -> AirfieldCandidate:
    """Return the airfield of an airportsdata key (distance 0): where a flight's arrival is drawn."""
    row = load_airfield_table()[code]
    return AirfieldCandidate(code, row["name"], row["country"], float(row["lat"]), float(row["lon"]),
                             float(row["elevation"] or 0.0), 0.0)
