"""Flights from positions: where one flight of an aircraft ends and the next begins.

Per aircraft, in time order, leaving out positions flagged implausible, a new flight
starts at a position when

1. readsb flags it as the start of a new leg (``new_leg``);
2. it is airborne after positions on the ground (a take-off: the last ground position
   is kept as the flight's first, so its departure is where it stood);
3. the gap before it is longer than :data:`LOW_GAP_MINUTES` and the aircraft was low on
   both sides, below :data:`LOW_ALTITUDE_FT`, not climbing before the gap and not
   descending after it (it went down, and came up again: it landed where no receiver
   heard it);
4. the gap before it is longer than the type's endurance
   (:mod:`layers.tracks.performance`): it cannot have stayed airborne that long.

A flight ends at the first position on the ground after airborne ones (the landing roll,
kept so the arrival is where it stopped). Any other gap, however long, stays inside its
flight and becomes a gap record (:mod:`layers.tracks.gaps`). Positions on the ground
between flights (taxiing, parked) belong to no flight. A flight needs two positions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from layers.tracks.performance import find_performance

LOW_ALTITUDE_FT = 10_000.0
"""Below this on both sides of a gap, the aircraft is taken to have landed in it."""
LOW_GAP_MINUTES = 5.0
"""A shorter gap never splits a flight (a receiver's blind spot on the approach)."""
LEVEL_RATE_FPM = 500.0
"""Vertical rates within +/- this are level flight: "not climbing" allows up to +500 ft/min."""


@dataclass(frozen=True)
class FlightSplit:
    """One flight's positions (row labels of the position table, in time order) and why it starts."""

    icao24: str
    rows: np.ndarray
    starts_because: str


def split_flights(positions: pd.DataFrame, types: Mapping[str, str] | None = None) -> list[FlightSplit]:
    """Return the flights in a position table, by aircraft then time (see the module docstring).

    Parameters
    ----------
    positions : pandas.DataFrame
        The position table (:mod:`layers.tracks.positions`); it may hold several aircraft
        and several files, in any order.
    types : mapping of str to str, optional
        icao24 -> aircraft type from the watchlist, for aircraft whose file gives none
        (the type sets the endurance rule).
    """
    good = positions.loc[~positions["implausible"].to_numpy(dtype=bool)]
    flights: list[FlightSplit] = []
    for icao24, rows in good.groupby("icao24", sort=True).groups.items():
        aircraft = good.loc[rows].sort_values("time", kind="stable")
        flights.extend(_split_aircraft(str(icao24), aircraft, (types or {}).get(str(icao24), "")))
    return flights


def _split_aircraft(icao24: str, aircraft: pd.DataFrame, listed_type: str) -> list[FlightSplit]:
    labels = aircraft.index.to_numpy()
    ground = aircraft["on_ground"].to_numpy(dtype=bool)
    seconds = aircraft["time"].to_numpy(dtype="datetime64[ns]").astype("int64") / 1e9
    altitude = aircraft["alt_baro_ft"].to_numpy(dtype="float64")
    rate = aircraft["vertical_rate_fpm"].to_numpy(dtype="float64")
    aircraft_type = next((t for t in aircraft["aircraft_type"] if t), listed_type)
    endurance_s = find_performance(aircraft_type).endurance_h * 3600.0
    gap_s = np.diff(seconds, prepend=seconds[0])
    low_before = np.roll(np.nan_to_num(altitude, nan=np.inf) < LOW_ALTITUDE_FT, 1)
    low_after = np.nan_to_num(altitude, nan=np.inf) < LOW_ALTITUDE_FT
    not_climbing = np.roll(~(rate > LEVEL_RATE_FPM), 1)
    not_descending = ~(rate < -LEVEL_RATE_FPM)
    landed_unseen = (gap_s > LOW_GAP_MINUTES * 60) & low_before & low_after & not_climbing & not_descending
    too_long = gap_s > endurance_s
    new_leg = aircraft["new_leg"].to_numpy(dtype=bool)
    cut = (new_leg | landed_unseen | too_long)
    cut[0] = False
    flights: list[FlightSplit] = []
    current: list[int] = []
    because = ""
    for i in range(len(labels)):
        if cut[i] and current:
            flights.append(FlightSplit(icao24, labels[current], because))
            current = []
        if ground[i]:
            if current and not ground[current[-1]]:
                current.append(i)  # the landing roll ends the flight
                flights.append(FlightSplit(icao24, labels[current], because))
                current = []
            continue
        if not current:
            taking_off = i > 0 and ground[i - 1] and not cut[i]
            current = [i - 1] if taking_off else []
            because = _describe_start(i, taking_off=taking_off, new_leg=new_leg, landed_unseen=landed_unseen,
                                      too_long=too_long, gap_s=gap_s)
        current.append(i)
    if current:
        flights.append(FlightSplit(icao24, labels[current], because))
    return [flight for flight in flights if len(flight.rows) >= 2]


def _describe_start(i: int, *, taking_off: bool, new_leg: np.ndarray, landed_unseen: np.ndarray,
                    too_long: np.ndarray, gap_s: np.ndarray) -> str:
    if taking_off:
        return "take-off after positions on the ground"
    if i == 0:
        return "first position of the aircraft in the data"
    if new_leg[i]:
        return "readsb marks a new leg"
    minutes = gap_s[i] / 60
    if landed_unseen[i]:
        return (f"gap of {minutes:.0f} min with the aircraft below {LOW_ALTITUDE_FT:,.0f} ft on both sides "
                "(landed unseen)")
    if too_long[i]:
        return f"gap of {minutes / 60:.1f} h, longer than the type can stay airborne"
    return "first airborne position after positions on the ground"
