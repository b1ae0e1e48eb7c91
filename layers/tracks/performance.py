"""What the gap rules assume of each aircraft type: top speed and time aloft, with sources.

A gap's reachable airfields use the type's top speed (a generous bound: an airfield the
aircraft could only reach faster is ruled out, one it could reach slower is kept), and a
gap longer than the type's endurance cannot have been flown without landing. Types are
ICAO type designators (``IL76``, ``A124``), as readsb and the watchlist write them; the
registry's plain names (``Il-76``, ``An-124``) map onto them.

The same table holds what the analytics assume (:mod:`layers.analytics`): a cruise speed
for estimated flight times and documented ranges for range rings, each with its source.
Those are published figures for the type, not the load or wind of any flight: a flight
time at cruise speed over the great circle is a lower bound for the real block time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class RangeFigure:
    """A documented range of a type: how far, with what load, and where it is published."""

    label: str
    km: float
    source: str


@dataclass(frozen=True)
class Performance:
    """A type's top speed and endurance, its cruise speed and ranges, and where the figures come from.

    ``top_speed_kt`` and ``endurance_h`` are the gap rules' bounds; ``cruise_kmh`` (None
    when no source was found) gives estimated flight times and ``ranges`` the range rings.
    """

    designator: str
    name: str
    top_speed_kt: float
    endurance_h: float
    source: str
    cruise_kmh: float | None = None
    cruise_source: str = ""
    ranges: tuple[RangeFigure, ...] = ()


_IL76_RU = "http://team3489.org/il-76-7827dd2d5d0b479ea4f46bf67c279d6c.html (Russian Wikipedia text)"
_AN124 = "https://aeropedia.com.au/content/antonov-an-124-ruslan"
_AN72 = "https://www.airliners.net/aircraft-data/antonov-an-7274/39"
_TU154 = "http://www.airliners.net/aircraft-data/tupolev-tu-154/376"
_TU154M = "http://barrieaircraft.com/tupolev-tu-154.html (airliners.net data, Tu-154M)"
_AN12 = "https://aeropedia.com.au/?p=3079"

# Top speeds are level-flight maxima, converted from km/h (1 kt = 1.852 km/h) and rounded up.
# Cruise speeds are the published cruising (economical where one is given) speed; where a
# source gives a band (770-800 km/h) the middle is taken.
TYPES: dict[str, Performance] = {p.designator: p for p in (
    Performance("IL76", "Ilyushin Il-76", 460.0, 10.0,
                "Britannica 'Ilyushin Il-76': maximum level speed 850 km/h; endurance assumed from its "
                "5,000 km design range at 800 km/h plus reserves",
                785.0, f"cruising speed 770-800 km/h, {_IL76_RU}",
                (RangeFigure("28-60 t payload by version (lower end)", 3600.0, _IL76_RU),
                 RangeFigure("40 t payload (design requirement)", 5000.0,
                             "https://airlinersnow.com/Ilyushin-Il-76/Ilyushin-Il-76.htm"))),
    Performance("A124", "Antonov An-124", 470.0, 12.0,
                "An-124 maximum cruise 865 km/h (Antonov); endurance assumed from its 15,000 km ferry range",
                800.0, f"economical cruising speed 800 km/h (maximum 865 km/h), {_AN124}",
                (RangeFigure("maximum payload (150 t)", 4500.0, _AN124),
                 RangeFigure("maximum fuel", 16500.0, _AN124))),
    Performance("IL62", "Ilyushin Il-62", 490.0, 12.0, "Il-62M cruise up to 900 km/h; assumed",
                830.0, "cruising speed 830 km/h, State Aviation Museum of Ukraine, "
                "https://aviamuseum.com.ua/en/exposition/exposition/kb-ilyushina/175-il-62",
                (RangeFigure("Il-62M range", 8000.0, "https://everything2.com/user/sekicho/writeups/Ilyushin+Il-62"),)),
    Performance("A225", "Antonov An-225", 460.0, 14.0, "assumed as An-124"),
    Performance("AN12", "Antonov An-12", 340.0, 10.0, "An-12 maximum speed 670 km/h (Antonov); assumed",
                550.0, f"economical cruising speed 550 km/h (342 mph) at 7,620 m, {_AN12}",
                (RangeFigure("maximum payload (20 t)", 3600.0, _AN12), RangeFigure("maximum fuel", 5700.0, _AN12))),
    Performance("AN32", "Antonov An-32", 520.0, 12.0,
                "no sourced top speed or endurance: the default's generous bounds, so no airfield is ruled out",
                500.0, "cruising speed 470-530 km/h, Interfax-Ukraine via https://cfts.org.ua/news/43879",
                (RangeFigure("maximum payload (7.5 t)", 1050.0,
                             "https://en.cfts.org.ua/news/an_132_aircraft_performs_maiden_flight"),)),
    Performance("AN72", "Antonov An-72", 381.0, 9.0,
                f"An-72 maximum speed 705 km/h, {_AN72}; endurance assumed from 4,800 km at 550 km/h",
                575.0, f"cruising speed range 550-600 km/h, {_AN72}",
                (RangeFigure("7,500 kg payload", 2000.0, _AN72),
                 RangeFigure("maximum fuel and reserves", 4800.0, _AN72))),
    Performance("T154", "Tupolev Tu-154", 520.0, 8.0, "Tu-154M cruise up to 950 km/h; assumed",
                900.0, f"economical cruising speed 900 km/h (Tu-154M maximum cruising 950 km/h), {_TU154}",
                (RangeFigure("Tu-154M, maximum payload", 3900.0, _TU154M),
                 RangeFigure("Tu-154M, maximum fuel and 5,450 kg payload", 6600.0, _TU154M))),
    Performance("T204", "Tupolev Tu-204", 490.0, 9.0, "Tu-204 cruise up to 850-900 km/h; assumed"),
)}
DEFAULT = Performance("", "type not known", 520.0, 12.0,
                      "no type: the fastest figure above, so no reachable airfield is ruled out")
ALIASES = {"IL-76": "IL76", "IL-76MD": "IL76", "IL-76TD": "IL76", "IL-78": "IL76", "AN-124": "A124",
           "AN-124-100": "A124", "IL-62": "IL62", "IL-62M": "IL62", "AN-12": "AN12", "TU-154": "T154",
           "TU-154M": "T154", "TU-204": "T204", "AN-225": "A225", "AN-32": "AN32", "AN-32B": "AN32",
           "AN-72": "AN72"}
_COUNT_SUFFIX = re.compile(r"\s*\([^)]*\)\s*$")


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


def split_type_names(text: object) -> list[str]:
    """Return the type names a record's ``aircraft_type`` cell lists, without counts or remarks.

    Examples
    --------
    >>> split_type_names("An-124 (2); Il-76 (1)")
    ['An-124', 'Il-76']
    >>> split_type_names("Il-62M (converted freighter)"), split_type_names(None)
    (['Il-62M'], [])
    """
    if not isinstance(text, str):
        return []
    names = (_COUNT_SUFFIX.sub("", part).strip() for part in text.split(";"))
    return list(dict.fromkeys(name for name in names if name))
