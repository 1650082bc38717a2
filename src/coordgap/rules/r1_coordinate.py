"""OIG-R1: coordinate directly with the affected stakeholders before issuing a significant policy.

Scope is read from the organisation tree relative to the decision-maker
(coordgap.rules.scope.r1_applies) and the decision's `significant` flag. Inside
scope, every cell of the consultation matrix whose stakeholder is not part
of the decision's side is checked: a finding when consultation on the impact
is not established by undisputed records, or when the notice was shorter
than the impact's required lead time. docs/rules/OIG-R1.md explains each step.
"""

from __future__ import annotations

import pandas as pd

from ..model.case import Case, Decision, Status
from ..model.findings import Finding, Severity, evidence_refs
from .base import Quote, Rule, ScopeNote, name_of, names, possessive
from .scope import r1_applies

CODE = "OIG-R1"

RECOMMENDATION = Quote(
    text=(
        "Prior to issuing a significant policy affecting multiple Department of Justice components, "
        "other Executive Branch agencies, or the courts, coordinate directly with affected stakeholders "
        "to ensure effective implementation."
    ),
    source="doj-oig-21-028",
    section="Conclusion and Recommendations > Recommendations > To the Department",
    locator="recommendation 1",
)

RATIONALE = (
    "The offices that carry a policy's consequences can say what it will cost them and what they need "
    "before it starts. The OIG found that the U.S. Marshals Service, the Southwest border U.S. Attorneys' "
    "offices, HHS and the federal courts were not consulted before the zero tolerance policy, so needs that "
    "could have been planned for surfaced only after it was in force."
)

# Severity by the status that was reached (docs/rules/OIG-R1.md).
STATUS_SEVERITY = {
    Status.consulted: Severity.low,  # only reached when consultation rests on a disputed account
    Status.informed: Severity.low,  # advance notice, but input not sought
    Status.leadership_only: Severity.medium,  # no direct contact with the stakeholder itself
    Status.indirect: Severity.medium,  # advance notice, but not from the decision's side
    Status.same_day: Severity.high,  # no advance notice
    Status.after: Severity.high,
    Status.none: Severity.high,
}
LEAD_TIME_SEVERITY = Severity.medium  # a notice shorter than the impact needs is at least this

STATUS_WORDS = {s: s.words for s in Status} | {Status.none: "nothing in the record"}


def _decision_scope(case: Case, d: Decision) -> tuple[bool, str]:
    tree_applies, why = r1_applies(case.orgs, d.decided_by, [i.stakeholder for i in d.impacts])
    if d.significant and tree_applies:
        return True, f"a significant decision: {why}"
    if d.significant:
        return False, f"a significant decision, but {why}"
    if tree_applies:
        return False, f"not marked significant (although {why})"
    return False, f"not marked significant, and {why}"


def scope(case: Case) -> list[ScopeNote]:
    out = []
    for d in sorted(case.decisions, key=lambda d: d.id):
        applies, reason = _decision_scope(case, d)
        out.append(ScopeNote("decision", d.id, applies, reason))
    return out


def _on_side(case: Case, d: Decision, org: str) -> bool:
    return any(case.is_within(org, s) for s in d.side)


