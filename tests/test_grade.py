"""Evidence grades (issue #11, evidence): an optional `grade` column in evidence.csv, its
default, the grade a status rests on in the matrix and the findings, and a minimum grade
that makes weaker evidence earn nothing (docs/data-model.md, "Evidence grades")."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE
from reference import reference_matrix
from test_engine_reference import engine_rows
from test_rules import by_rule, changed, rebuild

from coordgap import consultation_matrix, load_case, read_case
from coordgap.assess.case import evaluate
from coordgap.cli.main import main
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
    assert [p.field for p in problems if p.record == "e-c-customs"][:1] == ["grade"]
    assert "e-c-customs" not in case.evidence_index  # rejected, and listed as rejected
    assert any(r.record == "e-c-customs" for r in case.rejected)


def test_a_graded_copy_of_a_case_loads_the_same_records_but_the_grade(tmp_path, example_case):
    case = load_case(_copy(tmp_path))  # a grade column, every cell empty
    assert case.evidence == example_case.evidence
    assert case.communications == example_case.communications


# ---------------------------------------------------------------- the matrix and the findings



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


# ---------------------------------------------------------------- the command line and the report



GRADED = {"e-c-trade": "paraphrase", "e-c-customs": "paraphrase", "e-c-request": "quoted"}


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_matrix_command_shows_the_grade_and_takes_a_minimum(tmp_path):
    folder = _copy(tmp_path, GRADED)
    rows = {r["impact"]: r for r in json.loads(_run("matrix", folder, "--format", "json").output)}
    assert (rows[BERTHS]["status"], rows[BERTHS]["grade"]) == ("consulted", "paraphrase")
    assert (rows[STAFFING]["status"], rows[STAFFING]["grade"]) == ("informed", "quoted")
    strict = {r["impact"]: r for r in json.loads(_run("matrix", folder, "--format", "json", "--require-primary").output)}
    assert (strict[BERTHS]["status"], strict[BERTHS]["status_all_grades"], strict[BERTHS]["grade_all_grades"]) == (
        "none", "consulted", "paraphrase")
    assert strict[STAFFING]["status"] == "none"
    quoted = {r["impact"]: r for r in json.loads(
        _run("matrix", folder, "--format", "json", "--minimum-grade", "quoted").output)}
    assert (quoted[BERTHS]["status"], quoted[STAFFING]["status"], quoted[STAFFING]["contacts"]) == (
        "none", "informed", ["c-customs-answer"])
    table = _run("matrix", folder).output
    assert table.splitlines()[0].split()[:5] == ["decision", "stakeholder", "topic", "status", "grade"]


def test_the_two_options_cannot_disagree():
    result = _run("findings", "example", "--require-primary", "--minimum-grade", "primary")
    assert result.exit_code == 2
    assert ("--require-primary is --minimum-grade other_primary; it cannot go with --minimum-grade primary"
            in result.output)
    assert _run("findings", "example", "--require-primary", "--minimum-grade", "other_primary").exit_code == 1


def test_the_command_line_minimum_replaces_the_case_yaml_one(tmp_path):
    folder = _copy(tmp_path, GRADED)
    case_yaml = folder / "case.yaml"
    case_yaml.write_text(case_yaml.read_text() + "minimum_grade: other_primary\n")
    from_yaml = {r["impact"]: r["status"] for r in json.loads(_run("matrix", folder, "--format", "json").output)}
    assert from_yaml[BERTHS] == "none"
    loose = json.loads(_run("matrix", folder, "--format", "json", "--minimum-grade", "paraphrase").output)
    assert {r["impact"]: r["status"] for r in loose}[BERTHS] == "consulted"


def test_findings_table_and_csv_show_the_grade(tmp_path):
    folder = _copy(tmp_path, GRADED)
    table = _run("findings", folder).output
    (line,) = [ln for ln in table.splitlines() if STAFFING in ln]
    assert line.split()[:3] == ["OIG-R1", "low", "informed"] and "(quoted)" in line.split()[3]
    assert line.endswith("not asked for its input; this rests on a secondary source quoting the oversight body.")
    rows = list(csv.DictReader(_run("findings", folder, "--format", "csv").output.splitlines()))
    assert {r["impact"]: r["grade"] for r in rows if r["impact"]}[STAFFING] == "quoted"
    (plain,) = [ln for ln in _run("findings", "example").output.splitlines() if STAFFING in ln]
    assert "(primary)" not in plain and plain.split()[2] == "informed"


def test_report_says_what_a_status_rests_on_and_the_bundled_report_does_not_change(tmp_path):
    folder = _copy(tmp_path, GRADED)
    out = tmp_path / "report"
    assert _run("report", folder, "--out", out, "--require-primary").exit_code == 0
    md = (out / "report.md").read_text()
    assert ("| **none** (consulted only on a paraphrase, below the minimum grade, other primary) |" in md)
    assert ("**Evidence grades.** Each quote is graded (docs/data-model.md): 35 primary, 1 quoted, 2 paraphrase. "
            "A status rests on the strongest evidence of the contacts that earn it; a status resting on anything but "
            "the oversight body's own words says so beside it. Only evidence graded other primary or stronger earns "
            "a status here; 2 cells fell back to what that evidence shows.") in md
    html = (out / "report.html").read_text()
    assert '<span class="qual">(consulted only on a paraphrase, below the minimum grade, other primary)</span>' in html
    assert _run("report", folder, "--out", tmp_path / "loose").exit_code == 0
    loose = (tmp_path / "loose" / "report.md").read_text()
    assert "| **consulted** (rests on a paraphrase) |" in loose
    assert "| **informed** (rests on a secondary source quoting the oversight body) |" in loose
    assert "Only evidence graded" not in loose
    records = (tmp_path / "loose" / "records.md").read_text()
    assert "- `e-c-customs` (inquiry, section “Who was contacted”; a paraphrase; cited by `OIG-R1-8`)" in records
    # an ungraded case says nothing of grades
    assert _run("report", "example", "--out", tmp_path / "plain").exit_code == 0
    plain = (tmp_path / "plain" / "report.md").read_text()
    assert "Evidence grades" not in plain and "(rests on" not in plain and "minimum grade" not in plain


def test_a_proposals_planned_consultations_carry_no_grade():
    from coordgap import check_proposal
    from coordgap.render.sarif import to_sarif

    result = check_proposal("zero-tolerance-2018-04")
    r1 = [f for f in result.findings if f.rule == "OIG-R1"]
    assert r1 and all(f.grade is None for f in r1)
    assert not any("grade" in res["properties"] for res in to_sarif(result)["runs"][0]["results"])


def test_the_grade_survives_save_and_load(tmp_path, example_case):
    from coordgap.io.writer import save_case

    case = graded(example_case, "quoted", e_c_trade="paraphrase")
    save_case(case, tmp_path / "saved")
    loaded = load_case(tmp_path / "saved")
    assert loaded.meta.minimum_grade is Grade.quoted
    assert {e.id: e.grade for e in loaded.evidence} == {e.id: e.grade for e in case.evidence}
