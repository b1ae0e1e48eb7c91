"""What the page's "How to read this map" panel says: statuses, grades, record types, windows, sourcing.

The terms' labels come from :mod:`layers.vocabulary` (the words the legend and popups
use), so the guide can never name a status the map does not draw; only the explanations
are written here, one per key, and ``tests/test_reading_guide.py`` checks that every key of
each vocabulary has one. The text is plain (no markup): the page renders each entry as
text, never as HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from layers.timeline import describe_window_length
from layers.vocabulary import CONFIDENCE_LABELS, NOT_REPORTED, RECORD_TYPE_LABELS, STATUS_LABELS

STATUS_MEANINGS: Mapping[str, str] = {
    "active": "Presence or use by the row's actor is documented on or before the date.",
    "reported": "Presence or use is reported but not confirmed (a single source or a weak one).",
    "drawdown": "A withdrawal is under way: forces or equipment are seen leaving.",
    "withdrawn": "The actor's presence has ended.",
    "captured": "The actor lost the site to another force (named in the popup).",
    "suspended": "Use is paused (closed runway, halted flights) without a withdrawal.",
    NOT_REPORTED: "No status row is dated on or before the date: nothing is claimed either way.",
}
CONFIDENCE_MEANINGS: Mapping[str, str] = {
    "high": "Two or more independent sources, or one primary source (imagery, flight tracking, an official "
            "record) that shows it directly.",
    "medium": "One credible source, or several that may share an origin.",
    "low": "A single weak, partisan or unverified source; shown so it can be checked, not relied on.",
}
RECORD_TYPE_MEANINGS: Mapping[str, str] = {
    "individual": "One flight: a date, and usually an aircraft type or registration, from tracking or a "
                  "report that names it.",
    "count": "A report of how many flights, without their details (\"several per day\", \"at least 9 "
             "round trips\"); route widths count it at the lower bound its wording gives.",
    "plan": "A plan, order or claim of flights that no source shows flown.",
}
WINDOW_DAYS = (1, 7, 30, None)
SOURCING_RULES = (
    ("Every site, status, flight, event and observation carries its sources (a link, the outlet and "
    "the date) and a confidence grade. Click a symbol for them."),
    ("A link's label names the outlet and, when the link goes to another site (a repost, an "
    "aggregator, a wire copy), the host it really goes to, with the source's kind in brackets."),
    ("Nothing is invented: where a source names no airfield the place is drawn as an area, not a point; "
    "a month-only date stays a month (\"May 2025, day not known\")."),
    "Where sources disagree the popup says \"Sources disagree\" and what each says.",
)


@dataclass(frozen=True)
class GuideSection:
    """One heading of the guide and its (term, explanation) rows."""

    title: str
    rows: tuple[tuple[str, str], ...]


def build_reading_guide() -> tuple[GuideSection, ...]:
    """Return the guide's sections in reading order: statuses, grades, record types, windows, sourcing."""
    return (
        GuideSection("Site status (the symbol's fill and outline, on the chosen date)",
                     tuple((STATUS_LABELS[key], STATUS_MEANINGS[key]) for key in STATUS_LABELS)),
        GuideSection("Confidence grade (how well the sources support a fact, not how important it is)",
                     tuple((CONFIDENCE_LABELS[key], CONFIDENCE_MEANINGS[key]) for key in CONFIDENCE_LABELS)),
        GuideSection("Flight record types (the route's line style)",
                     tuple((RECORD_TYPE_LABELS[key], RECORD_TYPE_MEANINGS[key]) for key in RECORD_TYPE_LABELS)),
        GuideSection("Windows (which flights, events and observations are shown)",
                     tuple((describe_window_length(days).capitalize(), _describe_window(days))
                           for days in WINDOW_DAYS)),
        GuideSection("Sourcing policy", tuple(("", rule) for rule in SOURCING_RULES)),
    )


def _describe_window(days: int | None) -> str:
    if days is None:
        return "Everything from the start of the data up to the date."
    if days == 1:
        return "Only what is dated on the chosen day."
    return f"What is dated in the {days} days ending on the chosen date, that day included."
