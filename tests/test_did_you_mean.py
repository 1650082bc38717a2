"""'Did you mean' for unknown ids in cross-references (issue #11 part B): a mistyped
organisation, decision, topic or evidence id names the closest existing id when one is
close, and nothing when none is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE

from coordgap.io import crossref
from coordgap.io.loader import read_case


def _problems(tmp_path: Path, file: str, old: str, new: str) -> list[str]:
    folder = tmp_path / "case"
    shutil.copytree(EXAMPLE, folder)
    path = folder / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    _, problems = read_case(folder)
    return [str(p) for p in problems]


@pytest.mark.parametrize("file,old,new,expected", [
    ("decisions.yaml", "stakeholder: customs-north", "stakeholder: custom-north",
     "decisions.yaml:2: [d-curfew] impacts.0.stakeholder: unknown organisation 'custom-north'; "
     "did you mean 'customs-north'?"),
    ("communications.csv", "inspection-workload,d-curfew,", "inspection-workload,d-curfew-2,",
     "communications.csv:2: [c-north-workload] decisions: unknown decision 'd-curfew-2'; did you mean 'd-curfew'?"),
    ("decisions.yaml", "topic: rota", "topic: rotas",
     "decisions.yaml:63: [d-rota] impacts.0.topic: unknown topic (declare it in case.yaml topics) 'rotas'; "
     "did you mean 'rota'?"),
    ("procedures.csv", ",e-proc-clinics", ",e-proc-clinic",
     "procedures.csv:2: [pr-clinics-transfer] evidence: unknown evidence 'e-proc-clinic'; "
     "did you mean 'e-proc-clinics'?"),
])
def test_an_unknown_id_names_the_closest_one(tmp_path, file, old, new, expected):
    assert expected in _problems(tmp_path, file, old, new)


def test_no_hint_when_nothing_is_close(tmp_path):
    got = _problems(tmp_path, "decisions.yaml", "decided_by: ports-customs", "decided_by: qqqq-zzz")
    assert "decisions.yaml:63: [d-rota] decided_by: unknown organisation or actor 'qqqq-zzz'" in got


def test_hints_stop_past_their_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(crossref._Checker, "HINTS", 0)
    got = _problems(tmp_path, "procedures.csv", ",e-proc-clinics", ",e-proc-clinic")
    assert "procedures.csv:2: [pr-clinics-transfer] evidence: unknown evidence 'e-proc-clinic'" in got
