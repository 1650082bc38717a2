"""Conclusions as records: reading conclusions.yaml (problems name file, line and field),
checking each against the record (reproduced / partly / not reproduced, with the evidence on
both sides), and `coordgap conclusions` (exit 0 / 1 / 2, table and JSON)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE

from coordgap import check_conclusions, load_case, read_case
from coordgap.assess.case import assess
from coordgap.assess.conclusions import Verdict, figure_pattern
from coordgap.cli import main
from coordgap.io.conclusions import read_conclusions_file
from coordgap.model.conclusions import Assertions, CellAssertion, Conclusion, FigureAssertion, FindingAssertion

# datasets/example/README.md, "Conclusions": the verdict each must get
EXPECTED = {
    "k-no-advance-notice": Verdict.reproduced,
    "k-clinics-leadership-only": Verdict.reproduced,
    "k-night-transfers-uncovered": Verdict.reproduced,
    "k-police-told-in-advance": Verdict.not_reproduced,
    "k-port-authority-consulted": Verdict.partly,
}


@pytest.fixture(scope="module")
def results(example_case):
    return {r.conclusion.id: r for r in check_conclusions(example_case)}


def test_the_example_case_gets_the_verdicts_its_readme_states(results):
    assert {k: r.verdict for k, r in results.items()} == EXPECTED


def test_partly_says_which_claim_fails_and_what_the_record_shows(results):
    r = results["k-port-authority-consulted"]
    assert [a.holds for a in r.results] == [True, False]
    (fail,) = r.failing
    assert "berthing-hours" in fail.claim and "same day" in fail.found
    assert fail.record == ("c-port-hours",)
    assert [e.id for e in fail.evidence] == ["e-c-port-hours"]  # the record's side, quoted


def test_evidence_on_both_sides(results):
    r = results["k-no-advance-notice"]
    assert [e.id for e in r.evidence] == ["e-k-no-notice"]
    assert "no advance notice" in r.evidence[0].quote
    court = r.results[0]
    assert court.record == ("c-court-release",) and court.evidence[0].id == "e-c-court"
    finding = r.results[2]
    assert finding.kind == "finding" and finding.record == ("OIG-R1/d-curfew/d-curfew.court-east.court-caseload/court-east",)


def test_the_undisputed_reading_is_the_default_and_best_can_be_asked_for(example_case, results):
    r = results["k-police-told-in-advance"]
    assert "none without the disputed records" in r.results[0].found
    best = Conclusion(id="k-best", statement="x", evidence=("e-k-police",), asserts=Assertions(cells=(
        CellAssertion(decision="d-curfew", stakeholder="city-police", status=("informed",), record="best"),)))
    (got,) = check_conclusions(example_case, conclusions=[best])
    assert got.verdict is Verdict.reproduced


def _one(case, **asserts) -> Verdict:
    k = Conclusion(id="k-x", statement="x", evidence=("e-k-police",), asserts=Assertions(**asserts))
    return check_conclusions(case, conclusions=[k])[0].verdict


def test_each_kind_of_claim_can_fail(example_case):
    cell = CellAssertion(decision="d-curfew", stakeholder="court-east", status=("consulted",))
    assert _one(example_case, cells=(cell,)) is Verdict.not_reproduced
    # the stakeholder itself, not units below it: ports-customs is not customs-north
    below = CellAssertion(decision="d-rota", stakeholder="ports-customs", status=("informed",))
    assert _one(example_case, cells=(below,)) is Verdict.not_reproduced
    absent = FindingAssertion(rule="OIG-R1", stakeholder="port-authority", decision="d-curfew", present=False)
    assert _one(example_case, findings=(absent,)) is Verdict.not_reproduced  # berthing-hours is a gap
    unknown_rule = FindingAssertion(rule="OIG-R9")
    assert _one(example_case, findings=(unknown_rule,)) is Verdict.not_reproduced
    none_for_rota = FindingAssertion(rule="OIG-R1", decision="d-rota", present=False)
    assert _one(example_case, findings=(none_for_rota,)) is Verdict.reproduced  # out of scope: no finding
    wrong_figure = FigureAssertion(label="ships", value=41, evidence=("e-k-ships",))
    assert _one(example_case, figures=(wrong_figure,)) is Verdict.not_reproduced


def test_a_figure_matches_the_number_as_written_not_inside_another():
    p = figure_pattern(3000)
    assert p.search("more than 3,000 children") and p.search("3000 children")
    assert not p.search("13,000 children") and not p.search("3,0001") and not p.search("30,000")
    assert not p.search("3,000.5")
    assert figure_pattern(2.5).search("2.5 days") and not figure_pattern(2.5).search("12.5 days")
    assert figure_pattern("one in four").search("about one in four")


def test_a_conclusion_must_assert_something_and_quote_its_source():
    with pytest.raises(ValueError, match="at least one"):
        Assertions()
    with pytest.raises(ValueError):
        Conclusion(id="k", statement="x", evidence=(), asserts=Assertions(figures=(
            FigureAssertion(label="x", value=1, evidence=("e",)),)))


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    shutil.copytree(EXAMPLE, folder)
    return folder


def test_bad_conclusions_name_file_line_and_field(tmp_path):
    folder = _copy(tmp_path)
    text = (folder / "conclusions.yaml").read_text()
    text = text.replace("stakeholder: health-clinics", "stakeholder: health-clinicz")
    text = text.replace("status: [same_day]", "status: [sameday]")
    (folder / "conclusions.yaml").write_text(text)
    case, problems = read_case(folder)
    by_field = {p.field: p for p in problems}
    assert {"asserts.cells.0.status.0", "asserts.cells.0.stakeholder"} <= set(by_field)
    assert {p.record for p in problems} == {"k-no-advance-notice", "k-clinics-leadership-only"}
    assert all(p.file == "conclusions.yaml" and p.line for p in problems)
    assert by_field["asserts.cells.0.stakeholder"].record == "k-clinics-leadership-only"
    assert "unknown organisation 'health-clinicz'" in by_field["asserts.cells.0.stakeholder"].message
    assert text.splitlines()[by_field["asserts.cells.0.status.0"].line - 1].strip() == "status: [sameday]"
    # neither is dropped silently: both are listed as rejected, the others kept
    assert {r.record for r in case.rejected} == {"k-no-advance-notice", "k-clinics-leadership-only"}
    assert len(case.conclusions) == 3


def test_conclusions_are_read_with_the_safe_loader(tmp_path):
    folder = _copy(tmp_path)
    (folder / "conclusions.yaml").write_text("conclusions: !!python/object/apply:os.system ['true']\n")
    _, problems = read_case(folder)
    assert any(p.file == "conclusions.yaml" and "safe loading" in p.message for p in problems)


def test_cli_exit_codes_and_json(tmp_path):
    runner = CliRunner()
    r = runner.invoke(main, ["conclusions", str(EXAMPLE)])
    assert r.exit_code == 1, r.output
    assert "NOT REPRODUCED  k-police-told-in-advance" in r.output and "PARTLY" in r.output
    assert "5 conclusions: 3 reproduced, 1 partly, 1 not reproduced" in r.output
    r = runner.invoke(main, ["conclusions", str(EXAMPLE), "--format", "json"])
    assert r.exit_code == 1
    data = json.loads(r.output)
    assert {c["id"]: c["verdict"] for c in data["conclusions"]} == {k: v.value for k, v in EXPECTED.items()}

    folder = _copy(tmp_path)
    text = (folder / "conclusions.yaml").read_text()
    keep = text.split("  - id: k-police-told-in-advance")[0]
    (folder / "conclusions.yaml").write_text(keep)
    assert runner.invoke(main, ["conclusions", str(folder)]).exit_code == 0  # all reproduced

    (folder / "conclusions.yaml").write_text(keep.replace("evidence: [e-k-clinics]", "evidence: [e-nope]"))
    r = runner.invoke(main, ["conclusions", str(folder)])
    assert r.exit_code == 2 and "unknown evidence 'e-nope'" in r.output
    assert runner.invoke(main, ["conclusions", str(tmp_path / "nowhere")]).exit_code == 2


def test_a_draft_file_is_checked_against_the_case(tmp_path, example_case):
    draft = tmp_path / "draft.yaml"
    draft.write_text("conclusions:\n  - id: k-draft\n    statement: The court was told the same day.\n"
                     "    evidence: [e-c-court]\n    asserts:\n      cells:\n        - decision: d-curfew\n"
                     "          stakeholder: court-east\n          status: [same_day]\n")
    got, problems = read_conclusions_file(draft, example_case)
    assert not problems and [k.id for k in got] == ["k-draft"]
    r = CliRunner().invoke(main, ["conclusions", str(EXAMPLE), "--file", str(draft)])
    assert r.exit_code == 0 and "REPRODUCED      k-draft" in r.output
    draft.write_text(draft.read_text().replace("d-curfew", "d-nope"))
    r = CliRunner().invoke(main, ["conclusions", str(EXAMPLE), "--file", str(draft)])
    assert r.exit_code == 2 and "draft.yaml" in r.output and "asserts.cells.0.decision" in r.output


def test_a_case_without_conclusions_has_none_to_check(tmp_path):
    folder = _copy(tmp_path)
    (folder / "conclusions.yaml").unlink()
    case = load_case(folder)
    assert case.conclusions == () and check_conclusions(case, assess(case)) == []
    r = CliRunner().invoke(main, ["conclusions", str(folder)])
    assert r.exit_code == 0 and "records no conclusions" in r.output
