"""Every field docs/data-model.md calls required is enforced by the loader, and every field that
may be left out has what leaving it out means in the doc's "Required fields and defaults" table
(issue #11, validation that helps)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT

from coordgap.io.loader import read_case
from coordgap.model import case as m

DOC = ROOT / "docs" / "data-model.md"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    shutil.copytree(EXAMPLE, folder)
    return folder


def test_a_communication_without_evidence_is_rejected_naming_the_field(tmp_path: Path):
    folder = _copy(tmp_path)
    path = folder / "communications.csv"
    lines = path.read_text().splitlines()
    assert lines[1].endswith(",e-c-north")
    lines[1] = lines[1].removesuffix("e-c-north")
    path.write_text("\n".join(lines) + "\n")
    case, problems = read_case(folder)
    assert [str(p) for p in problems] == ["communications.csv:2: [c-north-workload] evidence: required: must not be empty"]
    assert [r.record for r in case.rejected] == ["c-north-workload"]


def test_an_impact_without_evidence_is_rejected_at_its_line(tmp_path: Path):
    folder = _copy(tmp_path)
    path = folder / "decisions.yaml"
    text = path.read_text()
    assert "        evidence: [e-c-north]\n" in text
    path.write_text(text.replace("        evidence: [e-c-north]\n", "", 1))
    _, problems = read_case(folder)
    first = [str(p) for p in problems if p.cause is None]
    assert first == ["decisions.yaml:12: [d-curfew] impacts.0.evidence: required: the evidence ids that show how "
                     "the decision reaches this stakeholder"]


def test_the_bundled_and_test_cases_carry_every_required_field():
    for folder in (ROOT / "datasets" / "example", ROOT / "datasets" / "zero_tolerance",
                   *sorted(p.parent for p in (ROOT / "tests" / "cases").rglob("case.yaml"))):
        case, problems = read_case(folder)
        assert problems == [], (folder, problems[:3])
        assert all(c.evidence for c in case.communications)
        assert all(i.evidence for d in case.decisions for i in d.impacts)


def _defaults_table() -> list[tuple[str, str]]:
    text = DOC.read_text()
    section = text[text.index("## Required fields and defaults"):]
    section = section[: section.index("\n## ", 5)]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("file", "---"):
            rows.append((cells[0], cells[1]))
    return rows


# model -> (the file its fields are written in, the prefix of a nested record's fields)
WHERE = {
    m.CaseMeta: ("case.yaml", ""), m.Source: ("case.yaml", "sources: "), m.Suppression: ("case.yaml", "suppressions: "),
    m.Stakeholder: ("stakeholders.csv", ""), m.Actor: ("actors.csv", ""), m.Evidence: ("evidence.csv", ""),
    m.Communication: ("communications.csv", ""), m.Decision: ("decisions.yaml", ""),
    m.Impact: ("decisions.yaml", "impacts: "), m.Flow: ("flows", ""), m.Interface: ("interfaces", ""),
    m.Procedure: ("procedures", ""), m.Agreement: ("agreements", ""), m.Collaboration: ("collaborations", ""),
}
# optional in the model (a Python caller may leave them out) but required of a case folder by the loader
REQUIRED_BY_THE_LOADER = {(m.Communication, "evidence"), (m.Impact, "evidence")}


@pytest.mark.parametrize("model", list(WHERE), ids=lambda c: c.__name__)
def test_every_optional_field_has_its_default_documented(model):
    file, prefix = WHERE[model]
    rows = _defaults_table()
    missing = []
    for name, info in model.model_fields.items():
        if info.is_required() or (model, name) in REQUIRED_BY_THE_LOADER:
            continue
        documented = any(file.removesuffix(".csv").removesuffix(".yaml") in where
                         and fields.startswith(prefix) and name in re.split(r"[ ,:]+", fields.removeprefix(prefix))
                         for where, fields in rows)
        if not documented:
            missing.append(name)
    assert missing == [], f"{model.__name__}: no row in docs/data-model.md's defaults table for {missing}"


def test_the_doc_marks_the_fields_the_loader_requires():
    text = DOC.read_text()
    assert "| evidence | yes | evidence ids: at least one (`evidence: required: must not be empty`) |" in text
    assert "| evidence | **yes** | evidence ids showing the decision reaches the stakeholder this way |" in text
    assert "| decisions.yaml | significant | `true` |" in text
