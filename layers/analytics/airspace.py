"""Airspace closures that matter to the air bridge, with their dates, scope and sources.

Each closure names the countries (basemap names, :mod:`layers.analytics.countries`)
whose airspace it closes, to whom, and from when. A route is flagged with a closure when
its path (or a country at either end) lies in one of those countries while the closure is
in force during the route's flights, unless the route's aircraft are known to be of
another nationality than the closure targets (a ban on Belarusian carriers says nothing
of a Russian Il-76); ``applies`` is True when they are known to be of that nationality
and None when the sources do not say.

The dates were checked against the reports cited (pages found with the project's search
tool); the EU closure was announced on 27 Feb 2022 and adopted on 28 Feb 2022, and is
dated from its adoption.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

RUSSIAN = "Russia"
BELARUSIAN = "Belarus"
SYRIAN = "Syria"
REGISTRATION_PREFIXES = {"RA-": RUSSIAN, "RF-": RUSSIAN, "EW-": BELARUSIAN, "YK-": SYRIAN}
"""Nationality marks of the registrations in the air bridge (ICAO Annex 7 prefixes)."""
OPERATOR_WORDS = {"russia": RUSSIAN, "emercom": RUSSIAN, "belarus": BELARUSIAN, "rubystar": BELARUSIAN,
                  "syria": SYRIAN}
"""Words in an operator's name that give its nationality (``Russian Air Force``, ``Rubystar (Belarus)``)."""

EU_MEMBER_STATES = ("Austria", "Belgium", "Bulgaria", "Croatia", "Cyprus", "Czechia", "Denmark", "Estonia",
                    "Finland", "Åland", "France", "Germany", "Greece", "Hungary", "Ireland", "Italy", "Latvia",
                    "Lithuania", "Luxembourg", "Malta", "Netherlands", "Poland", "Portugal", "Romania",
                    "Slovakia", "Slovenia", "Spain", "Sweden")
"""The 27 member states as the basemap names them (with Åland, part of Finland). ``N. Cyprus`` is left
out: its airspace is claimed by the Republic of Cyprus but not under its control."""


@dataclass(frozen=True)
class AirspaceClosure:
    """A documented closure of some countries' airspace to some aircraft.

    Parameters
    ----------
    id : str
        Short key, e.g. ``eu_russia_2022``.
    name : str
        What a reader sees.
    countries : tuple of str
        Basemap names of the countries closed.
    targets : tuple of str
        Nationalities of the aircraft it closes the airspace to (``Russia``).
    scope : str
        Who and what is closed, in the sources' words.
    start : datetime.date
        First day in force.
    end : datetime.date or None
        Last day in force; None when no end is reported.
    sources : tuple of str
        ``URL (outlet, date)`` as in the data files.
    only_to_or_from : str or None
        A country the closure is limited to flights to or from (Turkey's closure: Syria).
    """

    id: str
    name: str
    countries: tuple[str, ...]
    targets: tuple[str, ...]
    scope: str
    start: dt.date
    end: dt.date | None
    sources: tuple[str, ...]
    only_to_or_from: str | None = None

    def is_in_force(self, first: dt.date, last: dt.date) -> bool:
        """Return whether the closure is in force on any day from ``first`` to ``last``."""
        return self.start <= last and (self.end is None or self.end >= first)


