"""One-party and standing interfaces (issue #11 part B): an interface may have a single
party (one custodian's hand-off) and may exist before any decision (no `created_by`),
checked by OIG-R2 and OIG-R3 from its `starts` date."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from conftest import EXAMPLE
from test_rules import by_rule, changed, rebuild

from coordgap import load_case
from coordgap.assess.case import assess
from coordgap.cli import main

IFACE = "the interface “Night transfer of ill passengers from customs to the clinics”"


def test_a_standing_interface_is_checked_from_its_start(example_case):
    iface = changed(example_case.interfaces[0], created_by=())
    a = assess(rebuild(example_case, interfaces=(iface,)))
    (r2,) = by_rule(a.findings, "OIG-R2")
    assert (r2.decision, r2.interface, r2.stakeholder, r2.status, r2.responsible) == (
        None, "i-night-transfer", "ports-customs", "absent", ())
    assert r2.key == "OIG-R2/i-night-transfer/ports-customs"
    assert r2.message == (f"Customs Service had no written procedure for {IFACE}, which starts on 2024-03-15, "
                          "as the record states.")
    (r3,) = by_rule(a.findings, "OIG-R3")
    assert (r3.decision, r3.status) == (None, "absent")
    assert [(n.applies, n.reason) for n in a.scope["OIG-R2"] if n.subject == "interface"] == [
        (True, "a standing interface from 2024-03-15; parties: Customs Service and Health Clinics")]


def test_a_standing_interface_uses_its_start_for_timing(example_case):
    iface = changed(example_case.interfaces[0], created_by=(), starts="2018-06")
    a = assess(rebuild(example_case, interfaces=(iface,)))
    # the clinics' 2019 procedure came after a 2018 start: late, with no decision to name
    got = {f.stakeholder: (f.status, f.decision) for f in by_rule(a.findings, "OIG-R2")}
    assert got == {"ports-customs": ("absent", None), "health-clinics": ("late", None)}


def test_an_interface_with_one_party(example_case):
    iface = changed(example_case.interfaces[0], parties=("health-clinics",))
    a = assess(rebuild(example_case, interfaces=(iface,), procedures=()))
    (r2,) = by_rule(a.findings, "OIG-R2")
    assert (r2.decision, r2.stakeholder, r2.status) == ("d-curfew", "health-clinics", "none")
    assert r2.message == (f"Nothing in the record shows a written procedure by which Health Clinics handles "
                          f"{IFACE}, which starts on 2024-03-15.")
    assert not by_rule(a.findings, "OIG-R3")  # one party: never cross-agency
    assert [n.reason for n in a.scope["OIG-R3"]] == ["not cross-agency: its parties belong to Department of Health"]


def test_a_one_party_standing_interface_loads_validates_and_reports(tmp_path: Path):
    folder = tmp_path / "case"
    shutil.copytree(EXAMPLE, folder)
    (folder / "interfaces.yaml").write_text(
        (folder / "interfaces.yaml").read_text()
        + "  - id: i-clinic-night-desk\n"
          "    title: The clinics' night desk\n"
          "    parties: [health-clinics]\n"
          "    starts: 2018-01\n"
          "    evidence: [e-iface]\n")
    case = load_case(folder)  # starting before the case window is allowed for a standing interface
    i = next(i for i in case.interfaces if i.id == "i-clinic-night-desk")
    assert (i.parties, i.created_by, str(i.starts)) == (("health-clinics",), (), "2018-01")
    r2 = {(f.interface, f.stakeholder): f.status for f in by_rule(assess(case).findings, "OIG-R2")}
    assert r2[("i-clinic-night-desk", "health-clinics")] == "none"
    runner = CliRunner()
    assert runner.invoke(main, ["validate", str(folder)]).exit_code == 0
    out = runner.invoke(main, ["report", str(folder), "--out", str(tmp_path / "report")])
    assert out.exit_code in (0, 1), out.output
    html = (tmp_path / "report" / "report.html").read_text()
    assert "i-clinic-night-desk" in html
    md = (tmp_path / "report" / "report.md").read_text()
    assert ("| high | — | Health Clinics | interface i-clinic-night-desk | none | Nothing in the record shows a "
            "written procedure by which Health Clinics handles the interface “The clinics' night desk”, which "
            "starts on 2018-01. |") in md


def test_an_interface_needs_a_party(tmp_path: Path):
    folder = tmp_path / "case"
    shutil.copytree(EXAMPLE, folder)
    path = folder / "interfaces.yaml"
    path.write_text(path.read_text().replace("parties: [ports-customs, health-clinics]", "parties: []"))
    out = CliRunner().invoke(main, ["validate", str(folder)])
    assert out.exit_code == 1
    assert "interfaces.yaml:5: [i-night-transfer] parties: must not be empty" in out.output
