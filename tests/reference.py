"""A plain-Python statement of the consultation-matrix rules, one contact at a
time. Slow and obvious on purpose: the tests check the fast engine against it.
"""

from __future__ import annotations

from coordgap.model.case import (
    GRADE_ORDER,
    STATUS_ORDER,
    TWO_WAY_KINDS,
    Case,
    Grade,
    Status,
)
from coordgap.model.dates import Timing


def _rung(case: Case, decision, impact, comm) -> int | None:
    """The ladder rung one contact earns for one impact, or None if it earns none."""
    s = impact.stakeholder
    sender = case.org_of(comm.sender)
    if case.is_within(sender, s):  # the stakeholder writing: shows what it knew, earns nothing
        return None
    # a person on the side (a maker, say) stands for the organisation of their post
    from_side = any(case.is_within(sender, case.org_of(office)) for office in decision.side)
    recipients = [case.org_of(r) for r in comm.recipients]
    direct = any(case.is_within(r, s) for r in recipients)
    leadership = any(r != s and case.is_within(s, r) for r in recipients)
    timing = comm.date.timing(decision.date)
    if timing is Timing.before:
        if direct and from_side:
            return 0 if comm.kind in TWO_WAY_KINDS else 1
        if leadership and from_side:
            return 2
        if direct:
            return 3
        return None
    if not direct:
        return None
    return 4 if timing in (Timing.same_day, Timing.overlap) else 5


def _lead(decision, comm) -> tuple[int | None, bool | None]:
    """Days from the contact to when the change took effect (its effective date, else the
    decision's date), counted by days, and whether that is only a lower bound (an open side)."""
    when, c = decision.takes_effect, comm.date
    if c.end < when.start:
        return (when.start - c.end).days, c.open_start or when.open_end
    if c.start > when.end:
        return (when.end - c.start).days, c.open_end or when.open_start
    if c.is_day and when.is_day:
        return 0, False
    return None, None


def _grade(case: Case, comm) -> int | None:
    """A contact's grade rank: the strongest of the evidence records it cites (an id with no
    record counts as the default grade, primary); None when it cites none."""
    ranks = [case.evidence_index[e].grade.rank if e in case.evidence_index else 0 for e in comm.evidence]
    return min(ranks) if ranks else None


def _word(rank: int | None) -> str | None:
    return None if rank is None else GRADE_ORDER[rank].value


def reference_matrix(case: Case, minimum_grade: Grade | str | None = None) -> list[dict]:
    minimum = minimum_grade or case.meta.minimum_grade
    floor = None if minimum is None else Grade(minimum).rank
    answered = {ref for c in case.communications for ref in c.responds_to}
    rows = []
    for decision in case.decisions:
        for impact in decision.impacts:
            s = impact.stakeholder
            relevant = [c for c in case.communications if decision.id in c.decisions]
            earned, every, other, raised = [], [], [], []
            for c in relevant:
                sender = case.org_of(c.sender)
                self_sent = case.is_within(sender, s)
                # a contact about the decision's text counts for the topics the text covers
                covers = impact.topic in c.topics or (c.about_text and impact.topic in decision.covers)
                direct = any(case.is_within(case.org_of(r), s) for r in c.recipients)
                if self_sent and covers and any(
                    case.is_within(case.org_of(r), case.org_of(office)) and not case.is_within(case.org_of(r), s)
                    for r in c.recipients for office in decision.side
                ):
                    raised.append(c.id)
                if not covers:
                    if direct and not self_sent:
                        other.append(c.id)
                    continue
                rung = _rung(case, decision, impact, c)
                if rung is not None:
                    every.append((rung, c))
                    g = _grade(case, c)
                    if floor is None or (g is not None and g <= floor):  # only grades that count earn
                        earned.append((rung, c))
            best = min((r for r, _ in earned), default=6)
            undisputed = min((r for r, c in earned if c.dispute is None), default=6)
            at_best = sorted((c for r, c in earned if r == best), key=lambda c: (c.date.end, c.date.start, c.id))
            # the grade a status rests on: the strongest grade among the contacts that earn it
            grade = min((g for c in at_best if (g := _grade(case, c)) is not None), default=None)
            best_all = min((r for r, _ in every), default=6)
            grade_all = min((g for r, c in every if r == best_all and (g := _grade(case, c)) is not None), default=None)
            first = at_best[0] if at_best else None
            lead, at_least = _lead(decision, first) if first else (None, None)
            req = impact.required_lead_days
            rows.append({
                "decision": decision.id,
                "impact": impact.id,
                "stakeholder": s,
                "topic": impact.topic,
                "status": STATUS_ORDER[best].value,
                "undisputed_status": STATUS_ORDER[undisputed].value,
                "first_contact": first.id if first else None,
                "first_contact_date": first.date.text if first else None,
                "timing_uncertain": bool(first and first.date.timing(decision.date) is Timing.overlap),
                "lead_time_days": lead,
                "lead_time_at_least": at_least,
                "required_lead_days": req,
                "lead_time_met": None if req is None else (lead is not None and lead >= req),
                "contacts": tuple(sorted(c.id for c in at_best)),
                "evidence": tuple(sorted({e for c in at_best for e in c.evidence})),
                "other_topic_contacts": tuple(sorted(set(other))),
                "raised": tuple(sorted(set(raised))),
                "unanswered": tuple(sorted(set(raised) - answered)),
                "disputed": any(c.dispute is not None for _, c in earned) or decision.dispute is not None,
                "grade": _word(grade),
                "status_all_grades": STATUS_ORDER[best_all].value,
                "grade_all_grades": _word(grade_all),
            })
    rows.sort(key=lambda r: (r["decision"], r["impact"]))
    return rows


assert Status.none is STATUS_ORDER[6]