CLOSURES: tuple[AirspaceClosure, ...] = (
    AirspaceClosure(
        "eu_russia_2022", "EU airspace closed to Russian aircraft", EU_MEMBER_STATES, (RUSSIAN,),
        "landing in, taking off from or overflying the EU by aircraft operated by Russian air carriers, "
        "Russian-registered aircraft, and aircraft owned, chartered or controlled by Russian persons "
        "(announced 27 Feb 2022, Council Regulation (EU) 2022/334 and Decision (CFSP) 2022/335 of 28 Feb 2022)",
        dt.date(2022, 2, 28), None,
        (("https://centreforaviation.com/news/european-commission-to-close-eu-airspace-to-russian-aircraft-1121787 "
         "(CAPA 2022-02-28)"),
         ("https://www.globaltradealert.org/state-act/62287/eu-russian-carriers-banned-from-eu-airspace "
         "(Global Trade Alert, Regulation 2022/334)"),
         "https://eur-lex.europa.eu/legal-content/DA/TXT/HTML/?uri=CELEX:32022R0334 (EUR-Lex, 2022-02-28)")),
    AirspaceClosure(
        "eu_belarus_2021", "EU airspace closed to Belarusian air carriers", EU_MEMBER_STATES, (BELARUSIAN,),
        "landing in, taking off from or overflying the EU by aircraft operated by Belarusian air carriers "
        "(Council decision of 4 Jun 2021, in force from midnight CET on 5 Jun 2021)",
        dt.date(2021, 6, 5), None,
        ("https://www.rferl.org/a/eu-belarus-airlines-ban-landing-flying/31290424.html (RFE/RL 2021-06-04)",
         "https://www.irishexaminer.com/world/arid-40306379.html (AP 2021-06-04)")),
    AirspaceClosure(
        "ukraine_2022", "Ukrainian airspace closed (war zone)", ("Ukraine",), (RUSSIAN, BELARUSIAN),
        "closed to civil aviation since 24 Feb 2022 (Ukrainian State Air Traffic Services Enterprise); "
        "an active war zone for Russian aircraft",
        dt.date(2022, 2, 24), None,
        (("https://www.urdupoint.com/en/world/ukrainian-national-airspace-closed-for-civili-1475516.html "
         "(UrduPoint/Sputnik 2022-02-24)"),
         ("https://www.firstpost.com/world/russia-ukraine-crisis-ukraine-shuts-airports-declares-some-airspace-as-"
         "danger-areas-10403811.html (AP 2022-02-24)"))),
    AirspaceClosure(
        "turkey_syria_2022", "Turkish airspace closed to Russian flights to Syria", ("Turkey",), (RUSSIAN,),
        "Russian military and civilian aircraft flying to Syria (carrying troops, per TRT); announced by "
        "Foreign Minister Cavusoglu on 23 Apr 2022 after the last three-month permission ran out in April; "
        "no end reported in the sources",
        dt.date(2022, 4, 23), None,
        ("https://www.trtworld.com/article/12788932 (TRT World 2022-04-23)",
         ("https://sputniknews.com/20220423/turkey-closes-airspace-for-russian-military--civilian-planes-heading-"
         "to-syria-1094996283.html (Sputnik 2022-04-23)"),
         ("https://en.mehrnews.com/news/186031/Turkey-closes-air-space-to-Russian-military-heading-to-Syria "
         "(Mehr 2022-04-24)")),
        only_to_or_from="Syria"),
)


def find_nationalities(registrations: Iterable[str], operators: Iterable[str]) -> list[str]:
    """Return the nationalities the registrations and operator names give, sorted.

    Examples
    --------
    >>> find_nationalities(["RA-82038"], ["Rubystar (Belarus)"])
    ['Belarus', 'Russia']
    """
    found = {nation for registration in registrations for prefix, nation in REGISTRATION_PREFIXES.items()
             if registration.upper().startswith(prefix)}
    found |= {nation for operator in operators for word, nation in OPERATOR_WORDS.items()
              if word in operator.lower()}
    return sorted(found)


def flag_closures(countries: Sequence[str], *, ends: Sequence[str | None], first: dt.date, last: dt.date,
                  nationalities: Sequence[str],
                  closures: Sequence[AirspaceClosure] = CLOSURES) -> list[dict[str, Any]]:
    """Return the closures a path meets while they are in force, one dict each.

    Parameters
    ----------
    countries : sequence of str
        Countries the path passes over (between its ends).
    ends : sequence of str or None
        The countries at the two ends.
    first, last : datetime.date
        The first and last day of the flights on the path.
    nationalities : sequence of str
        :func:`find_nationalities` of the flights' aircraft; empty when not known.
    closures : sequence of AirspaceClosure

    Returns
    -------
    list of dict
        ``id``, ``name``, ``countries`` (the closed ones on the path, in path order),
        ``scope``, ``in_force_from``, ``in_force_to``, ``applies`` (True, or None when the
        aircraft's nationality is not known) and ``sources``. Closures that target only
        other nationalities than the aircraft's are left out.
    """
    on_path = list(dict.fromkeys([*countries, *(c for c in ends if c)]))
    flags = []
    for closure in closures:
        closed = [c for c in on_path if c in closure.countries]
        if not closed or not closure.is_in_force(first, last):
            continue
        if closure.only_to_or_from is not None and closure.only_to_or_from not in ends:
            continue
        applies = bool(set(nationalities) & set(closure.targets)) if nationalities else None
        if applies is False:
            continue
        flags.append({"id": closure.id, "name": closure.name, "countries": closed, "scope": closure.scope,
                      "in_force_from": closure.start.isoformat(),
                      "in_force_to": closure.end.isoformat() if closure.end else None,
                      "applies": applies, "sources": list(closure.sources)})
    return flags
