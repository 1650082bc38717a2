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


# Did you mean for names given on the command line: formats, severities, rulebooks, report
# formats, bundled proposals and cases (issue #11, validation that helps).
@pytest.mark.parametrize("args,expected", [
    (["validate", "example", "--format", "jsn"],
     "Error: Invalid value for '--format': 'jsn' is not one of 'text', 'json'; did you mean 'json'?"),
    (["matrix", "example", "--format", "cvs"],
     "Error: Invalid value for '--format': 'cvs' is not one of 'table', 'csv', 'json'; did you mean 'csv'?"),
    (["export", "example", "--format", "ocel2json"],
     "Error: Invalid value for '--format': 'ocel2json' is not one of 'json', 'ocel2-json', 'ocel2-sqlite'; "
     "did you mean 'ocel2-json'?"),
    (["findings", "example", "--format", "jsno"],
     "Error: Invalid value for '--format': 'jsno' is not one of 'table', 'json', 'csv'; did you mean 'json'?"),
    (["check", "zero-tolerance-2018-04", "--fail-on", "hihg"],
     "Error: Invalid value for '--fail-on': 'hihg' is not one of 'high', 'medium', 'low'; did you mean 'high'?"),
    (["conclusions", "example", "--format", "tabel"],
     "Error: Invalid value for '--format': 'tabel' is not one of 'table', 'json'; did you mean 'table'?"),
    (["ingest", "x.mbox", "--format", "parqet"],
     "Error: Invalid value for '--format': 'parqet' is not one of 'parquet', 'csv'; did you mean 'parquet'?"),
    (["findings", "example", "--rulebook", "oig-21-02"],
     "error: no rulebook named 'oig-21-02'; did you mean 'oig-21-028'? (known: gao-23-105520, oig-21-028)"),
    (["rules", "gao-23-10552"],
     "error: no rulebook named 'gao-23-10552'; did you mean 'gao-23-105520'? (known: gao-23-105520, oig-21-028)"),
    (["conclusions", "example", "--rulebook", "oig-21-02"],
     "error: no rulebook named 'oig-21-02'; did you mean 'oig-21-028'? (known: gao-23-105520, oig-21-028)"),
    (["report", "example", "--format", "md,htm"],
     "error: unknown report format 'htm'; did you mean 'html'? (choose from md, html)"),
    (["check", "zero-tolerance-2018-4"],
     "error: zero-tolerance-2018-4: no such file (nor a bundled proposal of that name); "
     "did you mean 'zero-tolerance-2018-04'?"),
    (["report", "zero_tolerence"],
     "error: zero_tolerence: no such folder, nor a bundled case; did you mean 'zero_tolerance'? "
     "(bundled cases: example, zero_tolerance)"),
])
def test_a_mistyped_name_on_the_command_line_names_the_closest(args, expected, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from coordgap.cli import main

    monkeypatch.chdir(tmp_path)  # `report` would write its files here
    out = CliRunner().invoke(main, args)
    assert out.exit_code == 2, out.output
    assert expected in out.output.splitlines()


def test_a_name_close_to_nothing_gets_no_hint():
    from click.testing import CliRunner

    from coordgap.cli import main

    out = CliRunner().invoke(main, ["validate", "example", "--format", "xml"])
    assert "Error: Invalid value for '--format': 'xml' is not one of 'text', 'json'." in out.output


def test_a_rulebook_case_yaml_names_must_be_installed(tmp_path):
    import shutil

    from click.testing import CliRunner

    from coordgap.cli import main

    folder = tmp_path / "case"
    shutil.copytree(EXAMPLE, folder)
    with (folder / "case.yaml").open("a") as fh:
        fh.write("rulebooks: [oig-21-02]\naddresses: {gao-23-10552: ports}\n")
    out = CliRunner().invoke(main, ["validate", str(folder)])
    assert out.exit_code == 1
    assert out.output.splitlines()[:2] == [
        "case.yaml: addresses.gao-23-10552: no rulebook named 'gao-23-10552'; did you mean 'gao-23-105520'? "
        "(installed: gao-23-105520, oig-21-028)",
        "case.yaml: rulebooks: no rulebook named 'oig-21-02'; did you mean 'oig-21-028'? "
        "(installed: gao-23-105520, oig-21-028)"]
