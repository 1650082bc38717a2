"""The GAO rules run on a proposal through the same rule objects as on a case: `coordgap check`
with `--rulebook gao-23-105520`, SARIF, and a proposal that names its rulebooks in its own file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from conftest import ZERO_TOLERANCE

from coordgap.assess.proposal import check_proposal
from coordgap.cli import main

PROPOSAL = ZERO_TOLERANCE / "proposals" / "zero-tolerance-2018-04.yaml"


def test_the_gao_rules_check_a_proposal_and_the_consultation_gaps_match_oig_r1s():
    both = check_proposal(PROPOSAL, rulebook=["oig-21-028", "gao-23-105520"])
    rules = {f.rule for f in both.findings}
    assert {"OIG-R1", "GAO-LP6", "GAO-LP5", "GAO-LP8", "GAO-LP1"} <= rules
    r1 = {f.stakeholder for f in both.findings if f.rule == "OIG-R1"}
    lp6 = {f.stakeholder for f in both.findings if f.rule == "GAO-LP6"}
    assert r1 and r1 <= lp6  # running both rulebooks keeps OIG-R1's findings (none is folded into GAO-LP6)
    alone = check_proposal(PROPOSAL, rulebook="oig-21-028")
    assert {f.stakeholder for f in alone.findings if f.rule == "OIG-R1"} == r1
    unjudged = [f for f in both.findings if f.rule == "GAO-LP1"]
    assert [f.status for f in unjudged] == ["not_assessable"]  # a proposal records no collaboration


def test_sarif_describes_and_reports_the_gao_rules():
    result = CliRunner().invoke(main, ["check", str(PROPOSAL), "--rulebook", "gao-23-105520", "--format", "sarif",
                                       "--soft-fail"])
    run = json.loads(result.output)["runs"][0]
    described = {r["id"].split("/")[0] for r in run["tool"]["driver"]["rules"]}
    assert described == {f"GAO-LP{n}" for n in range(1, 9)}
    assert {r["ruleId"].split("/")[0] for r in run["results"]} >= {"GAO-LP6", "GAO-LP5", "GAO-LP8"}


def test_a_proposal_names_its_rulebooks(tmp_path: Path):
    dest = tmp_path / "proposals"
    shutil.copytree(PROPOSAL.parent, dest)
    path = dest / PROPOSAL.name
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("significant: true", "significant: true\nrulebooks: [gao-23-105520]", 1).replace(
        "  case: ..  ", f"  case: {ZERO_TOLERANCE}  ", 1), encoding="utf-8")
    result = check_proposal(path)
    assert result.rulebooks == ("gao-23-105520",)
    assert {f.rule for f in result.findings} <= {f"GAO-LP{n}" for n in range(1, 9)}
    told = check_proposal(path, rulebook="oig-21-028")
    assert told.rulebooks == ("oig-21-028",)
