"""OIG-R2: every party to an interface a decision creates has a written procedure for it,
in effect when the interface starts.

A procedure covers a party when it names the interface and is held by the
party itself or by an organisation above it in the tree (a department's
procedure binds its components). docs/rules/OIG-R2.md explains each step.
"""

from __future__ import annotations

import pandas as pd

from ..model.case import Case, Interface, Presence, Procedure
from ..model.findings import Finding, Severity, evidence_refs
from .base import (
    Quote,
    Rule,
    ScopeNote,
    covers,
    creating_decision,
    in_effect_by,
    interfaces_in_scope,
    name_of,
    names,
    possessive,
)

CODE = "OIG-R2"

RECOMMENDATION = Quote(
    text=(
        "Establish guidance and procedures for U.S. Marshals Service staff to follow in working with the "
        "Department of Health and Human Services' Office of Refugee Resettlement case workers to facilitate "
        "communication between family unit adults separated from associated family unit minors, especially "
        "parents in U.S. Marshals Service custody and their children in Office of Refugee Resettlement custody."
    ),
    source="doj-oig-21-028",
    section="Conclusion and Recommendations > Recommendations > To the USMS",
    locator="recommendation 2",
)

RATIONALE = (
    "When a decision splits what used to be one matter between two organisations, the staff of each need "
    "written instructions for the new hand-off before it happens. The OIG found that the U.S. Marshals "
    "Service had no policies or procedures for communication between parents in its custody and their "
    "children in ORR custody, so its district staff improvised when ORR case managers began to call."
)

# Findings, worst first, with their severity (docs/rules/OIG-R2.md).
SEVERITY = {
    "none": Severity.high,  # nothing in the record
    "absent": Severity.high,  # the source says there was none
    "late": Severity.medium,  # in effect only after the interface started
    "undetermined": Severity.low,  # in place, but when it took effect cannot be told at the precision recorded
}


def scope(case: Case) -> list[ScopeNote]:
    out = []
    for i in sorted(case.interfaces, key=lambda i: i.id):
        if i.created_by:
            reason = f"created by {', '.join(i.created_by)}; parties: {names(case, i.parties)}"
            out.append(ScopeNote("interface", i.id, True, reason))
        else:
            out.append(ScopeNote("interface", i.id, False, "created by no decision in the case"))
    return out


def _timing(p: Procedure, iface: Interface) -> str:
    """'ok', 'late' or 'undetermined' for a procedure in place."""
    if iface.starts is None:
        return "ok"  # nothing to compare with: only the procedure's existence is checked
    if p.in_effect is None:
        return "undetermined"
    return in_effect_by(p.in_effect, iface.starts)


def _party_status(case: Case, iface: Interface, party: str) -> tuple[str | None, list[Procedure]]:
    """(status, the procedures it rests on); status None when a procedure covers the party in time."""
    mine = [p for p in case.procedures if iface.id in p.interfaces and covers(case, p.organisation, party)]
    timings = {p.id: _timing(p, iface) for p in mine if p.status is Presence.in_place}
    if "ok" in timings.values():
        return None, []
    # The source saying there was none outweighs procedures not shown to be in effect in time:
    # they are cited with the finding, so the reader sees both.
    absent = [p for p in mine if p.status is Presence.absent]
    if absent:
        return "absent", absent + [p for p in mine if p.id in timings]
    for status in ("undetermined", "late"):
        used = [p for p in mine if timings.get(p.id) == status]
        if used:
            return status, used
    return "none", []


def _message(case: Case, iface: Interface, party: str, status: str, used: list[Procedure]) -> str:
    who = name_of(case, party)
    what = f"the interface “{iface.title}”"
    starts = f", which starts on {iface.starts}" if iface.starts else ""
    if status == "none":
        return f"Nothing in the record shows a written procedure by which {who} handles {what}{starts}."
    if status == "absent":
        later = [p for p in used if p.status is Presence.in_place]
        note = ""
        if later:
            note = " Procedures not shown to be in effect by then: " + "; ".join(
                f"{p.id} (in effect {p.in_effect or 'at an unrecorded date'})" for p in later) + "."
        return f"{who} had no written procedure for {what}{starts}, as the record states.{note}"
    dates = "; ".join(f"{p.id} in effect {p.in_effect or 'at an unrecorded date'}" for p in used)
    if status == "late":
        return f"{possessive(who)} procedure for {what} took effect only after the interface started on {iface.starts} ({dates})."
    return (f"Whether {possessive(who)} procedure for {what} was in effect when the interface started on "
            f"{iface.starts} cannot be told at the precision recorded ({dates}).")


def check(case: Case, matrix: pd.DataFrame) -> list[Finding]:
    findings = []
    for iface in interfaces_in_scope(case, scope):
        for party in iface.parties:
            status, used = _party_status(case, iface, party)
            if status is None:
                continue
            cited = [(f"interface {iface.id}", iface.evidence)]
            cited += [(f"procedure {p.id}", p.evidence) for p in used]
            findings.append(Finding(
                rule=CODE,
                decision=creating_decision(case, iface.created_by),
                stakeholder=party,
                interface=iface.id,
                status=status,
                severity=SEVERITY[status],
                message=_message(case, iface, party, status, used),
                evidence=evidence_refs(case, cited),
            ))
    return findings


RULE = Rule(
    code=CODE,
    title="Every party to an interface a decision creates has a written procedure for it",
    recommendation=RECOMMENDATION,
    rationale=RATIONALE,
    check=check,
    scope=scope,
    doc="docs/rules/OIG-R2.md",
)
