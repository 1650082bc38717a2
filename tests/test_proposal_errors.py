"""Invalid proposals get the same file/line/field errors as case folders: one test per kind of error,
each checking where the problem is said to be. The command exits 2 on every one of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from proposal_maps import GOOD, variant, write_proposal

from coordgap.cli import main
from coordgap.errors import InvalidInputError, UnusablePathError
from coordgap.io.proposal import load_proposal, read_proposal
from coordgap.model.proposal import Proposal

GOOD_HEAD = """\
id: absence-reporting
title: Report every long absence
issuing_office: edu-minister
planned_issue_date: 2025-09-01
checked_against:
  organisations: map/stakeholders.csv
  flows: map/flows.yaml
changes:
  - id: report-absences
    flows: [f-absence-report]
    description: Schools report every long absence.
    volume: more
"""


def problems_of(path: Path):
    lp, problems = read_proposal(path)
    assert lp is None and problems, "the proposal should be invalid"
    return problems


def one(problems, field=None, contains=""):
    hits = [p for p in problems if (field is None or p.field == field) and contains in p.message]
    assert hits, f"no problem with field={field!r} containing {contains!r} in:\n" + "\n".join(map(str, problems))
    return hits[0]


def line_of(path: Path, text: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return n
    raise AssertionError(text)


# ------------------------------------------------------------ reading the YAML ----
def test_yaml_syntax_error(tmp_path):
    path = write_proposal(tmp_path, text=GOOD_HEAD + "stakeholders: [edu-schools\n")
    p = one(problems_of(path))
    assert p.file == str(path) and p.line is not None and p.line >= 13


def test_tags_that_build_objects_are_refused(tmp_path):
    path = write_proposal(tmp_path, text=GOOD_HEAD + "summary: !!python/object/apply:os.system [echo hi]\n")
    p = one(problems_of(path), contains="safe loading")
    assert p.line == 13


def test_duplicate_key(tmp_path):
    path = write_proposal(tmp_path, text=GOOD_HEAD + "title: again\n")
    one(problems_of(path), contains="duplicate key 'title'")


def test_not_a_mapping(tmp_path):
    path = write_proposal(tmp_path, text="- just\n- a list\n")
    p = one(problems_of(path), contains="must be a mapping")
    assert p.line == 1


def test_empty_file(tmp_path):
    path = write_proposal(tmp_path, text="")
    one(problems_of(path), contains="must be a mapping")


# ------------------------------------------------------------ the proposal's fields ----
def test_missing_required_field(tmp_path):
    path = write_proposal(tmp_path, variant(title=None))
    p = one(problems_of(path), field="title", contains="required")
    assert p.line == 1


def test_unknown_field(tmp_path):
    path = write_proposal(tmp_path, variant(stakeholder=["edu-schools"]))
    p = one(problems_of(path), field="stakeholder", contains="unknown field")
    assert p.line == line_of(path, "stakeholder:")


def test_word_not_in_the_vocabulary(tmp_path):
    data = variant()
    data["consultations"][1]["kind"] = "chat"
    path = write_proposal(tmp_path, data)
    p = one(problems_of(path), field="consultations.1.kind")
    assert p.line == line_of(path, "kind: chat")


def test_bad_date(tmp_path):
    path = write_proposal(tmp_path, variant(planned_issue_date="next spring"))
    p = one(problems_of(path), field="planned_issue_date", contains="is not a date")
    assert p.line == line_of(path, "planned_issue_date")


def test_impossible_date(tmp_path):
    data = variant()
    data["consultations"][0]["date"] = "2025-02-30"
    path = write_proposal(tmp_path, data)
    one(problems_of(path), field="consultations.0.date", contains="is not a date: there is no such day")


def test_bad_id(tmp_path):
    path = write_proposal(tmp_path, variant(id="Absence Reporting"))
    one(problems_of(path), field="id", contains="is not an id")


def test_change_that_changes_nothing(tmp_path):
    data = variant()
    for key in ("volume", "add_populations"):
        del data["changes"][0][key]
    path = write_proposal(tmp_path, data)
    p = one(problems_of(path), field="changes.0", contains="at least one of volume")
    assert p.line == line_of(path, "- id: report-absences")


def test_no_changes(tmp_path):
    path = write_proposal(tmp_path, variant(changes=[]))
    one(problems_of(path), field="changes", contains="must not be empty")


def test_negative_deadline(tmp_path):
    data = variant()
    data["changes"][0]["new_deadline"] = {"hours": -4}
    path = write_proposal(tmp_path, data)
    one(problems_of(path), field="changes.0.new_deadline.hours", contains="must be more than 0")


def test_accepted_gap_needs_a_known_rule_and_a_justification(tmp_path):
    path = write_proposal(tmp_path, variant(accepted_gaps=[{"rule": "OIG-R9", "stakeholder": "police"}]))
    one(problems_of(path), field="accepted_gaps.0.justification", contains="required")
    # any rulebook's code is accepted (plugins too); an unknown one is named with the known ones
    path = write_proposal(tmp_path, variant(accepted_gaps=[{"rule": "OIG-R9", "stakeholder": "police",
                                                            "justification": "x"}]))
    hit = one(problems_of(path), field="accepted_gaps.0.rule", contains="unknown rule 'OIG-R9' (known: ")
    assert "OIG-R1, OIG-R2, OIG-R3" in hit.message  # every installed rulebook's codes are listed


# ------------------------------------------------------------ the reference ----
def test_reference_needs_a_case_or_two_files(tmp_path):
    path = write_proposal(tmp_path, variant(checked_against={"organisations": "map/stakeholders.csv"}))
    one(problems_of(path), field="checked_against", contains="both organisations and flows")
    path = write_proposal(tmp_path, variant(checked_against={"case": "x", "flows": "map/flows.yaml"}))
    one(problems_of(path), field="checked_against", contains="not both")


def test_reference_file_not_found(tmp_path):
    path = write_proposal(tmp_path, variant(checked_against={"organisations": "map/nope.csv", "flows": "map/flows.yaml"}))
    p = one(problems_of(path), field="checked_against.organisations", contains="no such file")
    assert p.file == str(path) and p.line == line_of(path, "organisations:")


def test_case_folder_not_found(tmp_path):
    path = write_proposal(tmp_path, variant(checked_against={"case": "no-such-case"}))
    p = one(problems_of(path), field="checked_against.case", contains="no such folder, nor a bundled case")
    assert p.line == line_of(path, "case:")


def test_bad_organisation_tree(tmp_path):
    path = write_proposal(tmp_path)
    tree = path.parent / "map" / "stakeholders.csv"
    tree.write_text(tree.read_text().replace("social-foster,Foster Care Office,social-child,office",
                                             "social-foster,Foster Care Office,social-child,bureau")
                    .replace("edu-inspect,School Inspectorate,edu,", "edu-inspect,School Inspectorate,edu-kids,"))
    problems = problems_of(path)
    kind = one(problems, field="kind")
    assert kind.file.endswith("stakeholders.csv") and kind.line == 8 and kind.record == "social-foster"
    parent = one(problems, field="parent", contains="unknown parent organisation 'edu-kids'")
    assert parent.line == 5
    # a flow naming the rejected organisation is rejected too, and says so
    one(problems, field="target", contains="unknown organisation 'social-foster'")


def test_organisation_tree_with_a_cycle(tmp_path):
    path = write_proposal(tmp_path)
    tree = path.parent / "map" / "stakeholders.csv"
    tree.write_text(tree.read_text().replace("edu,Department of Education,,", "edu,Department of Education,edu-schools,"))
    one(problems_of(path), field="parent", contains="cycle")


def test_bad_tree_header(tmp_path):
    path = write_proposal(tmp_path)
    tree = path.parent / "map" / "stakeholders.csv"
    tree.write_text(tree.read_text().replace("id,name,parent,kind,branch,evidence", "id,name,parent,kind,evidence,colour"))
    problems = problems_of(path)
    one(problems, field="branch", contains="missing required column")
    one(problems, field="colour", contains="unknown column")


def test_flow_with_unknown_organisation(tmp_path):
    path = write_proposal(tmp_path)
    flows = path.parent / "map" / "flows.yaml"
    flows.write_text(flows.read_text().replace("target: family-court", "target: high-court"))
    p = one(problems_of(path), field="target", contains="unknown organisation 'high-court'")
    assert p.file.endswith("flows.yaml") and p.line == 9


def test_invalid_flow(tmp_path):
    path = write_proposal(tmp_path)
    flows = path.parent / "map" / "flows.yaml"
    flows.write_text(flows.read_text().replace("    deadline_hours: 48\n", "    deadline_hours: soon\n"))
    p = one(problems_of(path), field="flows.2.deadline_hours")
    assert p.file.endswith("flows.yaml") and p.line == 17


def test_bad_annotations(tmp_path):
    path = write_proposal(tmp_path)
    notes = path.parent / "map" / "annotations.yaml"
    notes.write_text(notes.read_text().replace("organisations: [family-court]", "organisations: [family-courts]")
                     .replace("topic: placements}", "topic: beds}"))
    problems = problems_of(path)
    p = one(problems, field="lead_times.0.organisations.0", contains="unknown organisation 'family-courts'")
    assert p.file.endswith("annotations.yaml") and p.line == 14
    one(problems, field="flow_topics.2.topic", contains="unknown topic 'beds'")


def test_case_with_problems_in_the_files_the_check_reads(tmp_path):
    import shutil

    case = tmp_path / "case"
    shutil.copytree(Path(__file__).resolve().parents[1] / "datasets" / "example", case)
    (case / "flows.yaml").write_text((case / "flows.yaml").read_text().replace("target: court-east", "target: court-west"))
    path = write_proposal(tmp_path, {
        "id": "p", "title": "t", "issuing_office": "ports-minister", "planned_issue_date": "2024-09-01",
        "checked_against": {"case": "case"},
        "changes": [{"id": "c", "flows": ["f-manifests"], "description": "d", "volume": "more"}]})
    p = one(problems_of(path), field="target", contains="court-west")
    assert p.file.endswith("case/flows.yaml") and p.line is not None


# ------------------------------------------------------------ ids the proposal names ----
def test_unknown_organisation(tmp_path):
    path = write_proposal(tmp_path, variant(stakeholders=["edu-schools", "social-chld"]))
    p = one(problems_of(path), field="stakeholders.1", contains="unknown organisation 'social-chld'")
    assert p.line == line_of(path, "- social-chld")


def test_unknown_organisation_in_a_consultation(tmp_path):
    data = variant()
    data["consultations"][2]["with"] = ["family-court", "supreme-court"]
    path = write_proposal(tmp_path, data)
    p = one(problems_of(path), field="consultations.2.with.1")
    assert p.line == line_of(path, "- supreme-court") and p.record == "c-court"


def test_flow_pattern_matching_nothing(tmp_path):
    data = variant()
    data["changes"][0]["flows"] = ["f-absence-*", "f-truancy-*"]
    path = write_proposal(tmp_path, data)
    p = one(problems_of(path), field="changes.0.flows.1", contains="matches no flow")
    assert p.line == line_of(path, "- f-truancy-*")


def test_unknown_population(tmp_path):
    data = variant()
    data["changes"][0]["add_populations"] = ["pupil-in-care"]
    path = write_proposal(tmp_path, data)
    one(problems_of(path), field="changes.0.add_populations.0", contains="unknown population 'pupil-in-care'")


def test_unknown_topic(tmp_path):
    data = variant()
    data["consultations"][0]["topics"] = ["caseload", "workload"]
    path = write_proposal(tmp_path, data)
    p = one(problems_of(path), field="consultations.0.topics.1", contains="unknown topic 'workload'")
    assert "caseload" in p.message  # says which topics are known


def test_unknown_interface_or_flow_covered(tmp_path):
    data = variant()
    data["procedures"][0]["covers"] = ["i-f-nothing"]
    path = write_proposal(tmp_path, data)
    one(problems_of(path), field="procedures.0.covers.0", contains="no interface of the reference")


def test_duplicate_ids(tmp_path):
    data = variant()
    data["consultations"][1]["id"] = "c-schools"
    path = write_proposal(tmp_path, data)
    one(problems_of(path), field="consultations", contains="duplicate id 'c-schools'")


def test_organisation_listed_twice(tmp_path):
    path = write_proposal(tmp_path, variant(stakeholders=["edu-schools", "edu-schools"]))
    one(problems_of(path), field="stakeholders", contains="listed 2 times")


# ------------------------------------------------------------ front doors ----
def test_every_problem_is_listed_at_once(tmp_path):
    data = variant(stakeholders=["nobody"], issuing_office="nobody-else")
    data["consultations"][0]["topics"] = ["nothing"]
    path = write_proposal(tmp_path, data)
    with pytest.raises(InvalidInputError) as exc:
        load_proposal(path)
    assert len(exc.value.problems) == 3
    assert f"{path}:" in str(exc.value)


def test_missing_proposal_file(tmp_path):
    with pytest.raises(UnusablePathError):
        load_proposal(tmp_path / "nope.yaml")
    res = CliRunner().invoke(main, ["check", str(tmp_path / "nope.yaml")])
    assert res.exit_code == 2 and "no such file" in res.output


def test_command_exits_2_and_names_file_line_and_field(tmp_path):
    path = write_proposal(tmp_path, variant(stakeholders=["edu-schools", "social-chld"]))
    res = CliRunner().invoke(main, ["check", str(path)])
    assert res.exit_code == 2
    assert f"{path}:{line_of(path, '- social-chld')}: stakeholders.1: unknown organisation 'social-chld'" in res.output
    res = CliRunner().invoke(main, ["check", str(path), "--format", "json", "--soft-fail"])
    assert res.exit_code == 2  # nothing was checked: soft-fail does not hide invalid input
    assert '"valid": false' in res.stdout


def test_good_proposal_is_valid(tmp_path):
    lp = load_proposal(write_proposal(tmp_path))
    assert lp.proposal.id == GOOD["id"]
    assert lp.change_flows == {"report-absences": ("f-absence-report",)}


def test_json_schema_describes_the_file():
    schema = Proposal.model_json_schema(mode="validation")
    assert {"id", "title", "issuing_office", "planned_issue_date", "checked_against", "changes"} <= set(schema["required"])
    consultation = schema["$defs"]["PlannedConsultation"]
    assert "with" in consultation["properties"]
