"""The source check: sources that are well formed but fragile, listed as warnings by ``validate``.

Validation (:mod:`layers.validation`) refuses a source that is not a link. This check looks
at the links it accepted and warns where a reader could not rely on one: a raw IP address or
a staging copy instead of the publisher's host, a listing page instead of the article, a
repository's front page instead of the file, a label without its outlet or date, and rows
whose every source is an aggregator or a forum. Warnings never change the exit status.

The word lists below are the only copy; docs/data.md ("The source check") explains them and
a test keeps the two in step.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from layers.dataset import Dataset
from layers.schema import AIRCRAFT, CORRIDORS, EVENTS, FLIGHTS, OBSERVATIONS, PLACES, SITE_STATUS, SITES, FileSpec
from layers.sources import FILE_SOURCE_PREFIX, parse_source
from layers.validation import SHIPPED

STAGING_HOST_LABELS = frozenset({"uat", "staging", "stage", "preproduction", "preprod", "dev", "test", "qa",
                                 "sandbox", "schulung", "training"})
"""First labels of a host that name a test or staging copy of a site (``uat.apnews.com``)."""
APP_HOST_SUFFIXES = ("azurewebsites.net", "herokuapp.com", "appspot.com", "vercel.app", "netlify.app",
                     "pages.dev", "workers.dev", "onrender.com", "fly.dev", "firebaseapp.com", "web.app")
"""Hosting platforms whose app hosts serve a copy of a site, not the publisher's own address."""
LISTING_PATH_SEGMENTS = frozenset({"tag", "tags", "category", "categories", "topic", "topics", "label",
                                   "hashtag", "search", "archive"})
"""Path segments of listing pages (``/tag/``, ``/category/``), whose content changes over time."""
LISTING_QUERY_KEYS = frozenset({"cat", "tag", "category", "s", "q"})
"""Query keys of listing and search pages (``?cat=28``)."""
REPOSITORY_HOSTS = frozenset({"github.com", "gitlab.com", "bitbucket.org", "codeberg.org"})
"""Code hosts whose front pages (``/owner/repo``) change; cite a file at a commit instead."""
AGGREGATOR_HOSTS = frozenset({
    "flashback.org", "brighteon.com", "tgstat.com", "tgstat.ru", "sinodefenceforum.com", "listserve.net",
    "news-pravda.com", "group-telegram.com", "reddit.com", "daily8.com", "dnyuz.com", "saluranwarta.com",
    "inkl.com", "deepnewzmarket.com", "zazoom.it", "byteseu.com", "metroscroll.com", "askwikinow.com",
    "akarinohon.com", "my.ua", "news.amierul.com", "plawiuk.blogspot.com", "cognicurrent.com",
})
"""Forums, reposting blogs and aggregators: never the only source of a row (also any source marked [aggregator])."""
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_NOT_OUTLET = re.compile(r"(?i)\b(?:\d{1,4}|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|"
                         r"nov\w*|dec\w*|citing|via|of|and|repost|copy|summary|undated)\b|[^a-z]")
_SOURCE_FIELDS = {SITES: "sources", SITE_STATUS: "sources", PLACES: "sources", FLIGHTS: "sources",
                  EVENTS: "sources", OBSERVATIONS: "sources", CORRIDORS: "sources", AIRCRAFT: "source"}


@dataclass(frozen=True)
class SourceWarning:
    """One fragile source (or a row of only aggregators): where it is, what is wrong, what to do."""

    file: Path | str
    line: int
    field: str
    value: str
    message: str
    hint: str

    def __str__(self) -> str:
        return (f"warning: {self.file}:{self.line}: field '{self.field}': {self.message} "
                f"(value '{self.value[:80]}'). Fix: {self.hint}")


