"""OIG-R1: coordinate directly with the affected stakeholders before issuing a significant policy.

Scope, from the recommendation's own words ("prior to issuing a significant
policy affecting multiple Department of Justice components, other Executive
Branch agencies, or the courts", addressed to the Department): significant
decisions made, acted for or urged by the addressed department or its
components, that reach several of its components, another executive agency
or a court; and, of their stakeholders, the components of that department,
other executive agencies and the courts (not Congress, the public or private
parties, and not the decision's own offices). Inside scope, every cell short
of undisputed consultation, or with less notice than the impact needs, is a
finding.
"""

from __future__ import annotations

from ..model.case import Grade, Status
from ..model.findings import Severity
from .base import Quote, Rule, ScopeNote, StatusDef, possessive
from .questions import CellQ, Questions
from .scope import Relation, breadth, on_side, outside_words, relation

CODE = "OIG-R1"

SOURCE_QUOTE = Quote(
    text=(
        "Prior to issuing a significant policy affecting multiple Department of Justice components, "
        "other Executive Branch agencies, or the courts, coordinate directly with affected stakeholders "
        "to ensure effective implementation."
    ),
    source="doj-oig-21-028",
    section="Conclusion and Recommendations > Recommendations > To the Department",
    locator="recommendation 1",
)
RECOMMENDATION = SOURCE_QUOTE

RATIONALE = (
    "The offices that carry a policy's consequences can say what it will cost them and what they need "
    "before it starts. The OIG found that the U.S. Marshals Service, the Southwest border U.S. Attorneys' "
    "offices, HHS and the federal courts were not consulted before the zero tolerance policy, so needs that "
    "could have been planned for surfaced only after it was in force."
)

STATUSES = (
    StatusDef("none", Severity.high, "Nothing shows the stakeholder was told about the impact."),
    StatusDef("after", Severity.high, "The stakeholder first learned of the impact after the decision."),
    StatusDef("same_day", Severity.high,
              "The stakeholder first learned of the impact on the day of the decision, or at a date "
              "that cannot be placed before it: no advance notice."),
    StatusDef("indirect", Severity.medium,
              "The stakeholder learned in advance, but only from a third party, not the decision's side."),
    StatusDef("leadership_only", Severity.medium,
              "Only an organisation above the stakeholder heard in advance, not the stakeholder itself."),
    StatusDef("informed", Severity.low, "The stakeholder was told in advance, one-way; its input was not sought."),
    StatusDef("consulted", Severity.low,
              "Consulted, but only on a disputed account, or with less notice than the impact needs "
              "(then at least medium)."),
)
SEVERITY = {s.name: s.severity for s in STATUSES}
STATUS_SEVERITY = {Status(s.name): s.severity for s in STATUSES}
LEAD_TIME_SEVERITY = Severity.medium  # a notice shorter than the impact needs is at least this

WHAT = """\
For every significant decision in scope: that each stakeholder in scope was
**consulted** on each impact (its input sought before the decision, by the
decision's side, on that impact's topic), and was contacted at least as long
before the decision as the impact needs. On a proposal, the same question is
asked of the planned consultations, for every organisation the process map
shows it reaches."""

HOW = """\
1. **Whom it addresses.** The rulebook addresses the organisation a case names
   in `case.yaml` (`addresses: {oig-21-028: doj}`); when the case names none,
   the department of each decision's maker (the nearest organisation of kind
   `department` above it).
2. **Scope, per decision.** A decision is in scope when it is marked
   `significant`, when it was decided, acted for or urged by the addressed
   organisation or one of its units, and when it affects at least two of the
   addressed organisation's components, another executive agency or a court.
   Every decision outside is listed with the reason (a court's order, the
   President's, another department's).
3. **Scope, per stakeholder.** Of a decision's stakeholders, the rule speaks
   of the addressed organisation's components, other executive agencies and
   the courts: legislative and non-governmental organisations, and executive
   organisations of kind `other` (a foreign government, say), are outside.
   So are the decision's own offices (its maker, those acting for it or
   urging it, and units below them, except a department's components, which
   are stakeholders in their own right).
4. **A finding is made** per cell (decision, stakeholder, impact) in scope when
   consultation is not established by undisputed records, or the impact
   states `required_lead_days` and the contact came later than that.
5. **Status and severity.** The finding carries the status reached (the best
   account; a disputed one is marked `disputed` and the message says what the
   status is without it). Severity comes from the status (table above),
   raised to at least medium when the notice was too short.
6. **Responsible.** The finding names who owed the coordination: the maker
   (`decided`), those acting for it (`acting_for`) and those urging it
   (`urged`).
7. **Evidence.** The decision, the impact, the contacts that earned the
   status, the other accounts of a disputed contact, the unanswered concerns
   and, when nothing covered the impact, the contacts on other topics."""


