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
