"""Turning one point of a GeoJSON or KML file into rows of the shipped schema.

Both geographic readers hand each point here as a :class:`PointFeature` (its number, text
properties under their names, position and enclosing folders), so that a GeoJSON feature
and a KML placemark with the same properties give the same rows. The mapping is tabled in
``docs/imports.md``:

- an undated point is a ``sites`` row; a dated point (``date``, ``time``, ``timestamp`` or
  ``when``; KML ``TimeStamp``/``TimeSpan``) is an ``events`` row plus a companion ``sites``
  row for its position, whose id is the event id made a site id plus ``_site``
  (``e-2024-12-20-placemarks-3`` -> ``e_2024_12_20_placemarks_3_site``), and the event's
  ``places`` starts with that id;
- ``lat``/``lon`` come from the geometry (5 decimals) and ``coord_source`` says so
  (``"<file name>, feature N"``);
- ``group`` defaults to ``other``, ``role`` and an event's ``description`` to ``"Not
  stated in <file name>"``, and an event's ``category`` to ``other``; ``sources`` and
  ``confidence`` stay empty unless given (the workspace fills its documented defaults);
- ``kind``, ``country`` (unless an ``icao`` code or the basemap gives it), a site's
  ``name`` and an event's ``title`` have no honest default: a missing one is a
  :class:`~layers.errors.Problem` naming the point.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from layers.airfields import find_airfield, is_known_airfield
from layers.errors import Problem
from layers.readers import ImportedRow
from layers.readers.countries import find_country
from layers.readers.files import check_cells, make_row_problem, name_where, strip_cells
from layers.schema import EVENTS, SITES
from layers.sources import SOURCE_SEPARATOR
from layers.vocabulary import CATEGORY_TERMS, SITE_GROUP_TERMS, SITE_KIND_TERMS, Term

LIST_COLUMNS = frozenset({"alt_names", "places", "via"})
"""Columns holding ``;``-separated lists (``sources`` is joined with `` | ``)."""
DATE_NAMES = ("date", "time", "timestamp", "when")
"""Property names that date a point, first found wins; a dated point is an event."""
RECOGNISED_NAMES = frozenset(SITES.columns) | frozenset(EVENTS.columns) | {"title", "description", *DATE_NAMES}
"""Property names a geographic reader maps; any other property is listed in a note."""
DEFAULT_GROUP = "other"
DEFAULT_CATEGORY = "other"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@dataclass(frozen=True)
class PointFeature:
    """One point read from a geographic file, before mapping.

    Attributes
    ----------
    path : Path
        The file (its name goes into ``coord_source`` and ``role``).
    noun : str
        What the format calls a point: ``feature`` or ``placemark``.
    number : int
        1-based position among the file's features or placemarks.
    properties : mapping of str to str
        Text values under :data:`RECOGNISED_NAMES` (lists already joined).
    lon, lat : float
        WGS84 degrees, already checked to be in range.
    folders : tuple of str
        Names of the enclosing KML folders and documents, innermost first.
    add_hint : str
        How the format adds a field, with ``{field}`` for its name.
    field_hints : mapping of str to str
        Hints for fields the format gives its own way (KML ``<name>``, ``<TimeStamp>``).
    """

    path: Path
    noun: str
    number: int
    properties: Mapping[str, str]
    lon: float
    lat: float
    folders: tuple[str, ...] = ()
    add_hint: str = "add a '{field}' property"
    field_hints: Mapping[str, str] = field(default_factory=dict)

    def hint_for(self, name: str) -> str:
        """Return how to add the field ``name`` in this format."""
        return self.field_hints.get(name) or self.add_hint.format(field=name)

    def get(self, name: str) -> str:
        """Return a property's text, stripped, or ``""``."""
        return self.properties.get(name, "").strip()

    @property
    def where(self) -> str:
        """How messages name the point, e.g. ``placemark 3 (Benina)``."""
        return name_where(self.noun, self.number, self.get("name") or self.get("title"))

    @property
    def date(self) -> str:
        """The point's date as given (first of :data:`DATE_NAMES`), or ``""``."""
        return next((self.get(n) for n in DATE_NAMES if self.get(n)), "")


