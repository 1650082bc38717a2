"""OIG-R3: the parties to a cross-agency interface have a formal agreement covering it.

An interface is cross-agency when its parties sit under more than one root
of the organisation tree. An agreement covers the interface when it names
it, is in place, was signed by the time the interface starts, and every
party to the interface signed it, itself or through an organisation above
it. docs/rules/OIG-R3.md explains each step.
"""

from __future__ import annotations

import pandas as pd

from ..model.case import Agreement, Case, Interface, Presence
from ..model.findings import Finding, Severity, evidence_refs
from .base import (
    Quote,
    Rule,
    ScopeNote,
    covers,
    creating_decision,
    in_effect_by,
    interfaces_in_scope,
    minimal_parties,
    names,
)

CODE = "OIG-R3"

RECOMMENDATION = Quote(
    text=(
        "Work with the Department of Health and Human Services' Office of Refugee Resettlement and the "
        "Department of Homeland Security to develop a formal interagency agreement (such as a memorandum of "
        "understanding) regarding the facilitation of communication between separated children in Office of "
        "Refugee Resettlement custody and their parents in U.S. Marshals Service custody."
    ),
    source="doj-oig-21-028",
    section="Conclusion and Recommendations > Recommendations > To the USMS and the Department",
    locator="recommendation 3",
)

RATIONALE = (
    "Procedures inside each agency do not settle who does what between agencies: who may call whom, how a "
    "detainee is located, who pays. A written agreement among all the agencies at the interface does. The "
    "OIG recommended one among the Marshals Service, HHS's Office of Refugee Resettlement and DHS because "
    "each held one side of the separated families."
)

SEVERITY = {
    "none": Severity.high,  # nothing in the record
    "absent": Severity.high,  # the source says there was none
    "partial": Severity.medium,  # an agreement exists, but not every party signed it
    "late": Severity.medium,  # signed only after the interface started
    "undetermined": Severity.low,  # when it was signed cannot be told at the precision recorded
}


def _roots(case: Case, iface: Interface) -> list[str]:
    return sorted({case.root_of(p) for p in iface.parties})


def scope(case: Case) -> list[ScopeNote]:
    out = []
    for i in sorted(case.interfaces, key=lambda i: i.id):
        roots = _roots(case, i)
        if not i.created_by:
            out.append(ScopeNote("interface", i.id, False, "created by no decision in the case"))
        elif len(roots) < 2:
            out.append(ScopeNote("interface", i.id, False,
                                 f"not cross-agency: every party belongs to {names(case, roots)}"))
        else:
            out.append(ScopeNote("interface", i.id, True,
                                 f"cross-agency: its parties belong to {names(case, roots)}"))
    return out


def _timing(a: Agreement, iface: Interface) -> str:
    """As OIG-R2's: no start date checks existence only; an unrecorded signature date is undetermined."""
    if iface.starts is None:
        return "ok"
    if a.signed is None:
        return "undetermined"
    return in_effect_by(a.signed, iface.starts)


def _missing(case: Case, a: Agreement, iface: Interface) -> list[str]:
    return [p for p in iface.parties if not any(covers(case, q, p) for q in a.parties)]


def _status(case: Case, iface: Interface) -> tuple[str | None, list[Agreement], list[str]]:
    """(status, agreements it rests on, parties not covered); status None when covered."""
    mine = [a for a in case.agreements if iface.id in a.interfaces]
    in_place = [a for a in mine if a.status is Presence.in_place]
    rank = {"ok": 0, "undetermined": 1, "late": 2}
    graded = sorted(((len(_missing(case, a, iface)), rank[_timing(a, iface)], a.id, a) for a in in_place),
                    key=lambda g: g[:3])
    if graded:
        n_missing, timing, _, best = graded[0]
        if n_missing:
            return "partial", [best], _missing(case, best, iface)
        if timing == 0:
            return None, [], []
        return ("undetermined" if timing == 1 else "late"), [best], []
    absent = [a for a in mine if a.status is Presence.absent]
    return ("absent", absent, []) if absent else ("none", [], [])


def _message(case: Case, iface: Interface, status: str, used: list[Agreement], missing: list[str]) -> str:
    parties = names(case, minimal_parties(case, iface.parties))
    what = f"“{iface.title}”"
    bind = f"it would have to bind {parties}"
    if status == "none":
        return f"Nothing in the record shows a formal agreement on {what}; {bind}."
    if status == "absent":
        return f"No formal agreement on {what} existed, as the record states; {bind}."
    a = used[0]
    if status == "partial":
        missing = minimal_parties(case, missing)
        return f"The agreement {a.id} on {what} does not bind {names(case, missing)}; {bind}."
    if status == "late":
        return f"The agreement {a.id} on {what} among {parties} was signed ({a.signed}) only after the interface started on {iface.starts}."
    return (f"Whether the agreement {a.id} on {what} among {parties} was signed before the interface started on "
            f"{iface.starts} cannot be told at the precision recorded (signed {a.signed or 'at an unrecorded date'}).")


def check(case: Case, matrix: pd.DataFrame) -> list[Finding]:
    findings = []
    for iface in interfaces_in_scope(case, scope):
        status, used, missing = _status(case, iface)
        if status is None:
            continue
        cited = [(f"interface {iface.id}", iface.evidence)]
        cited += [(f"agreement {a.id}", a.evidence) for a in used]
        findings.append(Finding(
            rule=CODE,
            decision=creating_decision(case, iface.created_by),
            interface=iface.id,
            status=status,
            severity=SEVERITY[status],
            message=_message(case, iface, status, used, missing),
            parties=tuple(minimal_parties(case, iface.parties)),
            evidence=evidence_refs(case, cited),
        ))
    return findings


RULE = Rule(
    code=CODE,
    title="The parties to a cross-agency interface have a formal agreement covering it",
    recommendation=RECOMMENDATION,
    rationale=RATIONALE,
    check=check,
    scope=scope,
    doc="docs/rules/OIG-R3.md",
)
