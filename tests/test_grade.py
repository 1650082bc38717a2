"""Evidence grades (issue #11, evidence): an optional `grade` column in evidence.csv, its
default, the grade a status rests on in the matrix and the findings, and a minimum grade
that makes weaker evidence earn nothing (docs/data-model.md, "Evidence grades")."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE

from coordgap import load_case, read_case
from coordgap.errors import InvalidInputError
from coordgap.model.case import DEFAULT_GRADE, GRADE_ORDER, Grade


def _copy(tmp_path: Path, grades: dict[str, str] | None = None, column: bool = True) -> Path:
    """The example case, with evidence.csv given a grade column (ids not named: empty cells)."""
    folder = tmp_path / "case"
    shutil.copytree(EXAMPLE, folder)
    path = folder / "evidence.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    if column:
        fields.append("grade")
        for r in rows:
            r["grade"] = (grades or {}).get(r["id"], "")
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    return folder


def test_grades_strongest_first():
    assert [g.value for g in GRADE_ORDER] == ["primary", "other_primary", "quoted", "paraphrase"]
    assert [g.rank for g in Grade] == [0, 1, 2, 3]
    assert Grade.other_primary.words == "other primary"
    assert DEFAULT_GRADE is Grade.primary


def test_no_grade_column_loads_every_record_as_primary(example_case):
    assert {e.grade for e in example_case.evidence} == {Grade.primary}


def test_a_grade_column_is_accepted_and_empty_cells_are_primary(tmp_path):
    case = load_case(_copy(tmp_path, {"e-c-customs": "paraphrase", "e-c-fire": "quoted",
                                      "e-c-annual": "other_primary", "e-decision": "primary"}))
    grades = {e.id: e.grade for e in case.evidence}
    assert grades["e-c-customs"] is Grade.paraphrase
    assert grades["e-c-fire"] is Grade.quoted
    assert grades["e-c-annual"] is Grade.other_primary
    assert grades["e-decision"] is Grade.primary
    assert grades["e-org-health"] is Grade.primary  # empty cell
    assert sum(g is Grade.primary for g in grades.values()) == len(grades) - 3


def test_an_unknown_grade_names_file_row_and_field(tmp_path):
    folder = _copy(tmp_path, {"e-c-customs": "hearsay"})
    with pytest.raises(InvalidInputError) as err:
        load_case(folder)
    line = next(i for i, row in enumerate((folder / "evidence.csv").read_text().splitlines(), 1)
                if row.startswith("e-c-customs,"))
    assert (f"evidence.csv:{line}: [e-c-customs] grade: 'hearsay' is not one of "
            "['primary', 'other_primary', 'quoted', 'paraphrase']") in str(err.value)
    case, problems = read_case(folder)
    assert "e-c-customs" not in case.evidence_index  # rejected, and listed as rejected
    assert any(r.record == "e-c-customs" for r in case.rejected)


def test_a_graded_copy_of_a_case_loads_the_same_records_but_the_grade(tmp_path, example_case):
    case = load_case(_copy(tmp_path))  # a grade column, every cell empty
    assert case.evidence == example_case.evidence
    assert case.communications == example_case.communications


# ---------------------------------------------------------------- the matrix and the findings
from test_rules import by_rule, changed, rebuild  # noqa: E402

from coordgap import consultation_matrix  # noqa: E402
from coordgap.assess.case import evaluate  # noqa: E402
from reference import reference_matrix  # noqa: E402
from test_engine_reference import engine_rows  # noqa: E402


def graded(case, minimum=None, **grades):
    """The example case with some evidence records graded (e_c_trade="paraphrase" grades e-c-trade)
    and, optionally, a minimum grade in its case.yaml."""
    wanted = {k.replace("_", "-"): v for k, v in grades.items()}
    evidence = tuple(changed(e, grade=wanted[e.id]) if e.id in wanted else e for e in case.evidence)
    return rebuild(case, evidence=evidence, meta=changed(case.meta, minimum_grade=minimum))


def cell(matrix, impact):
    (row,) = matrix[matrix["impact"] == impact].to_dict("records")
    return row


BERTHS = "d-curfew.port-authority.berth-allocation"
STAFFING = "d-curfew.ports-customs.staffing"


def test_every_cell_of_the_ungraded_example_rests_on_primary_evidence(example_case):
    m = consultation_matrix(example_case)
    assert m["grade"].tolist() == ["primary"] * 3 + [None] + ["primary"] * 7  # overtime-pay: status none
    assert (m["status_all_grades"] == m["status"]).all()
    assert m["grade_all_grades"].tolist() == m["grade"].tolist()


def test_a_status_earned_only_by_a_paraphrase_rests_on_it(example_case):
    case = graded(example_case, e_c_trade="paraphrase")
    row = cell(consultation_matrix(case), BERTHS)
    assert (row["status"], row["grade"], row["status_all_grades"], row["grade_all_grades"]) == (
        "consulted", "paraphrase", "consulted", "paraphrase")
    assert engine_rows(case) == reference_matrix(case)


def test_a_status_rests_on_its_strongest_contact(example_case):
    # staffing: two contacts earn `informed`; one is a paraphrase, the other primary
    case = graded(example_case, e_c_customs="paraphrase")
    row = cell(consultation_matrix(case), STAFFING)
    assert (row["status"], row["grade"], row["contacts"]) == ("informed", "primary",
                                                             ("c-customs-answer", "c-customs-staffing"))
    case = graded(example_case, e_c_customs="paraphrase", e_c_request="quoted")
    assert cell(consultation_matrix(case), STAFFING)["grade"] == "quoted"


def test_a_contact_is_as_strong_as_its_best_evidence(example_case):
    # the trade department's meeting, cited by a paraphrase and by another primary document
    extra = changed(next(e for e in example_case.evidence if e.id == "e-c-trade"), id="e-c-trade-memo",
                    grade="other_primary")
    comms = tuple(changed(c, evidence=("e-c-trade", "e-c-trade-memo")) if c.id == "c-trade-berths" else c
                  for c in example_case.communications)
    case = graded(rebuild(example_case, evidence=(*example_case.evidence, extra), communications=comms),
                  e_c_trade="paraphrase")
    assert cell(consultation_matrix(case), BERTHS)["grade"] == "other_primary"
    assert cell(consultation_matrix(case, minimum_grade="primary"), BERTHS)["status"] == "none"
    assert cell(consultation_matrix(case, minimum_grade="other_primary"), BERTHS)["status"] == "consulted"


def test_a_minimum_grade_makes_weaker_contacts_earn_nothing(example_case):
    case = graded(example_case, "other_primary", e_c_trade="paraphrase", e_c_customs="quoted")
    m = consultation_matrix(case)
    berths, staffing = cell(m, BERTHS), cell(m, STAFFING)
    assert (berths["status"], berths["contacts"], berths["grade"], berths["lead_time_days"]) == (
        "none", (), None, None)
    assert (berths["status_all_grades"], berths["grade_all_grades"]) == ("consulted", "paraphrase")
    # staffing falls back to the answer of 12 March alone: still informed, 3 days ahead, not 5
    assert (staffing["status"], staffing["contacts"], staffing["first_contact"], staffing["lead_time_days"]) == (
        "informed", ("c-customs-answer",), "c-customs-answer", 3)
    assert (staffing["status_all_grades"], staffing["grade"]) == ("informed", "primary")
    assert engine_rows(case) == reference_matrix(case)
    # the same, with the minimum given to the engine rather than in case.yaml
    assert consultation_matrix(graded(example_case, e_c_trade="paraphrase", e_c_customs="quoted"),
                               minimum_grade="other_primary").equals(m)
    # a minimum of `paraphrase` lets every graded contact count
    assert consultation_matrix(case, minimum_grade="paraphrase")["status"].tolist() == \
        consultation_matrix(example_case)["status"].tolist()


def test_findings_carry_the_grade_and_say_when_a_status_rests_on_weaker_evidence(example_case):
    case = graded(example_case, e_c_customs="paraphrase", e_c_request="paraphrase")
    f = next(f for f in by_rule(evaluate(case), "OIG-R1") if f.impact == STAFFING)
    assert (f.status, f.grade) == ("informed", "paraphrase")
    assert f.message == ("Customs Service was only informed about staffing (5 days before the decision), "
                         "not asked for its input; this rests on a paraphrase.")
    assert {e.id: e.grade for e in f.evidence}["e-c-customs"] == "paraphrase"
    plain = next(f for f in by_rule(evaluate(example_case), "OIG-R1") if f.impact == STAFFING)
    assert plain.grade == "primary" and plain.message.endswith("not asked for its input.")


def test_a_minimum_grade_turns_a_consultation_resting_on_a_paraphrase_into_a_finding(example_case):
    assert not [f for f in evaluate(graded(example_case, e_c_trade="paraphrase")) if f.impact == BERTHS]
    case = graded(example_case, "other_primary", e_c_trade="paraphrase")
    (f,) = [f for f in evaluate(case) if f.impact == BERTHS]
    assert (f.rule, f.status, f.severity.value, f.grade) == ("OIG-R1", "none", "high", None)
    assert f.message == ("Nothing in the record shows that Port Authority was told about berth-allocation; "
                         "its contacts about the decision (c-port-hours) covered other topics; only a paraphrase, weaker than the minimum grade (other primary), shows consulted.")
