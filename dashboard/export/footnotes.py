"""Numbered source footnotes for what a product shows, each with the confidence of its claims.

One footnote per source URL, numbered in the order a reader meets the claims: routes and
flight records first (the subject of the slide), then ADS-B tracks (one claim per flight:
its track, gaps, reach areas and last position), then events in the window, then
observations, then the status of each site, then corridors. Each footnote lists what it supports on the map and
the confidence grade the data gives that claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from layers import Snapshot
from layers.names import shorten_site_name
from layers.sources import Source, parse_source
from layers.vocabulary import OBSERVATION_METHOD_LABELS, RECORD_TYPE_WORDS, select_weakest_confidence, sort_confidence

from dashboard.export.dtg import MONTHS

IMPORT_BATCH = re.compile(r"\bbatch (b\d+)")
SITE_POSITIONS_NOTE = ("Site positions: airfields from the airportsdata package by code; hand "
                       "coordinates cite their source in data/sites.csv or in the import batch.")


@dataclass(frozen=True)
class Claim:
    """One thing on the map that a source supports, with the data's confidence grade."""

    subject: str
    confidence: str


@dataclass(frozen=True)
class SourceNote:
    """One numbered footnote: a source, the claims it supports, and the source's kind when the data gives one."""

    number: int
    url: str
    label: str | None
    claims: tuple[Claim, ...]
    kind: str | None = None

    @property
    def source(self) -> Source:
        """The source as ``layers.sources`` reads it (host, kind, whether it may be a link)."""
        return Source(self.url, self.label, self.kind)

    @property
    def domain(self) -> str:
        """The source's host without ``www.``, e.g. ``reuters.com``."""
        return self.source.host

    @property
    def display(self) -> str:
        """What a reader sees for the source: the label, ``via HOST`` when it names another host, and the kind.

        ``Source.display``, so that a label reading "Reuters" cannot pass off another site
        and a party's claim reads as one (``... [party to the conflict]``).
        """
        return self.source.display

    @property
    def is_link(self) -> bool:
        """Whether the URL may be written as a link (http or https, with a host)."""
        return self.source.is_link

    @property
    def grades(self) -> list[str]:
        """The distinct confidence grades of the claims, best first."""
        return sort_confidence(c.confidence for c in self.claims)

    def describe_claims(self) -> str:
        """Say the claims, e.g. ``Hmeimim: active (high); Tartus: drawdown (high)``."""
        return "; ".join(f"{c.subject} ({c.confidence})" for c in self.claims)


def build_footnotes(snapshot: Snapshot) -> list[SourceNote]:
    """Return the numbered footnotes of every source behind what ``snapshot`` shows.

    Parameters
    ----------
    snapshot : Snapshot
        Already cut to what the product draws (visible layers, map frame).
    """
    claims: dict[str, list[Claim]] = {}
    labels: dict[str, str | None] = {}
    kinds: dict[str, str | None] = {}
    for sources, claim in _list_claims(snapshot):
        for source in sources:
            parsed = parse_source(source)
            url = parsed.url
            labels[url] = labels.get(url) or parsed.label
            kinds[url] = kinds.get(url) or parsed.kind
            found = claims.setdefault(url, [])
            if claim not in found:
                found.append(claim)
    return [SourceNote(number, url, labels[url], tuple(found), kinds[url])
            for number, (url, found) in enumerate(claims.items(), start=1)]


def _list_claims(snapshot: Snapshot) -> list[tuple[list[str], Claim]]:
    found: list[tuple[list[str], Claim]] = []
    for _, route in _rows(snapshot.routes):
        what = RECORD_TYPE_WORDS[route["record_type"]]
        subject = (f"{name_place(route['from_name'], route['from_radius_km'])} → "
                   f"{name_place(route['to_name'], route['to_radius_km'])} {what}")
        found.append((route["sources"], Claim(_mark_imported(subject, route), route["confidence"])))
    for _, flight in _rows(snapshot.flights):
        what = RECORD_TYPE_WORDS[flight["record_type"]]
        subject = f"{what} {_day(flight['date'])} to {flight['destination_name']}"
        found.append((flight["sources"], Claim(_mark_imported(subject, flight), flight["confidence"])))
    found += _list_track_claims(snapshot)
    for _, event in _rows(snapshot.events):
        if event["in_window"]:
            subject = _mark_imported(f"event {_day(event['date'])}: {event['name']}", event)
            found.append((event["sources"], Claim(subject, event["confidence"])))
    for _, observation in _rows(snapshot.observations):
        method = OBSERVATION_METHOD_LABELS.get(observation["method"], observation["method"]).lower()
        subject = f"observation {observation['date']}: {shorten_site_name(observation['place_name'])} ({method})"
        found.append((observation["sources"], Claim(_mark_imported(subject, observation), observation["confidence"])))
    for _, site in _rows(snapshot.sites):
        if site["status_sources"]:
            found.append((site["status_sources"],
                          Claim(_mark_imported(f"{shorten_site_name(site['name'])} {site['status']}", site),
                                site["status_confidence"] or site["confidence"])))
    for _, corridor in _rows(snapshot.corridors):
        found.append((corridor["sources"], Claim(f"corridor: {corridor['name']}", corridor["confidence"])))
    return found


def _list_track_claims(snapshot: Snapshot) -> list[tuple[list[str], Claim]]:
    """Return one claim per track flight drawn, e.g. ``ADS-B RA-82038 26 DEC: track, dark 40 min, last seen 19:18Z``."""
    flights: dict[str, dict] = {}
    for layer, frame in (("track", snapshot.tracks), ("gap", snapshot.gaps), ("reach", snapshot.reaches),
                         ("position", snapshot.positions)):
        for _, row in _rows(frame):
            flight = flights.setdefault(row["flight_id"], {"row": row, "sources": [], "grades": [], "parts": []})
            flight["sources"] += [s for s in row["sources"] if s not in flight["sources"]]
            flight["grades"].append(row["confidence"])
            flight["parts"].append(_describe_track_part(layer, row))
    found = []
    for flight in flights.values():
        row = flight["row"]
        who = row["registration"] or row["callsign"] or str(row["icao24"] or "").upper() or "unidentified aircraft"
        parts = ", ".join(dict.fromkeys(flight["parts"]))
        subject = _mark_imported(f"ADS-B {who} {_day(row['start'] if 'start' in row else row['time'])}: {parts}", row)
        found.append((flight["sources"], Claim(subject, select_weakest_confidence(flight["grades"]))))
    return found


def _describe_track_part(layer: str, row: pd.Series) -> str:
    if layer == "track":
        return "track"
    if layer == "gap":
        return f"dark {row['duration_min']:.0f} min"
    if layer == "reach":
        return "reach while dark"
    return f"last seen {pd.Timestamp(row['time']):%H:%MZ}"


def _mark_imported(subject: str, row: pd.Series) -> str:
    """Add the workspace batches a claim comes from (``(imported: b0002)``); shipped claims stay as they are."""
    batches = list(dict.fromkeys(IMPORT_BATCH.findall(str(row.get("provenance") or ""))))
    return f"{subject} (imported: {', '.join(batches)})" if batches else subject


def _rows(frame: pd.DataFrame):
    return frame.iterrows() if not frame.empty else iter(())


def name_place(name: str, radius_km: float) -> str:
    """Return a site's short name, or a named place's name without its caveat, marked as an area."""
    return f"{shorten_site_name(name)} area" if radius_km else shorten_site_name(name)


def _day(iso: str) -> str:
    day = pd.Timestamp(iso)
    return f"{day.day:02d} {MONTHS[day.month - 1]}"
