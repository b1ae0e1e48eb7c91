"""Filters on what the map and the exports show: confidence, record type, event category, country, affiliation.

A :class:`Filters` value is applied to the dataset *before* any layer is built
(:func:`apply_filters`), so the routes, their widths and counts, the badges, the labels
and every export follow it, and the live map's scrub index (built from the same filtered
dataset) draws exactly what :func:`layers.build_snapshot` gives. Each filter applies to
the records that carry its field and leaves the others alone; an empty filter keeps all:

========================  =====================================================================
filter                    keeps
========================  =====================================================================
``confidence``            sites, flight records, events, observations, corridors, ADS-B flights
                          and gaps whose own ``confidence`` is one of the grades (a site's status
                          rows stay: their grade is shown as the status's confidence)
``record_type``           flight records of these types (an ADS-B flight is ``individual``)
``category``              events of these categories
``country``               sites in the country (``sites.csv`` ``country``); flight records and
                          ADS-B flights with an end or a stop there; events with a place there;
                          observations at a place there; corridors with a waypoint there. A named
                          place is in every country of its airfields (airportsdata), so
                          "Moscow or Minsk" is in RU and BY; an event with no place is in none
``affiliation``           the same, by the site's ``group`` (``syria``, ``libya``, ``origin``,
                          ``onward``, ``other``): named places and bare airfields have none
========================  =====================================================================

The URL and the command line write each filter as comma-separated values
(``confidence=high,medium``; ``--confidence high,medium``), the names in
:data:`FILTER_SPECS`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from layers.airfields import find_airfield, is_known_airfield
from layers.dataset import Dataset
from layers.vocabulary import (
    CATEGORY_LABELS,
    CONFIDENCE_LABELS,
    CONFIDENCE_LEVELS,
    EVENT_CATEGORIES,
    GROUP_LABELS,
    RECORD_TYPE_LABELS,
    RECORD_TYPES,
    SITE_GROUPS,
)

TRACK_RECORD_TYPE = "individual"
"""The record type of a flight made from ADS-B positions (``layers.tracks.map_layers``)."""


@dataclass(frozen=True)
class FilterSpec:
    """One filter: its field on :class:`Filters`, its URL parameter and how readers see it.

    Parameters
    ----------
    field : str
        The attribute of :class:`Filters`.
    param : str
        The URL parameter; the command-line option is ``--`` + ``param`` with ``-`` for ``_``.
    label : str
        What the filter panel and the export footnote call it.
    labels : mapping or None
        Value -> label for a fixed vocabulary; None for countries (their codes, from the data).
    """

    field: str
    param: str
    label: str
    labels: Mapping[str, str] | None

    @property
    def option(self) -> str:
        """The command-line option, e.g. ``--record-type``."""
        return "--" + self.param.replace("_", "-")


FILTER_SPECS: tuple[FilterSpec, ...] = (
    FilterSpec("confidence", "confidence", "Confidence", CONFIDENCE_LABELS),
    FilterSpec("record_types", "record_type", "Record type", RECORD_TYPE_LABELS),
    FilterSpec("categories", "category", "Event category", CATEGORY_LABELS),
    FilterSpec("countries", "country", "Country", None),
    FilterSpec("affiliations", "affiliation", "Affiliation", GROUP_LABELS),
)
"""Every filter, in the order the panel, the URL and the footnote list them."""
FILTER_PARAMS: tuple[str, ...] = tuple(spec.param for spec in FILTER_SPECS)
VOCABULARIES: dict[str, tuple[str, ...]] = {"confidence": CONFIDENCE_LEVELS, "record_types": RECORD_TYPES,
                                            "categories": EVENT_CATEGORIES, "affiliations": SITE_GROUPS}
"""The values each fixed-vocabulary filter may hold, in the vocabulary's order."""


