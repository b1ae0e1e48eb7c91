"""A site's status history in KML: one placemark per status, each with its TimeSpan and style.

Google Earth's time slider shows a placemark only within its TimeSpan. With the status in
force alone, Hmeimim vanished before its latest status date; with the history each status
of ``site_status.csv`` up to the export's date is a placemark spanning from its own date
to the next status's date (the last one to the export's date), styled as that status.
Together the spans cover the site's first status to the date with no gap: move the
slider and the symbol changes from active to suspended and back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from layers.missing import is_present

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
    current_begin = str(site["status_date"]) if is_present(site.get("status_date")) else None
    current = StatusSpan(site, current_begin, as_of.isoformat() if current_begin else None)
    if site_status is None or site_status.empty or current_begin is None:
        return [current]
    rows = site_status[(site_status["site_id"] == site["id"]) & (site_status["start"] <= pd.Timestamp(as_of))]
    rows = rows.sort_values("start", kind="stable")
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
        spans.append(StatusSpan(past, str(status["date"]), str(following["date"])))
    return [*spans, current]
