"""The optional collaborations.yaml record and the optional fields the GAO practices read
(an interface's lead, a procedure's role, an agreement's review and supersession): they
load, a case without them loads unchanged, and every bad one is named by file, line and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE, ZERO_TOLERANCE

from coordgap import load_case, read_case
from coordgap.model.case import Collaboration

GOOD = """\
collaborations:
  - id: m-night-desk
    title: Night transfer desk
    participants: [ports-customs, health-clinics]
    lead: health-clinics
    interfaces: [i-night-transfer]
    outcomes: [Every ill passenger reaches a clinic within two hours]
    tracking: []
    agreements: [ag-night-transfer]
    evidence: [e-iface]
"""


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    dest = tmp_path / "case"
    shutil.copytree(EXAMPLE, dest)
    return dest


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


@pytest.mark.parametrize("folder", [EXAMPLE, ZERO_TOLERANCE], ids=lambda p: p.name)
def test_bundled_cases_load_unchanged_with_the_new_defaults(folder):
    case = load_case(folder)
    assert case.collaborations == ()
    assert all(i.lead is None for i in case.interfaces)
    assert all(p.role is None for p in case.procedures)
    assert all(a.reviewed is None and not a.is_superseded for a in case.agreements)


def test_a_collaboration_loads_and_keeps_not_recorded_apart_from_none(case_dir):
    (case_dir / "collaborations.yaml").write_text(GOOD)
    case = load_case(case_dir)
    (m,) = case.collaborations
    assert isinstance(m, Collaboration) and m.lead == "health-clinics"
    assert m.outcomes == ("Every ill passenger reaches a clinic within two hours",)
    assert m.tracking == ()  # the record says there is none
    assert m.bridging is None  # the record does not say


@pytest.mark.parametrize("old, new, field, word", [
    ("lead: health-clinics", "lead: health-nowhere", "lead", "health-nowhere"),
    ("participants: [ports-customs, health-clinics]", "participants: [ports-customs, nobody]", "participants", "nobody"),
    ("agreements: [ag-night-transfer]", "agreements: [ag-missing]", "agreements", "ag-missing"),
    ("interfaces: [i-night-transfer]", "interfaces: [i-missing]", "interfaces", "i-missing"),
    ("evidence: [e-iface]", "evidence: [e-missing]", "evidence", "e-missing"),
])
def test_an_unknown_reference_is_named_by_file_line_and_field(case_dir, old, new, field, word):
    path = case_dir / "collaborations.yaml"
    path.write_text(GOOD.replace(old, new))
    case, problems = read_case(case_dir)
    hit = [p for p in problems if p.file == "collaborations.yaml" and p.field == field]
    assert hit and word in hit[0].message and hit[0].record == "m-night-desk"
    assert hit[0].line == _line_of(path, "- id: m-night-desk")
    assert case.collaborations == () and [r.record for r in case.rejected] == ["m-night-desk"]


def test_a_bad_field_value_points_at_its_own_line(case_dir):
    path = case_dir / "collaborations.yaml"
    path.write_text(GOOD.replace("participants: [ports-customs, health-clinics]", "participants: [ports-customs]"))
    _, problems = read_case(case_dir)
    (p,) = [p for p in problems if p.file == "collaborations.yaml"]
    assert p.field == "participants" and p.line == _line_of(path, "participants:")


def test_an_unknown_key_is_refused(case_dir):
    (case_dir / "collaborations.yaml").write_text(GOOD + "    owner: ports\n")
    _, problems = read_case(case_dir)
    assert any(p.file == "collaborations.yaml" and p.field == "owner" for p in problems)


def test_interface_lead_and_agreement_review_fields_are_read_and_checked(case_dir):
    iface = case_dir / "interfaces.yaml"
    iface.write_text(iface.read_text().replace("    starts: 2024-03-15\n", "    starts: 2024-03-15\n    lead: ports-customs\n"))
    agr = case_dir / "agreements.csv"
    agr.write_text(
        "id,title,kind,parties,interfaces,status,signed,reviewed,review_due,superseded,superseded_by,evidence\n"
        "ag-old,Old agreement,mou,ports-customs;health-clinics,i-night-transfer,in_place,2015,2019-06,2022,2023-01,ag-new,e-agreement\n"
        "ag-new,New agreement,mou,ports-customs;health-clinics,i-night-transfer,in_place,2023-01,,,,,e-agreement\n")
    case = load_case(case_dir)
    assert case.interfaces[0].lead == "ports-customs"
    old = next(a for a in case.agreements if a.id == "ag-old")
    assert old.is_superseded and old.superseded_by == "ag-new" and str(old.reviewed) == "2019-06"


def test_superseded_by_an_unknown_agreement_is_rejected_with_its_line(case_dir):
    agr = case_dir / "agreements.csv"
    agr.write_text("id,title,parties,interfaces,superseded_by,evidence\n"
                   "ag-old,Old agreement,ports-customs;health-clinics,i-night-transfer,ag-gone,e-agreement\n")
    _, problems = read_case(case_dir)
    (p,) = [p for p in problems if p.field == "superseded_by"]
    assert p.file == "agreements.csv" and p.line == 2 and "ag-gone" in p.message


def test_a_bad_review_date_is_named(case_dir):
    agr = case_dir / "agreements.csv"
    agr.write_text("id,title,parties,interfaces,reviewed,evidence\n"
                   "ag-old,Old agreement,ports-customs;health-clinics,i-night-transfer,last spring,e-agreement\n")
    _, problems = read_case(case_dir)
    (p,) = [p for p in problems if p.field == "reviewed"]
    assert p.file == "agreements.csv" and p.line == 2 and "last spring" in p.message


def test_save_and_load_keep_a_collaboration_and_its_recorded_none(case_dir, tmp_path):
    from coordgap.io.writer import save_case

    (case_dir / "collaborations.yaml").write_text(GOOD)
    case = load_case(case_dir)
    out = save_case(case, tmp_path / "copy")
    again = load_case(out)
    assert again.collaborations == case.collaborations
    assert again.collaborations[0].tracking == () and again.collaborations[0].bridging is None
