"""Problems found in input files, each naming file, line, field and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass

from .render.terminal import escape


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None
    field: str | None
    message: str
    record: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        rec = f" [{self.record}]" if self.record else ""
        return escape(f"{where}:{rec} {what}")  # one line, whatever the data holds (render/terminal.py)

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "record": self.record,
            "message": self.message,
        }


class CoordgapError(Exception):
    """Base class of the errors coordgap raises on bad input."""


class UnusablePathError(CoordgapError):
    """The path given is not a case folder at all (missing, not a folder, no case.yaml)."""


class InvalidInputError(CoordgapError):
    """Input files were read but some records are wrong; every problem is listed."""

    def __init__(self, problems: list[Problem], what: str = "case"):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.field or "", p.message))
        lines = "\n".join(f"  {p}" for p in self.problems[:50])
        more = f"\n  ... and {len(self.problems) - 50} more" if len(self.problems) > 50 else ""
        super().__init__(f"{len(self.problems)} problem(s) in {escape(what)}:\n{lines}{more}")
