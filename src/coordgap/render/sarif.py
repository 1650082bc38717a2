"""SARIF 2.1.0 output of the pre-rollout check, so code review can annotate a proposal file.

Each finding becomes a result whose location is the line of the proposal
file it is about (the stakeholder list for a missing organisation, the
planned consultation for a topic it does not cover, ...), with the lines of
the changes that cause it as related locations. Rule ids are hierarchical
(`OIG-R1/missing`: recommendation, then the kind of gap), as SARIF allows.
Accepted gaps are reported with an in-source suppression carrying the
justification. Nothing here computes a finding: it formats a CheckResult.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .._version import __version__
from ..assess.proposal import STATUSES, CheckResult
from ..errors import Problem
from ..model.findings import Severity
from .terminal import escape


def plain_text(text: str) -> str:
    """A SARIF plain-text message from data: control characters as visible escapes, and square
    brackets escaped as SARIF requires (3.11.6), so data cannot make an embedded link."""
    return escape(text).replace("[", "\\[").replace("]", "\\]")

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
TOOL_URI = "https://pypi.org/project/coordgap/"

LEVEL = {Severity.high: "error", Severity.medium: "warning", Severity.low: "note"}

_RECOMMENDATIONS = {
    "OIG-R1": "Prior to issuing a significant policy affecting multiple Department of Justice components, other "
              "Executive Branch agencies, or the courts, coordinate directly with affected stakeholders to ensure "
              "effective implementation.",
    "OIG-R2": "Establish guidance and procedures for staff to follow at the interface the policy creates "
              "(there: U.S. Marshals Service staff working with HHS ORR case workers to facilitate communication "
              "between parents in USMS custody and their children in ORR custody).",
    "OIG-R3": "Develop a formal interagency agreement (such as a memorandum of understanding) among the agencies "
              "sharing the interface (there: USMS/DOJ, HHS ORR and DHS).",
}


def _recommendations() -> dict[str, str]:
    """The recommendation texts, from the rulebook when it is there."""
    try:
        from ..rules import get_rulebook

        return {r.code: r.recommendation.text for r in get_rulebook("oig-21-028").rules}
    except (ImportError, KeyError):  # pragma: no cover - the rulebook ships with coordgap
        return dict(_RECOMMENDATIONS)


def rule_descriptors() -> list[dict]:
    """One reportingDescriptor per kind of gap the check reports, in a stable order."""
    texts = _recommendations()
    out = []
    for rule, statuses in STATUSES.items():
        for status, (severity, meaning) in statuses.items():
            out.append({
                "id": f"{rule}/{status}",
                "name": f"{rule}-{status.replace('_', '-')}",
                "shortDescription": {"text": f"{rule}: {meaning}"},
                "fullDescription": {"text": texts.get(rule, _RECOMMENDATIONS[rule])},
                "help": {
                    "text": f"{meaning[0].upper()}{meaning[1:]}. Recommendation {rule} of DOJ OIG report 21-028: "
                            f"{texts.get(rule, _RECOMMENDATIONS[rule])} See docs/checking-a-proposal.md.",
                },
                "defaultConfiguration": {"level": LEVEL[severity]},
                "properties": {"recommendation": rule, "severity": severity.value,
                               "tags": ["coordination", rule]},
            })
    return out


def artifact_uri(path: str | Path) -> str:
    """The proposal file as a URI: relative to the working directory when under it (what code review
    tools map to repository paths), else an absolute file URI."""
    p = Path(path)
    try:
        return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return p.resolve().as_uri()


def _fingerprint(*parts: str | None) -> str:
    return hashlib.sha256("\x1f".join(p or "" for p in parts).encode()).hexdigest()[:32]


def _tool() -> dict:
    return {"driver": {"name": "coordgap", "version": __version__, "semanticVersion": __version__,
                       "informationUri": TOOL_URI, "rules": rule_descriptors()}}


def to_sarif(result: CheckResult) -> dict:
    """The check result as a SARIF 2.1.0 log (a dict ready for json.dumps)."""
    uri = artifact_uri(result.proposal.file)
    rules = rule_descriptors()
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = []
    for f in result.findings:
        rule_id = f"{f.rule}/{f.status}"
        loc = {"physicalLocation": {"artifactLocation": {"uri": uri, "index": 0},
                                    "region": {"startLine": f.line or 1}}}
        res: dict = {
            "ruleId": rule_id,
            "ruleIndex": index[rule_id],
            "level": LEVEL[f.severity],
            "message": {"text": plain_text(f.message)},
            "locations": [loc],
            "partialFingerprints": {
                "coordgapFinding/v1": _fingerprint(result.proposal.id, rule_id, f.stakeholder, f.interface, f.impact),
            },
            "properties": {
                "severity": f.severity.value,
                "blocking": not f.suppressed and f.severity.rank <= result.fail_on.rank,
                **{k: v for k, v in (("stakeholder", f.stakeholder), ("interface", f.interface),
                                     ("topic", f.impact), ("field", f.field)) if v is not None},
                **({"parties": list(f.parties)} if f.parties else {}),
                **({"leadTimeDays": f.lead_time_days} if f.lead_time_days is not None else {}),
                **({"requiredLeadDays": f.required_lead_days} if f.required_lead_days is not None else {}),
                **({"evidence": [e.model_dump(mode="json") for e in f.evidence]} if f.evidence else {}),
            },
        }
        if f.related_lines:
            res["relatedLocations"] = [
                {"id": n, "physicalLocation": {"artifactLocation": {"uri": uri, "index": 0},
                                               "region": {"startLine": line}},
                 "message": {"text": "the change that makes it affected"}}
                for n, line in enumerate(f.related_lines, start=1)
            ]
        if f.suppressed:
            res["suppressions"] = [{"kind": "inSource", "status": "accepted",
                                    "justification": f.suppression.justification}]
        results.append(res)
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": _tool(),
            "artifacts": [{"location": {"uri": uri}, "roles": ["analysisTarget"], "mimeType": "application/yaml"}],
            "invocations": [{"executionSuccessful": True}],
            "results": results,
            "properties": {
                "proposal": result.proposal.id,
                "reference": result.reference,
                "missing": list(result.missing),
                "r1Applies": result.r1.applies,
                "r1Reason": result.r1.reason,
                "blocking": result.blocking,
                "failOn": result.fail_on.value,
            },
        }],
    }


def invalid_input_sarif(problems: list[Problem]) -> dict:
    """A SARIF log for a proposal that could not be checked: each problem as an error notification."""
    notes = []
    for p in problems:
        n: dict = {"level": "error", "message": {"text": plain_text(f"{p.field}: {p.message}" if p.field else p.message)},
                   "descriptor": {"id": "invalid-input"}}
        n["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(p.file)},
                                                **({"region": {"startLine": p.line}} if p.line else {})}}]
        notes.append(n)
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": _tool(),
            "invocations": [{"executionSuccessful": False, "toolExecutionNotifications": notes}],
            "results": [],
        }],
    }
