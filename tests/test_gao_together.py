"""Running both rulebooks: a case names its rulebooks in case.yaml, the report shows a result per
rulebook, and a gap several rules find is shown once, with every rule it breaks."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from conftest import EXAMPLE, ROOT

from coordgap import load_case
from coordgap.assess.case import assess, evaluate
from coordgap.assess.overlap import distinct_gaps, same_gaps
from coordgap.cli import main
from coordgap.render.report import render_markdown

SMALL = ROOT / "tests" / "cases" / "gao_siblings"
BOTH = ["oig-21-028", "gao-23-105520"]


def test_a_case_names_its_rulebooks_and_evaluate_runs_them():
    case = load_case(SMALL)
    assert case.meta.rulebooks == tuple(BOTH)
    rules = {f.rule for f in evaluate(case)}
    assert "OIG-R2" in rules and "GAO-LP6" in rules
    assert {f.rule for f in evaluate(case, "oig-21-028")} == {"OIG-R2"}  # the caller's choice wins


def test_the_command_uses_the_cases_rulebooks_unless_told(tmp_path):
    runner = CliRunner()
    mine = runner.invoke(main, ["findings", str(SMALL), "--format", "csv", "--exit-zero"])
    assert mine.exit_code == 0 and "GAO-LP6/d-rota" in mine.output and "OIG-R2/d-rota" in mine.output
    told = runner.invoke(main, ["findings", str(SMALL), "--format", "csv", "--exit-zero", "--rulebook", "gao-23-105520"])
    assert "OIG-R2/" not in told.output and "GAO-LP6/" in told.output


def test_an_unknown_rulebook_in_case_yaml_is_named(tmp_path):
    dest = tmp_path / "case"
    shutil.copytree(SMALL, dest)
    path = dest / "case.yaml"
    path.write_text(path.read_text().replace("rulebooks: [oig-21-028, gao-23-105520]", "rulebooks: [gao-99-1]"))
    result = CliRunner().invoke(main, ["findings", str(dest)])
    assert result.exit_code == 2 and "gao-99-1" in result.output and "gao-23-105520" in result.output


def test_the_same_gap_under_two_rulebooks_is_shown_once_with_both_rules():
    case = load_case(EXAMPLE)
    a = assess(case, BOTH)
    gaps = same_gaps(a.active, a.rulebook.rules)
    shared = {k: g for k, g in gaps.items() if len(g) > 1}
    r1 = [f for f in a.active if f.rule == "OIG-R1"]
    assert r1 and all(len(gaps[f.key]) == 2 and gaps[f.key][1].rule == "GAO-LP6" for f in r1)
    text = render_markdown(case, a)
    pointers = text.count("The same gap as")
    assert pointers == len(shared) // 2  # each pair: listed in full once, the other entry points to it
    assert "Also breaks `GAO-LP6`." in text
    assert "### Result per rulebook" in text
    n = distinct_gaps(a.active, a.rulebook.rules)
    assert f": {n} distinct gap{'' if n == 1 else 's'}." in text
    assert "Practice 6 of 8, quoted from Government Performance Management" in text
    single = render_markdown(case, assess(case, "oig-21-028"))
    assert "The same gap as" not in single and "Result per rulebook" not in single and "Also breaks" not in single


def test_different_questions_on_one_subject_are_not_merged(tmp_path):
    dest = tmp_path / "case"
    shutil.copytree(SMALL, dest)
    (dest / "collaborations.yaml").unlink()
    a = assess(load_case(dest), BOTH)
    unjudged = [f for f in a.active if f.status == "not_assessable"]
    assert {f.rule for f in unjudged} >= {"GAO-LP1", "GAO-LP2", "GAO-LP3"}
    gaps = same_gaps(a.active, a.rulebook.rules)
    assert all(len(gaps[f.key]) == 1 for f in unjudged)
    # OIG-R3 and GAO-LP8 on one interface with different statuses stay two gaps
    (dest / "agreements.csv").write_text("id,title,kind,parties,interfaces,status,signed,evidence\n"
                                         "ag-mou,MOU,mou,water;parks,i-river,in_place,2023-07,e-mou\n")
    a = assess(load_case(dest), BOTH)
    statuses = {f.rule: f.status for f in a.active if f.interface == "i-river" and f.rule in ("OIG-R3", "GAO-LP8")}
    assert statuses == {"OIG-R3": "late"}  # signed after the start: late for OIG-R3, current for GAO-LP8


def test_a_superseded_agreement_is_a_gao_finding_and_not_an_oig_one(tmp_path):
    dest = tmp_path / "case"
    shutil.copytree(SMALL, dest)
    (dest / "agreements.csv").write_text("id,title,kind,parties,interfaces,status,signed,superseded,evidence\n"
                                         "ag-mou,MOU,mou,water;parks,i-river,in_place,2019,2023-03,e-mou\n")
    by_rule = {f.rule: f.status for f in evaluate(load_case(dest), BOTH)
               if f.interface == "i-river" and f.rule in ("OIG-R3", "GAO-LP8")}
    assert by_rule == {"GAO-LP8": "superseded"}  # OIG-R3 reads only status and signature
