"""The building blocks of every popup: heading, rows, confidence, conflict, sources, provenance.

Each block escapes what it is given with :func:`layers.escaping.escape_text`, the one HTML
escaper, and gives an empty string for a missing value, so a popup is the join of its
blocks (:func:`wrap`) and never shows an empty row. Sources are read by
:func:`layers.sources.parse_source`; links are built only for ``http``/``https`` URLs and
name their real host; anything else is shown as text.

No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from layers.escaping import escape_text
from layers.missing import is_present
from layers.sources import FILE_SOURCE_PREFIX, parse_source
from layers.validation import SHIPPED
from layers.vocabulary import CONFIDENCE_LABELS

__all__ = [
    "build_source_links", "describe_date_span", "look_up", "wrap", "wrap_parts", "write_confidence", "write_conflict",
    "write_heading", "write_meta_line", "write_provenance", "write_row", "write_sources",
]

_SAME = object()  # the default of look_up: give back the key


def build_source_links(sources: Iterable[str], css_class: str = "ab-sources") -> str:
    """Return an ordered list of the sources: a link for each ``http(s)`` URL, text otherwise.

    The link reads as :attr:`layers.sources.Source.display`, which names the real host
    whenever the label does not, and carries the whole URL as its hover title.
    """
    items = [_build_source_item(str(text)) for text in sources or []]
    if not items:
        return '<p class="ab-missing">No source listed.</p>'
    return f'<ol class="{escape_text(css_class)}">{"".join(items)}</ol>'


@lru_cache(maxsize=65536)
def _build_source_item(text: str) -> str:
    # Cached: a route's popup lists the sources of every flight it carries, and the scrub
    # index builds one popup per set of flights a leg carries (22,458 sets with 10,000
    # flights), so one source is written into hundreds of popups.
    source = parse_source(text)
    if source.is_link:
        # No title repeating the address (the browser shows a link's address on hover), and
        # "noreferrer" alone: it implies "noopener" (HTML, "Link types"). The page's event
        # list is sent again on every settled date, its links with it (issue 11, bytes per step).
        return (f'<li><a href="{escape_text(source.url)}" target="_blank" rel="noreferrer">'
                f'{escape_text(source.display)}</a></li>')
    if source.url.startswith(FILE_SOURCE_PREFIX):
        return f"<li>{escape_text(source.display)}</li>"
    return f"<li>{escape_text(text)}</li>"


def wrap(parts: Sequence[str]) -> str:
    """Return the popup made of ``parts`` (blocks already escaped; empty ones left out)."""
    return "".join(wrap_parts(parts))


def wrap_parts(parts: Sequence[str]) -> list[str]:
    """Return the popup made of ``parts`` as its pieces, in order: joined, they are :func:`wrap` of them.

    The map's script joins them (``dashboard.webmap.map_contract.RouteFeature``): a leg's
    popups for different sets of flights share most pieces, which the catalogue then holds once.
    """
    return ['<div class="ab-popup">', *(p for p in parts if p), "</div>"]


def write_heading(text: object) -> str:
    """Return the popup's heading."""
    return f"<h4>{escape_text(text)}</h4>"


def write_meta_line(items: Iterable[object]) -> str:
    """Return the grey line under the heading: the present items joined by middle dots."""
    shown = [escape_text(i) for i in items if is_present(i)]
    return f'<p class="ab-meta">{" · ".join(shown)}</p>' if shown else ""


def write_row(label: str, value: object) -> str:
    """Return ``Label: value`` (nothing when the value is missing)."""
    if not is_present(value):
        return ""
    return f"<p><b>{escape_text(label)}:</b> {escape_text(value)}</p>"


def write_confidence(grade: object) -> str:
    """Return the confidence row, the grade in words."""
    if not is_present(grade):
        return ""
    return (f'<p><b>Confidence:</b> <span class="ab-confidence ab-confidence-{escape_text(grade)}">'
            f"{escape_text(CONFIDENCE_LABELS.get(str(grade), grade))}</span></p>")


def write_conflict(note: object) -> str:
    """Return the "Sources disagree" note (nothing when there is none)."""
    if not is_present(note):
        return ""
    return f'<p class="ab-conflict"><b>Sources disagree:</b> {escape_text(note)}</p>'


def write_provenance(provenance: object) -> str:
    """Say where the record came from: the shipped dataset or an analyst's import batch."""
    if not is_present(provenance):
        return ""
    shown = "the shipped dataset" if provenance == SHIPPED else str(provenance)
    return f'<p class="ab-small ab-provenance">From {escape_text(shown)}</p>'


def write_sources(label: str, sources: object) -> str:
    """Return the sources block: its label and :func:`build_source_links` of the list."""
    listed = [str(s) for s in sources] if isinstance(sources, (list, tuple)) else []
    return f'<div class="ab-sources-block"><b>{escape_text(label)}:</b>{build_source_links(listed)}</div>'


def describe_date_span(record: Mapping[str, Any]) -> Any:
    """Return "DATE" or "DATE to END_DATE" for a dated record."""
    if is_present(record.get("end_date")):
        return f"{record.get('date')} to {record['end_date']}"
    return record.get("date")


def look_up(table: Mapping[str, Any], key: object, default: object = _SAME) -> Any:
    """Return ``table[key]`` for a text key in the table, else ``default`` (the key itself unless given)."""
    if isinstance(key, str) and key in table:
        return table[key]
    return key if default is _SAME else default
