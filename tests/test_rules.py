"""The rulebook oig-21-028 on the example case: each rule's findings, where it does
not apply, suppressions, the registry, and the `coordgap findings` command."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from coordgap.assess.case import assess, evaluate
from coordgap.cli import main
from coordgap.model.case import Case, Interface, Suppression
from coordgap.model.findings import Finding, Severity
from coordgap.rules import Rule, Rulebook, ScopeNote, StatusDef, get_rulebook, register_rulebook

# OIG-R1 on the example case: impact -> (status, severity, suppressed). Every
# impact of d-curfew but the consulted-in-time berth allocation; nothing of d-rota.
R1_EXPECTED = {
    "d-curfew.city-police.night-patrols": ("informed", "low", False),  # disputed: without it, none
    "d-curfew.court-east.court-caseload": ("same_day", "high", False),
    "d-curfew.customs-north.inspection-workload": ("consulted", "medium", False),  # 14 of 30 days
    "d-curfew.customs-north.overtime-pay": ("none", "high", False),
    "d-curfew.fire-service.fire-cover": ("after", "high", True),  # suppressed in case.yaml
    "d-curfew.health-clinics.patient-transport": ("leadership_only", "medium", False),
    "d-curfew.port-authority.berthing-hours": ("same_day", "high", False),  # month-precision contact
    "d-curfew.ports-customs.staffing": ("informed", "low", False),
    "d-curfew.transit-rail.rail-schedules": ("indirect", "medium", False),
}


def rebuild(case: Case, **changes) -> Case:
    """A new Case with some fields replaced (cached lookups recomputed)."""
    fields = {name: getattr(case, name) for name in Case.model_fields}
    return Case(**(fields | changes))


def changed(record, **changes):
    """A copy of a record with some fields changed, validated like input."""
    return type(record).model_validate(record.model_dump() | changes)


def by_rule(findings, code):
    return [f for f in findings if f.rule == code]


@pytest.fixture(scope="module")
def findings(example_case):
    return evaluate(example_case)


def normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split())


# ---------------------------------------------------------------- OIG-R1
def test_r1_findings_on_the_example(findings):
    got = {f.impact: (f.status, f.severity.value, f.suppressed) for f in by_rule(findings, "OIG-R1")}
    assert got == R1_EXPECTED


def test_r1_does_not_apply_to_d_rota(example_case, findings):
    """d-rota's only cell is 'informed' (below consulted), yet R1 does not apply to it."""
    notes = {n.id: n for n in assess(example_case).scope["OIG-R1"]}
    assert notes["d-rota"].applies is False
    assert "not marked significant" in notes["d-rota"].reason
    assert "only one component" in notes["d-rota"].reason
    assert notes["d-curfew"].applies is True
    assert not [f for f in findings if f.decision == "d-rota"]


def test_r1_scope_comes_from_the_tree_not_the_flag_alone(example_case):
    rota = example_case.decision_index["d-rota"]
    significant = changed(rota, significant=True)
    case = rebuild(example_case, decisions=(example_case.decision_index["d-curfew"], significant))
    note = next(n for n in assess(case).scope["OIG-R1"] if n.id == "d-rota")
    assert note.applies is False and "only one component" in note.reason

    # the same decision reaching another agency (the Port Authority, its own root) is in scope
    wider = changed(significant, impacts=significant.impacts + (
        changed(significant.impacts[0], id="d-rota.port-authority.rota", stakeholder="port-authority"),
    ))
    case = rebuild(example_case, decisions=(example_case.decision_index["d-curfew"], wider))
    note = next(n for n in assess(case).scope["OIG-R1"] if n.id == "d-rota")
    assert note.applies is True and "port-authority" in note.reason
    # the station is a unit of the deciding Customs Service (the decision's own side): no finding for it
    assert {f.impact for f in evaluate(case) if f.decision == "d-rota"} == {"d-rota.port-authority.rota"}


def test_r1_lead_time_gap_even_when_consulted(findings):
    f = next(f for f in findings if f.impact == "d-curfew.customs-north.inspection-workload")
    assert (f.status, f.lead_time_days, f.required_lead_days) == ("consulted", 14, 30)
    assert "14 days' notice where the impact needs 30" in f.message


def test_r1_disputed_cell_keeps_both_accounts(findings):
    f = next(f for f in findings if f.impact == "d-curfew.city-police.night-patrols")
    assert f.disputed
    assert "disputed" in f.message and "nothing in the record" in f.message
    assert {"e-c-police-a", "e-c-police-b"} <= {e.id for e in f.evidence}


