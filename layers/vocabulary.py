"""The dataset's vocabularies: every value a coded column may hold, with its words and ranks.

One table per vocabulary, read by the schema (what a cell may hold), the symbology in
:mod:`layers.style`, the live map's popups and legend and every export, so that a status,
record type, confidence grade, event category, site kind or site group is spelt, labelled
and ordered the same way everywhere. A new value is added here once; the tests check that
the style tables cover exactly these keys.

Orders matter and are kept as ``docs/data.md`` lists the values: validation hints name
the allowed values in this order, and confidence is best first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """A coded value and the label readers see, e.g. ``Term("naval", "Naval")``."""

    key: str
    label: str


@dataclass(frozen=True)
class Status:
    """A site status: its code, its label and its rank.

    Parameters
    ----------
    key : str
        The value in ``site_status.csv`` (or ``not_reported``).
    label : str
        What the legend, popups and tooltips say.
    rank : int
        Importance of a site in this status, lower first: which label wins when labels
        collide and which symbol is drawn on top. 1 = in use, 2 = gone, 3 = no status.
    """

    key: str
    label: str
    rank: int


@dataclass(frozen=True)
class RecordType:
    """A kind of flight record and the words each surface uses for it.

    Parameters
    ----------
    key : str
        The value of ``record_type`` in ``flights.csv``.
    label : str
        Heading of a popup, e.g. ``Count report``.
    word : str
        In running text (footnotes, feature names), e.g. ``count report``.
    legend : str
        Legend row of the routes of this type, which merge several records.
    """

    key: str
    label: str
    word: str
    legend: str


# --- Site status -----------------------------------------------------------------------

NOT_REPORTED = "not_reported"
"""The status of a site before its first timeline row (never written in the data)."""

STATUS_TERMS: tuple[Status, ...] = (
    Status("active", "Active", 1),
    Status("reported", "Presence reported, unconfirmed", 1),
    Status("drawdown", "Withdrawal under way", 1),
    Status("withdrawn", "Withdrawn", 2),
    Status("captured", "Captured by another force", 2),
    Status("suspended", "Use suspended", 1),
    Status(NOT_REPORTED, "No status reported yet", 3),
)
STATUSES: tuple[str, ...] = tuple(s.key for s in STATUS_TERMS if s.key != NOT_REPORTED)
"""The statuses ``site_status.csv`` may hold."""
STATUS_LABELS: dict[str, str] = {s.key: s.label for s in STATUS_TERMS}
STATUS_RANKS: dict[str, int] = {s.key: s.rank for s in STATUS_TERMS}
STALE_STATUS_DAYS = 730
"""Age in days (two years) past which a status row in force is stale: its period ended longer
ago than this before the date shown, so the map says "last reported YEAR" and fades it
(``layers.timeline.is_status_stale``). Two years: the bases in this dataset changed hands
within weeks of the fall of Assad, and a row older than two years predates the war's last
phase, so it says what was last reported, not what is known now."""


def describe_last_reported(date: object) -> str:
    """Return the words of a stale status: ``last reported YEAR`` (the year of the row's date as written).

    Examples
    --------
    >>> describe_last_reported("2021-02-17"), describe_last_reported("2015")
    ('last reported 2021', 'last reported 2015')
    """
    return f"last reported {str(date)[:4]}"


BUSY_SITE_RANK = 0
"""Rank of a site at an end of a route or flight in the window: labelled before any other."""


def rank_site(status: object, *, busy: bool = False) -> int:
    """Return the label and drawing rank of a site (lower is more important).

    Parameters
    ----------
    status : object
        The site's status; an unknown value ranks as ``not_reported``.
    busy : bool
        Whether a route or flight in the window ends at the site.

    Examples
    --------
    >>> rank_site("withdrawn"), rank_site("withdrawn", busy=True), rank_site("?")
    (2, 0, 3)
    """
    if busy:
        return BUSY_SITE_RANK
    return STATUS_RANKS.get(str(status), STATUS_RANKS[NOT_REPORTED])


# --- Actors: whose presence a status row describes --------------------------------------

ACTOR_TERMS: tuple[Term, ...] = (
    Term("russia", "Russia (armed forces, MoD, EMERCOM)"),
    Term("russian_contracted", "Russian-contracted (Wagner, Africa Corps)"),
    Term("syria_old", "Syrian government (Assad, to Dec 2024)"),
    Term("syria_new", "Syrian government (from Dec 2024)"),
    Term("uae", "United Arab Emirates"),
    Term("turkey", "Turkey and Turkish-backed forces"),
    Term("sdf", "Syrian Democratic Forces"),
    Term("other", "Other (named in the note)"),
)
ACTORS: tuple[str, ...] = tuple(t.key for t in ACTOR_TERMS)
"""The actors ``site_status.csv`` may name: whose presence, use or loss of the site the row describes."""
ACTOR_LABELS: dict[str, str] = {t.key: t.label for t in ACTOR_TERMS}
RUSSIAN_ACTORS: tuple[str, ...] = ("russia", "russian_contracted")
"""The actors that count as "Russian presence": the state and the forces it contracts (docs/data.md)."""
PRESENCE_STATUSES: tuple[str, ...] = ("active", "reported", "drawdown", "suspended")
"""The statuses in which the row's actor is (still) at the site; ``withdrawn`` and ``captured`` end it."""


def is_russian_presence(actor: object, status: object) -> bool:
    """Return whether a status row in force shows Russians at the site: a Russian actor, present.

    Parameters
    ----------
    actor : object
        The row's ``actor`` (None or NaN for a row that names none, e.g. a workspace row).
    status : object
        The status in force (``not_reported`` before the first row).

    Examples
    --------
    >>> is_russian_presence("russia", "active"), is_russian_presence("uae", "active")
    (True, False)
    >>> is_russian_presence("russian_contracted", "withdrawn"), is_russian_presence(None, "active")
    (False, False)
    """
    return actor in RUSSIAN_ACTORS and status in PRESENCE_STATUSES


# --- Flight records --------------------------------------------------------------------

RECORD_TYPE_TERMS: tuple[RecordType, ...] = (
    RecordType("individual", "Individual flight", "flight", "Individual flights"),
    RecordType("count", "Count report", "count report", "Reported counts (no flight detail)"),
    RecordType("plan", "Plan or claim", "plan/claim", "Plans and claims"),
)
RECORD_TYPES: tuple[str, ...] = tuple(t.key for t in RECORD_TYPE_TERMS)
RECORD_TYPE_LABELS: dict[str, str] = {t.key: t.label for t in RECORD_TYPE_TERMS}
RECORD_TYPE_WORDS: dict[str, str] = {t.key: t.word for t in RECORD_TYPE_TERMS}
RECORD_TYPE_LEGENDS: dict[str, str] = {t.key: t.legend for t in RECORD_TYPE_TERMS}


# --- Confidence ------------------------------------------------------------------------

CONFIDENCE_TERMS: tuple[Term, ...] = (Term("high", "High"), Term("medium", "Medium"), Term("low", "Low"))
CONFIDENCE_LEVELS: tuple[str, ...] = tuple(t.key for t in CONFIDENCE_TERMS)
"""The confidence grades, best first."""
CONFIDENCE_LABELS: dict[str, str] = {t.key: t.label for t in CONFIDENCE_TERMS}


def sort_confidence(levels: Iterable[str]) -> list[str]:
    """Return the distinct grades among ``levels``, best first.

    Examples
    --------
    >>> sort_confidence(["low", "high", "low"])
    ['high', 'low']
    """
    return sorted(set(levels), key=CONFIDENCE_LEVELS.index)


def select_best_confidence(levels: Iterable[str]) -> str:
    """Return the best grade among ``levels``.

    Raises
    ------
    ValueError
        If ``levels`` is empty.
    """
    return min(levels, key=CONFIDENCE_LEVELS.index)


def select_weakest_confidence(levels: Iterable[str]) -> str:
    """Return the weakest grade among ``levels`` (a feature built from several sources is as weak as its weakest).

    Raises
    ------
    ValueError
        If ``levels`` is empty.
    """
    return max(levels, key=CONFIDENCE_LEVELS.index)


# --- Events and sites ------------------------------------------------------------------

CATEGORY_TERMS: tuple[Term, ...] = (
    Term("political", "Political"), Term("military", "Military"), Term("flight", "Flight"),
    Term("naval", "Naval"), Term("basing", "Basing"), Term("other", "Other"),
)
EVENT_CATEGORIES: tuple[str, ...] = tuple(t.key for t in CATEGORY_TERMS)
CATEGORY_LABELS: dict[str, str] = {t.key: t.label for t in CATEGORY_TERMS}

SITE_KIND_TERMS: tuple[Term, ...] = (
    Term("air_base", "Air base"), Term("naval_base", "Naval base"), Term("airport", "Airport"),
    Term("army_base", "Army base"), Term("port", "Port"), Term("logistics_hub", "Logistics hub"),
)
SITE_KINDS: tuple[str, ...] = tuple(t.key for t in SITE_KIND_TERMS)
KIND_LABELS: dict[str, str] = {t.key: t.label for t in SITE_KIND_TERMS}

SITE_GROUP_TERMS: tuple[Term, ...] = (
    Term("syria", "Russian sites in Syria"), Term("libya", "Libya"), Term("origin", "Origins (Russia, Belarus)"),
    Term("onward", "Onward (Africa)"), Term("other", "Other endpoints"),
)
SITE_GROUPS: tuple[str, ...] = tuple(t.key for t in SITE_GROUP_TERMS)
GROUP_LABELS: dict[str, str] = {t.key: t.label for t in SITE_GROUP_TERMS}


# --- Observations and sources ----------------------------------------------------------

OBSERVATION_METHOD_TERMS: tuple[Term, ...] = (
    Term("satellite", "Satellite image"), Term("photo", "Photo or video"), Term("ground", "Ground report"),
)
OBSERVATION_METHODS: tuple[str, ...] = tuple(t.key for t in OBSERVATION_METHOD_TERMS)
"""How an observation in ``observations.csv`` was made."""
OBSERVATION_METHOD_LABELS: dict[str, str] = {t.key: t.label for t in OBSERVATION_METHOD_TERMS}

SOURCE_KIND_TERMS: tuple[Term, ...] = (
    Term("original", "original reporting"), Term("wire", "wire copy"), Term("repost", "repost"),
    Term("aggregator", "aggregator"), Term("party", "party to the conflict"), Term("official", "official statement"),
)
SOURCE_KINDS: tuple[str, ...] = tuple(t.key for t in SOURCE_KIND_TERMS)
"""What a source is, written ``[kind]`` at the end of its label (``https://... (Reuters, 2024-12-14 [wire])``)."""
SOURCE_KIND_LABELS: dict[str, str] = {t.key: t.label for t in SOURCE_KIND_TERMS}


# --- Map layers ------------------------------------------------------------------------

LAYER_TERMS: tuple[Term, ...] = (
    Term("site", "Sites"), Term("route", "Routes"), Term("flight", "Flights"), Term("corridor", "Corridors"),
    Term("event", "Events"), Term("observation", "Observations"), Term("reach", "Reach while dark"),
    Term("track", "ADS-B tracks"), Term("gap", "Went dark"), Term("position", "Aircraft positions"),
)
"""Every map layer's key (the ``layer`` property) and the title toggles, legends and KML folders show."""
LAYER_TITLES: dict[str, str] = {t.key: t.label for t in LAYER_TERMS}
