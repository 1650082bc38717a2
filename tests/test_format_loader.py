"""The case format's new forms, read from a case folder: each loads where it is right and is
refused with its exact message where it is wrong (issue #11 part A; docs/data-model.md)."""

from __future__ import annotations

import pytest
from test_loader_errors import case_dir, edit, line_of, only, problems  # noqa: F401 (fixture)

from coordgap import load_case
from coordgap.model.dates import FuzzyDate, Precision, Timing, why_not
from coordgap.rules import get_rulebook

FORMS = ("write YYYY-MM-DD, ~YYYY-MM-DD, early|mid|late YYYY-MM, YYYY-MM, YYYY, or two of these joined by '/'; "
         "a day with its time YYYY-MM-DDTHH or YYYY-MM-DDTHH:MM (local, or with Z or an offset such as -05:00); "
         "or 'before' or 'after' one of the first five forms (years 1000 to 9998)")


# ---------------------------------------------------------------- dates
@pytest.mark.parametrize("text, precision, minutes, zoned", [
    ("2017-01-27T16:43", Precision.minute, (1003, 1003), False),
    ("2017-01-27T16:43-05:00", Precision.minute, (1303, 1303), True),
    ("2017-01-27T16:43Z", Precision.minute, (1003, 1003), True),
    ("2017-01-27T16", Precision.hour, (960, 1019), False),
    ("2017-01-27T16+01:00", Precision.hour, (900, 959), True),
])
def test_time_of_day_is_kept_with_its_precision(text, precision, minutes, zoned):
    d = FuzzyDate(text)
    assert (str(d), d.precision, d.minutes, d.zoned, d.is_day) == (text, precision, minutes, zoned, True)


@pytest.mark.parametrize("a, b, timing", [
    ("2017-01-27T15:59", "2017-01-27T16:43", Timing.before),
    ("2017-01-27T16:43", "2017-01-27T16:43", Timing.same_day),
    ("2017-01-27T16", "2017-01-27T16:43", Timing.same_day),  # the hour holds the minute
    ("2017-01-27T17", "2017-01-27T16:43", Timing.after),
    ("2017-01-27T15:00", "2017-01-27", Timing.same_day),  # one time unknown
    ("2017-01-27T15:00Z", "2017-01-27T16:43", Timing.same_day),  # UTC against local
    ("2017-01-27T12:00-05:00", "2017-01-27T16:43Z", Timing.after),  # 17:00 UTC
    ("2017-01-26T23:59", "2017-01-27T00:00", Timing.before),  # days first
    ("2017-01-27T09", "2017-01", Timing.overlap),  # a month is never a day
])
def test_times_order_a_day_only_when_both_are_known(a, b, timing):
    assert FuzzyDate(a).timing(FuzzyDate(b)) is timing


@pytest.mark.parametrize("text, start, end, precision", [
    ("before 2017-01-27", "0900-01-01", "2017-01-26", Precision.before),
    ("after 2017-01-27", "2017-01-28", "9999-06-30", Precision.after),
    ("before 2017-03", "0900-01-01", "2017-02-28", Precision.before),
    ("after late 2017-03", "2017-04-01", "9999-06-30", Precision.after),
    ("after ~2017-01-27", "2017-01-31", "9999-06-30", Precision.after),
])
def test_open_bounds(text, start, end, precision):
    d = FuzzyDate(text)
    assert (d.start.isoformat(), d.end.isoformat(), d.precision, str(d)) == (start, end, precision, text)
    assert FuzzyDate("before 2017-01-27").timing(FuzzyDate("2017-01-27")) is Timing.before
    assert FuzzyDate("after 2017-01-27").timing(FuzzyDate("2017-01-27")) is Timing.after
    assert FuzzyDate("before 2017-01-27").timing(FuzzyDate("2017-01-20")) is Timing.overlap


@pytest.mark.parametrize("bad, why", [
    ("2017-01-27T24:00", ": there is no such time of day"),
    ("2017-01-27T16:60", ": there is no such time of day"),
    ("2017-01-27T16:43+15:00", ": there is no such UTC offset"),
    ("2017-01-27T4:43", ""),  # two digits for the hour
    ("~2017-01-27T16", ""),  # a time belongs to an exact day
    ("before 2017-01-27T16", ""),
    ("before 2017-01/2017-02", ""),
    ("before", ""),
    ("2017-01-27 16:43", ""),
])
def test_bad_times_and_bounds_have_the_one_message(bad, why):
    assert why_not(bad) == f"{bad!r} is not a date{why}; {FORMS}"


# ---------------------------------------------------------------- a case folder
def _loads(case_dir):
    found = problems(case_dir)
    assert found == [], "\n".join(map(str, found))
    return load_case(case_dir)


def test_times_open_bounds_and_social_media_load_from_the_tables(case_dir):
    f = case_dir / "communications.csv"
    edit(f, "c-north-workload,2024-03-01,meeting", "c-north-workload,2024-03-01T09:30-05:00,social_media")
    edit(f, "c-customs-staffing,2024-03-10,", "c-customs-staffing,before 2024-03-11,")
    edit(f, "2024-03-05,meeting,consultation,ports-legal,health", "2024-03-05,meeting,discussion,unknown,health")
    case = _loads(case_dir)
    c = case.communication_index
    assert (str(c["c-north-workload"].date), c["c-north-workload"].channel.value) == ("2024-03-01T09:30-05:00", "social_media")
    assert c["c-customs-staffing"].date.open_start
    assert (c["c-health-leaders"].kind.value, c["c-health-leaders"].sender) == ("discussion", "unknown")


