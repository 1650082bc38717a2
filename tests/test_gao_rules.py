"""The rulebook gao-23-105520, one test (or more) per practice on the small hand-made case
tests/cases/gao_siblings: a Treatment Bureau whose rota moves work onto its sibling Pumping
Bureau, and a river interface with the Parks Agency. Each test edits one record and checks that
the practice's finding appears, changes or goes away, with the evidence it rests on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT, ZERO_TOLERANCE

from coordgap import load_case
from coordgap.assess.case import assess, evaluate
from coordgap.rules import get_rulebook

CASE = ROOT / "tests" / "cases" / "gao_siblings"
GAO = "gao-23-105520"


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    dest = tmp_path / "case"
    shutil.copytree(CASE, dest)
    return dest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def found(folder, code):
    return [f for f in evaluate(load_case(folder), rulebook=GAO) if f.rule == code]


def notes(folder, code, rulebook=GAO):
    """The scope notes a rule returns for a case."""
    return assess(load_case(folder), rulebook).scope[code]


def test_the_rulebook_has_one_rule_per_practice_in_gaos_order():
    book = get_rulebook(GAO)
    assert [r.code for r in book.rules] == [f"GAO-LP{n}" for n in range(1, 9)]
    assert [r.source_quote.text for r in book.rules] == [
        "Define Common Outcomes", "Ensure Accountability", "Bridge Organizational Cultures",
        "Identify and Sustain Leadership", "Clarify Roles and Responsibilities", "Include Relevant Participants",
        "Leverage Resources and Information", "Develop and Update Written Guidance and Agreements"]
    assert all(r.doc == f"docs/rules/{r.code}.md" for r in book.rules)


# ------------------------------------------------------------ GAO-LP6 participants
def test_lp6_finds_a_component_that_left_out_its_sibling_outside_oig_r1s_scope():
    case = load_case(CASE)
    (note,) = notes(CASE, "OIG-R1", "oig-21-028")
    assert not note.applies and "only one component" in note.reason
    assert [f for f in evaluate(case) if f.rule == "OIG-R1"] == []
    (f,) = found(CASE, "GAO-LP6")
    assert (f.decision, f.stakeholder, f.status, f.severity.value) == ("d-rota", "water-pumping", "after", "high")
    assert "Pumping Bureau first learned of night-pumping only after the decision" in f.message
    quotes = {e.id: e.quote for e in f.evidence}
    assert quotes["e-not-asked"] == "The Pumping Bureau was not asked before the rota changed."
    assert "e-heard" in quotes
    (scope,) = notes(CASE, "GAO-LP6")
    assert scope.applies and "other component" in scope.reason
    assert [(r.organisation, r.role.value) for r in f.responsible] == [("water-treatment", "decided")]


def test_lp6_passes_once_the_sibling_is_consulted_in_advance(case_dir):
    edit(case_dir / "communications.csv", "2023-06-05,email,notification", "2023-05-20,meeting,consultation")
    assert found(case_dir, "GAO-LP6") == []


def test_lp6_leaves_the_deciders_own_offices_out(case_dir):
    edit(case_dir / "stakeholders.csv", "water-pumping,Pumping Bureau,water,component",
         "water-pumping,Pumping Bureau,water-treatment,office")
    (scope,) = notes(case_dir, "GAO-LP6")
    assert not scope.applies and "own side" in scope.reason and found(case_dir, "GAO-LP6") == []


def test_lp6_leaves_a_courts_order_out_with_the_reason(case_dir):
    with (case_dir / "stakeholders.csv").open("a") as fh:
        fh.write("court,River Court,,court,judicial,e-rota\n")
    edit(case_dir / "decisions.yaml", "decided_by: water-treatment", "decided_by: court")
    (scope,) = notes(case_dir, "GAO-LP6")
    assert not scope.applies and "judicial branch" in scope.reason
    assert found(case_dir, "GAO-LP6") == []


@pytest.mark.parametrize("folder", [EXAMPLE, ZERO_TOLERANCE], ids=lambda p: p.name)
def test_lp6_asks_oig_r1s_question_of_every_decision(folder):
    case = load_case(folder)
    r1 = {f.key.split("/", 1)[1]: f for f in evaluate(case) if f.rule == "OIG-R1"}
    lp6 = {f.key.split("/", 1)[1]: f for f in evaluate(case, rulebook=GAO) if f.rule == "GAO-LP6"}
    assert set(r1) <= set(lp6)
    assert all((lp6[k].status, lp6[k].severity, lp6[k].message) == (f.status, f.severity, f.message)
               for k, f in r1.items())
    outside = [n for n in assess(case).scope["OIG-R1"] if not n.applies]
    out_decisions = {n.id for n in outside if n.subject == "decision"}
    out_cells = {(n.within, n.id) for n in outside if n.subject == "stakeholder"}
    assert all(lp6[k].decision in out_decisions or (lp6[k].decision, lp6[k].stakeholder) in out_cells
               for k in set(lp6) - set(r1))


# ------------------------------------------------------------ GAO-LP1..LP3 collaborations
COLLAB = [("GAO-LP1", "outcomes"), ("GAO-LP2", "tracking"), ("GAO-LP3", "bridging")]


def _set_field(case_dir: Path, field: str, value: str | None) -> None:
    path = case_dir / "collaborations.yaml"
    lines = [ln for ln in path.read_text().splitlines() if not ln.strip().startswith(f"{field}:")]
    if value is not None:
        lines.insert(-1, f"    {field}: {value}")
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("code, field", COLLAB)
def test_collaboration_practice_not_recorded_is_not_assessable(case_dir, code, field):
    _set_field(case_dir, field, None)
    (f,) = found(case_dir, code)
    assert (f.collaboration, f.status) == ("m-river-desk", "not_assessable")
    assert f.message.startswith("Not assessable: no record of") and f"`{field}` not recorded" in f.message
    assert [e.id for e in f.evidence] == ["e-desk"]


@pytest.mark.parametrize("code, field", COLLAB)
def test_collaboration_practice_recorded_as_none_is_a_finding(case_dir, code, field):
    _set_field(case_dir, field, "[]")
    (f,) = found(case_dir, code)
    assert (f.status, f.severity.value) == ("none", "medium") and "as the record states" in f.message
    assert f.parties == ("water-treatment", "water-pumping", "parks")


@pytest.mark.parametrize("code, field", COLLAB)
def test_collaboration_practice_recorded_passes(case_dir, code, field):
    _set_field(case_dir, field, "[Something the participants agreed]")
    assert found(case_dir, code) == []


@pytest.mark.parametrize("code, field", COLLAB)
def test_with_no_collaboration_record_each_practice_is_listed_not_assessable(case_dir, code, field):
    (case_dir / "collaborations.yaml").unlink()
    (f,) = found(case_dir, code)
    assert f.status == "not_assessable" and f.collaboration is None
    assert f.message.startswith("Not assessable: no record of a collaborative mechanism (collaborations.yaml)")
    (note,) = notes(case_dir, code)
    assert note.subject == "case" and note.applies


# ------------------------------------------------------------ GAO-LP4 leadership
def test_lp4_wants_a_lead_for_the_interface_and_for_the_collaboration():
    keys = sorted(f.key for f in found(CASE, "GAO-LP4"))
    assert keys == ["GAO-LP4/d-rota/i-river", "GAO-LP4/m-river-desk"]


def test_lp4_a_lead_on_the_interface_clears_the_interface_only(case_dir):
    edit(case_dir / "interfaces.yaml", "    starts: 2023-06-01\n", "    starts: 2023-06-01\n    lead: parks\n")
    assert [f.key for f in found(case_dir, "GAO-LP4")] == ["GAO-LP4/m-river-desk"]


def test_lp4_a_lead_on_the_collaboration_coordinating_it_clears_both(case_dir):
    edit(case_dir / "collaborations.yaml", "    interfaces: [i-river]\n", "    interfaces: [i-river]\n    lead: water\n")
    assert found(case_dir, "GAO-LP4") == []


# ------------------------------------------------------------ GAO-LP5 roles
def test_lp5_a_recorded_absence_is_a_finding_and_a_procedure_with_its_role_passes():
    (f,) = found(CASE, "GAO-LP5")
    assert (f.stakeholder, f.status, f.severity.value) == ("water-treatment", "absent", "high")
    assert [e.id for e in f.evidence] == ["e-readings", "e-treat-proc"]


def test_lp5_a_procedure_without_a_recorded_role_is_not_assessable(case_dir):
    edit(case_dir / "procedures.csv", "i-river,absent,,,e-treat-proc", "i-river,in_place,2020,,e-treat-proc")
    (f,) = found(case_dir, "GAO-LP5")
    assert f.status == "not_assessable" and "`role` not recorded" in f.message


def test_lp5_a_departments_procedure_naming_the_role_covers_its_component(case_dir):
    with (case_dir / "procedures.csv").open("a") as fh:
        fh.write("pr-water,water,Department river procedure,i-river,in_place,2021,Treatment reads the gauge,e-mou\n")
    assert found(case_dir, "GAO-LP5") == []


def test_lp5_nothing_in_the_record_is_none(case_dir):
    (case_dir / "procedures.csv").write_text("id,organisation,title,interfaces,evidence\n")
    assert sorted((f.stakeholder, f.status) for f in found(case_dir, "GAO-LP5")) == [
        ("parks", "none"), ("water-treatment", "none")]


@pytest.mark.parametrize("state, status, severity, words", [
    ("bypassed", "not_followed", "medium", "but pr-treatment was bypassed, as the record states, so the role it "
                                           "names did not govern the work."),
    ("unused", "not_followed", "medium", "but pr-treatment was not used, as the record states, so the role it "
                                         "names did not govern the work."),
    ("outdated", "outdated", "medium", "but pr-treatment was out of date, as the record states, so it may not "
                                       "name the role the interface gives it."),
])
def test_lp5_a_procedure_the_record_says_did_not_serve_is_not_an_absence(case_dir, state, status, severity, words):
    edit(case_dir / "procedures.csv", "i-river,absent,,,e-treat-proc", f"i-river,{state},2020,Reads the gauge,e-treat-proc")
    (f,) = found(case_dir, "GAO-LP5")
    assert (f.stakeholder, f.status, f.severity.value) == ("water-treatment", status, severity)
    assert f.message == ("Treatment Bureau had a written procedure for the interface “Nightly exchange of river "
                         f"readings”, {words}")
    assert [e.id for e in f.evidence] == ["e-readings", "e-treat-proc"]


def test_lp5_a_procedure_the_record_calls_late_is_in_place_for_gao(case_dir):
    # when it took effect is OIG-R2's question, not GAO's
    edit(case_dir / "procedures.csv", "i-river,absent,,,e-treat-proc", "i-river,late,2024,Reads the gauge,e-treat-proc")
    assert found(case_dir, "GAO-LP5") == []


# ------------------------------------------------------------ GAO-LP7 information
def test_lp7_an_agreement_binding_the_party_is_a_way_to_share():
    assert found(CASE, "GAO-LP7") == []


def test_lp7_without_agreement_or_collaboration_the_recorded_absence_is_a_finding(case_dir):
    (case_dir / "agreements.csv").unlink()
    edit(case_dir / "collaborations.yaml", "    interfaces: [i-river]\n", "")
    (f,) = found(case_dir, "GAO-LP7")
    assert (f.stakeholder, f.status) == ("water-treatment", "absent") and "procedure pr-treatment" in f.message
    assert {e.id for e in f.evidence} == {"e-readings", "e-treat-proc"}


def test_lp7_a_collaboration_the_party_takes_part_in_is_a_way_to_share(case_dir):
    (case_dir / "agreements.csv").unlink()
    assert found(case_dir, "GAO-LP7") == []


def test_lp7_a_superseded_agreement_is_no_way_to_share(case_dir):
    edit(case_dir / "agreements.csv", "status,signed,evidence", "status,signed,superseded,evidence")
    edit(case_dir / "agreements.csv", "in_place,2019,e-mou", "in_place,2019,2022-12,e-mou")
    edit(case_dir / "collaborations.yaml", "    interfaces: [i-river]\n", "")
    assert [f.stakeholder for f in found(case_dir, "GAO-LP7")] == ["water-treatment"]


@pytest.mark.parametrize("state, status", [
    ("bypassed", "not_followed"), ("unused", "not_followed"), ("absent", "absent"),
    ("outdated", None), ("late", None),  # still a channel; GAO-LP8 asks whether it is up to date
])
def test_lp7_what_the_record_says_of_the_only_agreement(case_dir, state, status):
    # the Treatment Bureau's own procedure is recorded absent; the agreement is its only channel
    edit(case_dir / "agreements.csv", "i-river,in_place,2019,e-mou", f"i-river,{state},2019,e-mou")
    edit(case_dir / "collaborations.yaml", "    interfaces: [i-river]\n", "")
    got = found(case_dir, "GAO-LP7")
    assert [(f.stakeholder, f.status) for f in got] == ([] if status is None else [("water-treatment", status)])
    if status == "not_followed":
        assert got[0].message == (
            "Nothing in force gave Treatment Bureau a way to share the information the interface “Nightly exchange "
            f"of river readings” needs: agreement ag-mou {'was bypassed' if state == 'bypassed' else 'was not used'}, "
            "as the record states.")
        assert [e.id for e in got[0].evidence] == ["e-readings", "e-mou"]


# ------------------------------------------------------------ GAO-LP8 agreements
def _agreement(case_dir: Path, header: str, row: str) -> None:
    (case_dir / "agreements.csv").write_text(f"id,title,kind,parties,interfaces,status,{header},evidence\n"
                                            f"ag-mou,Water-Parks MOU,mou,water;parks,i-river,{row},e-mou\n")


@pytest.mark.parametrize("header, row, status", [
    ("signed", "in_place,2019", "outdated"),  # signed before the decision that created the interface
    ("signed,reviewed", "in_place,2019,2023-07", None),  # reviewed after it
    ("signed,reviewed", "in_place,2019,2023-06-01", None),  # reviewed on the day
    ("signed,reviewed,review_due", "in_place,2019,2023-07,2023-01", "outdated"),  # past its own review date
    ("signed", "in_place,2023", "review_undetermined"),  # a year that contains the decision's date
    ("signed", "in_place,", "review_undetermined"),  # no date at all
    ("signed,superseded", "in_place,2019,2023-02", "superseded"),
    ("signed", "absent,", "absent"),
    ("signed", "bypassed,2023-07", "not_followed"),  # existed, but the record says it was bypassed
    ("signed", "unused,2023-07", "not_followed"),
    ("signed", "outdated,2023-07", "outdated"),  # signed after the decision, but the record says out of date
    ("signed", "late,2023-07", None),  # signed after the interface started: OIG-R3's question, not GAO's
])
def test_lp8_agreement_states(case_dir, header, row, status):
    _agreement(case_dir, header, row)
    got = found(case_dir, "GAO-LP8")
    assert [f.status for f in got] == ([status] if status else [])
    if got:
        assert [e.id for e in got[0].evidence] == ["e-readings", "e-mou"] and got[0].parties == ("water-treatment", "parks")


def test_lp8_the_message_for_an_agreement_the_record_says_did_not_serve(case_dir):
    _agreement(case_dir, "signed", "unused,2023-07")
    (f,) = found(case_dir, "GAO-LP8")
    assert (f.severity.value, f.message) == ("medium", (
        "A written agreement on “Nightly exchange of river readings” among Treatment Bureau and Parks Agency "
        "existed, but ag-mou was not used, as the record states."))


def test_lp8_an_agreement_not_binding_every_party_is_partial(case_dir):
    _agreement(case_dir, "signed", "in_place,2023-07")
    edit(case_dir / "agreements.csv", "water;parks", "parks")
    (f,) = found(case_dir, "GAO-LP8")
    assert f.status == "partial" and "does not bind Treatment Bureau" in f.message


def test_lp8_a_superseded_agreement_is_judged_by_its_successor(case_dir):
    (case_dir / "agreements.csv").write_text(
        "id,title,kind,parties,interfaces,status,signed,superseded_by,evidence\n"
        "ag-old,Old MOU,mou,water;parks,i-river,in_place,2019,ag-new,e-mou\n"
        "ag-new,New MOU,mou,water;parks,i-river,in_place,2023-08,,e-mou\n")
    assert found(case_dir, "GAO-LP8") == []
    edit(case_dir / "agreements.csv", "i-river,in_place,2023-08", ",in_place,2023-08")  # the successor covers other things
    (f,) = found(case_dir, "GAO-LP8")
    assert f.status == "superseded" and "ag-old (superseded by ag-new, which does not cover it)" in f.message


def test_lp8_with_no_agreement_in_the_record(case_dir):
    (case_dir / "agreements.csv").unlink()
    (f,) = found(case_dir, "GAO-LP8")
    assert (f.status, f.severity.value) == ("none", "high")


# ------------------------------------------------------------ the bundled cases
@pytest.mark.parametrize("folder", [EXAMPLE, ZERO_TOLERANCE], ids=lambda p: p.name)
def test_every_gao_finding_on_a_bundled_case_traces_to_evidence_or_says_why_not(folder):
    case = load_case(folder)
    findings = evaluate(case, rulebook=GAO)
    assert {f.rule for f in findings} == {f"GAO-LP{n}" for n in range(1, 9)}
    for f in findings:
        if f.status == "not_assessable":
            assert f.message.startswith("Not assessable: no record of")
        else:
            assert f.evidence, f.key
        assert all(ref.quote in {e.quote for e in case.evidence} for ref in f.evidence)
    keys = [f.key for f in findings]
    assert len(keys) == len(set(keys))
