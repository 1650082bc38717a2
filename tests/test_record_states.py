"""Procedure and agreement states (issue #11 part B): `in_place`, `absent`, `outdated`,
`bypassed`, `unused`, `late`, each with its own wording in OIG-R2 and OIG-R3, loaded from
a case folder, and old folders loading unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE
from test_rules import by_rule, changed, rebuild

from coordgap import load_case
from coordgap.assess.case import evaluate
from coordgap.errors import InvalidInputError
from coordgap.model.case import Presence
from coordgap.model.findings import Severity

IFACE = "the interface “Night transfer of ill passengers from customs to the clinics”"


def _clinics(case, **changes):
    """The example case with the clinics' procedure changed (the customs' one stays absent)."""
    procs = tuple(changed(p, **changes) if p.id == "pr-clinics-transfer" else p for p in case.procedures)
    return rebuild(case, procedures=procs)


def test_every_state_is_a_presence_value():
    assert [p.value for p in Presence] == ["in_place", "absent", "outdated", "bypassed", "unused", "late"]


@pytest.mark.parametrize("state,severity,message", [
    ("bypassed", Severity.high,
     f"Health Clinics had a written procedure for {IFACE}, which starts on 2024-03-15, but it was bypassed, "
     "as the record states (pr-clinics-transfer)."),
    ("unused", Severity.high,
     f"Health Clinics had a written procedure for {IFACE}, which starts on 2024-03-15, but it was not used, "
     "as the record states (pr-clinics-transfer)."),
    ("outdated", Severity.medium,
     f"Health Clinics had a written procedure for {IFACE}, which starts on 2024-03-15, but it was out of date, "
     "as the record states (pr-clinics-transfer)."),
    ("absent", Severity.high,
     f"Health Clinics had no written procedure for {IFACE}, which starts on 2024-03-15, as the record states."),
])
def test_r2_a_procedure_that_existed_but_did_not_serve(example_case, state, severity, message):
    got = {f.stakeholder: f for f in by_rule(evaluate(_clinics(example_case, status=state)), "OIG-R2")}
    f = got["health-clinics"]
    assert (f.status, f.severity, f.message) == (state, severity, message)
    assert [e.id for e in f.evidence] == ["e-iface", "e-proc-clinics"]
    assert got["ports-customs"].status == "absent"


def test_r2_a_procedure_the_record_calls_late_carries_the_date_it_came(example_case):
    # dated 2019 (before the start), but the record says it came late: the record's word stands
    for in_effect, shown in (("2024-06", "2024-06"), (None, "at an unrecorded date")):
        case = _clinics(example_case, status="late", in_effect=in_effect)
        (f,) = [f for f in by_rule(evaluate(case), "OIG-R2") if f.stakeholder == "health-clinics"]
        assert (f.status, f.severity) == ("late", Severity.medium)
        assert f.message == (f"Health Clinics' procedure for {IFACE} took effect only after the interface "
                             f"started on 2024-03-15 (pr-clinics-transfer in effect {shown}).")


def test_r2_a_procedure_in_place_in_time_outweighs_one_bypassed(example_case):
    extra = changed(example_case.procedures[0], id="pr-clinics-old", status="bypassed")
    case = rebuild(example_case, procedures=example_case.procedures + (extra,))
    assert "health-clinics" not in {f.stakeholder for f in by_rule(evaluate(case), "OIG-R2")}


AGREEMENT = "“Night transfer of ill passengers from customs to the clinics”"
BIND = "it would have to bind Customs Service and Health Clinics"


@pytest.mark.parametrize("state,severity,message", [
    ("bypassed", Severity.high,
     f"A formal agreement on {AGREEMENT} existed (ag-night-transfer), but it was bypassed, as the record "
     f"states; {BIND}."),
    ("unused", Severity.high,
     f"A formal agreement on {AGREEMENT} existed (ag-night-transfer), but it was not used, as the record "
     f"states; {BIND}."),
    ("outdated", Severity.medium,
     f"A formal agreement on {AGREEMENT} existed (ag-night-transfer), but it was out of date, as the record "
     f"states; {BIND}."),
    ("late", Severity.medium,
     f"The agreement ag-night-transfer on {AGREEMENT} among Customs Service and Health Clinics was signed "
     "(2024-07) only after the interface started on 2024-03-15."),
])
def test_r3_agreement_states(example_case, state, severity, message):
    ag = changed(example_case.agreements[0], status=state, signed="2024-07")
    (f,) = by_rule(evaluate(rebuild(example_case, agreements=(ag,))), "OIG-R3")
    assert (f.status, f.severity, f.message) == (state, severity, message)
    assert [e.id for e in f.evidence] == ["e-iface", "e-agreement"]


def test_states_load_from_a_case_folder_and_old_folders_load_unchanged(tmp_path: Path, example_case):
    folder = tmp_path / "case"
    shutil.copytree(EXAMPLE, folder)
    path = folder / "procedures.csv"
    path.write_text(path.read_text().replace(",in_place,2019,", ",bypassed,2019,"))
    ag = folder / "agreements.csv"
    ag.write_text(ag.read_text().replace(",absent,,", ",late,2024-07,"))
    case = load_case(folder)
    assert {p.id: p.status.value for p in case.procedures} == {
        "pr-clinics-transfer": "bypassed", "pr-customs-night": "absent"}
    assert [(a.status.value, str(a.signed)) for a in case.agreements] == [("late", "2024-07")]
    got = {(f.rule, f.stakeholder): f.status for f in evaluate(case) if f.rule in ("OIG-R2", "OIG-R3")}
    assert got == {("OIG-R2", "health-clinics"): "bypassed", ("OIG-R2", "ports-customs"): "absent",
                   ("OIG-R3", None): "late"}
    # the untouched example (only in_place and absent) loads and finds what it always did
    assert {p.status.value for p in example_case.procedures} == {"in_place", "absent"}


def test_an_unknown_state_names_the_allowed_ones(tmp_path: Path):
    folder = tmp_path / "case"
    shutil.copytree(EXAMPLE, folder)
    path = folder / "procedures.csv"
    path.write_text(path.read_text().replace(",in_place,2019,", ",ignored,2019,"))
    with pytest.raises(InvalidInputError) as err:
        load_case(folder)
    assert [str(p) for p in err.value.problems] == [
        "procedures.csv:2: [pr-clinics-transfer] status: 'ignored' is not one of "
        "['in_place', 'absent', 'outdated', 'bypassed', 'unused', 'late']"]