def test_decided_by_takes_one_id_or_a_list_of_organisations_and_people(case_dir):
    assert load_case(case_dir).decision_index["d-curfew"].decided_by == ("ports-minister",)
    edit(case_dir / "decisions.yaml", "decided_by: ports-minister", "decided_by: [p-minister, trade]")
    assert _loads(case_dir).decision_index["d-curfew"].decided_by == ("p-minister", "trade")


def test_a_person_outside_their_tenure_cannot_have_made_the_decision(case_dir):
    edit(case_dir / "actors.csv", "ports-minister,2023,", "ports-minister,2023,2023-12")
    edit(case_dir / "decisions.yaml", "decided_by: ports-minister", "decided_by: p-minister")
    p = only(problems(case_dir), file="decisions.yaml", field="decided_by", record="d-curfew")
    assert p.message == ("'p-minister' (Minister of Ports) left the post 2023-12, before the decision's date "
                         "2024-03-15: name the person's row for the post held then")


def test_an_unknown_maker_is_named(case_dir):
    edit(case_dir / "decisions.yaml", "decided_by: ports-minister", "decided_by: [ports-minister, p-nobody]")
    p = only(problems(case_dir), file="decisions.yaml", field="decided_by", record="d-curfew")
    assert p.message == "unknown organisation or actor 'p-nobody'"


def test_effective_dates_load_and_are_checked_against_the_window(case_dir):
    f = case_dir / "decisions.yaml"
    edit(f, "    date: 2024-03-15\n", "    date: 2024-03-15\n    effective: immediately\n")
    assert _loads(case_dir).decision_index["d-curfew"].effective == "immediately"
    edit(f, "effective: immediately", "effective: 2031-01-01")
    p = only(problems(case_dir), file="decisions.yaml", field="effective", record="d-curfew")
    assert p.message.startswith("2031-01-01 is outside the case window ")
    edit(f, "effective: 2031-01-01", "effective: soon")
    p = only(problems(case_dir), file="decisions.yaml", field="effective")
    assert p.message.endswith(f"'soon' is neither 'immediately' nor a date; {FORMS}")


def test_unknown_needs_no_row_and_an_older_unknown_row_still_loads(case_dir):
    edit(case_dir / "communications.csv", "c-north-workload,2024-03-01,meeting,consultation,ports-legal,",
         "c-north-workload,2024-03-01,meeting,consultation,unknown,")
    assert _loads(case_dir).communication_index["c-north-workload"].sender == "unknown"
    f = case_dir / "stakeholders.csv"  # as coordgap ingest wrote it before `unknown` was built in
    f.write_text(f.read_text(encoding="utf-8") + "unknown,Unknown party,,other,non_governmental,\n", encoding="utf-8")
    assert "unknown" in _loads(case_dir).orgs


def test_the_public_and_private_parties_stand_outside_government(case_dir):
    f = case_dir / "stakeholders.csv"
    text = f.read_text(encoding="utf-8")
    f.write_text(text + "public,The public,,public,non_governmental,e-org-ports\n"
                 "shipper,A shipping company,,private,executive,e-org-ports\n", encoding="utf-8")
    p = only(problems(case_dir), file="stakeholders.csv", field="branch", record="shipper")
    assert p.message == "kind private stands outside government: its branch must be non_governmental, not executive"
    assert [x for x in problems(case_dir) if x.record == "public"] == []


def test_rule_scope_says_the_public_and_a_private_party_are_outside_government(case_dir):
    f = case_dir / "stakeholders.csv"
    f.write_text(f.read_text(encoding="utf-8") + "public,General public,,public,non_governmental,e-org-ports\n"
                 "shipper,Harbour Shipping Ltd,,private,non_governmental,e-org-ports\n", encoding="utf-8")
    d = case_dir / "decisions.yaml"
    edit(d, "    impacts:\n", "    impacts:\n"
         "      - {id: d-curfew.public.berthing-hours, stakeholder: public, topic: berthing-hours, "
         "description: Night access ends., evidence: [e-decision]}\n"
         "      - {id: d-curfew.shipper.berthing-hours, stakeholder: shipper, topic: berthing-hours, "
         "description: Night berths end., evidence: [e-decision]}\n")
    from coordgap import assess

    notes = {(n.subject, n.id): n.reason for n in assess(_loads(case_dir), get_rulebook("oig-21-028")).scope["OIG-R1"]
             if n.within == "d-curfew" and not n.applies}
    assert notes[("stakeholder", "public")] == ("the public is not a component of Department of Ports, "
                                                "an executive agency or a court")
    assert notes[("stakeholder", "shipper")] == ("Harbour Shipping Ltd, a private party, is not a component of "
                                                 "Department of Ports, an executive agency or a court")


def test_a_lead_time_from_an_open_bound_is_reported_as_at_least(case_dir):
    edit(case_dir / "communications.csv", "c-north-workload,2024-03-01,", "c-north-workload,before 2024-03-02,")
    from coordgap import assess, consultation_matrix

    case = _loads(case_dir)
    row = consultation_matrix(case).set_index("impact").loc["d-curfew.customs-north.inspection-workload"]
    assert (row.status, row.lead_time_days, bool(row.lead_time_at_least), bool(row.lead_time_met)) == \
        ("consulted", 14, True, False)
    [f] = [f for f in assess(case).findings if f.impact == "d-curfew.customs-north.inspection-workload"]
    assert "it had at least 14 days' notice where the impact needs 30" in f.message

