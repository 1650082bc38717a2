"""The pre-rollout check's repairs (issue #9, point 5): populations a change is limited to,
populations a flow already carries, the issuing department's components, the proposal's own
deadline, deadlines in words, the terminal summary, bundled proposals by name."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from proposal_maps import variant, write_proposal

from coordgap.assess.proposal import Listing, check_proposal
from coordgap.cli import main
from coordgap.io.proposal import load_proposal
from coordgap.model.case import Status

ROOT = Path(__file__).resolve().parents[1]
PROPOSALS = ROOT / "datasets" / "zero_tolerance" / "proposals"
APRIL = PROPOSALS / "zero-tolerance-2018-04.yaml"
DISTRICTS = ("sdca", "az", "nm", "wdtx", "sdtx")


def april_variant(tmp_path: Path, name: str, **changes) -> Path:
    data = yaml.safe_load(APRIL.read_text(encoding="utf-8"))
    data["checked_against"] = {"case": str(PROPOSALS.parent), "annotations": str(PROPOSALS / "annotations.yaml")}
    data.update(changes)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def r1_missing(result) -> set[str]:
    return {f.stakeholder for f in result.findings if f.rule == "OIG-R1" and f.listing is Listing.missing}


def test_single_adults_only_flags_marshals_courts_and_defenders_but_not_orr(tmp_path):
    path = april_variant(tmp_path, "single", id="single-adults-only", changes=[{
        "id": "prosecute-single-adults", "flows": ["f-referral-*"], "volume": "more",
        "populations": ["single-adults"], "description": "Every single adult referred is prosecuted."}])
    result = check_proposal(path)
    flagged = r1_missing(result)
    assert {"usms", *(f"usms-d-{d}" for d in DISTRICTS)} <= flagged
    assert {f"court-{d}-magistrate" for d in DISTRICTS} | {f"court-{d}-district" for d in DISTRICTS} <= flagged
    assert {"fpd", *(f"fpd-{d}" for d in DISTRICTS)} <= flagged
    # children do not come with single adults: ORR is not reached, nor the parent-child interface
    assert "hhs-orr" not in {a.organisation for a in result.affected}
    assert "i-usms-orr-parent-child" not in {i.id for i in result.interfaces}
    # the same change without the limit reaches ORR (the referral flows carry family-unit adults)
    full = check_proposal(april_variant(tmp_path, "all", changes=[{
        "id": "prosecute-all", "flows": ["f-referral-*"], "volume": "more", "description": "All referrals."}]))
    assert "hhs-orr" in full.missing


def test_dhs_issued_family_unit_proposal_checks_cbp_border_patrol_and_ice(tmp_path):
    path = april_variant(tmp_path, "dhs", id="dhs-family-units", issuing_office="dhs", acting_for=[],
                         stakeholders=["cbp", "ice", "doj"], consultations=[{
                             "id": "cbp-heads", "with": ["cbp"], "date": "2018-04-01", "kind": "consultation",
                             "topics": ["prosecution-volume", "family-unit-prosecution"]}],
                         changes=[{"id": "refer-family-units", "flows": ["f-referral-*"], "volume": "more",
                                   "populations": ["family-unit-adults"], "topic": "family-unit-prosecution",
                                   "description": "Refer every family-unit adult for prosecution."}])
    result = check_proposal(path)
    affected = {a.organisation: a for a in result.affected}
    # DHS's own components are stakeholders, not the proposal's side
    assert {"usbp", "usbp-el-paso", "ice"} <= set(affected)
    assert affected["usbp-el-paso"].listing is Listing.listed_via_parent
    assert affected["usbp-el-paso"].listed_as == "cbp"
    assert affected["ice"].listing is Listing.listed
    assert not [o for o in result.outside if o.id in {"cbp", "usbp", "ice"}]
    # contacting CBP reaches Border Patrol only through its leadership; ICE is not consulted at all
    topics = {t.topic: t for t in affected["usbp-el-paso"].topics}
    assert topics["prosecution-volume"].status is Status.leadership_only and topics["prosecution-volume"].via == "cbp"
    flagged = {f.stakeholder for f in result.findings if f.rule == "OIG-R1"}
    assert {"usbp-el-paso", "ice"} <= flagged
    assert "applies" in result.applies["OIG-R1"] or "significant decision" in result.applies["OIG-R1"]
    assert all(r.organisation == "dhs" for f in result.findings for r in f.responsible)


def test_adding_a_population_a_flow_already_carries_is_a_warning(tmp_path):
    path = write_proposal(tmp_path, variant())
    flows = path.parent / "map" / "flows.yaml"
    flows.write_text(flows.read_text().replace("population: [pupils]", "population: [pupils, pupils-in-care]", 1))
    result = check_proposal(path)
    assert any("already carr" in w and "pupils-in-care" in w for w in result.warnings)
    assert result.interfaces == ()  # nothing is new: no inferred interface, no R2/R3 finding from it
    # on the map where the absence report carries only pupils, the same change sets new handoffs going
    fresh = check_proposal(write_proposal(tmp_path / "fresh", variant()))
    assert {i.id for i in fresh.interfaces} == {"i-f-care-proceedings", "i-f-placement"}
    assert not [w for w in fresh.warnings if "already carr" in w]


@pytest.mark.parametrize("order", ["deadline-last", "deadline-first"])
def test_the_proposals_deadline_wins_whatever_the_order_of_the_changes(tmp_path, order):
    data = variant()
    volume = {"id": "more-reports", "flows": ["f-absence-report"], "volume": "more", "description": "More."}
    deadline = {"id": "report-fast", "flows": ["f-absence-report"], "description": "Within a day.",
                "new_deadline": {"hours": 24, "description": "within one school day"}}
    data["changes"] = [data["changes"][0], volume, deadline] if order == "deadline-last" else \
        [deadline, data["changes"][0], volume]
    result = check_proposal(write_proposal(tmp_path, data))
    for a in result.affected:
        for r in a.routes:
            for s in r.steps:
                if s.flow == "f-absence-report":
                    assert (s.deadline_hours, s.deadline, s.new_deadline) == (24, "within one school day", True)
    d = next(d for d in result.org("social-child").deadlines if d.flow == "f-absence-report")
    assert d.new and d.hours == 24


def test_deadlines_in_words_are_shown(tmp_path):
    path = write_proposal(tmp_path, variant(stakeholders=["edu-schools", "social-child"]))
    flows = path.parent / "map" / "flows.yaml"
    flows.write_text(flows.read_text().replace("    handover: care proceedings for a pupil in care\n",
                                               "    handover: care proceedings for a pupil in care\n"
                                               "    deadline: before the next sitting of the court\n", 1))
    result = check_proposal(path)
    d = next(d for d in result.org("family-court").deadlines if d.flow == "f-care-proceedings")
    assert d.hours is None and d.text == "before the next sitting of the court"
    out = CliRunner().invoke(main, ["check", str(path)])
    assert "deadline on f-care-proceedings: before the next sitting of the court" in out.output


def test_terminal_output_starts_with_the_verdict_and_fits_100_columns():
    out = CliRunner().invoke(main, ["check", str(APRIL)])
    lines = out.output.splitlines()
    assert lines[0].startswith("FAILED: ")
    assert max(len(line) for line in lines) <= 100
    head = out.output.split("\nFINDINGS (")[0]  # the verdict and the executive summary
    conclusions = " ".join(head.split("CONCLUSIONS")[1].split("RESULT PER RULE")[0].split())
    assert "25 of them are not on its stakeholder list" in conclusions
    for who in ("Office of Refugee Resettlement", "U.S. Marshals Service (headquarters) (6)", "Federal Bureau of Prisons"):
        assert who in conclusions.split("Missing from the list: ")[1].split(" - None of")[0], who
    # the worst gap is the report's (the Marshals Service, by the harm measure), and the rules' results are there
    assert head.split("THE WORST GAPS")[1].splitlines()[1].startswith("  1. U.S. Marshals Service")
    assert "OIG-R1   40 findings (40 high), 40 blocking" in head
    # the detail gives each missing organisation once, with its route
    missing = out.output.split("\nMISSING FROM THE STAKEHOLDER LIST (")[1].split("\nAFFECTED ORGANISATIONS")[0]
    for org in ("usms", "hhs-orr", "fpd-az"):
        assert sum(1 for line in missing.splitlines() if line.startswith(f"  {org}  ")) == 1, org
    # one finding per missing organisation
    result = check_proposal(APRIL)
    missing = [f for f in result.findings if f.listing is Listing.missing]
    assert sorted(f.stakeholder for f in missing) == sorted(result.missing)


def test_bundled_proposals_are_named_like_bundled_cases():
    out = CliRunner().invoke(main, ["check", "zero-tolerance-2018-04", "--format", "json"])
    assert out.exit_code == 1, out.output
    assert "hhs-orr" in yaml.safe_load(out.output)["missing"]
    assert check_proposal("zero-tolerance-coordinated").passed
    bad = CliRunner().invoke(main, ["check", "no-such-proposal"])
    assert bad.exit_code == 2 and "nor a bundled proposal" in bad.output


def test_check_proposal_takes_a_loaded_proposal_and_a_rulebook():
    lp = load_proposal(APRIL)
    a = check_proposal(lp, rulebook="oig-21-028")
    b = check_proposal(APRIL)
    assert a.model_dump() == b.model_dump()
    assert a.rulebooks == ("oig-21-028",)


def test_the_summary_path_reads_from_the_change_to_the_organisation(tmp_path):
    data = variant(stakeholders=["edu-schools"], consultations=[])
    result = check_proposal(write_proposal(tmp_path, data))
    assert result.org("family-court").route.short == "edu-schools > social-child > family-court"
    assert result.org("social-child").route.short == "edu-schools > social-child"
    out = CliRunner().invoke(main, ["check", str(tmp_path / "proposal.yaml")]).output
    detail = out.split("MISSING FROM THE STAKEHOLDER LIST (")[1]
    assert "  family-court  Family Court  [courts]\n      change report-absences: edu-schools -[f-absence-report, " \
           "changed]-> social-child\n        -[f-care-proceedings]-> family-court\n" in detail
