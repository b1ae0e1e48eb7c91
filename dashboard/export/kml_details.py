"""The rows a KML balloon adds for a site's status, an observation and a route, as escaped HTML.

A site's balloon says its status with the date at the precision the source gives
(``layers.schema.describe_partial_date``: "since May 2025, day not known"), whose status it
is (``status_actor``, labelled as ``layers.vocabulary.ACTOR_LABELS``) and whether that
counts as Russian presence (``is_russian_presence`` of the row's actor and status, so a
past status of the site's history, :mod:`dashboard.export.kml_history`, says its own).
An observation's balloon says when, how and what was seen, and the aircraft counted; a
route's, its footnote line (:mod:`dashboard.export.route_notes`: distance, flight time,
countries crossed, closed airspace with its first source), which the KML writer puts
in the row's :data:`ROUTE_NOTE_FIELD`.
Every data value is HTML-escaped (Google Earth renders balloons as HTML).
"""

from __future__ import annotations

import html

import pandas as pd

from layers.missing import is_present
from layers.schema import describe_partial_date
from layers.vocabulary import (
    ACTOR_LABELS,
    CONFIDENCE_LABELS,
    NOT_REPORTED,
    OBSERVATION_METHOD_LABELS,
    STATUS_LABELS,
    describe_last_reported,
    is_russian_presence,
)

ROUTE_NOTE_FIELD = "route_note"
"""The route row's field that holds its footnote line while its balloon is written."""
KML_DETAIL_FIELDS = ("status_actor", "date_precision", "method", "place_name", "observed", "aircraft")
"""The site and observation fields the KML export also writes as ``ExtendedData``."""


def describe_details(layer: str, row: pd.Series) -> list[str]:
    """Return the balloon rows of a site's status and actor, of an observation or of a route (none for others)."""
    if layer == "site":
        return _describe_status(row)
    if layer == "observation":
        method = OBSERVATION_METHOD_LABELS.get(str(row.get("method")), str(row.get("method")))
        rows = [("Observation", f"{describe_partial_date(row.get('date'))}, {method.lower()} (not a flight)"),
                ("Seen", row.get("observed")), ("Aircraft counted", row.get("aircraft"))]
        return [_row(label, value) for label, value in rows if is_present(value)]
    if layer == "route" and is_present(row.get(ROUTE_NOTE_FIELD)):
        return [_row("Route", row[ROUTE_NOTE_FIELD])]
    return []


def is_stale(row: pd.Series) -> bool:
    """Return whether a site row's status is stale (``status_stale``; False where the column is missing)."""
    value = row.get("status_stale")
    return is_present(value) and bool(value)


def _describe_status(row: pd.Series) -> list[str]:
    status = row.get("status")
    if not is_present(status) or status == NOT_REPORTED:
        return [_row("Status", STATUS_LABELS[NOT_REPORTED])]
    since = f" since {describe_partial_date(row['status_date'])}" if is_present(row.get("status_date")) else ""
    actor = row.get("status_actor")
    who = ACTOR_LABELS.get(actor, "not stated") if isinstance(actor, str) else "not stated"
    presence = "counts as Russian presence" if is_russian_presence(actor, status) else "not Russian presence"
    stale = f" · {describe_last_reported(row['status_date'])}" if is_stale(row) else ""
    grade = row.get("status_confidence")
    evidence = ([_row("Evidence for the status", f"{CONFIDENCE_LABELS.get(str(grade), grade)} confidence")]
                if is_present(grade) else [])
    return [_row("Status", f"{STATUS_LABELS.get(str(status), status)}{since}{stale}"), *evidence,
            _row("Actor", f"{who}: {presence}")]


def _row(label: str, value: object) -> str:
    return f"<p><b>{html.escape(label)}:</b> {html.escape(str(value))}</p>"