def test_r1_messages_say_what_the_status_means(findings):
    msg = {f.impact: f.message for f in findings if f.impact}
    assert "Department of Health" in msg["d-curfew.health-clinics.patient-transport"]
    assert "Rail Workers Union" in msg["d-curfew.transit-rail.rail-schedules"]
    assert "precision recorded" in msg["d-curfew.port-authority.berthing-hours"]
    assert "c-north-workload" in msg["d-curfew.customs-north.overtime-pay"]  # the contact on another topic
    assert "c-north-concern" in msg["d-curfew.customs-north.overtime-pay"]  # the unanswered concern


def test_r1_skips_the_decisions_own_side(example_case):
    curfew = example_case.decision_index["d-curfew"]
    own = changed(curfew.impacts[0], id="d-curfew.ports-legal.staffing", stakeholder="ports-legal")
    case = rebuild(example_case, decisions=(changed(curfew, impacts=curfew.impacts + (own,)),
                                            example_case.decision_index["d-rota"]))
    assert "d-curfew.ports-legal.staffing" not in {f.impact for f in evaluate(case)}


# ---------------------------------------------------------------- OIG-R2
def test_r2_finds_the_party_without_a_procedure(findings):
    (f,) = by_rule(findings, "OIG-R2")
    assert (f.decision, f.interface, f.stakeholder, f.status, f.severity) == (
        "d-curfew", "i-night-transfer", "ports-customs", "absent", Severity.high)
    assert [e.id for e in f.evidence] == ["e-iface", "e-proc-customs"]


def _procedures(case: Case, **clinics) -> Case:
    kept = tuple(p for p in case.procedures if p.id != "pr-clinics-transfer")
    base = next(p for p in case.procedures if p.id == "pr-clinics-transfer")
    return rebuild(case, procedures=kept + (changed(base, **clinics),))


@pytest.mark.parametrize("in_effect,status", [
    ("2019", None),  # in effect long before the interface starts
    ("2024-03-15", None),  # in effect on the day it starts
    ("2024-04", "late"),
    ("2024-03", "undetermined"),  # a month that contains the start day
    (None, "undetermined"),
])
def test_r2_procedure_must_be_in_effect_when_the_interface_starts(example_case, in_effect, status):
    case = _procedures(example_case, in_effect=in_effect)
    got = {f.stakeholder: f.status for f in by_rule(evaluate(case), "OIG-R2")}
    assert got.get("health-clinics") == status
    assert got["ports-customs"] == "absent"


def test_r2_a_parent_organisations_procedure_covers_its_units(example_case):
    case = _procedures(example_case, organisation="health")
    assert "health-clinics" not in {f.stakeholder for f in by_rule(evaluate(case), "OIG-R2")}


def test_r2_nothing_in_the_record(example_case):
    case = rebuild(example_case, procedures=())
    got = {f.stakeholder: (f.status, f.severity.value) for f in by_rule(evaluate(case), "OIG-R2")}
    assert got == {"ports-customs": ("none", "high"), "health-clinics": ("none", "high")}


def test_r2_and_r3_do_not_apply_to_an_interface_no_decision_creates(example_case):
    # with no start date either (a standing interface with one is checked: test_interfaces.py)
    iface = changed(example_case.interfaces[0], created_by=(), starts=None)
    case = rebuild(example_case, interfaces=(iface,))
    a = assess(case)
    assert not by_rule(a.findings, "OIG-R2") and not by_rule(a.findings, "OIG-R3")
    for code in ("OIG-R2", "OIG-R3"):
        (note,) = a.scope[code]
        assert note.applies is False and "no decision" in note.reason


# ---------------------------------------------------------------- OIG-R3
def test_r3_finds_the_missing_agreement_and_names_its_parties(findings):
    (f,) = by_rule(findings, "OIG-R3")
    assert (f.decision, f.interface, f.status, f.severity) == ("d-curfew", "i-night-transfer", "absent", Severity.high)
    assert f.parties == ("ports-customs", "health-clinics")
    assert "Customs Service and Health Clinics" in f.message
    assert [e.id for e in f.evidence] == ["e-iface", "e-agreement"]


def _agreement(case: Case, **changes) -> Case:
    return rebuild(case, agreements=(changed(case.agreements[0], **({"status": "in_place", "signed": "2024-01"} | changes)),))


