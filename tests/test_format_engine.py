"""The case format's new forms, through the engine, the plain-Python ladder and the reference:
time of day, open bounds, people and several makers, unknown parties, discussions and
effective dates (issue #11 part A; docs/data-model.md, docs/methodology.md)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from reference import reference_matrix
from test_engine_reference import engine_rows

from coordgap import consultation_matrix
from coordgap.engine.ladder import Contact, ladder
from coordgap.model.case import (
    Actor,
    Case,
    CaseMeta,
    Communication,
    Decision,
    Impact,
    Source,
    Stakeholder,
    Topic,
    Window,
)
from coordgap.model.dates import FuzzyDate


def case_of(*comms: Communication, date_="2020-06-15", decided_by="hq", effective=None, actors=()) -> Case:
    """A department with a headquarters, an agency and another department; one decision
    affecting the agency on topic t."""
    orgs = [
        Stakeholder(id="dept", name="Department", kind="department", branch="executive"),
        Stakeholder(id="hq", name="Headquarters", parent="dept", kind="office", branch="executive"),
        Stakeholder(id="agency", name="Agency", parent="dept", kind="component", branch="executive"),
        Stakeholder(id="other", name="Other department", kind="department", branch="executive"),
        Stakeholder(id="public", name="General public", kind="public", branch="non_governmental"),
    ]
    decision = Decision(
        id="d", title="D", date=date_, decided_by=decided_by, effective=effective, summary="s",
        impacts=(Impact(id="d.agency.t", stakeholder="agency", topic="t", description="x"),),
    )
    meta = CaseMeta(id="f", title="f", window=Window(start=date(2020, 1, 1), end=date(2020, 12, 31)),
                    sources=(Source(id="s", title="S"),), topics=(Topic(id="t", description="t"),))
    return Case(meta=meta, stakeholders=tuple(orgs), actors=tuple(actors), decisions=(decision,),
                communications=tuple(comms))


def comm(cid, when, sender="hq", recipients=("agency",), kind="consultation", channel="email"):
    return Communication(id=cid, date=when, channel=channel, kind=kind, sender=sender,
                         recipients=tuple(recipients), topics=("t",), decisions=("d",), summary="s")


def cell(case: Case) -> dict:
    """The one cell, after checking the engine, the reference and the ladder agree on it."""
    rows = engine_rows(case)
    assert rows == reference_matrix(case)
    d = case.decisions[0]
    contacts = []
    for c in case.communications:
        sender = case.org_of(c.sender)
        recipients = [case.org_of(r) for r in c.recipients]
        contacts.append(Contact(
            id=c.id, date=c.date, from_side=any(case.is_within(sender, case.org_of(o)) for o in d.side),
            direct=any(case.is_within(r, "agency") for r in recipients), two_way=c.kind.value == "consultation",
            above=tuple(r for r in recipients if r != "agency" and case.is_within("agency", r))))
    rung = ladder(contacts, d.date, d.takes_effect)
    row = rows[0]
    assert (rung.status.value, rung.lead_time_days, rung.lead_time_at_least, rung.timing_uncertain) == \
        (row["status"], row["lead_time_days"], row["lead_time_at_least"], row["timing_uncertain"])
    return row


# ---------------------------------------------------------------- time of day
def test_an_hour_before_the_signing_is_before_it_when_both_times_are_known():
    row = cell(case_of(comm("c", "2020-06-15T15:43"), date_="2020-06-15T16:43"))
    assert (row["status"], row["lead_time_days"], row["lead_time_at_least"]) == ("consulted", 0, False)


def test_a_time_on_one_side_only_leaves_the_day_the_same_day():
    assert cell(case_of(comm("c", "2020-06-15T15:43"), date_="2020-06-15"))["status"] == "same_day"
    assert cell(case_of(comm("c", "2020-06-15"), date_="2020-06-15T16:43"))["status"] == "same_day"


def test_an_hour_is_not_ordered_against_a_minute_inside_it():
    assert cell(case_of(comm("c", "2020-06-15T16"), date_="2020-06-15T16:43"))["status"] == "same_day"
    assert cell(case_of(comm("c", "2020-06-15T15"), date_="2020-06-15T16:43"))["status"] == "consulted"


def test_offsets_are_compared_in_utc_and_never_against_a_local_time():
    # 16:00 at UTC-5 is 21:00 UTC: after a 20:30 UTC signing, though "16:00" reads earlier
    assert cell(case_of(comm("c", "2020-06-15T16:00-05:00"), date_="2020-06-15T20:30Z"))["status"] == "after"
    assert cell(case_of(comm("c", "2020-06-15T04:00-05:00"), date_="2020-06-15T20:30Z"))["status"] == "consulted"
    # one local, one with an offset: the day is all that is known
    assert cell(case_of(comm("c", "2020-06-15T04:00"), date_="2020-06-15T20:30Z"))["status"] == "same_day"


def test_a_pre_dawn_call_after_an_evening_statement_the_day_before_is_after():
    assert cell(case_of(comm("c", "2020-06-16T04:10"), date_="2020-06-15T19:00"))["status"] == "after"


# ---------------------------------------------------------------- open bounds
def test_before_a_date_gives_at_least_the_days_from_its_bound():
    row = cell(case_of(comm("c", "before 2020-06-01")))
    # the last possible day is May 31: at least 15 days before June 15, perhaps far more
    assert (row["status"], row["lead_time_days"], row["lead_time_at_least"]) == ("consulted", 15, True)


def test_a_closed_date_gives_a_lead_time_that_is_not_a_bound():
    row = cell(case_of(comm("c", "2020-05-31")))
    assert (row["lead_time_days"], row["lead_time_at_least"]) == (15, False)


def test_before_a_date_after_the_decision_overlaps_and_has_no_lead_time():
    row = cell(case_of(comm("c", "before 2020-07-01")))
    assert (row["status"], row["lead_time_days"], row["lead_time_at_least"], row["timing_uncertain"]) == \
        ("same_day", None, None, True)


def test_after_a_date_past_the_decision_is_after_by_at_least_its_bound():
    row = cell(case_of(comm("c", "after 2020-06-20")))
    assert (row["status"], row["lead_time_days"], row["lead_time_at_least"]) == ("after", -6, True)


def test_a_decision_dated_after_a_day_counts_its_lead_time_as_a_lower_bound():
    row = cell(case_of(comm("c", "2020-06-10"), date_="after 2020-06-14"))
    assert (row["status"], row["lead_time_days"], row["lead_time_at_least"]) == ("consulted", 5, True)


def test_no_contact_no_lead_time_and_no_bound():
    row = cell(case_of())
    assert (row["status"], row["lead_time_days"], row["lead_time_at_least"]) == ("none", None, None)


# ---------------------------------------------------------------- effective dates
def test_lead_time_runs_to_when_the_change_took_effect():
    row = cell(case_of(comm("c", "2020-06-01"), effective="2020-07-15"))
    assert (row["status"], row["lead_time_days"]) == ("consulted", 44)


def test_told_after_the_signing_but_before_it_took_effect_is_after_with_days_to_prepare():
    row = cell(case_of(comm("c", "2020-06-20", kind="notification"), effective="2020-07-15"))
    assert (row["status"], row["lead_time_days"], row["lead_time_at_least"]) == ("after", 25, False)


def test_effective_immediately_counts_to_the_decision_date():
    a = cell(case_of(comm("c", "2020-06-01"), effective="immediately"))
    b = cell(case_of(comm("c", "2020-06-01")))
    assert a["lead_time_days"] == b["lead_time_days"] == 14


def test_required_lead_time_is_met_only_by_a_lead_time_the_record_shows():
    base = case_of(comm("c", "before 2020-06-01"))
    d = base.decisions[0]
    d = d.model_copy(update={"impacts": (d.impacts[0].model_copy(update={"required_lead_days": 30}),)})
    row = cell(base.model_copy(update={"decisions": (d,)}))
    assert (row["lead_time_days"], row["lead_time_at_least"], row["lead_time_met"]) == (15, True, False)


# ---------------------------------------------------------------- makers and parties
MINISTER = Actor(id="p-min", name="A. Minister", title="Minister", organisation="hq")


def test_a_person_who_decided_stands_for_the_organisation_of_their_post():
    row = cell(case_of(comm("c", "2020-06-01", sender="hq"), decided_by="p-min", actors=(MINISTER,)))
    assert row["status"] == "consulted"


def test_several_makers_each_make_their_contacts_the_decisions_side():
    two = case_of(comm("c", "2020-06-01", sender="other"), decided_by=["hq", "other"])
    one = case_of(comm("c", "2020-06-01", sender="other"), decided_by="hq")
    assert (cell(two)["status"], cell(one)["status"]) == ("consulted", "indirect")


def test_an_unknown_sender_earns_no_status_from_the_decisions_side():
    row = cell(case_of(comm("c", "2020-06-01", sender="unknown")))
    assert (row["status"], row["contacts"]) == ("indirect", ("c",))


def test_an_unknown_recipient_reaches_no_stakeholder():
    row = cell(case_of(comm("c", "2020-06-01", recipients=("unknown",))))
    assert (row["status"], row["contacts"]) == ("none", ())
    row = cell(case_of(comm("c", "2020-06-01", recipients=("unknown", "agency"))))
    assert row["status"] == "consulted"


def test_a_discussion_is_not_a_consultation_it_informs():
    row = cell(case_of(comm("c", "2020-06-01", kind="discussion", channel="social_media")))
    assert row["status"] == "informed"


def test_a_statement_to_the_public_reaches_the_public_not_the_agency():
    row = cell(case_of(comm("c", "2020-06-01", kind="public_statement", channel="social_media",
                            recipients=("public",))))
    assert row["status"] == "none"


def test_the_matrix_has_the_lead_time_bound_column_after_the_lead_time():
    columns = list(consultation_matrix(case_of()).columns)
    assert columns[columns.index("lead_time_days") + 1] == "lead_time_at_least"
    assert consultation_matrix(case_of(comm("c", "before 2020-06-01")))["lead_time_at_least"].dtype == pd.BooleanDtype()


@pytest.mark.parametrize("text, first, last", [
    ("before 2020-06-01", date(900, 1, 1), date(2020, 5, 31)),
    ("after 2020-06", date(2020, 7, 1), date(9999, 6, 30)),
])
def test_open_dates_are_shown_and_windowed_by_their_known_bound(text, first, last):
    d = FuzzyDate(text)
    assert (d.start, d.end) == (first, last)
    bound = d.end if d.open_start else d.start
    assert d.known == (bound, bound)
    assert d.within(date(2020, 1, 1), date(2020, 12, 31))
