"""A site's status history in KML: one placemark per status, each with its TimeSpan and style.

Google Earth's time slider shows a placemark only within its TimeSpan. With the status in
force alone, Hmeimim vanished before its latest status date; with the history each status
of ``site_status.csv`` in force up to the export's date is a placemark spanning from the day
it takes effect (``layers.timeline.order_status_rows``: a partial row from the end of its
period) to the day the next one does (the last one to the export's date), styled as that status.
Together the spans cover the site's first status to the date with no gap: move the
slider and the symbol changes from active to suspended and back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from layers.missing import is_present
from layers.timeline import find_effective_day, order_status_rows

HISTORY_ID_SEPARATOR = "@"  # a past status's placemark is "SITE@DATE"


@dataclass(frozen=True)
class StatusSpan:
    """One status of a site in force from ``begin`` to ``end`` (KML time text, ``end`` None: open)."""

    row: pd.Series
    begin: str | None
    end: str | None


def build_status_spans(site: pd.Series, site_status: pd.DataFrame | None, as_of: dt.date) -> list[StatusSpan]:
    """Return the status spans of one ``site`` layer row up to ``as_of``, oldest first.

    The last span is the row itself (the status in force), ending on ``as_of``. Earlier
    spans are copies of the row with that status's fields (``status``, ``status_date``,
    ``status_note``, ``status_sources``, ``status_confidence``, ``status_conflict``,
    ``status_actor``) and the id ``SITE@DATE``. Without ``site_status`` (or a site with no
    dated status) only the row is returned; undated, it has no time and shows at every time.
    """
    current_begin = (find_effective_day(str(site["status_date"])).isoformat()
                     if is_present(site.get("status_date")) else None)
    current = StatusSpan(site, current_begin, as_of.isoformat() if current_begin else None)
    if site_status is None or site_status.empty or current_begin is None:
        return [current]
    # The rows in force in turn, each from the day the time rule gives it (a partial row from
    # the end of its period), so Google Earth's slider shows what the map shows on each day.
    ordered = order_status_rows(site_status)
    rows = ordered[(ordered["site_id"] == site["id"]) & (ordered["takes_effect"] <= pd.Timestamp(as_of))]
    if rows.empty:
        return [current]
    current = StatusSpan(site, rows["takes_effect"].iloc[-1].date().isoformat(), as_of.isoformat())
    spans: list[StatusSpan] = []
    for (_, status), (_, following) in zip(rows.iloc[:-1].iterrows(), rows.iloc[1:].iterrows(), strict=True):
        past = site.copy()
        past["id"] = f"{site['id']}{HISTORY_ID_SEPARATOR}{status['date']}"
        past["status"], past["status_date"] = status["status"], status["date"]
        past["status_note"] = status["note"]
        past["status_sources"] = list(status["sources"] or [])
        past["status_confidence"] = status["confidence"]
        past["status_conflict"] = status["conflict"] if is_present(status.get("conflict")) else None
        past["status_actor"] = status["actor"] if is_present(status.get("actor")) else None
        past["status_stale"], past["status_pending"], past["status_pending_date"] = False, None, None
        spans.append(StatusSpan(past, status["takes_effect"].date().isoformat(),
                                following["takes_effect"].date().isoformat()))
    return [*spans, current]
