"""`coordgap check`'s executive summary: the verdict, the conclusions, the result per rule, who is
not consulted about what and the worst gaps (by the report's measure of harm) come before the
detail, every figure agrees with the result it comes from, and the table has one row per
organisation. Run on the bundled April 2018 proposal and on a made-up state health department
rule change (tests/proposals/state_health/), so nothing depends on one case's names."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from coordgap.assess import harm
from coordgap.assess.proposal import check_proposal
from coordgap.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
APRIL = ROOT / "datasets" / "zero_tolerance" / "proposals" / "zero-tolerance-2018-04.yaml"
HEALTH = ROOT / "tests" / "proposals" / "state_health" / "overdose-reporting.yaml"
SECTIONS = ["CONCLUSIONS", "RESULT PER RULE", "WHO IS NOT CONSULTED ABOUT WHAT", "THE WORST GAPS", "FINDINGS",
            "MISSING FROM THE STAKEHOLDER LIST", "AFFECTED ORGANISATIONS", "INTERFACES THE CHANGE CREATES"]


def _table(path: Path) -> str:
    out = CliRunner().invoke(main, ["check", str(path)])
    assert out.exit_code == 1, out.output
    return out.output


def _section(text: str, name: str) -> str:
    after = text.split("\n" + name, 1)[1]
    return after.split("\n\n", 1)[0]


@pytest.fixture(scope="module", params=[APRIL, HEALTH], ids=["april-2018", "state-health"])
def checked(request):
    return check_proposal(request.param), _table(request.param)


def test_the_summary_comes_first_in_the_report_order(checked):
    result, text = checked
    lines = text.splitlines()
    assert lines[0].startswith("FAILED: ") and lines[-1] == lines[0]
    starts = [next(n for n, line in enumerate(lines) if line.startswith(s)) for s in SECTIONS]
    assert starts == sorted(starts), starts
    assert starts[SECTIONS.index("THE WORST GAPS")] < 100  # the summary fits in the first screenfuls
    assert max(map(len, lines)) <= 100


def test_the_summary_figures_are_the_results(checked):
    result, text = checked
    flat = " ".join(_section(text, "CONCLUSIONS").split())
    assert f"reaches {len(result.affected)} organisations" in flat
    assert f"{len(result.missing)} of them are not on its stakeholder list" in flat
    assert f"Missing from the list: {'; '.join(result.missing_groups)}." in flat
    # every missing organisation is in exactly one group, and the groups count them
    counted = sum(int(g.rsplit("(", 1)[1].rstrip(")")) if g.endswith(")") and g.rsplit("(", 1)[1][:-1].isdigit()
                  else 1 for g in result.missing_groups)
    assert counted == len(result.missing)
    # the result per rule counts the findings as the detail lists them
    per_rule = Counter(f.rule for f in result.findings if not f.suppressed)
    rules = _section(text, "RESULT PER RULE")
    for r in result.rules:
        assert r.findings == per_rule.get(r.code, 0)
        assert sum(r.by_severity.values()) == r.findings
        if r.findings:
            assert f"{r.code:<8} {r.findings} finding" in rules
    assert sum(r.findings for r in result.rules) == sum(per_rule.values())


def test_who_is_not_consulted_about_what_matches_the_findings(checked):
    result, _ = checked
    reached = {(a.organisation, t.topic) for a in result.affected for t in a.topics}
    found = {(f.stakeholder, topic) for f in result.findings if f.interface is None and not f.suppressed
             for topic in f.impact.split(",")}
    shown = {(o, t.topic) for t in result.topics for o in t.not_consulted}
    assert shown == found and shown <= reached
    assert {t.topic for t in result.topics} == {topic for _, topic in reached}


def test_the_worst_gaps_use_the_reports_measure(checked):
    result, text = checked
    harms = [g.harm for g in result.gaps]
    assert harms == sorted(harms, reverse=True) and harms
    # every finding on an organisation is in the gap of its component, once
    on_orgs = {f.stakeholder for f in result.findings if f.stakeholder and not f.suppressed}
    assert sorted(o for g in result.gaps for o in g.offices) == sorted(on_orgs)
    worst = _section(text, "THE WORST GAPS")
    for n, g in enumerate(result.gaps[:5], start=1):
        assert f"  {n}. " in worst and f"harm {g.harm:.1f}" in worst


def test_harm_by_hand_on_the_state_health_proposal():
    """The State Office of IT: consulted on the data system with 55 of the 180 days it needs (OIG-R1
    grades a consultation short of its lead time medium), nothing on patient privacy (high, none),
    one office, outside the issuing department (x1.5)."""
    result = check_proposal(HEALTH)
    it = next(g for g in result.gaps if g.organisation == "state-it")
    lead = 1 + (180 - 55) / harm.LEAD_DAYS_SCALE
    expected = (harm.SEVERITY_WEIGHT["medium"] * harm.SHORTFALL["consulted"] * lead
                + harm.SEVERITY_WEIGHT["high"] * harm.SHORTFALL["none"]) * harm.ACROSS_BOUNDARY
    assert it.harm == pytest.approx(expected, abs=0.01)
    assert it.lead_missed_days == 125 and it.missing == ("state-it",)


def test_the_april_proposals_worst_gap_is_the_reports():
    """The case and the proposal of April 2018 rank the Marshals Service first by the same measure."""
    from coordgap import load_case
    from coordgap.assess.case import assess

    case = load_case("zero_tolerance")
    a = assess(case)
    topic_of = {i.id: i.topic for d in case.decisions for i in d.impacts}
    case_worst = next(g for g in harm.gaps(case, a.active, topic_of) if g.decision == "d-2018-04-06-zero-tolerance")
    assert check_proposal(APRIL).gaps[0].organisation == case_worst.component == "usms"


def test_the_table_has_one_row_per_organisation_in_the_order_of_the_gaps(checked):
    result, text = checked
    rows = [line.split()[0] for line in _section(text, "AFFECTED ORGANISATIONS").splitlines()[3:]
            if line.startswith("  ") and not line.startswith("   ")]
    rows = [r for r in rows if r != "Listed,"]
    assert sorted(rows) == sorted(a.organisation for a in result.affected)  # each once
    order = list(dict.fromkeys([o for g in result.gaps for o in g.offices]
                               + [a.organisation for a in result.affected]))
    assert rows == [o for o in order if o in rows]


def test_json_carries_the_summary():
    out = CliRunner().invoke(main, ["check", str(HEALTH), "--format", "json"])
    data = json.loads(out.output)
    result = check_proposal(HEALTH)
    assert [g["organisation"] for g in data["gaps"]] == [g.organisation for g in result.gaps]
    assert {r["code"]: r["findings"] for r in data["rules"]} == {r.code: r.findings for r in result.rules}
    assert data["missing_groups"] == list(result.missing_groups)
