"""Dates that keep the precision their source gave them.

A source may say "April 6, 2018", "early March 2017", "on or about December
27" or just "May 2018". Each becomes an interval of days plus the words it
was written with, so that a month is never compared as if it were a day.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import core_schema

APPROX_DAYS = 3  # "on or about" widens a day by this many days each side

PART_OF_MONTH = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}

_DAY = r"\d{4}-\d{2}-\d{2}"
_MONTH = r"\d{4}-\d{2}"
_SINGLE = rf"(?:~{_DAY}|{_DAY}|(?:early|mid|late) {_MONTH}|{_MONTH}|\d{{4}})"
PATTERN = rf"^{_SINGLE}(?:/{_SINGLE})?$"
_PATTERN_RE = re.compile(PATTERN)


class Precision(StrEnum):
    day = "day"
    approx_day = "approx_day"
    part_of_month = "part_of_month"
    month = "month"
    year = "year"
    span = "span"


class Timing(StrEnum):
    """Where one date stands relative to another, at the precision recorded."""

    before = "before"
    same_day = "same_day"
    overlap = "overlap"  # undetermined at the precision recorded
    after = "after"


def _parse_single(text: str) -> tuple[date, date, Precision]:
    if text.startswith("~"):
        d = date.fromisoformat(text[1:])
        delta = timedelta(days=APPROX_DAYS)
        return d - delta, d + delta, Precision.approx_day
    if " " in text:
        part, ym = text.split(" ", 1)
        year, month = (int(x) for x in ym.split("-"))
        first, last = PART_OF_MONTH[part]
        last = min(last, calendar.monthrange(year, month)[1])
        return date(year, month, first), date(year, month, last), Precision.part_of_month
    if len(text) == 10:
        d = date.fromisoformat(text)
        return d, d, Precision.day
    if len(text) == 7:
        year, month = (int(x) for x in text.split("-"))
        return (
            date(year, month, 1),
            date(year, month, calendar.monthrange(year, month)[1]),
            Precision.month,
        )
    year = int(text)
    return date(year, 1, 1), date(year, 12, 31), Precision.year


class FuzzyDate:
    """An interval of days written at some precision (see docs/data-model.md)."""

    __slots__ = ("text", "start", "end", "precision")

    def __init__(self, text: str):
        text = " ".join(str(text).split())
        if not _PATTERN_RE.match(text):
            raise ValueError(
                f"{text!r} is not a date: write YYYY-MM-DD, ~YYYY-MM-DD, "
                "early|mid|late YYYY-MM, YYYY-MM, YYYY, or two of these joined by '/'"
            )
        try:
            if "/" in text:
                first, second = text.split("/")
                start, _, _ = _parse_single(first)
                _, end, _ = _parse_single(second)
                precision = Precision.span
            else:
                start, end, precision = _parse_single(text)
        except ValueError as exc:  # e.g. 2018-02-30
            raise ValueError(f"{text!r} is not a real date: {exc}") from None
        if end < start:
            raise ValueError(f"{text!r} ends before it starts")
        self.text, self.start, self.end, self.precision = text, start, end, precision

    @classmethod
    def of(cls, value: "FuzzyDate | date | str") -> "FuzzyDate":
        if isinstance(value, FuzzyDate):
            return value
        if isinstance(value, date):
            return cls(value.isoformat())
        return cls(value)

    @property
    def is_day(self) -> bool:
        return self.precision is Precision.day

    def timing(self, other: "FuzzyDate") -> Timing:
        """Where self stands relative to other; never guesses inside an interval."""
        if self.end < other.start:
            return Timing.before
        if self.start > other.end:
            return Timing.after
        if self.is_day and other.is_day:
            return Timing.same_day
        return Timing.overlap

    def within(self, start: date, end: date) -> bool:
        return start <= self.start and self.end <= end

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FuzzyDate) and self.text == other.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __lt__(self, other: "FuzzyDate") -> bool:  # a total order for sorting only
        return (self.start, self.end, self.text) < (other.start, other.end, other.text)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"FuzzyDate({self.text!r})"

    # pydantic integration: validated from a string (or date), serialised as its text.
    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler):
        return core_schema.no_info_plain_validator_function(
            cls.of,
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler):
        return {
            "type": "string",
            "pattern": PATTERN,
            "description": "A date at the precision the source gives (docs/data-model.md#dates).",
            "examples": ["2018-04-06", "~2017-12-27", "early 2017-03", "2018-05", "2017-03/2017-11"],
        }


def is_valid(text: str) -> bool:
    try:
        FuzzyDate(text)
    except ValueError:
        return False
    return True
