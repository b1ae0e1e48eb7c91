"""Exceptions raised when data files break the schema in docs/data.md."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
        value = f" (value {self.value!r})" if self.value or not self.field.startswith("(") else ""
        return f"{where}: field '{self.field}': {self.message}{value}. Fix: {self.hint}"


class DataValidationError(ValueError):
    """Raised when one or more data files break the schema.

    The message lists every problem found, each naming the file, line, field, bad value
    and what to do. ``problems`` holds them for programs.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the data:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


class UnknownAirfieldError(KeyError):
    """Raised when an airfield code is not in the airportsdata package."""
