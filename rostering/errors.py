"""Domain errors. The CLI turns each into a plain message and exit code 2 (bad input)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Diagnostic:
    """One thing wrong with an input file, located as precisely as we can."""

    message: str
    file: str = ""
    line: int | None = None
    column: int | None = None
    path: str = ""
    hint: str = ""

    def render(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        text = f"{where}: " if where else ""
        if self.path:
            text += f"[{self.path}] "
        text += self.message
        if self.hint:
            text += f" — {self.hint}"
        return text


class RosterError(Exception):
    """Base of every error the user can fix by changing their input."""

    exit_code = 2

    def __init__(self, message: str = "", problems: list[Diagnostic] | None = None):
        self.problems: list[Diagnostic] = problems or []
        super().__init__(message or "\n".join(p.render() for p in self.problems))


class RulesError(RosterError):
    """The rules file cannot be used as it is."""


class RosterFileError(RosterError):
    """A roster file (xlsx/csv/json) cannot be read or written."""


class ChangeError(RosterError):
    """A proposed cover or swap does not make sense (unknown person, no such assignment)."""