@pytest.mark.parametrize("changes,status,named", [
    ({}, None, None),
    ({"parties": ("ports", "health")}, None, None),  # signed by the departments above both parties
    ({"parties": ("ports-customs",)}, "partial", "Health Clinics"),
    ({"signed": "2024-05-01"}, "late", None),
    ({"signed": "2024"}, "undetermined", None),
])
def test_r3_agreement_variants(example_case, changes, status, named):
    got = by_rule(evaluate(_agreement(example_case, **changes)), "OIG-R3")
    assert [f.status for f in got] == ([status] if status else [])
    if named:
        assert named in got[0].message


def test_r3_does_not_apply_inside_one_department(example_case):
    iface = Interface(id="i-internal", title="Station hands over to headquarters", created_by=("d-curfew",),
                      parties=("ports-customs", "customs-north"), starts="2024-03-15")
    case = rebuild(example_case, interfaces=(iface,), procedures=(), agreements=())
    a = assess(case)
    (note,) = a.scope["OIG-R3"]
    assert note.applies is False and "not cross-agency" in note.reason
    assert not by_rule(a.findings, "OIG-R3")
    assert {f.stakeholder for f in by_rule(a.findings, "OIG-R2")} == {"ports-customs", "customs-north"}


# ---------------------------------------------------------------- suppressions
def test_a_suppressed_finding_is_returned_with_its_justification(example_case, findings):
    (f,) = [f for f in findings if f.suppressed]
    assert f.impact == "d-curfew.fire-service.fire-cover"
    assert "same night cover" in f.suppression.justification
    (use,) = assess(example_case).suppressions
    assert use.findings == (f.key,)


def test_a_suppression_that_matches_nothing_is_reported(example_case):
    s = Suppression(rule="OIG-R3", decision="d-rota", justification="Nothing to suppress.")
    meta = changed(example_case.meta, suppressions=example_case.meta.suppressions + (s,))
    a = assess(rebuild(example_case, meta=meta))
    assert [u.findings for u in a.suppressions][1] == ()


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_suppressions_never_remove_a_finding(example_case, data):
    """Whatever is suppressed, every finding is still returned, flagged exactly when a suppression matches."""
    base = evaluate(example_case)
    picked = data.draw(st.lists(st.sampled_from(base), unique_by=lambda f: f.key, max_size=5))
    sups = tuple(Suppression(rule=f.rule, decision=f.decision, stakeholder=f.stakeholder,
                             impact=f.impact, justification="test") for f in picked)
    meta = changed(example_case.meta, suppressions=sups)
    got = evaluate(rebuild(example_case, meta=meta))
    assert [f.key for f in got] == [f.key for f in base]
    assert {f.key for f in got if f.suppressed} == {f.key for f in picked}


# ---------------------------------------------------------------- every finding
def test_every_finding_is_complete_and_traceable(example_case, findings):
    source = normalise((EXAMPLE / "source.md").read_text(encoding="utf-8"))
    keys = [f.key for f in findings]
    assert len(keys) == len(set(keys))
    for f in findings:
        assert f.rule and f.decision and f.status and f.message.endswith(".")
        assert len(re.findall(r"[.!?](?:\s|$)", f.message)) == 1, f.message  # one sentence
        assert f.evidence, f.key
        for e in f.evidence:
            assert e.quote == example_case.evidence_index[e.id].quote
            assert normalise(e.quote) in source, e.id  # verbatim in the source text
            assert e.supports


def test_findings_are_sorted_by_rule_then_decision(findings):
    order = {"OIG-R1": 0, "OIG-R2": 1, "OIG-R3": 2}
    keys = [(order[f.rule], f.decision, f.impact or "", f.interface or "", f.stakeholder or "") for f in findings]
    assert keys == sorted(keys)


# ---------------------------------------------------------------- the rulebook
def test_the_rulebook_has_three_rules_with_stable_codes():
    book = get_rulebook("oig-21-028")
    assert [r.code for r in book.rules] == ["OIG-R1", "OIG-R2", "OIG-R3"]
    for rule in book.rules:
        assert rule.title and rule.rationale and rule.recommendation.text
        assert (ROOT / rule.doc).is_file(), rule.doc
    with pytest.raises(KeyError, match="no rulebook named"):
        get_rulebook("no-such-book")


