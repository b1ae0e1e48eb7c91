"""Airfield positions by code, from the airportsdata package (never typed by hand)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import airportsdata

from layers.errors import UnknownAirfieldError


@dataclass(frozen=True)
class Airfield:
    """An airfield as airportsdata knows it."""

    code: str
    name: str
    country: str
    lat: float
    lon: float


@cache
def load_airfield_table() -> dict[str, airportsdata.Airport]:
    """Return airportsdata's table by ICAO key (read once per process: parsing it takes ~0.1 s)."""
    return airportsdata.load("ICAO")


def find_airfield(code: str) -> Airfield:
    """Return the airfield with this airportsdata ICAO key.

    Parameters
    ----------
    code : str
        ICAO code, or airportsdata's own key for strips without one (e.g. ``HL59``).

    Raises
    ------
    UnknownAirfieldError
        If airportsdata does not list the code.
    """
    row = load_airfield_table().get(code.strip().upper())
    if row is None:
        raise UnknownAirfieldError(code)
    return Airfield(
        code=row["icao"], name=row["name"], country=row["country"],
        lat=float(row["lat"]), lon=float(row["lon"]),
    )


def is_known_airfield(code: str) -> bool:
    """Return whether airportsdata knows the airfield code (ICAO key)."""
    return code.strip().upper() in load_airfield_table()


def airportsdata_version() -> str:
    """Return the installed airportsdata release, cited as the source of positions."""
    return airportsdata.__version__
