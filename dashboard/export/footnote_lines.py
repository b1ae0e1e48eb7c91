"""The lines of one slide footnote, each whole within its column: wrapped at spaces, never cut with an ellipsis.

A source's footnote on the slide names its grades, outlet and date in full
(``[medium] Reuters, 2024-12-14, via hindustantimes.com``), then the claims it supports,
whole, as many as the note's lines hold, and how many more there are ("+2 more claims");
the sources page and the PPTX sources slides list them all. A note takes the lines its
head needs (one, for nearly every outlet), or up to ``MAX_NOTE_LINES`` when the block has
room for every note so.
"""

from __future__ import annotations

from collections.abc import Sequence

from dashboard.export.footnotes import SourceNote
from dashboard.export.line_breaks import Measure, wrap_words

MAX_NOTE_LINES = 2
MAX_HEAD_LINES = 3  # an outlet's name longer than two lines still shows whole, without its claims
# A claim longer than this is never laid out on the slide (a 4,000-character name): it
# cannot fit two lines of any column, and measuring it would cost seconds.
MAX_CLAIM_CHARS = 300


def describe_source_head(note: SourceNote) -> str:
    """Return what a slide footnote always shows in full: ``[grades] outlet, date [kind]``."""
    return f"[{'/'.join(note.grades)}] {note.display}"


def lay_out_source(note: SourceNote, room: float, measure: Measure, *, max_lines: int = 1) -> list[str]:
    """Return the lines of ``note`` on the slide, each at most ``room`` wide.

    The head (grades, outlet, date, kind) is always whole, on as few lines as hold it (up
    to ``MAX_HEAD_LINES``); the claims follow whole, in order, on those lines or up to
    ``max_lines`` in all, and those left out are counted ("+3 more claims", or "3 claims"
    when none fits).
    """
    head = describe_source_head(note)
    head_lines = wrap_words(head, room, measure, MAX_HEAD_LINES)
    if head_lines is None:  # an outlet's name too long for three lines of the column
        return wrap_words(f"[{'/'.join(note.grades)}] the source's name is too long for the slide: it is on the "
                          "sources page", room, measure, MAX_HEAD_LINES) or [f"[{'/'.join(note.grades)}]"]
    claims = [f"{claim.subject} ({claim.confidence})" for claim in note.claims]
    fitting = _count_short_claims(claims)
    budget = max(len(head_lines), max_lines)
    for lines in range(len(head_lines), budget + 1):
        for shown in range(fitting, -1, -1):
            wrapped = wrap_words(_join_claims(head, claims, shown), room, measure, lines)
            if wrapped is not None and (shown == len(claims) or lines == budget):
                return wrapped
            if wrapped is not None:
                break  # more lines may hold more claims
    return head_lines


def _join_claims(head: str, claims: Sequence[str], shown: int) -> str:
    if not claims:
        return head
    if shown == 0:
        return f"{head}: {len(claims)} claim{'s' if len(claims) > 1 else ''}"
    more = len(claims) - shown
    tail = f"; +{more} more claim{'s' if more > 1 else ''}" if more else ""
    return f"{head}: {'; '.join(claims[:shown])}{tail}"


def _count_short_claims(claims: Sequence[str]) -> int:
    """Return how many leading claims are short enough to try on the slide (together at most ``MAX_CLAIM_CHARS``)."""
    total = 0
    for count, claim in enumerate(claims):
        total += len(claim) + 2
        if total > MAX_CLAIM_CHARS:
            return count
    return len(claims)