def _na(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _message(case: Case, d: Decision, row, lead_gap: bool) -> str:
    who = name_of(case, row.stakeholder)
    topic = row.topic
    status = Status(row.status)
    lead = None if _na(row.lead_time_days) else int(row.lead_time_days)
    contacts = [case.communication_index[c] for c in row.contacts if c in case.communication_index]
    when = f" ({lead} days before the decision)" if lead is not None and lead > 0 and not lead_gap else ""
    if status is Status.consulted:
        text = f"{who} was consulted on {topic}{when}"
    elif status is Status.informed:
        text = f"{who} was only informed about {topic}{when}, not asked for its input"
    elif status is Status.leadership_only:
        above = set(case.ancestors(row.stakeholder))
        heads = sorted({case.org_of(r) for c in contacts for r in c.recipients} & above)
        text = f"only {names(case, heads) or 'a parent organisation'} above {who} heard about {topic} in advance"
    elif status is Status.indirect:
        senders = sorted({case.org_of(c.sender) for c in contacts})
        text = f"{who} learned of {topic} in advance only from {names(case, senders)}, not from the decision's side"
    elif status is Status.same_day and row.timing_uncertain:
        text = (f"{possessive(who)} first contact on {topic} ({row.first_contact_date}) cannot be placed before "
                f"the decision at the precision recorded")
    elif status is Status.same_day:
        text = f"{who} first learned of {topic} on the day of the decision"
    elif status is Status.after:
        text = f"{who} first learned of {topic} only after the decision ({row.first_contact_date})"
    else:
        text = f"nothing in the record shows that {who} was told about {topic}"
        if row.other_topic_contacts:
            text += f"; its contacts about the decision ({', '.join(row.other_topic_contacts)}) covered other topics"
    clauses = [text]
    if lead_gap:
        had = f"{lead} days' notice" if lead is not None and lead >= 0 else "no advance notice"
        clauses.append(f"it had {had} where the impact needs {int(row.required_lead_days)}")
    undisputed = Status(row.undisputed_status)
    if row.disputed and undisputed is not status:
        clauses.append(f"this rests on a disputed account: without it, {STATUS_WORDS[undisputed]}")
    elif row.disputed:
        clauses.append("the record of this is disputed")
    if row.unanswered:
        clauses.append(f"its concerns ({', '.join(row.unanswered)}) went unanswered")
    sentence = "; ".join(clauses)
    return sentence[0].upper() + sentence[1:] + "."


def _disputed_counterparts(case: Case, d: Decision, contacts) -> list[str]:
    labels = {case.communication_index[c].dispute for c in contacts if c in case.communication_index} - {None}
    return sorted(c.id for c in case.communications
                  if c.dispute in labels and c.id not in contacts and d.id in c.decisions)


def check(case: Case, matrix: pd.DataFrame) -> list[Finding]:
    return cell_findings(case, matrix, {n.id for n in scope(case) if n.applies}, CODE)


def cell_findings(case: Case, matrix: pd.DataFrame, in_scope: set[str], code: str) -> list[Finding]:
    """A finding, under rule `code`, for every matrix cell of the decisions in `in_scope` whose
    stakeholder (outside the decision's side) was not consulted, or had too little notice.
    Shared with GAO-LP6, which asks the same question of every decision."""
    findings = []
    for row in matrix[matrix["decision"].isin(in_scope)].itertuples(index=False):
        d = case.decision_index[row.decision]
        if _on_side(case, d, row.stakeholder):
            continue  # the decision's own side does not consult itself
        status = Status(row.status)
        status_gap = Status(row.undisputed_status) is not Status.consulted
        lead_gap = not _na(row.required_lead_days) and not _na(row.lead_time_met) and not bool(row.lead_time_met)
        if not (status_gap or lead_gap):
            continue
        severity = STATUS_SEVERITY[status]
        if lead_gap and LEAD_TIME_SEVERITY.rank < severity.rank:
            severity = LEAD_TIME_SEVERITY
        impact = next(i for i in d.impacts if i.id == row.impact)
        # the records each clause of the message rests on, and no others
        comms = list(row.contacts) + _disputed_counterparts(case, d, row.contacts) + list(row.unanswered)
        if status is Status.none:
            comms += list(row.other_topic_contacts)
        cited = [(f"decision {d.id}", d.evidence), (f"impact {impact.id}", impact.evidence)]
        cited += [(f"communication {c}", case.communication_index[c].evidence)
                  for c in dict.fromkeys(comms) if c in case.communication_index]
        findings.append(Finding(
            rule=code,
            decision=d.id,
            stakeholder=row.stakeholder,
            impact=row.impact,
            status=status.value,
            severity=severity,
            message=_message(case, d, row, lead_gap),
            disputed=bool(row.disputed),
            lead_time_days=None if _na(row.lead_time_days) else int(row.lead_time_days),
            required_lead_days=None if _na(row.required_lead_days) else int(row.required_lead_days),
            evidence=evidence_refs(case, cited),
        ))
    return findings


RULE = Rule(
    code=CODE,
    title="Coordinate directly with affected stakeholders before issuing a significant policy",
    recommendation=RECOMMENDATION,
    rationale=RATIONALE,
    check=check,
    scope=scope,
    doc="docs/rules/OIG-R1.md",
)
