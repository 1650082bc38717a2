"""Dates keep their precision; comparisons never treat a month as a day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coordgap.model.dates import FuzzyDate, Precision, Timing


@pytest.mark.parametrize(
    "text, start, end, precision",
    [
        ("2018-04-06", date(2018, 4, 6), date(2018, 4, 6), Precision.day),
        ("~2017-12-27", date(2017, 12, 24), date(2017, 12, 30), Precision.approx_day),
        ("early 2017-03", date(2017, 3, 1), date(2017, 3, 10), Precision.part_of_month),
        ("mid 2018-05", date(2018, 5, 11), date(2018, 5, 20), Precision.part_of_month),
        ("late 2018-02", date(2018, 2, 21), date(2018, 2, 28), Precision.part_of_month),
        ("2018-05", date(2018, 5, 1), date(2018, 5, 31), Precision.month),
        ("2018", date(2018, 1, 1), date(2018, 12, 31), Precision.year),
        ("2017-03/2017-11", date(2017, 3, 1), date(2017, 11, 30), Precision.span),
    ],
)
def test_parse(text, start, end, precision):
    d = FuzzyDate(text)
    assert (d.start, d.end, d.precision, str(d)) == (start, end, precision, text)


@pytest.mark.parametrize("bad", ["2018-02-30", "May 2018", "2018-13", "early 2018", "2018-05-04/2018-05-01", ""])
def test_rejects(bad):
    with pytest.raises(ValueError):
        FuzzyDate(bad)


def test_month_is_not_a_day():
    decision = FuzzyDate("2018-04-06")
    assert FuzzyDate("2018-04").timing(decision) is Timing.overlap
    assert FuzzyDate("2018-03").timing(decision) is Timing.before
    assert FuzzyDate("early 2018-04").timing(decision) is Timing.overlap
    assert FuzzyDate("2018-04-06").timing(decision) is Timing.same_day
    assert FuzzyDate("late 2018-04").timing(decision) is Timing.after


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))


@given(days, days)
def test_day_timing_matches_plain_dates(a, b):
    t = FuzzyDate(a.isoformat()).timing(FuzzyDate(b.isoformat()))
    assert t is (Timing.before if a < b else Timing.after if a > b else Timing.same_day)


@given(days, st.integers(0, 60), days)
def test_before_only_when_every_day_is_before(a, width, b):
    span = FuzzyDate(f"{a.isoformat()}/{(a + timedelta(days=width)).isoformat()}")
    t = span.timing(FuzzyDate(b.isoformat()))
    every_day_before = all(a + timedelta(days=i) < b for i in range(width + 1))
    assert (t is Timing.before) == every_day_before
