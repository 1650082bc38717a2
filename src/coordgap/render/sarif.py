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
from ..assess.proposal import CheckResult
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

def rule_descriptors(rulebooks=None) -> list[dict]:
    """One reportingDescriptor per status of every rule of the rulebooks (default: oig-21-028),
    generated from the rule objects (coordgap.rules), in a stable order."""
    from ..rules import get_rulebooks

    out = []
    for book in get_rulebooks(rulebooks):
        for rule in book.rules:
            quote = rule.source_quote
            for st in rule.statuses:
                out.append({
                    "id": f"{rule.code}/{st.name}",
                    "name": f"{rule.code}-{st.name.replace('_', '-')}",
                    "shortDescription": {"text": f"{rule.code}: {st.sentence}"},
                    "fullDescription": {"text": quote.text},
                    "help": {"text": f"{st.sentence} {rule.title}. From {book.source.title} "
                                     f"({book.source.number}), {quote.section}, {quote.locator}: "
                                     f"\u201c{quote.text}\u201d See {rule.doc}."},
                    "helpUri": rule.doc,
                    "defaultConfiguration": {"level": LEVEL[st.severity]},
                    "properties": {"rulebook": book.name, "rulebookVersion": book.version,
                                   "recommendation": rule.code, "severity": st.severity.value,
                                   "tags": ["coordination", rule.code]},
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


def _tool(rulebooks=None) -> dict:
    return {"driver": {"name": "coordgap", "version": __version__, "semanticVersion": __version__,
                       "informationUri": TOOL_URI, "rules": rule_descriptors(rulebooks)}}


def to_sarif(result: CheckResult) -> dict:
    """The check result as a SARIF 2.1.0 log (a dict ready for json.dumps)."""
    uri = artifact_uri(result.proposal.file)
    rules = rule_descriptors(list(result.rulebooks))
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
                                     ("topic", f.impact), ("field", f.field),
                                     ("listing", f.listing.value if f.listing else None)) if v is not None},
                **({"parties": list(f.parties)} if f.parties else {}),
                **({"leadTimeDays": f.lead_time_days} if f.lead_time_days is not None else {}),
                **({"requiredLeadDays": f.required_lead_days} if f.required_lead_days is not None else {}),
                **({"grade": f.grade} if f.grade is not None else {}),
                **({"evidence": [e.model_dump(mode="json") for e in f.evidence]} if f.evidence else {}),
                "responsible": [r.model_dump(mode="json") for r in f.responsible],
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
            "tool": _tool(list(result.rulebooks)),
            "artifacts": [{"location": {"uri": uri}, "roles": ["analysisTarget"], "mimeType": "application/yaml"}],
            "invocations": [{"executionSuccessful": True}],
            "results": results,
            "properties": {
                "proposal": result.proposal.id,
                "reference": result.reference,
                "missing": list(result.missing),
                "rulebooks": list(result.rulebooks),
                "applies": {code: bool(why) for code, why in result.applies.items()},
                "outside": [o.model_dump(mode="json") for o in result.outside],
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