EXAMPLE = """\
In the example case (`datasets/example`), the Minister of Ports' night curfew
(`d-curfew`) reaches other agencies and a court, so the rule applies. The
Legal Office consulted the Northern Customs Station on inspection workload 14
days ahead, but the impact needs 30; nobody told the station about its
overtime pay, and its letter about it went unanswered:

```yaml
# decisions.yaml
impacts:
  - id: d-curfew.customs-north.inspection-workload
    stakeholder: customs-north
    topic: inspection-workload
    required_lead_days: 30
  - id: d-curfew.customs-north.overtime-pay
    stakeholder: customs-north
    topic: overtime-pay
```


The Customs Service's own rota change (`d-rota`) is not in scope: it is not
marked significant and reaches only the Customs Service's own station, so its
"informed" cell yields no finding."""

# ---------------------------------------------------------------- scope
def _decision_note(q: Questions, d) -> ScopeNote:
    addressed = q.addressed(d)
    if addressed is None:
        return ScopeNote("decision", d.id, False,
                         f"decided by {q.names(d.decided_by)}, which belongs to no department the rulebook addresses")
    owners = [(o, r) for o, r in d.roles() if q.tree.is_within(o, addressed)]
    if not owners:
        return ScopeNote("decision", d.id, False,
                         f"decided by {q.names(d.decided_by)}: neither it nor anyone acting for or urging it "
                         f"is part of {q.name(addressed)}, which the rule addresses")
    wide, why = breadth(q.tree, addressed, d.affected, d.maker)
    if d.significant and wide:
        return ScopeNote("decision", d.id, True, f"a significant decision: {why}")
    if d.significant:
        return ScopeNote("decision", d.id, False, f"a significant decision, but {why}")
    if wide:
        return ScopeNote("decision", d.id, False, f"not marked significant (although {why})")
    return ScopeNote("decision", d.id, False, f"not marked significant, and {why}")


def scope(q: Questions) -> list[ScopeNote]:
    out = []
    for d in sorted(q.decisions.values(), key=lambda d: d.id):
        note = _decision_note(q, d)
        out.append(note)
        if not note.applies:
            continue
        addressed = q.addressed(d)
        for s in sorted(set(d.affected)):
            if on_side(q.tree, d.side, s):
                out.append(ScopeNote("stakeholder", s, False, "one of the decision's own offices", within=d.id))
            elif relation(q.tree, addressed, s, d.maker) is Relation.outside_government:
                out.append(ScopeNote("stakeholder", s, False,
                                     f"{outside_words(q.tree, s)} is not a component of {q.name(addressed)}, an executive "
                                     "agency or a court", within=d.id))
    return out


