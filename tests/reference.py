"""A plain-Python statement of the consultation-matrix rules, one contact at a
time. Slow and obvious on purpose: the tests check the fast engine against it.
"""

from __future__ import annotations

from coordgap.model.case import STATUS_ORDER, TWO_WAY_KINDS, Case, Status
from coordgap.model.dates import Timing


def _rung(case: Case, decision, impact, comm) -> int | None:
    """The ladder rung one contact earns for one impact, or None if it earns none."""
    s = impact.stakeholder
    sender = case.org_of(comm.sender)
    if case.is_within(sender, s):  # the stakeholder writing: shows what it knew, earns nothing
        return None
    from_side = any(case.is_within(sender, office) for office in decision.side)
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


def _lead(decision, comm) -> int | None:
    timing = comm.date.timing(decision.date)
    if timing is Timing.before:
        return (decision.date.start - comm.date.end).days
    if timing is Timing.same_day:
        return 0
    if timing is Timing.after:
        return (decision.date.end - comm.date.start).days
    return None


def reference_matrix(case: Case) -> list[dict]:
    answered = {ref for c in case.communications for ref in c.responds_to}
    rows = []
    for decision in case.decisions:
        for impact in decision.impacts:
            s = impact.stakeholder
            relevant = [c for c in case.communications if decision.id in c.decisions]
            earned, other, raised = [], [], []
            for c in relevant:
                sender = case.org_of(c.sender)
                self_sent = case.is_within(sender, s)
                # a contact about the decision's text counts for the topics the text covers
                covers = impact.topic in c.topics or (c.about_text and impact.topic in decision.covers)
                direct = any(case.is_within(case.org_of(r), s) for r in c.recipients)
                if self_sent and covers and any(
                    case.is_within(case.org_of(r), office) and not case.is_within(case.org_of(r), s)
                    for r in c.recipients for office in decision.side
                ):
                    raised.append(c.id)
                if not covers:
                    if direct and not self_sent:
                        other.append(c.id)
                    continue
                rung = _rung(case, decision, impact, c)
                if rung is not None:
                    earned.append((rung, c))
            best = min((r for r, _ in earned), default=6)
            undisputed = min((r for r, c in earned if c.dispute is None), default=6)
            at_best = sorted((c for r, c in earned if r == best), key=lambda c: (c.date.end, c.date.start, c.id))
            first = at_best[0] if at_best else None
            lead = _lead(decision, first) if first else None
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
                "required_lead_days": req,
                "lead_time_met": None if req is None else (lead is not None and lead >= req),
                "contacts": tuple(sorted(c.id for c in at_best)),
                "evidence": tuple(sorted({e for c in at_best for e in c.evidence})),
                "other_topic_contacts": tuple(sorted(set(other))),
                "raised": tuple(sorted(set(raised))),
                "unanswered": tuple(sorted(set(raised) - answered)),
                "disputed": any(c.dispute is not None for _, c in earned) or decision.dispute is not None,
            })
    rows.sort(key=lambda r: (r["decision"], r["impact"]))
    return rows


assert Status.none is STATUS_ORDER[6]
