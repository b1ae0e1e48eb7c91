"""What the gap rules assume of each aircraft type: top speed and time aloft, with sources.

A gap's reachable airfields use the type's top speed (a generous bound: an airfield the
aircraft could only reach faster is ruled out, one it could reach slower is kept), and a
gap longer than the type's endurance cannot have been flown without landing. Types are
ICAO type designators (``IL76``, ``A124``), as readsb and the watchlist write them; the
registry's plain names (``Il-76``, ``An-124``) map onto them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Performance:
    """A type's top speed and endurance, and where the figures come from."""

    designator: str
    name: str
    top_speed_kt: float
    endurance_h: float
    source: str


# Speeds are level-flight maxima, converted from km/h (1 kt = 1.852 km/h) and rounded up.
TYPES: dict[str, Performance] = {p.designator: p for p in (
    Performance("IL76", "Ilyushin Il-76", 460.0, 10.0,
                "Britannica 'Ilyushin Il-76': maximum level speed 850 km/h; endurance assumed from its "
                "5,000 km design range at 800 km/h plus reserves"),
    Performance("A124", "Antonov An-124", 470.0, 12.0,
                "An-124 maximum cruise 865 km/h (Antonov); endurance assumed from its 15,000 km ferry range"),
    Performance("IL62", "Ilyushin Il-62", 490.0, 12.0, "Il-62M cruise up to 900 km/h; assumed"),
    Performance("A225", "Antonov An-225", 460.0, 14.0, "assumed as An-124"),
    Performance("AN12", "Antonov An-12", 340.0, 10.0, "An-12 maximum speed 670 km/h (Antonov); assumed"),
    Performance("T154", "Tupolev Tu-154", 520.0, 8.0, "Tu-154M cruise up to 950 km/h; assumed"),
    Performance("T204", "Tupolev Tu-204", 490.0, 9.0, "Tu-204 cruise up to 850-900 km/h; assumed"),
)}
DEFAULT = Performance("", "type not known", 520.0, 12.0,
                      "no type: the fastest figure above, so no reachable airfield is ruled out")
ALIASES = {"IL-76": "IL76", "IL-76MD": "IL76", "IL-76TD": "IL76", "IL-78": "IL76", "AN-124": "A124",
           "AN-124-100": "A124", "IL-62": "IL62", "IL-62M": "IL62", "AN-12": "AN12", "TU-154": "T154",
           "TU-154M": "T154", "TU-204": "T204", "AN-225": "A225"}


def find_performance(aircraft_type: str) -> Performance:
    """Return the figures of a type given as an ICAO designator or a plain name (else :data:`DEFAULT`).

    Examples
    --------
    >>> find_performance("Il-76MD").designator
    'IL76'
    >>> find_performance("").name
    'type not known'
    """
    key = aircraft_type.strip().upper()
    return TYPES.get(ALIASES.get(key, key), DEFAULT)


def normalise_type(aircraft_type: str) -> str:
    """Return the ICAO designator of a known type name, else the text as given."""
    key = aircraft_type.strip().upper()
    return ALIASES.get(key, key) if key else ""
