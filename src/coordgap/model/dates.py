"""Dates that keep the precision their source gave them.

A source may say "April 6, 2018", "early March 2017", "on or about December
27" or just "May 2018". Each becomes an interval of days plus the words it
was written with, so that a month is never compared as if it were a day.
A day may carry the time of day the source gives ("4:43 p.m."), to the hour
or the minute, with its UTC offset or as local time; times order two
contacts on one day only when both are known. "Before" or "after" a date,
with the other side open, is a form of its own: nothing is invented for the
open side (docs/data-model.md#dates).
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
# A time of day, to the hour or the minute, with a UTC offset (Z, +01:00, -05:00) or none (local).
_TIME = r"T[0-9]{2}(?::[0-9]{2})?(?:Z|[+-][0-9]{2}:[0-9]{2})?"
_SINGLE = rf"(?:~{_DAY}|{_DAY}|(?:early|mid|late) {_MONTH}|{_MONTH}|[0-9]{{4}})"
PATTERN = rf"^(?:{_DAY}{_TIME}|(?:before|after) {_SINGLE}|{_SINGLE}(?:/{_SINGLE})?)$"
_PATTERN_RE = re.compile(PATTERN)
_TIME_RE = re.compile(r"T([0-9]{2})(?::([0-9]{2}))?(Z|[+-][0-9]{2}:[0-9]{2})?$")

# Years a date may have. The bounds leave room for everything computed from a date
# (an approximate day's widening, a timeline's last day, lead times in days), so no
# date that validates can overflow later.
MIN_YEAR, MAX_YEAR = 1000, 9998
FORMS = ("write YYYY-MM-DD, ~YYYY-MM-DD, early|mid|late YYYY-MM, YYYY-MM, YYYY, or two of these joined "
         "by '/'; a day with its time YYYY-MM-DDTHH or YYYY-MM-DDTHH:MM (local, or with Z or an offset "
         "such as -05:00); or 'before' or 'after' one of the first five forms "
         f"(years {MIN_YEAR} to {MAX_YEAR})")

# The open side of "before ..." / "after ...": days no written date can reach (years are
# MIN_YEAR..MAX_YEAR, an approximate day widens by 3 days), with room on both sides so that
# nothing computed from them (a timeline's margin, a lead time) can overflow.
OPEN_FIRST = date(MIN_YEAR - 100, 1, 1)
OPEN_LAST = date(MAX_YEAR + 1, 6, 30)


def not_a_date(text: str, why: str = "") -> str:
    """The one message for anything that is not a date (no exception text, always the accepted forms)."""
    return f"{text!r} is not a date{': ' + why if why else ''}; {FORMS}"


class Precision(StrEnum):
    minute = "minute"  # a day with its time to the minute
    hour = "hour"  # a day with its time to the hour
    day = "day"
    approx_day = "approx_day"
    part_of_month = "part_of_month"
    month = "month"
    year = "year"
    span = "span"
    before = "before"  # open: some day before a date, how long before unknown
    after = "after"  # open: some day after a date, how long after unknown


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


def _parse_time(text: str) -> tuple[int, int, bool]:
    """Minutes of the day a time covers (first, last) and whether it has a UTC offset; with an
    offset the minutes are UTC (they may fall outside 0..1439), without it local."""
    hh, mm, zone = _TIME_RE.search(text).groups()
    hour, minute = int(hh), int(mm) if mm is not None else None
    if hour > 23 or (minute is not None and minute > 59):
        raise ValueError("there is no such time of day")
    offset = 0
    if zone and zone != "Z":
        oh, om = int(zone[1:3]), int(zone[4:6])
        if oh > 14 or om > 59:
            raise ValueError("there is no such UTC offset")
        offset = (oh * 60 + om) * (1 if zone[0] == "+" else -1)
    first = hour * 60 + (minute or 0) - offset
    last = first + (0 if minute is not None else 59)
    return first, last, zone is not None


class FuzzyDate:
    """An interval of days written at some precision (see docs/data-model.md), with the
    minutes of the day when the source gives a time."""

    __slots__ = ("text", "start", "end", "precision", "minutes", "zoned")

    def __init__(self, text: str):
        if isinstance(text, bool) or not isinstance(text, (str, int)):
            raise ValueError(not_a_date(str(text)[:40]))
        text = " ".join(str(text).split())
        if len(text) > 40 or not _PATTERN_RE.fullmatch(text):
            raise ValueError(not_a_date(text[:40] + ("..." if len(text) > 40 else "")))
        minutes, zoned = None, False
        try:
            if "T" in text:
                start, end, _ = _parse_single(text[:10])
                t0, t1, zoned = _parse_time(text[10:])
                minutes = (t0, t1)
                precision = Precision.hour if t1 > t0 else Precision.minute
            elif text.startswith(("before ", "after ")):
                word, bound = text.split(" ", 1)
                first, last, _ = _parse_single(bound)
                if word == "before":
                    start, end, precision = OPEN_FIRST, first - timedelta(days=1), Precision.before
                else:
                    start, end, precision = last + timedelta(days=1), OPEN_LAST, Precision.after
            elif "/" in text:
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
        self.minutes, self.zoned = minutes, zoned

    @classmethod
    def of(cls, value: "FuzzyDate | date | str") -> "FuzzyDate":
        if isinstance(value, FuzzyDate):
            return value
        if isinstance(value, date):
            return cls(value.isoformat())
        return cls(value)

    @property
    def is_day(self) -> bool:
        """A single day (with or without its time)."""
        return self.precision in _SINGLE_DAY

    @property
    def open_start(self) -> bool:
        """'before ...': how long before is unknown."""
        return self.precision is Precision.before

    @property
    def open_end(self) -> bool:
        """'after ...': how long after is unknown."""
        return self.precision is Precision.after

    @property
    def known(self) -> tuple[date, date]:
        """The interval with an open side closed at the known bound: for showing a date on a
        timeline and checking it against a window, never for comparing or counting days."""
        if self.open_start:
            return self.end, self.end
        if self.open_end:
            return self.start, self.start
        return self.start, self.end

    def timing(self, other: "FuzzyDate") -> Timing:
        """Where self stands relative to other; never guesses inside an interval. On one day,
        times order the two only when both are known and both local or both with an offset."""
        if self.end < other.start:
            return Timing.before
        if self.start > other.end:
            return Timing.after
        if self.is_day and other.is_day:
            a, b = self.minutes, other.minutes
            if a is not None and b is not None and self.zoned == other.zoned:
                if a[1] < b[0]:
                    return Timing.before
                if a[0] > b[1]:
                    return Timing.after
            return Timing.same_day
        return Timing.overlap

    def within(self, start: date, end: date) -> bool:
        first, last = self.known
        return start <= first and last <= end

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
            "examples": ["2018-04-06", "~2017-12-27", "early 2017-03", "2018-05", "2017-03/2017-11",
                         "2017-01-27T16:43", "2017-01-27T16:43-05:00", "2017-01-27T16", "before 2017-01-27",
                         "after 2017-01"],
        }


_SINGLE_DAY = frozenset({Precision.day, Precision.hour, Precision.minute})


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
