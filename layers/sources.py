"""Sources as the data files write them: ``URL (label)``, several joined by `` | ``.

The one parser of a source cell. Every surface that shows a source (popups, the event
list, KML, footnotes, PDF, PPTX) reads it through :func:`parse_source` and shows
:attr:`Source.display`, which names the link's real host whenever the label does not, so
that a label reading "Reuters" cannot hide a link to another site.

A label may end with the source's kind in brackets, ``(Reuters, 2024-12-14 [wire])``: one
of :data:`layers.vocabulary.SOURCE_KINDS`. It is read here once, into :attr:`Source.kind`,
and kept out of :attr:`Source.label`, so every reader of a label sees the outlet and date only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from layers.vocabulary import SOURCE_KIND_LABELS, SOURCE_KINDS

SOURCE_SEPARATOR = " | "
LINK_SCHEMES = ("http", "https")
FILE_SOURCE_PREFIX = "file:"
"""How an imported row that cites no source names the file it came from (``file:sightings.csv (my notes)``)."""
# Host name parts that say nothing about who publishes (so "Reuters" need not contain "com").
_GENERIC_HOST_PARTS = frozenset({"www", "com", "org", "net", "gov", "edu", "int", "co", "ac", "news", "info", "uk",
                                 "ly", "ru", "fr", "de", "by", "sy", "tr", "it", "us", "eu", "io", "mil", "m", "amp"})
_URL_IN_TEXT = re.compile(r"(?i)\b(?:https?|ftp|javascript|data|file|vbscript):|\bwww\.")
_SOURCE = re.compile(r"^(?P<url>\S+)(?:\s+\((?P<label>.*)\))?\s*$", re.DOTALL)
_KIND = re.compile(r"^(?P<label>.*?)\s*\[(?P<kind>[^\[\]]*)\]\s*$", re.DOTALL)


@dataclass(frozen=True)
class Source:
    """One source: its URL, the label written after it (outlet, date), if any, and its kind, if given."""

    url: str
    label: str | None
    kind: str | None = None

    @property
    def host(self) -> str:
        """The URL's host without ``www.`` (``reuters.com``), or the URL when it has none."""
        return (urlsplit(self.url).hostname or self.url).removeprefix("www.")

    @property
    def ascii_url(self) -> str:
        """The URL in ASCII, as a browser sends it: the host in IDNA, other characters percent-encoded.

        What print shows (the PDF's sources pages), so that an address with Arabic or
        Cyrillic in it can be typed in exactly and never prints as boxes; the link keeps
        :attr:`url` itself.

        Examples
        --------
        >>> Source("https://example.ly/\u0646\u0648\u0641\u0627?q=%20x", None).ascii_url
        'https://example.ly/%D9%86%D9%88%D9%81%D8%A7?q=%20x'
        """
        if self.url.isascii():
            return self.url
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        try:
            ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
        except UnicodeError:  # not a valid IDNA name: keep it readable, percent-encoded
            ascii_host = quote(host)
        netloc = parts.netloc.replace(host, ascii_host, 1) if host else parts.netloc
        return urlunsplit((parts.scheme, _encode_non_ascii(netloc), _encode_non_ascii(parts.path),
                           _encode_non_ascii(parts.query), _encode_non_ascii(parts.fragment)))

    @property
    def is_link(self) -> bool:
        """Whether the URL may become a link: http(s), with a host and no white space."""
        parts = urlsplit(self.url)
        return (parts.scheme.lower() in LINK_SCHEMES and bool(parts.hostname)
                and not any(c.isspace() for c in self.url))

    @property
    def label_matches_host(self) -> bool:
        """Whether the label names the publisher of the host (``Libya Herald`` for ``libyaherald.com``).

        The publisher is the host's last part before its generic suffixes (``bbc`` in
        ``www.bbc.co.uk``, ``example`` in ``reuters.com.evil.example``); the label names it
        when it contains it, or when an acronym in the label starts it (``NYT``, ``nytimes``).
        """
        if not self.label:
            return False
        publisher = re.sub(r"[^a-z0-9]", "", _find_publisher(self.host))
        words = re.sub(r"[^a-z0-9]", "", self.label.lower())
        acronyms = [a.lower() for a in re.findall(r"\b[A-Z]{2,5}\b", self.label)]
        return bool(publisher) and (publisher in words or any(publisher.startswith(a) for a in acronyms))

    @property
    def display(self) -> str:
        """What a reader sees for the link: the label, with ``via HOST`` when it names another host."""
        if self.url.startswith(FILE_SOURCE_PREFIX):
            name = self.url[len(FILE_SOURCE_PREFIX):]
            return f"{self.label} (imported file {name})" if self.label else f"imported file {name}"
        if not self.label:
            shown = self.host
        elif self.label_matches_host:
            shown = self.label
        else:
            shown = f"{self.label}, via {self.host}"
        return f"{shown} [{SOURCE_KIND_LABELS[self.kind]}]" if self.kind in SOURCE_KIND_LABELS else shown