@dataclass(frozen=True)
class Filters:
    """What to keep; an empty field keeps everything. Values are kept in vocabulary order (countries sorted)."""

    confidence: tuple[str, ...] = ()
    record_types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when no filter is set (the whole dataset is shown)."""
        return not any(getattr(self, spec.field) for spec in FILTER_SPECS)


NO_FILTERS = Filters()
"""Everything shown: the default of the page, the exports and the command line."""


@dataclass(frozen=True)
class FilterProblem:
    """Values of one filter that are not allowed, and the values that are."""

    spec: FilterSpec
    unknown: tuple[str, ...]
    allowed: tuple[str, ...]


def build_filters(**values: Iterable[str]) -> Filters:
    """Return the filters holding ``values`` by field, in canonical order (countries upper case, sorted).

    Examples
    --------
    >>> build_filters(confidence=["low", "high"], countries=["ly"])
    Filters(confidence=('high', 'low'), record_types=(), categories=(), countries=('LY',), affiliations=())
    """
    chosen: dict[str, tuple[str, ...]] = {}
    for spec in FILTER_SPECS:
        given = {str(v).strip() for v in values.get(spec.field, ())} - {""}
        if spec.field == "countries":
            chosen[spec.field] = tuple(sorted({v.upper() for v in given}))
        else:
            chosen[spec.field] = tuple(v for v in VOCABULARIES[spec.field] if v in given)
    return Filters(**chosen)


def parse_filters(params: Mapping[str, str], countries: Iterable[str]) -> tuple[Filters, list[FilterProblem]]:
    """Read the filters from URL parameters or command-line values (``{"confidence": "high,medium"}``).

    Parameters
    ----------
    params : mapping
        Parameter name (:data:`FILTER_PARAMS`) -> comma-separated values; other names are ignored.
    countries : iterable of str
        The country codes the data holds (:func:`list_countries`).

    Returns
    -------
    Filters, list of FilterProblem
        The filters made of the known values, and one problem per parameter that held an
        unknown value (those values are left out; a parameter left with none keeps all).
    """
    known_countries = tuple(sorted({c.upper() for c in countries}))
    values: dict[str, list[str]] = {}
    problems = []
    for spec in FILTER_SPECS:
        raw = params.get(spec.param)
        if raw is None:
            continue
        allowed = known_countries if spec.field == "countries" else VOCABULARIES[spec.field]
        given = [part.strip() for part in raw.split(",") if part.strip()]
        given = [g.upper() if spec.field == "countries" else g.lower() for g in given]
        unknown = tuple(dict.fromkeys(g for g in given if g not in allowed))
        if unknown:
            problems.append(FilterProblem(spec, unknown, allowed))
        values[spec.field] = [g for g in given if g in allowed]
    return build_filters(**values), problems


def format_filters(filters: Filters) -> dict[str, str]:
    """Return the URL parameters of the filters that are set (``{"confidence": "high"}``); empty when none is."""
    return {spec.param: ",".join(getattr(filters, spec.field)) for spec in FILTER_SPECS
            if getattr(filters, spec.field)}


def describe_filters(filters: Filters) -> str:
    """Say which filters apply, for an export's title block and metadata; empty when none does.

    Examples
    --------
    >>> describe_filters(build_filters(confidence=["high"], countries=["LY", "SY"]))
    'Filtered: confidence High; country LY, SY'
    """
    parts = []
    for spec in FILTER_SPECS:
        chosen = getattr(filters, spec.field)
        if chosen:
            words = [spec.labels[v] if spec.labels else v for v in chosen]
            parts.append(f"{spec.label.lower()} {', '.join(words)}")
    return f"Filtered: {'; '.join(parts)}" if parts else ""


def list_countries(dataset: Dataset) -> tuple[str, ...]:
    """Return the country codes of the dataset's sites and named places (through their airfields), sorted."""
    return tuple(sorted({c for codes in _locate_countries(dataset).values() for c in codes}))


