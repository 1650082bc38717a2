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

# ASCII digits only: `\d` would also take full-width and other scripts' digits.
_DAY = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_MONTH = r"[0-9]{4}-[0-9]{2}"
_SINGLE = rf"(?:~{_DAY}|{_DAY}|(?:early|mid|late) {_MONTH}|{_MONTH}|[0-9]{{4}})"
PATTERN = rf"^{_SINGLE}(?:/{_SINGLE})?$"
_PATTERN_RE = re.compile(PATTERN)

# Years a date may have. The bounds leave room for everything computed from a date
# (an approximate day's widening, a timeline's last day, lead times in days), so no
# date that validates can overflow later.
MIN_YEAR, MAX_YEAR = 1000, 9998
FORMS = ("write YYYY-MM-DD, ~YYYY-MM-DD, early|mid|late YYYY-MM, YYYY-MM, YYYY, or two of these joined "
         f"by '/' (years {MIN_YEAR} to {MAX_YEAR})")


def not_a_date(text: str, why: str = "") -> str:
    """The one message for anything that is not a date (no exception text, always the accepted forms)."""
    return f"{text!r} is not a date{': ' + why if why else ''}; {FORMS}"


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
        d = _day(*(int(x) for x in text[1:].split("-")))
        delta = timedelta(days=APPROX_DAYS)
        return d - delta, d + delta, Precision.approx_day
    if " " in text:
        part, ym = text.split(" ", 1)
        year, month = (int(x) for x in ym.split("-"))
        first, last = PART_OF_MONTH[part]
        last = min(last, _month_days(year, month))
        return date(year, month, first), date(year, month, last), Precision.part_of_month
    if len(text) == 10:
        d = _day(*(int(x) for x in text.split("-")))
        return d, d, Precision.day
    if len(text) == 7:
        year, month = (int(x) for x in text.split("-"))
        last = _month_days(year, month)
        return date(year, month, 1), date(year, month, last), Precision.month
    year = int(text)
    _year_ok(year)
    return date(year, 1, 1), date(year, 12, 31), Precision.year


def _year_ok(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"the year is outside {MIN_YEAR} to {MAX_YEAR}")


def _day(y: int, m: int, d: int) -> date:
    _year_ok(y)
    try:
        return date(y, m, d)
    except ValueError:
        raise ValueError("there is no such day") from None


def _month_days(y: int, m: int) -> int:
    _year_ok(y)
    if not 1 <= m <= 12:
        raise ValueError("there is no such month")
    return calendar.monthrange(y, m)[1]


class FuzzyDate:
    """An interval of days written at some precision (see docs/data-model.md)."""

    __slots__ = ("text", "start", "end", "precision")

    def __init__(self, text: str):
        if isinstance(text, bool) or not isinstance(text, (str, int)):
            raise ValueError(not_a_date(str(text)[:40]))
        text = " ".join(str(text).split())
        if len(text) > 40 or not _PATTERN_RE.fullmatch(text):
            raise ValueError(not_a_date(text[:40] + ("..." if len(text) > 40 else "")))
        try:
            if "/" in text:
                first, second = text.split("/")
                start, _, _ = _parse_single(first)
                _, end, _ = _parse_single(second)
                precision = Precision.span
            else:
                start, end, precision = _parse_single(text)
        except ValueError as exc:  # our own words: no such day, a year out of range
            raise ValueError(not_a_date(text, str(exc))) from None
        if end < start:
            raise ValueError(not_a_date(text, "it ends before it starts"))
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
    except (ValueError, TypeError, OverflowError):
        return False
    return True


def why_not(text: str) -> str:
    """The message for a value that is not a date (the same words in every file format)."""
    try:
        FuzzyDate(text)
    except ValueError as exc:
        return str(exc)
    return not_a_date(str(text))
