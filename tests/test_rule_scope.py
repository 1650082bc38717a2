"""Scope from the rules' own words, and who was responsible, on the zero-tolerance case.

Recommendation 1 of report 21-028 is addressed to the Department of Justice
("prior to issuing a significant policy affecting multiple Department of
Justice components, other Executive Branch agencies, or the courts"); the
case says so in case.yaml (`addresses`). Decisions by a court, by the
President and by another department alone are outside it, and so are
Congress and non-governmental stakeholders: listed, with the reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coordgap import assess, load_case
from coordgap.model.case import Branch
from coordgap.model.findings import Role

ROOT = Path(__file__).resolve().parents[1]
ZT = ROOT / "datasets" / "zero_tolerance"
MAY_4 = "d-2018-05-04-dhs-referrals"


@pytest.fixture(scope="module")
def case():
    return load_case(ZT)


@pytest.fixture(scope="module")
def result(case):
    return assess(case)


def r1(result):
    return [f for f in result.findings if f.rule == "OIG-R1"]


def outside(result, rule="OIG-R1", subject="decision"):
    return {n.id: n.reason for code, n in result.outside if code == rule and n.subject == subject}


def test_r1_findings_only_for_decisions_doj_made_acted_for_or_urged(case, result):
    tree = case.tree
    for f in r1(result):
        d = case.decision_index[f.decision]
        assert any(tree.is_within(o, "doj") for o in (d.decided_by, *d.acting_for, *d.urged_by)), f.key
    # May 4 was DHS's decision, urged by the Attorney General's office: inside
    assert any(f.decision == MAY_4 for f in r1(result))


@pytest.mark.parametrize(("decision", "maker"), [
    ("d-2018-06-26-ms-l-injunction", "a court"),
    ("d-2018-06-20-executive-order", "the President"),
    ("d-2018-04-06-end-catch-and-release", "the President"),
    ("d-2017-03-el-paso-fu-suspension", "another department"),
    ("d-2017-11-18-el-paso-end", "another department"),
])
def test_decisions_outside_r1_are_listed_with_the_reason(case, result, decision, maker):
    assert not [f for f in r1(result) if f.decision == decision]
    reason = outside(result)[decision]
    assert "U.S. Department of Justice, which the rule addresses" in reason
    assert case.orgs[case.decision_index[decision].decided_by].name in reason


def test_no_r1_finding_against_congress_or_non_government(case, result):
    for f in r1(result):
        assert case.orgs[f.stakeholder].branch in (Branch.executive, Branch.judicial), f.key
    notes = outside(result, subject="stakeholder")
    assert "congress" in notes and "is not a component of U.S. Department of Justice" in notes["congress"]


def test_without_addresses_a_rulebook_addresses_the_makers_department(case):
    # the default: the department of each decision's maker; a court or the President has none
    meta = case.meta.model_copy(update={"addresses": {}})
    result = assess(case.model_copy(update={"meta": meta}))
    reasons = outside(result)
    assert "belongs to no department" in reasons["d-2018-06-26-ms-l-injunction"]
    assert "belongs to no department" in reasons["d-2018-06-20-executive-order"]
    # Border Patrol's own decision is then judged as DHS's
    assert "d-2017-03-el-paso-fu-suspension" not in reasons


def test_may_4_findings_name_the_attorney_generals_office_as_urged_and_dhs_as_decided(result):
    may4 = [f for f in r1(result) if f.decision == MAY_4]
    assert may4
    for f in may4:
        roles = {(r.organisation, r.role) for r in f.responsible}
        assert ("dhs", Role.decided) in roles
        assert ("doj-oag", Role.urged) in roles
        assert "Office of the Attorney General (urged)" in f.responsible_text


def test_every_finding_has_responsible(result):
    assert result.findings and all(f.responsible for f in result.findings)
    assert all(f.as_dict()["responsible"] for f in result.findings)


def test_r2_and_r3_leave_out_non_government_parties(case):
    iface = case.interfaces[0]
    odd = iface.model_copy(update={"parties": iface.parties + ("public",)})
    changed = case.model_copy(update={"interfaces": (odd, *case.interfaces[1:])})
    result = assess(changed)
    assert not [f for f in result.findings if f.stakeholder == "public"]
    assert "public" in outside(result, "OIG-R2", "stakeholder")


def test_findings_cli_shows_responsible_and_what_is_outside(tmp_path):
    import csv
    import io
    import json

    from click.testing import CliRunner

    from coordgap.cli import main

    run = CliRunner().invoke
    rows = list(csv.DictReader(io.StringIO(run(main, ["findings", str(ZT), "--format", "csv", "--exit-zero"]).output)))
    may4 = [r for r in rows if r["decision"] == MAY_4 and r["rule"] == "OIG-R1"]
    assert may4 and all("dhs:decided" in r["responsible"] and "doj-oag:urged" in r["responsible"] for r in may4)
    table = run(main, ["findings", str(ZT), "--exit-zero"]).output
    assert "Outside the rules (" in table and "d-2018-06-26-ms-l-injunction" in table
    outside = json.loads(run(main, ["findings", str(ZT), "--outside", "--format", "json"]).output)
    assert {"rule": "OIG-R1", "subject": "stakeholder", "id": "congress", "within": "d-2018-04-06-zero-tolerance",
            "reason": "U.S. Congress is not a component of U.S. Department of Justice, an executive agency or a court"} \
        in outside


def test_sarif_results_carry_responsible():
    from coordgap.assess.proposal import check_proposal
    from coordgap.render.sarif import to_sarif

    log = to_sarif(check_proposal("zero-tolerance-2018-04"))
    results = log["runs"][0]["results"]
    assert results and all(r["properties"]["responsible"] == [
        {"organisation": "doj-oag", "role": "decided", "name": "Office of the Attorney General"}] for r in results)


def test_r3_asks_no_agreement_of_the_white_house(case):
    """An interface between one department and the White House (not a department or agency) is
    not interagency: OIG-R3 lists it as outside, and the White House as no agency's part."""
    iface = next(i for i in case.interfaces if i.id == "i-usms-ice-el-centro")
    odd = iface.model_copy(update={"parties": ("usms", "white-house")})
    result = assess(case.model_copy(update={"interfaces": (odd,)}))
    assert not [f for f in result.findings if f.rule == "OIG-R3"]
    assert "not cross-agency" in outside(result, "OIG-R3", "interface")["i-usms-ice-el-centro"]
    wider = iface.model_copy(update={"parties": iface.parties + ("white-house",)})
    before = [f for f in assess(case.model_copy(update={"interfaces": (iface,)})).findings if f.rule == "OIG-R3"]
    result = assess(case.model_copy(update={"interfaces": (wider,)}))
    # the agreement between DOJ and DHS is judged as before: the White House need not sign it
    assert [f.status for f in result.findings if f.rule == "OIG-R3"] == [f.status for f in before]
    assert "belongs to no department, agency or court" in outside(result, "OIG-R3", "stakeholder")["white-house"]