def test_recommendations_are_quoted_verbatim_under_their_headings(oig_report):
    text = oig_report.read_text(encoding="utf-8")
    start = text.index("\n## Recommendations\n", text.index("CONCLUSION AND RECOMMENDATIONS"))
    section = text[start:text.index("\n## ", start + 5)]
    flat = normalise(section)
    for n, rule in enumerate(get_rulebook("oig-21-028").rules, start=1):
        quote = normalise(rule.recommendation.text)
        heading = rule.recommendation.section.split(" > ")[-1]
        assert f"{n}. {quote}" in flat, rule.code
        assert flat.index(f"### {heading}") < flat.index(quote), rule.code
        assert rule.recommendation.locator == f"recommendation {n}"


def test_a_rulebook_is_pluggable(example_case):
    """A rule is written against neutral questions: a scope, a check, and its typed statuses."""
    def check(q):
        for d in q.decisions.values():
            if not d.title:
                yield RULE.finding(q, "untitled", decision=d.id, message=f"{d.id} has no title.")

    def scope(q):
        return [ScopeNote("decision", d.id, True, "every decision") for d in q.decisions.values()]

    quote = get_rulebook("oig-21-028").rules[0].source_quote
    RULE = Rule(code="X-1", title="Decisions have titles", source_quote=quote, rationale="A test.",
                statuses=(StatusDef("untitled", Severity.low, "The decision has no title."),),
                check=check, scope=scope)
    assert RULE.doc == "docs/rules/X-1.md"
    book = register_rulebook(Rulebook("test-book", "A test rulebook", get_rulebook("oig-21-028").source, (RULE,)))
    assert evaluate(example_case, rulebook="test-book") == []
    assert assess(example_case, rulebook=book).scope["X-1"][0].applies
    with pytest.raises(ValueError, match="repeats rule codes"):
        register_rulebook(Rulebook("twice", "x", book.source, (RULE, RULE)))
    with pytest.raises(ValueError, match="reuses rule codes"):
        register_rulebook(Rulebook("again", "x", book.source, (RULE,)))


# ---------------------------------------------------------------- coordgap findings
def test_cli_findings_table_exits_1_when_gaps_are_found():
    result = CliRunner().invoke(main, ["findings", str(EXAMPLE)])
    assert result.exit_code == 1
    assert "OIG-R1" in result.output and "OIG-R3" in result.output
    assert "10 finding(s) (5 high, 3 medium, 2 low); 1 suppressed" in result.output
    assert CliRunner().invoke(main, ["findings", str(EXAMPLE), "--exit-zero"]).exit_code == 0


def test_cli_findings_json_carries_the_quotes():
    result = CliRunner().invoke(main, ["findings", str(EXAMPLE), "--format", "json", "--exit-zero"])
    data = json.loads(result.output)
    assert len(data) == 11
    f = next(f for f in data if f["rule"] == "OIG-R3")
    assert f["parties"] == ["ports-customs", "health-clinics"]
    assert f["evidence"][1]["quote"] == "No agreement between the two existed."
    assert next(f for f in data if f["suppressed"])["suppression"]["justification"]


def test_cli_findings_csv(tmp_path: Path):
    out = tmp_path / "f.csv"
    result = CliRunner().invoke(main, ["findings", str(EXAMPLE), "--format", "csv", "--exit-zero", "-o", str(out)])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 11
    assert {r["key"] for r in rows if r["suppressed"] == "true"} == {
        "OIG-R1/d-curfew/d-curfew.fire-service.fire-cover/fire-service"}
    assert rows[0]["evidence"].split(";")[0] == "e-decision"


def test_cli_findings_bad_path_exits_2():
    assert CliRunner().invoke(main, ["findings", "/no/such/case"]).exit_code == 2


def test_each_rule_has_a_page_whose_example_is_real(findings):
    actual = {f.key: f for f in findings}
    for rule in get_rulebook("oig-21-028").rules:
        page = (ROOT / rule.doc).read_text(encoding="utf-8")
        assert page.startswith(f"# {rule.code}: {rule.title}\n")
        for heading in ("## What it checks", "## Why it matters", "## How it is evaluated", "## Example"):
            assert heading in page, (rule.code, heading)
        assert f"> {rule.recommendation.text}\n" in page  # quoted verbatim
        lines = page.splitlines()
        shown = [n for n, line in enumerate(lines) if line.startswith(f"{rule.code}/")]
        assert shown, rule.code
        for n in shown:
            key, severity, status = lines[n].split()
            f = actual[key]
            assert (f.severity.value, f.status) == (severity, status), key
            assert lines[n + 1].strip() == f.message, key