def _encode_non_ascii(text: str) -> str:
    # Only what is not ASCII: existing %-escapes and reserved characters keep their meaning.
    return "".join(c if c.isascii() else quote(c) for c in text)


def _find_publisher(host: str) -> str:
    parts = [p for p in host.lower().split(".") if p]
    while len(parts) > 1 and parts[-1] in _GENERIC_HOST_PARTS:
        parts.pop()
    return parts[-1] if parts else ""


def parse_source(text: str) -> Source:
    """Split one source ``URL (label)`` into its URL and label.

    Parameters
    ----------
    text : str
        One entry of a ``sources`` cell (already split on :data:`SOURCE_SEPARATOR`).

    Examples
    --------
    >>> parse_source("https://www.reuters.com/x (Reuters, 2024-12-14)").display
    'Reuters, 2024-12-14'
    >>> parse_source("https://evil.example/p (Reuters, 2024-12-14)").display
    'Reuters, 2024-12-14, via evil.example'
    >>> parse_source("https://www.reuters.com/x (Reuters, 2024-12-14 [wire])").kind
    'wire'
    """
    match = _SOURCE.match(text.strip())
    if not match:
        return Source(text.strip(), None)
    label, kind = split_kind((match["label"] or "").strip())
    return Source(match["url"], label or None, kind)


def split_kind(label: str) -> tuple[str, str | None]:
    """Split a label into its text and the ``[kind]`` at its end (None when it has none).

    Examples
    --------
    >>> split_kind("HUR via i24NEWS, 2024-12-10 [party]")
    ('HUR via i24NEWS, 2024-12-10', 'party')
    >>> split_kind("Reuters, 2024-12-14")
    ('Reuters, 2024-12-14', None)
    """
    match = _KIND.match(label)
    if not match:
        return label, None
    return match["label"].strip().rstrip(","), match["kind"].strip()


def split_sources(value: str) -> list[str]:
    """Split a ``sources`` cell on the documented separator `` | ``, dropping empty entries."""
    return [s.strip() for s in value.split(SOURCE_SEPARATOR) if s.strip()]


def find_source_problem(text: str) -> str | None:
    """Return what is wrong with one source entry, or None when it is well formed.

    A source starts with its http(s) URL, or, for rows imported from an analyst's file
    that cites nothing, with ``file:`` and the file's name (never a link); the label after
    it is plain text and must not hold a second address (two sources are joined with
    `` | ``, never written as one).
    """
    if text.startswith(FILE_SOURCE_PREFIX):
        source = parse_source(text)
        if len(source.url) <= len(FILE_SOURCE_PREFIX):
            return "names no file after 'file:'"
    elif not text.startswith(("http://", "https://")):
        return "does not start with an http(s) URL"
    else:
        source = parse_source(text)
        if not source.is_link:
            return "its URL has no host"
    rest = text.strip()[len(source.url):]
    if _URL_IN_TEXT.search(rest):
        return "holds a second address after its URL"
    if source.kind is not None and source.kind not in SOURCE_KINDS:
        return f"names the unknown kind [{source.kind}] (use one of {', '.join(SOURCE_KINDS)})"
    return None
