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


def plain_message(err: dict) -> str:
    """A validation error of the model library (pydantic) in our own words: users read about
    their file, not about tuples and after-validators. `err` is one item of
    ValidationError.errors(); types not listed keep the library's text, minus its prefixes."""
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    got = err.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (a typo? docs/data-model.md lists the fields)"
    if kind in ("too_short", "string_too_short"):
        least = ctx.get("min_length", 1)
        if kind == "string_too_short" or least == 1:
            return "must not be empty"
        return f"needs at least {least} entries, has {len(got) if hasattr(got, '__len__') else 'fewer'}"
    if kind in ("too_long", "string_too_long"):
        return f"is too long: at most {ctx.get('max_length')} {'characters' if kind == 'string_too_long' else 'entries'}"
    if kind == "string_pattern_mismatch":
        return f"{got!r} is not an id (lowercase letters, digits, '.', '_', '-'; starting with a letter or digit)"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{got!r} is not a whole number"
    if kind in ("float_parsing", "float_type", "finite_number"):
        return f"{got!r} is not a number"
    if kind in ("bool_parsing", "bool_type"):
        return f"{got!r} is not true or false"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {"greater_than_equal": "at least", "greater_than": "more than",
                 "less_than_equal": "at most", "less_than": "less than"}[kind]
        bound = next(iter(ctx.values()), "")
        return f"{got!r} is out of range: must be {words} {bound}"
    if kind == "enum":
        return f"{got!r} is not one of {ctx.get('expected', 'the allowed values')}"
    if kind in ("string_type", "list_type", "tuple_type", "dict_type", "model_type", "model_attributes_type"):
        want = {"string_type": "text", "list_type": "a list", "tuple_type": "a list", "dict_type": "a mapping",
                "model_type": "a mapping", "model_attributes_type": "a mapping"}[kind]
        return f"must be {want}, not {type(got).__name__ if got is not None else 'empty'}"
    msg = str(err.get("msg", ""))
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    return msg