def build_point_rows(point: PointFeature, kind: str | None) -> tuple[list[ImportedRow], list[Problem]]:
    """Return the rows of one point (a site, or an event and its site), or its problems.

    A point with any problem gives no row, so that a workspace importing "the valid rows"
    cannot take in a row its reader refused; an event and its companion site stand or
    fall together.

    Parameters
    ----------
    point : PointFeature
        The point.
    kind : {None, "sites", "events"}
        None to decide by the date; ``sites`` ignores a date; ``events`` needs one.
    """
    dated = bool(point.date)
    # An end without a first day (a KML TimeSpan with only <end>) still asks to be an event.
    if kind == "sites" or (kind is None and not dated and not point.get("end_date")):
        site_id = point.get("id") or derive_site_id(point.path.stem, point.number)
        cells, problems = build_site_cells(point, site_id, point.get("name") or point.get("title"))
        problems += check_cells(point.path, 0, point.where, cells)
        return ([] if problems else [ImportedRow("sites", 0, point.where, strip_cells(cells))]), problems
    date = normalize_date(point.date)
    event_id = point.get("id") or derive_event_id(point.path.stem, point.number, date)
    site_id = derive_companion_id(event_id)
    site, problems = build_site_cells(point, site_id, point.get("name") or point.get("title"), event_id=event_id)
    event = dict.fromkeys(EVENTS.columns, "")
    given = point.get("places").split(";")
    event.update({
        "id": event_id, "date": date, "end_date": normalize_date(point.get("end_date")),
        "title": point.get("title") or point.get("name"),
        "description": point.get("description") or f"Not stated in {point.path.name}",
        "category": _match_or_text(point.get("category"), CATEGORY_TERMS)
        or _match_folders(point.folders, CATEGORY_TERMS) or DEFAULT_CATEGORY,
        "places": ";".join(dict.fromkeys([site_id, *(p.strip() for p in given if p.strip())])),
        "conflict": point.get("conflict"), "sources": point.get("sources"), "confidence": point.get("confidence"),
    })
    if not dated:
        problems.append(_missing(point, "date", "no date: an event needs its first day"))
    if not event["title"]:
        problems.append(_missing(point, "title", "no title: an event needs a title (or name)"))
    rows = [ImportedRow("sites", 0, point.where, site), ImportedRow("events", 0, point.where, event)]
    problems += check_cells(point.path, 0, point.where, site) + check_cells(point.path, 0, point.where, event)
    if problems:  # the event and its site stand or fall together
        return [], problems
    return [ImportedRow(r.kind, r.line, r.where, strip_cells(r.cells)) for r in rows], problems


def build_site_cells(point: PointFeature, site_id: str, name: str, *,
                     event_id: str = "") -> tuple[dict[str, str], list[Problem]]:
    """Return the ``sites`` cells of a point and the problems of the values it lacks.

    Parameters
    ----------
    point : PointFeature
        The point.
    site_id : str
        The site's id (given or derived).
    name : str
        The site's name (``name``, else ``title``).
    event_id : str
        For the companion site of an event: the event's id (its notes say so).
    """
    problems: list[Problem] = []
    cells = {column: point.get(column) for column in SITES.columns}
    source = f"{point.path.name}, {point.noun} {point.number}"
    given_source = point.get("coord_source")
    cells.update({
        "id": site_id, "name": name, "lat": f"{point.lat:.5f}", "lon": f"{point.lon:.5f}",
        "coord_source": f"{source}: {given_source}" if given_source else source,
        "kind": _match_or_text(point.get("kind"), SITE_KIND_TERMS) or _match_folders(point.folders, SITE_KIND_TERMS),
        "group": _match_or_text(point.get("group"), SITE_GROUP_TERMS)
        or _match_folders(point.folders, SITE_GROUP_TERMS) or DEFAULT_GROUP,
        "role": point.get("role") or f"Not stated in {point.path.name}",
        "notes": f"Place of event {event_id} ({source})" if event_id
        else "\n\n".join(text for text in (point.get("notes"), point.get("description")) if text),
    })
    if event_id:
        cells["conflict"] = ""
    # The companion site of an event needs what any site needs; say why the event asks.
    why = ": the event's place becomes a site, which needs one" if event_id else ""
    if not name and not event_id:  # an event without a name is reported as without a title
        problems.append(_missing(point, "name", "no name: a site needs a name"))
    if not cells["kind"]:
        kinds = ", ".join(t.key for t in SITE_KIND_TERMS)
        folder = " or put the placemark in a folder named after a kind" if point.noun == "placemark" else ""
        problems.append(make_row_problem(point.path, point.where, "kind", f"kind not given{why}",
                                         f"{point.hint_for('kind')}{folder}: {kinds}"))
    if not cells["country"]:
        cells["country"], problem = _look_up_country(point, why)
        problems += [problem] if problem else []
    return cells, problems


def derive_site_id(stem: str, number: int) -> str:
    """Return a site id for an unnamed point: the file's stem and the point's number.

    Examples
    --------
    >>> derive_site_id("Flugplätze Libyen", 3)
    'flugplatze_libyen_3'
    """
    return f"{_slug(stem, '_')}_{number}"


