"""Breaking a text into lines of a given width at its spaces, for the slide's footnotes and legend."""

from __future__ import annotations

from collections.abc import Callable

Measure = Callable[[str], float]
"""The width of a text, in the same unit as the room it must fit."""


def wrap_words(text: str, room: float, measure: Measure, max_lines: int) -> list[str] | None:
    """Return ``text`` broken at spaces into lines at most ``room`` wide, or None if it needs more than ``max_lines``.

    A line's width is its words' widths and its spaces' (``measure`` is asked about each
    word, never a whole line, so a cached ``measure`` is asked once per word). A word
    wider than ``room`` on its own never fits, so it gives None too.

    Examples
    --------
    >>> wrap_words("one two three", 7, len, 2)
    ['one two', 'three']
    >>> wrap_words("one two three", 7, len, 1) is None
    True
    """
    space = measure("x x") - measure("xx")
    lines: list[list[str]] = []
    current: list[str] = []
    used = 0.0
    for word in text.split():
        width = measure(word)
        if not current and width <= room:
            current, used = [word], width
        elif current and used + space + width <= room:
            current.append(word)
            used += space + width
        elif current and width <= room and len(lines) + 1 < max_lines:
            lines.append(current)
            current, used = [word], width
        else:
            return None
    return [" ".join(words) for words in [*lines, current] if words]
