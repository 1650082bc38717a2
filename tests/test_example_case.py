"""The example case yields exactly the statuses its README promises."""

from __future__ import annotations

import pytest

from coordgap import consultation_matrix

# (impact, status, lead time, disputed) as datasets/example/README.md states them.
EXPECTED = {
    "d-curfew.customs-north.inspection-workload": ("consulted", 14, False),
    "d-curfew.customs-north.overtime-pay": ("none", None, False),
    "d-curfew.ports-customs.staffing": ("informed", 5, False),
    "d-curfew.health-clinics.patient-transport": ("leadership_only", 10, False),
    "d-curfew.transit-rail.rail-schedules": ("indirect", 5, False),
    "d-curfew.port-authority.berthing-hours": ("same_day", None, False),
    "d-curfew.port-authority.berth-allocation": ("consulted", 24, False),
    "d-curfew.court-east.court-caseload": ("same_day", 0, False),
    "d-curfew.city-police.night-patrols": ("informed", 3, True),
    "d-curfew.fire-service.fire-cover": ("after", -3, False),
    "d-rota.customs-north.rota": ("informed", 18, False),
}


@pytest.fixture(scope="module")
def matrix(example_case):
    return consultation_matrix(example_case).set_index("impact")


def test_every_cell_has_its_documented_status(matrix):
    assert set(matrix.index) == set(EXPECTED)
    for impact, (status, lead, disputed) in EXPECTED.items():
        row = matrix.loc[impact]
        assert row.status == status, impact
        got_lead = None if row.lead_time_days is None or str(row.lead_time_days) == "<NA>" else int(row.lead_time_days)
        assert got_lead == lead, impact
        assert bool(row.disputed) is disputed, impact


def test_every_status_of_the_ladder_occurs(matrix):
    from coordgap.model.case import Status

    assert set(matrix.status) == {s.value for s in Status}


def test_required_lead_time_not_met(matrix):
    row = matrix.loc["d-curfew.customs-north.inspection-workload"]
    assert row.required_lead_days == 30 and str(row.lead_time_met) == "False"


def test_other_topic_contact_is_listed(matrix):
    assert matrix.loc["d-curfew.customs-north.overtime-pay", "other_topic_contacts"] == ("c-north-workload",)


def test_concerns_raised_do_not_raise_status(matrix):
    row = matrix.loc["d-curfew.customs-north.overtime-pay"]
    assert row.raised == ("c-north-concern",) and row.unanswered == ("c-north-concern",)
    answered = matrix.loc["d-curfew.ports-customs.staffing"]
    assert answered.raised == ("c-customs-request",) and answered.unanswered == ()


def test_month_precision_is_not_advance_notice(matrix):
    row = matrix.loc["d-curfew.port-authority.berthing-hours"]
    assert row.status == "same_day" and bool(row.timing_uncertain)


def test_disputed_cell_keeps_both_accounts(matrix):
    row = matrix.loc["d-curfew.city-police.night-patrols"]
    assert row.status == "informed" and row.undisputed_status == "none"
    assert row.evidence == ("e-c-police-a",)


def test_urging_office_counts_as_the_decision_side(matrix):
    assert matrix.loc["d-curfew.port-authority.berth-allocation", "contacts"] == ("c-trade-berths",)