def derive_event_id(stem: str, number: int, date: str) -> str:
    """Return an event id in the shipped style, ``e-<date>-<stem>-<number>``.

    Examples
    --------
    >>> derive_event_id("placemarks", 3, "2024-12-20")
    'e-2024-12-20-placemarks-3'
    >>> derive_event_id("placemarks", 3, "next week")
    'e-placemarks-3'
    """
    dated = f"{date}-" if _ISO_DATE.match(date) else ""
    return f"e-{dated}{_slug(stem, '-')}-{number}"


def derive_companion_id(event_id: str) -> str:
    """Return the id of the site an event's point becomes (site ids allow no ``-``).

    Examples
    --------
    >>> derive_companion_id("e-2024-12-20-placemarks-3")
    'e_2024_12_20_placemarks_3_site'
    """
    return f"{_slug(event_id, '_')}_site"


def normalize_date(text: str) -> str:
    """Return a date or timestamp as the UTC day it falls on; other text unchanged.

    Dates ``YYYY-MM-DD`` stay as given; ISO 8601 timestamps (KML ``when``) become their UTC
    day, or their own day when they carry no offset. Anything else is kept for the
    validator to report.

    Examples
    --------
    >>> normalize_date("2024-12-20T23:30:00-05:00")
    '2024-12-21'
    >>> normalize_date("2024-12")
    '2024-12'
    """
    text = text.strip()
    if not _ISO_DATETIME.match(text):
        return text
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.date().isoformat()


def check_position(path: Path, where: str, lon: float, lat: float) -> list[Problem]:
    """Return a problem for each coordinate that is not a finite number in range."""
    return [make_row_problem(path, where, name, f"{name} out of range -{limit:g}..{limit:g}",
                             "check the sign and the longitude, latitude order", value=str(value))
            for name, value, limit in (("lon", lon, 180.0), ("lat", lat, 90.0))
            if not (math.isfinite(value) and -limit <= value <= limit)]


def join_values(column: str, values: list[str]) -> str:
    """Return a list value as one cell: ``;`` for list columns, `` | `` for sources.

    Examples
    --------
    >>> join_values("alt_names", ["Benghazi-Benina", "Baninah"])
    'Benghazi-Benina;Baninah'
    >>> join_values("sources", ["https://a.example", "https://b.example"])
    'https://a.example | https://b.example'
    """
    separator = SOURCE_SEPARATOR if column == "sources" else ";" if column in LIST_COLUMNS else "; "
    return separator.join(v.strip() for v in values if v.strip())


def match_term(text: str, terms: tuple[Term, ...]) -> str | None:
    """Return the key of the term ``text`` names (key or label, any case, singular or plural).

    Examples
    --------
    >>> match_term("Air bases", SITE_KIND_TERMS), match_term("LIBYA", SITE_GROUP_TERMS)
    ('air_base', 'libya')
    """
    wanted = _normalize(text)
    for term in terms:
        for spelling in (_normalize(term.key), _normalize(term.label)):
            if wanted in (spelling, spelling + "s", spelling + "es"):
                return term.key
    return None


def _match_or_text(text: str, terms: tuple[Term, ...]) -> str:
    # A value naming a term becomes its key; any other value is kept for the validator.
    return match_term(text, terms) or text if text else ""


def _match_folders(folders: tuple[str, ...], terms: tuple[Term, ...]) -> str:
    return next((key for name in folders if (key := match_term(name, terms))), "")


def _normalize(text: str) -> str:
    return re.sub(r"[\s_-]+", "_", text.strip().lower())


def _slug(text: str, separator: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", separator, ascii_text.lower()).strip(separator) or "import"


def _missing(point: PointFeature, name: str, message: str) -> Problem:
    return make_row_problem(point.path, point.where, name, message, point.hint_for(name))


def _look_up_country(point: PointFeature, why: str) -> tuple[str, Problem | None]:
    icao = point.get("icao").upper()
    # An unknown code is the validator's to report; the basemap may still place the point.
    if icao and is_known_airfield(icao):
        return find_airfield(icao).country, None
    hint = f"{point.hint_for('country')} with the ISO 3166-1 alpha-2 code"
    try:
        match = find_country(point.lon, point.lat)
    except FileNotFoundError:  # layers.basemap.BasemapMissingError
        return "", make_row_problem(point.path, point.where, "country",
                                    f"country not given{why}, and the basemap to look it up is missing", hint)
    if match is not None and match.code is not None:
        return match.code, None
    if match is None:
        return "", make_row_problem(point.path, point.where, "country",
                                    f"country not given{why}, and the point lies in no country of the basemap", hint)
    return "", make_row_problem(point.path, point.where, "country",
                                f"country not given{why}; the point lies in {match.name} (basemap), but the basemap "
                                "holds no ISO alpha-2 codes to fill it in", hint, value=match.name)
