"""Short names for crowded places on a slide: map labels, legend and footnotes."""

from __future__ import annotations

import re

# Generic words that say what a site is; the symbol already says it, so labels drop them.
GENERIC_SUFFIXES = re.compile(
    r"\s+(International Airport|Airport|Air Base|Airbase|Military Airbase|naval facility|"
    r"Russian base|Russian positions|Military Airport)$", re.IGNORECASE)
PARENTHESIS = re.compile(r"\s*\([^)]*\)")


def shorten_site_name(name: str) -> str:
    """Return a site's name without parentheses and generic words.

    ``Hmeimim (Khmeimim) Air Base`` -> ``Hmeimim``; ``Ghardabiya (Gardabya) Air Base, Sirte``
    -> ``Ghardabiya, Sirte``. A named place (an uncertainty circle) is not a site: keep its
    full name, which says the airfield is not named.
    """
    short = PARENTHESIS.sub("", name)
    head, comma, tail = short.partition(",")
    previous = None
    while previous != head:
        previous, head = head, GENERIC_SUFFIXES.sub("", head).strip()
    short = f"{head}{comma}{tail}".strip()
    return short or name


def shorten(text: str, limit: int) -> str:
    """Return ``text`` cut to ``limit`` characters with an ellipsis when it is longer."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip(" ,;:-") + "…"
