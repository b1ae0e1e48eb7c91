"""Rules for free text anywhere in Airbridge: data cells, titles, markings, imported names.

Written once and applied by validation (data files) and by the export choices (title and
marking), so that no surface meets a character that can corrupt a file or disguise text.
"""

from __future__ import annotations

import unicodedata

MAX_FIELD_CHARS = 4000
"""Longest cell, title or marking accepted, in characters (the longest shipped note is under 1,000)."""
MAX_TITLE_CHARS = 200
"""Longest export title or marking, in characters (it must fit a slide's banner)."""
# Directional formatting characters: they reorder what follows on screen (U+202E shows
# "evil.example" as "elpmaxe.live"), so text carrying them is refused, never shown.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ALLOWED_CONTROLS = frozenset("\n\t")


def find_forbidden_character(text: str) -> tuple[int, str] | None:
    r"""Return the position and a description of the first character text may not hold.

    Control characters (other than tab and newline) make XML files such as KML not
    well-formed and hide text; bidirectional controls reorder what a reader sees.

    Examples
    --------
    >>> find_forbidden_character("Hmeimim\x0b")
    (7, 'control character U+000B')
    >>> find_forbidden_character("ok") is None
    True
    """
    for at, char in enumerate(text):
        if char in BIDI_CONTROLS:
            return at, f"bidirectional control U+{ord(char):04X} ({unicodedata.name(char, 'unnamed')})"
        if char not in ALLOWED_CONTROLS and unicodedata.category(char) in ("Cc", "Cs"):
            return at, f"control character U+{ord(char):04X}"
    return None