def check_source(text: str) -> list[tuple[str, str]]:
    """Return ``(message, hint)`` for every weakness of one source entry (empty when it has none).

    Examples
    --------
    >>> [m for m, _ in check_source("http://3.127.128.221/2025/01/24/x (Reuters 2025-01-24)")]
    ['the host is a raw IP address']
    >>> check_source("https://www.reuters.com/world/x (Reuters, 2024-12-14)")
    []
    """
    if text.startswith(FILE_SOURCE_PREFIX):
        return []
    source = parse_source(text)
    parts = urlsplit(source.url)
    host = (parts.hostname or "").lower()
    found: list[tuple[str, str]] = []
    if _is_ip(host):
        found.append(("the host is a raw IP address",
                      "cite the publisher's own address (search for the article's title)"))
    elif host.split(".")[0] in STAGING_HOST_LABELS or _ends_with(host, APP_HOST_SUFFIXES):
        found.append(("the host is a staging or app-hosting copy, not the publisher's site",
                      "cite the same article on the publisher's own host"))
    segments = [s.lower() for s in parts.path.split("/") if s]
    if LISTING_PATH_SEGMENTS & set(segments) or LISTING_QUERY_KEYS & set(parse_qs(parts.query)):
        found.append(("the link is a listing or search page, whose content changes",
                      "cite the article itself"))
    if host.removeprefix("www.") in REPOSITORY_HOSTS and len(segments) <= 2:
        found.append(("the link is a repository's front page",
                      "cite the file at a commit (.../blob/COMMIT/path)"))
    found.extend(_check_label(source.label))
    return found


def is_aggregator(text: str) -> bool:
    """Return whether a source is an aggregator or forum: by its host, or marked ``[aggregator]``."""
    source = parse_source(text)
    host = (urlsplit(source.url).hostname or "").lower().removeprefix("www.")
    return source.kind == "aggregator" or _ends_with(host, tuple(AGGREGATOR_HOSTS))


def check_row(file: Path | str, line: int, field: str, sources: Iterable[str]) -> Iterator[SourceWarning]:
    """Yield the warnings of one row's sources cell: each source's, then the aggregator-only rule."""
    listed = list(sources)
    for text in listed:
        for message, hint in check_source(text):
            yield SourceWarning(file, line, field, text, message, hint)
    if listed and all(is_aggregator(text) for text in listed):
        yield SourceWarning(file, line, field, " | ".join(listed),
                            "every source of the row is an aggregator or a forum",
                            "add the original report the aggregator copies, or lower the grade and say so")


def check_dataset_sources(dataset: Dataset) -> list[SourceWarning]:
    """Return the warnings for every sourced row of a validated dataset, file by file, line by line.

    A shipped row names its data file; a workspace row names the batch it came from.
    """
    frames = {SITES: dataset.sites.reset_index(), SITE_STATUS: dataset.site_status,
              PLACES: dataset.places.reset_index(), FLIGHTS: dataset.flights, EVENTS: dataset.events,
              OBSERVATIONS: dataset.observations, CORRIDORS: dataset.corridors.reset_index(),
              AIRCRAFT: dataset.aircraft.reset_index()}
    warnings: list[SourceWarning] = []
    for spec, frame in frames.items():
        warnings.extend(_check_frame(dataset.data_dir, spec, frame))
    return warnings


def _check_frame(data_dir: Path, spec: FileSpec, frame: pd.DataFrame) -> Iterator[SourceWarning]:
    field = _SOURCE_FIELDS[spec]
    for row in frame.sort_values("line", kind="stable").to_dict("records"):
        file = data_dir / spec.filename if row["provenance"] == SHIPPED else row["provenance"]
        yield from check_row(file, int(row["line"]), field, row[field] or [])


def _check_label(label: str | None) -> list[tuple[str, str]]:
    if not label:
        return [("the source has no label naming its outlet and date",
                 "add '(Outlet, YYYY-MM-DD)' after the URL")]
    found = []
    if not _NOT_OUTLET.sub("", label.lower()):
        found.append(("the label names no outlet", "name the outlet that published it, e.g. '(Reuters, 2024-12-14)'"))
    if not _YEAR.search(label):
        found.append(("the label gives no date", "add the publication date, e.g. '(Reuters, 2024-12-14)'"))
    return found


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _ends_with(host: str, suffixes: tuple[str, ...]) -> bool:
    host = host.removeprefix("www.")
    return any(host == s or host.endswith("." + s) for s in suffixes)