# ---------------------------------------------------------------- check
def _message(q: Questions, c: CellQ, lead_gap: bool) -> str:
    who, topic, status = q.name(c.stakeholder), c.topic, c.status
    planned = q.kind == "proposal"
    lead = c.lead_time_days
    event = "the issue date" if planned else "the decision"
    at_least = "at least " if c.lead_time_at_least else ""  # an open date: "before ..."
    when = f" ({at_least}{lead} days before {event})" if lead is not None and lead > 0 and not lead_gap else ""
    if status is Status.consulted:
        text = f"{who} {'is to be' if planned else 'was'} consulted on {topic}{when}"
    elif status is Status.informed:
        text = (f"{who} {'is only to be' if planned else 'was only'} informed about {topic}{when}, "
                "not asked for its input")
    elif status is Status.leadership_only:
        heads = q.names(c.via) or "a parent organisation"
        text = f"only {heads} above {who} {'is to hear' if planned else 'heard'} about {topic} in advance"
    elif status is Status.indirect:
        text = f"{who} learned of {topic} in advance only from {q.names(c.via)}, not from the decision's side"
    elif status is Status.same_day and c.timing_uncertain:
        text = (f"{possessive(who)} first contact on {topic} ({c.first_contact_date}) cannot be placed before "
                f"{event} at the precision recorded")
    elif status is Status.same_day:
        text = f"{who} {'is to learn' if planned else 'first learned'} of {topic} on the day of {event}"
    elif status is Status.after:
        text = (f"{who} {'is to learn' if planned else 'first learned'} of {topic} only after {event} "
                f"({c.first_contact_date})")
    elif planned:
        text = f"no contact with {who} on {topic} is planned before the issue date"
    else:
        text = f"nothing in the record shows that {who} was told about {topic}"
    if status is Status.none and c.other_topic_contacts:
        refs = ", ".join(c.other_topic_contacts)
        text += (f"; it is to be contacted on other topics only ({refs})" if planned
                 else f"; its contacts about the decision ({refs}) covered other topics")
    clauses = [text]
    if lead_gap:
        had = f"{at_least}{lead} days' notice" if lead is not None and lead >= 0 else "no advance notice"
        clauses.append(f"it {'would have' if planned else 'had'} {had} where the impact needs "
                       f"{c.required_lead_days}")
    if c.fell_back:  # a minimum grade: weaker evidence shows a better rung
        weaker = (c.grade_all_grades.phrase, "shows") if c.grade_all_grades else ("contacts citing no evidence", "show")
        minimum = f" ({q.minimum_grade.words})" if q.minimum_grade else ""
        clauses.append(f"only {weaker[0]}, weaker than the minimum grade{minimum}, {weaker[1]} "
                       f"{c.status_all_grades.words}")
    elif c.grade is not None and c.grade is not Grade.primary:
        clauses.append(f"this rests on {c.grade.phrase}")
    if c.disputed and c.undisputed_status is not status:
        words = "nothing in the record" if c.undisputed_status is Status.none else c.undisputed_status.words
        clauses.append(f"this rests on a disputed account: without it, {words}")
    elif c.disputed:
        clauses.append("the record of this is disputed")
    if c.unanswered:
        clauses.append(f"its concerns ({', '.join(c.unanswered)}) went unanswered")
    if c.why:
        clauses.append(f"it is affected by {c.why}")
    sentence = "; ".join(clauses)
    return sentence[0].upper() + sentence[1:] + "."


def check(q: Questions):
    for c in q.cells:
        status_gap = c.undisputed_status is not Status.consulted
        lead_gap = c.lead_time_met is False
        if not (status_gap or lead_gap):
            continue
        severity = SEVERITY[c.status.value]
        if lead_gap and LEAD_TIME_SEVERITY.rank < severity.rank:
            severity = LEAD_TIME_SEVERITY
        yield RULE.finding(
            q, c.status.value, severity=severity, cited=c.cited,
            decision=c.decision, stakeholder=c.stakeholder, impact=c.impact,
            message=_message(q, c, lead_gap), disputed=c.disputed,
            lead_time_days=c.lead_time_days, required_lead_days=c.required_lead_days,
            grade=None if c.grade is None else c.grade.value,
        )


RULE = Rule(
    code=CODE,
    title="Coordinate directly with affected stakeholders before issuing a significant policy",
    source_quote=SOURCE_QUOTE,
    rationale=RATIONALE,
    statuses=STATUSES,
    check=check,
    scope=scope,
    what=WHAT,
    how=HOW,
    example=EXAMPLE,
    examples=(
        "OIG-R1/d-curfew/d-curfew.customs-north.inspection-workload/customs-north",
        "OIG-R1/d-curfew/d-curfew.customs-north.overtime-pay/customs-north",
        "OIG-R1/d-curfew/d-curfew.health-clinics.patient-transport/health-clinics",
    ),
)
