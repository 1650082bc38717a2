"""Bad input: each kind of error names file, line and field, every problem is
reported (not just the first), nothing is dropped silently, and the CLI exits
1 for bad records and 2 for an unusable path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE

from coordgap import InvalidInputError, UnusablePathError, load_case, read_case
from coordgap.cli import main


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    dest = tmp_path / "case"
    shutil.copytree(EXAMPLE, dest)
    return dest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def problems(case_dir: Path):
    _, found = read_case(case_dir)
    return found


def only(found, **expected):
    matches = [p for p in found if all(getattr(p, k) == v for k, v in expected.items())]
    assert matches, f"no problem matching {expected} in:\n" + "\n".join(map(str, found))
    return matches[0]


def test_valid_example_has_no_problems():
    case, found = read_case(EXAMPLE)
    assert found == [] and case.rejected == ()


def test_unknown_recipient(case_dir):
    f = case_dir / "communications.csv"
    edit(f, "ports-legal,customs-north,inspection", "ports-legal,customs-nowhere,inspection")
    p = only(problems(case_dir), file="communications.csv", field="recipients")
    assert p.line == line_of(f, "customs-nowhere") and "customs-nowhere" in p.message
    assert p.record == "c-north-workload"


def test_unknown_decision_topic_and_evidence_ids(case_dir):
    f = case_dir / "communications.csv"
    edit(f, "overtime-pay,d-curfew,,,The station", "overtime-paid,d-curfu,,,The station")
    edit(f, "Customs told the station about the new rota.,e-c-rota", "Customs told the station about the new rota.,e-nope")
    found = problems(case_dir)
    only(found, file="communications.csv", field="topics", line=line_of(f, "overtime-paid"))
    only(found, file="communications.csv", field="decisions", line=line_of(f, "d-curfu"))
    only(found, file="communications.csv", field="evidence", line=line_of(f, "e-nope"))


def test_bad_enum_and_bad_date_reported_together(case_dir):
    f = case_dir / "communications.csv"
    edit(f, "2024-03-10,memorandum,notification", "2024-02-30,fax,notification")
    edit(f, "early 2024-03,letter", "sometime,letter")
    found = problems(case_dir)
    only(found, file="communications.csv", field="date", line=line_of(f, "2024-02-30"))
    only(found, file="communications.csv", field="channel", line=line_of(f, ",fax,"))
    only(found, file="communications.csv", field="date", line=line_of(f, "sometime"))
    with pytest.raises(InvalidInputError) as err:
        load_case(case_dir)
    assert len(err.value.problems) >= 3


def test_rejected_records_are_listed_not_dropped(case_dir):
    f = case_dir / "communications.csv"
    edit(f, "2024-03-10,memorandum,notification", "2024-03-10,fax,notification")
    case, found = read_case(case_dir)
    assert found
    kept = {c.id for c in case.communications}
    rejected = {r.record for r in case.rejected}
    assert "c-customs-staffing" in rejected and "c-customs-staffing" not in kept
    assert len(kept) + len(rejected) == 15  # every row of the file is accounted for


def test_duplicate_ids(case_dir):
    f = case_dir / "stakeholders.csv"
    with f.open("a", encoding="utf-8") as fh:
        fh.write("media,Another media,,other,non_governmental,\n")
    found = problems(case_dir)
    dups = [p for p in found if p.file == "stakeholders.csv" and p.message == "duplicate id"]
    assert {p.line for p in dups} == {line_of(f, "media,News media"), line_of(f, "Another media")}


def test_duplicate_id_across_split_table_files(case_dir):
    (case_dir / "communications").mkdir()
    (case_dir / "communications" / "extra.csv").write_text(
        (case_dir / "communications.csv").read_text(encoding="utf-8").splitlines()[0] + "\n"
        + "c-rota-notice,2024-03-02,email,notification,ports-customs,customs-north,rota,d-rota,,,Again.,e-c-rota\n",
        encoding="utf-8",
    )
    found = problems(case_dir)
    only(found, file="communications/extra.csv", line=2, field="id", message="duplicate id")


def test_cycle_in_organisation_tree(case_dir):
    f = case_dir / "stakeholders.csv"
    edit(f, "ports,Department of Ports,,department", "ports,Department of Ports,customs-north,department")
    found = problems(case_dir)
    cyc = [p for p in found if "cycle" in p.message]
    assert {p.record for p in cyc} == {"ports", "ports-customs", "customs-north"}
    assert all(p.field == "parent" and p.file == "stakeholders.csv" for p in cyc)


def test_date_outside_case_window(case_dir):
    f = case_dir / "communications.csv"
    edit(f, "2024-04-02,other,public_statement", "2025-04-02,other,public_statement")
    p = only(problems(case_dir), file="communications.csv", field="date")
    assert "outside the case window" in p.message and p.line == line_of(f, "2025-04-02")


def test_unknown_and_missing_columns(case_dir):
    f = case_dir / "actors.csv"
    edit(f, "id,name,title,organisation", "id,nom,title,organisation")
    found = problems(case_dir)
    only(found, file="actors.csv", line=1, field="name", message="missing required column")
    # every data row is reported as not read, none vanishes
    only(found, file="actors.csv", line=2, message="row not read: the header is wrong")


def test_extra_column_is_an_error(case_dir):
    f = case_dir / "agreements.csv"
    text = f.read_text(encoding="utf-8").splitlines()
    f.write_text("\n".join([text[0] + ",colour"] + [row + ",blue" for row in text[1:]]) + "\n", encoding="utf-8")
    only(problems(case_dir), file="agreements.csv", field="colour", message="unknown column")


def test_wrong_cell_count(case_dir):
    f = case_dir / "actors.csv"
    with f.open("a", encoding="utf-8") as fh:
        fh.write("p-x,Someone,Clerk\n")
    p = only(problems(case_dir), file="actors.csv", line=3)
    assert "3 cells" in p.message


def test_yaml_errors_name_the_line(case_dir):
    f = case_dir / "decisions.yaml"
    edit(f, "        topic: overtime-pay\n", "        topic: overtime-pay\n        colour: red\n")
    edit(f, "    date: 2024-03-20\n", "    date: March 2024\n")
    found = problems(case_dir)
    only(found, file="decisions.yaml", field="impacts.1.colour", line=line_of(f, "colour: red"))
    only(found, file="decisions.yaml", field="date", line=line_of(f, "date: March 2024"))


def test_yaml_unknown_impact_stakeholder(case_dir):
    f = case_dir / "decisions.yaml"
    edit(f, "stakeholder: fire-service", "stakeholder: fire-brigade")
    p = only(problems(case_dir), file="decisions.yaml", record="d-curfew")
    assert "fire-brigade" in p.message and p.field.endswith(".stakeholder")


def test_yaml_tags_are_refused(case_dir):
    f = case_dir / "flows.yaml"
    f.write_text("flows: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    p = only(problems(case_dir), file="flows.yaml")
    assert "not allowed" in p.message and p.line == 1


def test_yaml_duplicate_keys(case_dir):
    f = case_dir / "interfaces.yaml"
    edit(f, "    starts: 2024-03-15\n", "    starts: 2024-03-15\n    starts: 2024-03-16\n")
    p = only(problems(case_dir), file="interfaces.yaml")
    assert "duplicate key" in p.message


def test_yaml_syntax_error(case_dir):
    (case_dir / "flows.yaml").write_text("flows:\n  - id: f1\n   source: x\n", encoding="utf-8")
    p = only(problems(case_dir), file="flows.yaml")
    assert p.line in (2, 3)


def test_case_yaml_problems(case_dir):
    f = case_dir / "case.yaml"
    edit(f, "window: {start: 2024-01-01, end: 2024-12-31}", "window: {start: 2024-01-01}")
    p = only(problems(case_dir), file="case.yaml")
    assert "window.end" == p.field


def test_unusable_paths(tmp_path):
    with pytest.raises(UnusablePathError):
        load_case(tmp_path / "missing")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(UnusablePathError):
        load_case(tmp_path / "file.txt")
    with pytest.raises(UnusablePathError):
        load_case(tmp_path)  # a folder without case.yaml


def test_cli_exit_codes(case_dir, tmp_path):
    runner = CliRunner()
    ok = runner.invoke(main, ["validate", str(EXAMPLE)])
    assert ok.exit_code == 0 and "valid" in ok.output
    edit(case_dir / "communications.csv", "ports-legal,customs-north,inspection", "ports-legal,nobody,inspection")
    bad = runner.invoke(main, ["validate", str(case_dir)])
    assert bad.exit_code == 1
    assert "communications.csv:" in bad.output and "recipients" in bad.output and "nobody" in bad.output
    assert runner.invoke(main, ["validate", str(tmp_path / "nope")]).exit_code == 2
    assert runner.invoke(main, ["matrix", str(case_dir)]).exit_code == 1
    assert runner.invoke(main, ["matrix", str(tmp_path / "nope")]).exit_code == 2


def test_reply_dated_before_what_it_answers(case_dir):
    f = case_dir / "communications.csv"
    edit(f, "c-customs-answer,2024-03-12,", "c-customs-answer,2024-03-09,")
    p = only(problems(case_dir), file="communications.csv", field="responds_to")
    assert p.record == "c-customs-answer" and "dated earlier" in p.message