def apply_filters(dataset: Dataset, filters: Filters) -> Dataset:
    """Return a copy of ``dataset`` holding only what ``filters`` keep (the module docstring's table).

    The copy keeps every location (a kept flight still draws to a site the filter hides)
    and the dataset's date span, so the timeline's ends never move with a filter.

    Parameters
    ----------
    dataset : Dataset
        The validated data; never changed.
    filters : Filters
        What to keep; with none set (:attr:`Filters.is_empty`) ``dataset`` itself is returned.
    """
    if filters.is_empty:
        return dataset
    countries = _locate_countries(dataset)
    groups = {str(sid): str(group) for sid, group in dataset.sites["group"].items()}
    keep_place = _build_place_test(filters, countries, groups)

    def keep_stops(stops: Iterable[object]) -> bool:
        return keep_place([s for s in stops if isinstance(s, str)])

    sites = dataset.sites
    sites = sites[_graded(sites, filters) & _each(sites, lambda row: keep_place([str(row.name)]))]
    flights = dataset.flights
    flights = flights[_graded(flights, filters) & _among(flights["record_type"], filters.record_types) & _each(
        flights, lambda row: keep_stops([row["origin"], *(row["via"] or []), row["destination"]]))]
    events = dataset.events
    events = events[_graded(events, filters) & _among(events["category"], filters.categories)
                    & _each(events, lambda row: keep_stops(row["places"] or []))]
    observations = dataset.observations
    observations = observations[_graded(observations, filters) & _each(observations,
                                                                       lambda row: keep_stops([row["place"]]))]
    corridors = dataset.corridors
    corridors = corridors[_graded(corridors, filters) & _each(corridors, lambda row: keep_stops(row["waypoints"]))]
    tracks = dataset.tracks
    if not tracks.flights.empty:
        kept = tracks.flights[_graded(tracks.flights, filters)
                              & _among(pd.Series(TRACK_RECORD_TYPE, index=tracks.flights.index), filters.record_types)
                              & _each(tracks.flights, lambda row: keep_stops([row["origin"], row["destination"]]))]
        gaps = tracks.gaps[tracks.gaps["flight_id"].isin(kept["id"]) & _graded(tracks.gaps, filters)]
        tracks = dataclasses.replace(tracks, flights=kept, gaps=gaps)
    filtered = dataclasses.replace(
        dataset, sites=sites, site_status=dataset.site_status[dataset.site_status["site_id"].isin(sites.index)],
        flights=flights, events=events, observations=observations, corridors=corridors, tracks=tracks)
    # Dataset's span is a cached_property (stored in the instance dict): seed it with the
    # whole data's, so the slider spans the same days whatever is filtered out.
    vars(filtered).update(first_date=dataset.first_date, last_date=dataset.last_date)
    return filtered


def _build_place_test(filters: Filters, countries: Mapping[str, frozenset[str]],
                      groups: Mapping[str, str]) -> Callable[[list[str]], bool]:
    """Return a test of a record's places (site ids, place ids or airfield codes): any in the countries and groups."""
    def in_country(ref: str) -> bool:
        return not filters.countries or bool(countries.get(ref, _airfield_country(ref)) & set(filters.countries))

    def in_group(ref: str) -> bool:
        return not filters.affiliations or groups.get(ref) in filters.affiliations

    def test(refs: list[str]) -> bool:
        if not filters.countries and not filters.affiliations:
            return True
        # One place must meet both, so "country LY, affiliation syria" keeps nothing in Libya.
        return any(in_country(ref) and in_group(ref) for ref in refs)

    return test


def _locate_countries(dataset: Dataset) -> dict[str, frozenset[str]]:
    """Return site and place id -> the countries it lies in (a place: those of its airfields)."""
    located = {str(sid): frozenset({str(country).upper()}) for sid, country in dataset.sites["country"].items()}
    for pid, airfields in dataset.places["airfields"].items():
        located[str(pid)] = frozenset(find_airfield(code).country.upper() for code in airfields)
    return located


def _airfield_country(ref: str) -> frozenset[str]:
    # An ADS-B flight's end or a corridor waypoint may be a bare airportsdata key.
    return frozenset({find_airfield(ref).country.upper()}) if is_known_airfield(ref) else frozenset()


def _graded(frame: pd.DataFrame, filters: Filters) -> pd.Series:
    return _among(frame["confidence"], filters.confidence)


def _among(column: pd.Series, allowed: tuple[str, ...]) -> pd.Series:
    return column.isin(allowed) if allowed else pd.Series(True, index=column.index)


def _each(frame: pd.DataFrame, test: Callable[[pd.Series], bool]) -> pd.Series:
    return pd.Series([bool(test(row)) for _, row in frame.iterrows()], index=frame.index, dtype=bool)
