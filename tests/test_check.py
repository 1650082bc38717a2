"""The pre-rollout check: the two zero-tolerance proposals, a made-up map outside immigration,
the command's outputs and exit codes, and properties that hold on any map."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from proposal_maps import variant, write_proposal

from coordgap.assess.proposal import Listing, check_proposal
from coordgap.cli import main
from coordgap.model.case import Status
from coordgap.model.findings import Severity

ROOT = Path(__file__).resolve().parents[1]
PROPOSALS = ROOT / "datasets" / "zero_tolerance" / "proposals"
APRIL = PROPOSALS / "zero-tolerance-2018-04.yaml"
COORDINATED = PROPOSALS / "zero-tolerance-coordinated.yaml"

DISTRICTS = ("sdca", "az", "nm", "wdtx", "sdtx")


@pytest.fixture(scope="module")
def april():
    return check_proposal(APRIL)


@pytest.fixture(scope="module")
def coordinated():
    return check_proposal(COORDINATED)


def flows_of(result, org):
    return [s.flow for s in result.org(org).route.steps]


# ------------------------------------------------------------ the April 2018 proposal ----
class TestApril2018:
    def test_fails(self, april):
        assert not april.passed
        assert april.blocking > 0

    def test_names_the_marshals_service_with_the_custody_path(self, april):
        for d in DISTRICTS:
            org = f"usms-d-{d}"
            assert org in april.missing
            route = april.org(org).route
            # more prosecutions of any referral mean more defendants in USMS custody
            assert route.change in {"prosecute-all-referrals", "family-unit-adults-included"}
            assert route.steps[0].changed and route.steps[0].flow.startswith("f-referral-")
            assert route.steps[-1].flow == f"f-usms-custody-{d}"
            assert "USMS custody" in route.steps[-1].handover
        assert "usms" in april.missing

    def test_names_the_district_courts_and_magistrate_judges(self, april):
        for d in DISTRICTS:
            for bench, kind in (("district", "felony"), ("magistrate", "misdemeanor")):
                org = f"court-{d}-{bench}"
                assert org in april.missing
                steps = april.org(org).route.steps
                assert steps[0].changed and steps[0].target == f"usao-{d}"
                assert steps[-1].flow == f"f-charge-{kind}-{d}"
                assert april.org(org).relation.value == "courts"

    def test_names_the_federal_public_defenders(self, april):
        for d in DISTRICTS:
            org = f"fpd-{d}"
            assert org in april.missing
            assert flows_of(april, org)[-2:] == [f"f-charge-misdemeanor-{d}", f"f-defense-{d}"]
        assert "fpd" in april.missing

    def test_names_orr_through_the_childs_transfer_within_72_hours(self, april):
        assert "hhs-orr" in april.missing
        orr = april.org("hhs-orr")
        route = orr.route
        # the referral flows already carry family-unit adults (the map says so): adding them is more
        # of the same, so ORR is reached through the map's own routes, and the check warns
        assert route.change in {"prosecute-all-referrals", "family-unit-adults-included"}
        assert route.steps[-1].flow == "f-uac-orr"
        assert any("already carry" in w and "family-unit-adults" in w for w in april.warnings)
        assert route.steps[-1].deadline_hours == 72
        assert any(d.flow == "f-uac-orr" and d.hours == 72 for d in orr.deadlines)
        assert "family-unit-adults" in route.steps[0].populations
        assert orr.relation.value == "other_agency"

    def test_orr_is_reached_only_because_family_unit_adults_are_added(self, april, tmp_path):
        data = APRIL.read_text(encoding="utf-8")
        text = data.split("  - id: family-unit-adults-included")[0] + data[data.index("\n# The offices"):]
        only_volume = tmp_path / "only-volume.yaml"
        only_volume.write_text(text.replace("case: ..", f"case: {PROPOSALS.parent}")
                               .replace("annotations: annotations.yaml", f"annotations: {PROPOSALS / 'annotations.yaml'}"),
                               encoding="utf-8")
        result = check_proposal(only_volume)
        # the referral flows already list family-unit adults, so more volume still reaches ORR,
        # but only through the map's own routes; no handoff is new without an added population
        assert all(i.kind == "known" for i in result.interfaces)
        assert "i-f-return-cbp" not in {i.id for i in result.interfaces}

    def test_listed_offices_are_not_missing(self, april):
        for org in ("usao-sdca", "usao-az", "usao-nm", "usao-wdtx", "usao-sdtx"):
            assert org not in april.missing
            assert april.org(org).listing is Listing.listed
        assert set(april.listed_not_affected) == {"doj-odag", "doj-eousa", "doj-olc"}

    def test_usaos_consulted_on_the_text_but_not_on_family_units(self, april):
        usao = april.org("usao-az")
        status = {t.topic: t.status for t in usao.topics}
        assert status["family-unit-prosecution"] is Status.none
        assert status["prosecution-volume"] is Status.none
        f = next(f for f in april.findings if f.stakeholder == "usao-az" and f.rule == "OIG-R1")
        assert "it is to be contacted on other topics only (usao-draft-review)" in f.message
        assert f.field == "consultations.2"
        assert "family-unit-prosecution" in f.impact and "prosecution-volume" in f.impact  # one finding

    def test_dhs_components_are_listed_only_through_dhs(self, april):
        assert april.org("usbp-yuma").listing is Listing.listed_via_parent
        assert april.org("usbp-yuma").listed_as == "dhs"

    def test_flags_procedure_and_agreement_for_parent_child_communication(self, april):
        iface = next(i for i in april.interfaces if i.id == "i-usms-orr-parent-child")
        assert iface.kind == "known"
        assert set(iface.agencies) == {"doj", "hhs", "dhs"}
        r2 = [f for f in april.findings if f.rule == "OIG-R2" and f.interface == iface.id]
        # one finding per party without a procedure, as on a case (the Marshals Service's districts
        # each; ORR's biweekly-call policy is in place)
        assert {f.stakeholder for f in r2} == {"usms", "dhs"} | {f"usms-d-{d}" for d in DISTRICTS}
        assert all(f.status == "none" and f.severity is Severity.high for f in r2)
        r3 = [f for f in april.findings if f.rule == "OIG-R3" and f.interface == iface.id]
        assert len(r3) == 1 and r3[0].status == "none"

    def test_r1_applies_from_the_tree(self, april):
        assert "a significant decision" in april.applies["OIG-R1"]
        assert april.org("hhs-orr").relation.value == "other_agency"
        assert april.org("court-az-magistrate").relation.value == "courts"
        assert april.org("usms").relation.value == "other_component"

    def test_findings_point_at_lines_of_the_proposal(self, april):
        lines = APRIL.read_text(encoding="utf-8").splitlines()
        missing = [f for f in april.findings if f.listing is Listing.missing]
        assert len(missing) == len(april.missing)  # one finding per missing organisation
        assert missing and all(lines[f.line - 1].startswith("stakeholders:") for f in missing)
        for f in missing:
            assert f.related_lines and all("- id:" in lines[n - 1] for n in f.related_lines)
        r2 = next(f for f in april.findings if f.rule == "OIG-R2")
        assert lines[r2.line - 1].startswith("procedures:")

    def test_findings_carry_the_evidence_of_the_flows(self, april):
        f = next(f for f in april.findings if f.listing is Listing.missing and f.stakeholder == "hhs-orr")
        assert any("72 hours" in e.quote for e in f.evidence)


class TestCoordinated:
    def test_passes_with_no_finding(self, coordinated):
        assert coordinated.passed
        assert coordinated.missing == ()
        assert coordinated.findings == ()

    def test_every_topic_is_consulted_in_time(self, coordinated):
        for a in coordinated.affected:
            for t in a.topics:
                assert t.status is Status.consulted, (a.organisation, t)
                assert t.lead_time_ok in (True, None)
        usms = coordinated.org("usms")
        assert {t.topic: t.required_lead_days for t in usms.topics}["detention-capacity"] == 180

    def test_same_affected_organisations_as_the_april_proposal(self, april, coordinated):
        assert {a.organisation for a in april.affected} == {a.organisation for a in coordinated.affected}
        assert {i.id for i in april.interfaces} == {i.id for i in coordinated.interfaces}


# ------------------------------------------------------------ the command ----
def run(*args):
    return CliRunner().invoke(main, ["check", *map(str, args)])


class TestCommand:
    def test_table_and_exit_codes(self):
        bad = run(APRIL)
        assert bad.exit_code == 1, bad.output
        assert "MISSING FROM THE STAKEHOLDER LIST (25)" in bad.output
        assert "hhs-orr  Office of Refugee Resettlement" in bad.output
        assert "f-uac-orr" in bad.output and "72 hours" in bad.output
        assert "FAILED" in bad.output
        good = run(COORDINATED)
        assert good.exit_code == 0, good.output
        assert "PASSED" in good.output

    def test_soft_fail_reports_but_exits_0(self):
        res = run(APRIL, "--soft-fail")
        assert res.exit_code == 0
        assert "FAILED" in res.output

    def test_json(self):
        res = run(APRIL, "--format", "json")
        assert res.exit_code == 1
        data = json.loads(res.output)
        assert "hhs-orr" in data["missing"]
        assert data["passed"] is False and data["blocking"] > 0
        orr = next(a for a in data["affected"] if a["organisation"] == "hhs-orr")
        assert orr["routes"][0]["steps"][-1]["flow"] == "f-uac-orr"

    def test_out_file(self, tmp_path):
        out = tmp_path / "check.json"
        res = run(COORDINATED, "--format", "json", "--out", out)
        assert res.exit_code == 0
        assert json.loads(out.read_text())["passed"] is True

    def test_fail_on_threshold(self, tmp_path):
        data = variant()
        data["consultations"][3]["kind"] = "notification"  # clinics only told: informed, a low gap
        path = write_proposal(tmp_path, data)
        assert run(path).exit_code == 0
        assert run(path, "--fail-on", "low").exit_code == 1

    def test_case_option_overrides_the_reference(self, tmp_path):
        res = run(APRIL, "--case", tmp_path / "nowhere")
        assert res.exit_code == 2
        assert "checked_against.case" in res.output


# ------------------------------------------------------------ a map outside immigration ----
class TestUnrelatedMap:
    def test_good_proposal_passes(self, tmp_path):
        result = check_proposal(write_proposal(tmp_path))
        assert result.passed and result.missing == ()
        assert {a.organisation for a in result.affected} == {
            "edu-schools", "social-child", "social-foster", "family-court", "health-clinics"}
        assert "police" not in {a.organisation for a in result.affected}  # upstream of the change

    def test_missing_organisations_and_their_paths(self, tmp_path):
        data = variant(stakeholders=["edu-schools", "social-child"])
        data["consultations"] = data["consultations"][:2]
        result = check_proposal(write_proposal(tmp_path, data))
        assert set(result.missing) == {"family-court", "health-clinics"}
        assert result.org("social-foster").listing is Listing.listed_via_parent
        assert flows_of(result, "family-court") == ["f-absence-report", "f-care-proceedings"]
        assert flows_of(result, "health-clinics") == ["f-absence-report", "f-health-check"]
        foster = result.org("social-foster")
        assert [(d.flow, d.hours) for d in foster.deadlines] == [("f-placement", 48)]
        assert result.applies["OIG-R1"] and result.org("family-court").relation.value == "courts"
        assert not result.passed

    def test_new_handoffs_are_interfaces(self, tmp_path):
        result = check_proposal(write_proposal(tmp_path))
        ids = {i.id: i for i in result.interfaces}
        assert set(ids) == {"i-f-care-proceedings", "i-f-placement"}
        assert set(ids["i-f-care-proceedings"].agencies) == {"social", "family-court"}  # needs an agreement
        assert ids["i-f-placement"].agencies == ("social",)  # within child services: OIG-R3 does not apply
        outside = {(o.rule, o.id) for o in result.outside}
        assert ("OIG-R3", "i-f-placement") in outside

    def test_missing_procedure_and_agreement(self, tmp_path):
        data = variant(agreements=[])
        data["procedures"] = [p for p in data["procedures"] if p["id"] != "pr-court"]
        result = check_proposal(write_proposal(tmp_path, data))
        r2 = [f for f in result.findings if f.rule == "OIG-R2"]
        assert [(f.stakeholder, f.interface, f.status) for f in r2] == [
            ("family-court", "i-f-care-proceedings", "none")]
        r3 = [f for f in result.findings if f.rule == "OIG-R3"]
        assert [(f.interface, f.status) for f in r3] == [("i-f-care-proceedings", "none")]

    def test_late_procedure_and_partial_agreement(self, tmp_path):
        data = variant()
        data["procedures"][1]["in_effect"] = "2025-10-01"
        data["agreements"][0]["parties"] = ["social", "health"]
        result = check_proposal(write_proposal(tmp_path, data))
        statuses = {(f.rule, f.status) for f in result.findings}
        assert ("OIG-R2", "late") in statuses and ("OIG-R3", "partial") in statuses
        partial = next(f for f in result.findings if f.rule == "OIG-R3")
        assert "family-court" in partial.message

    def test_no_population_change_creates_no_interface(self, tmp_path):
        data = variant()
        del data["changes"][0]["add_populations"]
        result = check_proposal(write_proposal(tmp_path, data))
        assert result.interfaces == ()
        # only pupils not in care pass along the absence report: more reports do not reach the court
        assert "family-court" not in {a.organisation for a in result.affected}

    def test_populations_gate_the_flows(self, tmp_path):
        data = variant()
        del data["changes"][0]["add_populations"]
        path = write_proposal(tmp_path, data)
        flows = path.parent / "map" / "flows.yaml"
        flows.write_text(flows.read_text().replace("population: [pupils, pupils-in-care]", "population: [pupils]", 1))
        result = check_proposal(path)
        # only pupils not in care pass: the court and the foster carers are not reached
        assert {a.organisation for a in result.affected} == {"edu-schools", "social-child", "health-clinics"}
        data["changes"][0]["add_populations"] = ["pupils-in-care"]
        path.write_text(yaml.safe_dump(data))
        result = check_proposal(path)
        assert "family-court" in {a.organisation for a in result.affected}
        assert {i.id for i in result.interfaces} == {"i-f-care-proceedings", "i-f-placement"}

    @pytest.mark.parametrize(("change", "status"), [
        ({"date": "2025-09-15"}, Status.after),
        ({"date": "2025-09-01"}, Status.same_day),
        ({"date": "2025-09"}, Status.same_day),  # a month cannot be shown to be before the 1st
        ({"kind": "notification"}, Status.informed),
        ({"with": ["social"]}, Status.leadership_only),
        ({"topics": ["caseload"]}, Status.none),
    ])
    def test_status_ladder(self, tmp_path, change, status):
        data = variant()
        data["consultations"][1].update(change)
        result = check_proposal(write_proposal(tmp_path, data))
        topics = {t.topic: t for t in result.org("social-foster").topics}
        assert topics["placements"].status is status
        if status is Status.leadership_only:
            assert topics["placements"].via == "social"
        finding = next(f for f in result.findings if f.stakeholder == "social-foster")
        assert finding.status == status.value

    def test_short_lead_time(self, tmp_path):
        data = variant()
        data["consultations"][2]["date"] = "2025-07-15"
        result = check_proposal(write_proposal(tmp_path, data))
        # consulted, but with less notice than it needs: the case rule's finding (status consulted, medium)
        f = next(f for f in result.findings if f.stakeholder == "family-court")
        assert f.status == "consulted"
        assert (f.stakeholder, f.lead_time_days, f.required_lead_days) == ("family-court", 48, 90)
        assert f.severity is Severity.medium and not result.passed
        assert f.field == "consultations.2.date"

    def test_new_deadline_is_reported_on_the_route(self, tmp_path):
        data = variant()
        data["changes"][0]["new_deadline"] = {"hours": 24, "description": "within one school day"}
        result = check_proposal(write_proposal(tmp_path, data))
        d = result.org("social-child").deadlines[0]
        assert (d.flow, d.hours, d.new) == ("f-absence-report", 24, True)

    def test_accepted_gap_is_reported_but_does_not_block(self, tmp_path):
        data = variant(stakeholders=["edu-schools", "social-child", "social-foster", "family-court"])
        data["consultations"] = data["consultations"][:3]
        data["accepted_gaps"] = [{"rule": "OIG-R1", "stakeholder": "health-clinics",
                                  "justification": "The clinics assess every case already."},
                                 {"rule": "OIG-R2", "stakeholder": "police", "justification": "Unused."}]
        result = check_proposal(write_proposal(tmp_path, data))
        gaps = [f for f in result.findings if f.stakeholder == "health-clinics"]
        assert gaps and all(f.suppressed for f in gaps)
        assert result.passed
        assert result.unused_accepted_gaps == (1,)

    def test_outside_r1_scope_it_is_listed_with_the_reason(self, tmp_path):
        # a proposal outside OIG-R1's scope gets no OIG-R1 finding; it is listed as outside, with why
        data = variant(significant=False, consultations=[])
        result = check_proposal(write_proposal(tmp_path, data))
        assert result.applies["OIG-R1"] == ""
        assert not [f for f in result.findings if f.rule == "OIG-R1"]
        (note,) = [o for o in result.outside if o.rule == "OIG-R1" and o.subject == "decision"]
        assert "not marked significant" in note.reason
        assert set(result.missing) == set()  # every affected organisation is still listed

    def test_case_folder_reference(self, tmp_path):
        """The bundled made-up case (harbour curfew) as reference, through --case."""
        data = variant()
        path = write_proposal(tmp_path, {
            "id": "more-inspections", "title": "Inspect every manifest", "issuing_office": "ports-minister",
            "planned_issue_date": "2024-09-01", "checked_against": {"case": str(ROOT / "datasets" / "example")},
            "changes": [{"id": "c1", "flows": ["f-manifests"], "description": "All manifests.", "volume": "more"}],
            "stakeholders": ["ports-customs"],
        })
        del data
        result = check_proposal(path)
        assert set(result.missing) == {"court-east", "port-authority"}
        assert flows_of(result, "court-east") == ["f-manifests", "f-seizures"]


# ------------------------------------------------------------ properties on any map ----
ORGS = [f"o{i}" for i in range(7)]


@st.composite
def maps(draw):
    edges = draw(st.lists(st.tuples(st.sampled_from(ORGS), st.sampled_from(ORGS),
                                    st.sampled_from([(), ("a",), ("b",), ("a", "b")])),
                          min_size=1, max_size=14))
    flows = [{"id": f"f{i}", "source": s, "target": t, "handover": "h", **({"population": list(p)} if p else {})}
             for i, (s, t, p) in enumerate(edges) if s != t]
    if not flows or not any("population" in f for f in flows):
        flows.append({"id": "fz", "source": "o0", "target": "o1", "handover": "h", "population": ["a"]})
    changed = draw(st.sampled_from(flows))["id"]
    listed = draw(st.lists(st.sampled_from(ORGS), unique=True))
    add = draw(st.booleans())
    return flows, changed, listed, add


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(maps())
def test_routes_explain_every_affected_organisation(tmp_path_factory, drawn):
    flows, changed, listed, add = drawn
    folder = tmp_path_factory.mktemp("map")
    tree = "id,name,parent,kind,branch\nroot,Root,,department,executive\n" + "".join(
        f"{o},Org {o},root,component,executive\n" for o in ORGS) + "boss,Boss,root,office,executive\n"
    (folder / "tree.csv").write_text(tree)
    (folder / "flows.yaml").write_text(yaml.safe_dump({"flows": flows}))
    pops = sorted({p for f in flows for p in f.get("population", [])})
    change = {"id": "c", "flows": [changed], "description": "d", "volume": "more"}
    if add and pops:
        change["add_populations"] = [pops[0]]
    proposal = {"id": "p", "title": "t", "issuing_office": "boss", "planned_issue_date": "2030-01-01",
                "checked_against": {"organisations": "tree.csv", "flows": "flows.yaml"},
                "changes": [change], "stakeholders": listed}
    (folder / "p.yaml").write_text(yaml.safe_dump(proposal))
    result = check_proposal(folder / "p.yaml")
    by_id = {f["id"]: f for f in flows}
    for a in result.affected:
        for r in a.routes:
            assert r.steps[0].flow == changed and r.steps[0].changed
            assert r.start in (r.steps[0].source, r.steps[0].target)
            at = r.start
            for s in r.steps[1:]:
                assert by_id[s.flow]["source"] == s.source
                assert s.source == at or s.source == "root"  # its own handoff, or its parent's
                at = s.target
            assert at == a.organisation or (len(r.steps) == 1 and a.organisation in (r.steps[0].source,
                                                                                        r.steps[0].target))
    assert set(result.missing) == {a.organisation for a in result.affected} - set(listed) - {"root"} - (
        {a.organisation for a in result.affected} if "root" in listed else set())
    # naming every missing organisation leaves none missing
    proposal["stakeholders"] = sorted(set(listed) | set(result.missing))
    (folder / "p.yaml").write_text(yaml.safe_dump(proposal))
    assert check_proposal(folder / "p.yaml").missing == ()
