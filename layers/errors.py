"""Exceptions raised when data files break the schema in docs/data.md."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MAX_LISTED_PROBLEMS = 50
"""Problems written out in a DataValidationError's message; the rest are counted (all stay in ``problems``)."""
MAX_SHOWN_VALUE_CHARS = 120
"""Longest value quoted in a problem's message; longer values are cut, so a hostile cell cannot flood it."""


def shorten_value(text: str, limit: int = MAX_SHOWN_VALUE_CHARS) -> str:
    """Return ``text`` cut to ``limit`` characters, ending with an ellipsis when it was cut.

    Examples
    --------
    >>> shorten_value("abcdef", 4)
    'abc…'
    >>> shorten_value("abc", 4)
    'abc'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or one line) of a data file.

    Attributes
    ----------
    file : Path
        The data file.
    line : int
        1-based line number in the file (the header is line 1); 0 for the file as a whole.
    field : str
        Column name, or ``"(file)"`` for problems that concern the whole file.
    value : str
        The offending value as read.
    message : str
        What is wrong.
    hint : str
        What to do about it.
    """

    file: Path
    line: int
    field: str
    value: str
    message: str
    hint: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        # repr escapes control and bidirectional characters, so the message shows a hostile
        # value's code points instead of letting them reorder or hide the text around it.
        shown = shorten_value(self.value)
        value = f" (value {shown!r})" if self.value or not self.field.startswith("(") else ""
        return f"{where}: field '{self.field}': {self.message}{value}. Fix: {self.hint}"


class DataValidationError(ValueError):
    """Raised when one or more data files break the schema.

    The message lists the first :data:`MAX_LISTED_PROBLEMS` problems, each naming the
    file, line, field, bad value and what to do, then counts the rest (``... and N more
    problems``), so a badly broken folder gives a readable message. ``problems`` holds every
    problem for programs.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(describe_problems(self.problems))


def describe_problems(problems: list[Problem], limit: int = MAX_LISTED_PROBLEMS) -> str:
    """Return the message for ``problems``: a count, the first ``limit`` one per line, then how many more.

    Parameters
    ----------
    problems : list of Problem
        Every problem found.
    limit : int
        How many to write out.
    """
    count = len(problems)
    lines = [f"{count} problem{'s' if count != 1 else ''} in the data:", *(f"  {p}" for p in problems[:limit])]
    if count > limit:
        rest = count - limit
        lines.append(f"  ... and {rest} more problem{'s' if rest != 1 else ''}")
    return "\n".join(lines)


class UnknownAirfieldError(KeyError):
    """Raised when an airfield code is not in the airportsdata package."""
