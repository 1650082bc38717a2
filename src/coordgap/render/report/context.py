"""Everything a report shows, computed once, in the order the report shows it.

The Markdown and HTML templates both render this one context, so the two
formats carry the same content; they only loop over it and print. Nothing
here decides a finding: findings come from coordgap.assess.case, statuses from
the consultation matrix, the record accounting from coordgap.assess.accounting.
Every list is in a fixed order, so a report is the same bytes on every run.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pandas as pd

from ..._version import __version__
from ...assess.accounting import (
    NOT_RELEVANT,
    REJECTED,
    USED,
    Accounting,
    account,
    communication_links,
)
from ...assess.case import Assessment
from ...assess.overlap import distinct_gaps, same_gaps
from ...model.case import TWO_WAY_KINDS, Case, CommKind, Status
from ...model.findings import Finding, Severity
from ...rules.base import name_of
from .text import STATUS_MEANINGS, status_words
from .timeline import Lane, Mark, decision_order, timeline_svg

WORST_GAPS = 5
CATEGORY_WORDS = {USED: "used as evidence", NOT_RELEVANT: "not relevant", REJECTED: "rejected"}
PRECISION_WORDS = {
    "day": "day",
    "approx_day": "on or about a day (±3 days)",
    "part_of_month": "part of a month",
    "month": "month",
    "year": "year",
    "span": "span",
}


def _na(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def anchor(key: str) -> str:
    """An HTML id for a finding key (codes and ids only hold [A-Za-z0-9._/-])."""
    return "finding-" + key.replace("/", "--")


class _Ctx:
    def __init__(self, case: Case, assessment: Assessment, accounting: Accounting):
        self.case = case
        self.a = assessment
        self.acc = accounting
        # several rulebooks: the same gap under several rules is shown once (assess/overlap.py)
        self.gaps = same_gaps(assessment.active, assessment.rulebook.rules)

    # -- small pieces
    def org(self, org_id: str | None) -> dict | None:
        if org_id is None:
            return None
        return {"id": org_id, "name": name_of(self.case, org_id)}

    def locator(self, source: str, section: str, footnote: int | None) -> str:
        """Where a quote is: the source's id (listed with its title under Source documents), section, footnote."""
        where = f"{source}, section “{section}”"
        return where + (f", footnote {footnote}" if footnote is not None else "")

    def evidence(self, ids) -> list[dict]:
        out = []
        for ev_id in ids:
            e = self.case.evidence_index.get(ev_id)
            if e is not None:
                out.append({"id": e.id, "quote": e.quote, "locator": self.locator(e.source, e.section, e.footnote),
                            "supports": ""})
        return out

    def heading(self, f: Finding) -> str:
        """A reader's title for a finding: who, through what, under which decision."""
        d = self.case.decision_index.get(f.decision) if f.decision else None
        when = f" ({d.title}, {d.date.text})" if d else ""
        iface = next((i for i in self.case.interfaces if i.id == f.interface), None)
        if iface and not f.stakeholder:
            return f"{f.rule}: no agreement on {iface.title}"
        who = name_of(self.case, f.stakeholder) if f.stakeholder else "no stakeholder"
        if iface:
            return f"{f.rule}: {who}, procedure for {iface.title}"
        topic = next((i.topic for i in d.impacts if i.id == f.impact), None) if d and f.impact else None
        return f"{f.rule}: {who}{f', {topic}' if topic else ''}{when}"

    def finding(self, f: Finding) -> dict:
        own = f"decision {f.decision}"
        return {
            "heading": self.heading(f),
            "key": f.key,
            "anchor": anchor(f.key),
            "rule": f.rule,
            "severity": f.severity.value,
            "status": f.status,
            "status_words": status_words(f.status),
            "decision": f.decision,
            "stakeholder": self.org(f.stakeholder),
            "impact": f.impact,
            "interface": f.interface,
            "parties": [self.org(p) for p in f.parties],
            "message": f.message,
            "responsible": [{"organisation": r.organisation, "name": r.name, "role": r.role.value}
                            for r in f.responsible],
            "responsible_sentence": responsible_sentence(f),
            "disputed": f.disputed,
            # The decision's own evidence is quoted once, under the decision in the results;
            # a finding quotes the rest and names those.
            "decision_evidence": [r.id for r in f.evidence if set(r.supports) == {own}],
            "evidence": [
                {"id": r.id, "quote": r.quote, "locator": self.locator(r.source, r.section, r.footnote),
                 "supports": ", ".join(r.supports)}
                for r in f.evidence if set(r.supports) != {own}
            ],
            "suppressed": f.suppressed,
            "justification": f.suppression.justification if f.suppression else None,
            "rules": [g.rule for g in self.gaps.get(f.key, (f,))],  # every rule this gap breaks
            "same_as": None,  # set by listed() where the gap is shown under an earlier rule
        }

    def listed(self, f: Finding) -> dict:
        """A finding as its rule's section lists it: in full where its gap is first shown, else a
        pointer to that place."""
        first = self.gaps.get(f.key, (f,))[0]
        if first.key == f.key:
            return self.finding(f)
        return {"heading": self.heading(f), "key": f.key, "anchor": anchor(f.key), "rule": f.rule,
                "severity": f.severity.value, "status": f.status, "status_words": status_words(f.status),
                "message": f.message, "same_as": {"key": first.key, "rule": first.rule, "anchor": anchor(first.key)},
                "rules": [g.rule for g in self.gaps[f.key]], "suppressed": False}

    def comm_brief(self, comm_id: str) -> dict:
        c = self.case.communication_index[comm_id]
        return {
            "id": c.id,
            "date": c.date.text,
            "kind": c.kind.value,
            "sender": name_of(self.case, c.sender),
            "topics": ", ".join(c.topics) or "none recorded",
        }


_ROLE_WORDS = {"decided": "which decided it", "acting_for": "which acted for the maker",
               "urged": "which urged it"}


def responsible_sentence(f: Finding) -> str:
    """Who owed the coordination, as a sentence: 'Responsible: U.S. Department of Homeland Security,
    which decided it; Office of the Attorney General, which urged it.'"""
    if not f.responsible:
        return ""
    parts = [f"{r.name or r.organisation}, {_ROLE_WORDS[r.role.value]}" for r in f.responsible]
    return "Responsible: " + "; ".join(parts) + "."


def _gravity(f: Finding) -> tuple:
    """Worst first: by severity, then the lower rung of the status ladder (for a ladder status), then key."""
    rung = Status(f.status).rank if f.status in {s.value for s in Status} else 0
    return (f.severity.rank, -rung, f.key)


def _worst(case: Case, active) -> list[Finding]:
    """The gravest gaps, one per (department or branch, topic), from the decisions with the most
    gaps first: a summary should show the breadth of the worst gaps, not five benches of one court."""
    weight = Counter(f.decision for f in active)
    ranked = sorted(active, key=lambda f: (f.severity.rank, -weight[f.decision], _gravity(f)))
    out, seen = [], set()
    for f in ranked:
        topic = case.decision_index[f.decision].impacts if f.impact else ()
        topic = next((i.topic for i in topic if i.id == f.impact), f.interface or f.rule)
        root = case.root_of(f.stakeholder) if f.stakeholder in case.orgs else f.rule
        family = (root, topic)
        if family not in seen:
            seen.add(family)
            out.append(f)
        if len(out) == WORST_GAPS:
            break
    return out


def _summary(x: _Ctx) -> dict:
    case, a = x.case, x.a
    m = a.matrix
    stakeholders = sorted(set(m["stakeholder"]))
    consulted_everywhere = [
        s for s in stakeholders
        if all(v == Status.consulted.value for v in m.loc[m["stakeholder"] == s, "undisputed_status"])
    ]
    active = a.active
    worst = _worst(case, active)
    by_status = Counter(m["status"])
    rules = []
    for rule in a.rulebook.rules:
        notes = a.scope.get(rule.code, ())
        mine = [f for f in a.findings if f.rule == rule.code]
        act = [f for f in mine if not f.suppressed]
        worst_sev = min((f.severity for f in act), key=lambda s: s.rank, default=None)
        rules.append({
            "code": rule.code,
            "title": rule.title,
            "in_scope": sum(n.applies for n in notes),
            "out_of_scope": sum(not n.applies for n in notes),
            "findings": len(act),
            "suppressed": len(mine) - len(act),
            "worst": worst_sev.value if worst_sev else "—",
            "result": "no gap found" if not act else f"{len(act)} finding(s)",
        })
    books = []
    if len(a.rulebooks) > 1:  # several rulebooks: a result for each, and what only it found
        gaps = same_gaps(active, a.rulebook.rules)
        for b in a.rulebooks:
            mine = [f for f in active if f.rule in b.codes]
            alone = [f for f in mine if all(g.rule in b.codes for g in gaps[f.key])]
            books.append({"name": b.name, "title": b.title, "rules": len(b.rules), "findings": len(mine),
                          "alone": len(alone)})
    decisions = []
    for d in sorted(case.decisions, key=lambda d: (d.date.start, d.date.end, d.id)):
        cells = m[m["decision"] == d.id]
        decisions.append({
            "id": d.id,
            "title": d.title,
            "date": d.date.text,
            "impacts": len(cells),
            "stakeholders": cells["stakeholder"].nunique(),
            "consulted": int((cells["undisputed_status"] == Status.consulted.value).sum()),
            "findings": sum(1 for f in active if f.decision == d.id),
        })
    sev = Counter(f.severity.value for f in active)
    return {
        "decisions": len(case.decisions),
        "decision_rows": decisions,
        "stakeholders": len(stakeholders),
        "consulted_everywhere": len(consulted_everywhere),
        "cells": len(m),
        "cells_consulted": int((m["undisputed_status"] == Status.consulted.value).sum()),
        "by_status": [{"status": s.value, "words": status_words(s.value), "count": by_status.get(s.value, 0)}
                      for s in Status],
        "findings": len(active),
        "gaps": distinct_gaps(active, a.rulebook.rules),  # the same gap under several rules counts once
        "suppressed": len(a.findings) - len(active),
        "by_severity": [{"severity": s.value, "count": sev.get(s.value, 0)} for s in Severity],
        "worst": [x.finding(f) for f in worst],
        "rules": rules,
        "books": books,
    }


def _decisions(x: _Ctx) -> list[dict]:
    case, a = x.case, x.a
    m = a.matrix
    answers = defaultdict(list)
    for c in case.communications:
        for r in c.responds_to:
            answers[r].append(c.id)
    finding_keys = defaultdict(list)
    for f in a.findings:
        if f.impact:
            finding_keys[f.impact].append(f)
    out = []
    for d in sorted(case.decisions, key=lambda d: (d.date.start, d.date.end, d.id)):
        rows, missed, concerns = [], [], []
        cells = m[m["decision"] == d.id]
        impacts = {i.id: i for i in d.impacts}
        for r in cells.sort_values(["stakeholder", "topic", "impact"]).itertuples(index=False):
            lead = None if _na(r.lead_time_days) else int(r.lead_time_days)
            need = None if _na(r.required_lead_days) else int(r.required_lead_days)
            short = need is not None and not _na(r.lead_time_met) and not bool(r.lead_time_met)
            undisputed = r.undisputed_status
            rows.append({
                "stakeholder": x.org(r.stakeholder),
                "impact": r.impact,
                "topic": r.topic,
                "description": impacts[r.impact].description if r.impact in impacts else "",
                "status": r.status,
                "status_words": status_words(r.status),
                "disputed": bool(r.disputed),
                "undisputed_words": status_words(undisputed) if undisputed != r.status else None,
                "uncertain": bool(r.timing_uncertain),
                "first_contact": r.first_contact,
                "first_contact_date": r.first_contact_date,
                "lead": lead,
                "lead_words": _lead_words(lead),
                "need": need,
                "short": short,
                "findings": [{"key": f.key, "rule": f.rule, "anchor": anchor(f.key), "suppressed": f.suppressed}
                             for f in finding_keys.get(r.impact, [])],
            })
            for c in r.other_topic_contacts:
                brief = x.comm_brief(c)
                missed.append({**brief, "stakeholder": x.org(r.stakeholder), "impact": r.impact, "topic": r.topic})
            for c in r.raised:
                brief = x.comm_brief(c)
                concerns.append({**brief, "stakeholder": x.org(r.stakeholder), "impact": r.impact, "topic": r.topic,
                                 "answered_by": ", ".join(answers.get(c, [])) or None})
        scope = [
            {"code": code, "applies": n.applies, "reason": n.reason}
            for code, notes in a.scope.items() for n in notes if n.subject == "decision" and n.id == d.id
        ]
        interfaces = []
        for i in sorted(case.interfaces, key=lambda i: i.id):
            if d.id in i.created_by:
                notes = [{"code": code, "applies": n.applies, "reason": n.reason}
                         for code, ns in a.scope.items() for n in ns if n.subject == "interface" and n.id == i.id]
                interfaces.append({"id": i.id, "title": i.title, "starts": i.starts.text if i.starts else None,
                                   "parties": [x.org(p) for p in i.parties], "scope": notes})
        out.append({
            "id": d.id,
            "title": d.title,
            "date": d.date.text,
            "precision": PRECISION_WORDS[d.date.precision.value],
            "decided_by": x.org(d.decided_by),
            "acting_for": [x.org(o) for o in d.acting_for],
            "urged_by": [x.org(o) for o in d.urged_by],
            "significant": d.significant,
            "dispute": d.dispute,
            "summary": d.summary,
            "evidence": x.evidence(d.evidence),
            "scope": scope,
            "interfaces": interfaces,
            "rows": rows,
            "missed": missed,
            "concerns": concerns,
        })
    return out


def _lead_words(lead: int | None) -> str:
    if lead is None:
        return "—"
    if lead == 0:
        return "same day"
    return f"{lead} days before" if lead > 0 else f"{-lead} days after"


def _rules(x: _Ctx) -> list[dict]:
    a = x.a
    out = []
    # several rulebooks run together: each rule is quoted from its own rulebook's source
    book_of = {r.code: b for b in (a.rulebooks or (a.rulebook,)) for r in b.rules}
    for n, rule in enumerate(a.rulebook.rules, start=1):
        mine = [f for f in a.findings if f.rule == rule.code]
        source = book_of.get(rule.code, a.rulebook).source
        where = rule.recommendation.locator
        out.append({
            "number": n,
            "label": where[:1].upper() + where[1:],  # "Recommendation 1", "Practice 6 of 8"
            "code": rule.code,
            "title": rule.title,
            "recommendation": rule.recommendation.text,
            "locator": f"{source.title} (report {source.number}), "
                       f"“{rule.recommendation.section}”, {rule.recommendation.locator}",
            "rationale": rule.rationale,
            "doc": rule.doc,
            "scope": [{"subject": s.subject, "id": s.id if not s.within else f"{s.within}/{s.id}",
                       "applies": s.applies, "reason": s.reason}
                      for s in a.scope.get(rule.code, ())],
            "findings": [x.listed(f) for f in mine if not f.suppressed],
            "suppressed": sum(f.suppressed for f in mine),
        })
    return out


def _timeline(x: _Ctx) -> dict:
    case = x.case
    used = {r.id for r in x.acc.of("communications") if r.category == USED}
    links = communication_links(case)
    impact_org = {i.id: i.stakeholder for d in case.decisions for i in d.impacts}
    lane_ids = list(dict.fromkeys(
        i.stakeholder for d in sorted(case.decisions, key=lambda d: (d.date.start, d.id)) for i in d.impacts))
    lanes = [Lane(o, name_of(case, o)) for o in lane_ids]
    marks, rows = [], []
    for d in case.decisions:
        marks.append(Mark(d.id, d.date.start, d.date.end, f"{d.date.text} — decision {d.id}: {d.title}", "decision"))
        rows.append({"sort": (d.date.start, d.date.end, 0, d.id), "date": d.date.text, "kind": "decision",
                     "id": d.id, "from": name_of(case, d.decided_by), "to": "",
                     "what": d.title, "topics": "", "decisions": ""})
    for c in case.communications:
        if c.id not in used:
            continue
        style = ("concern" if c.kind is CommKind.concern else
                 "two_way" if c.kind in TWO_WAY_KINDS else "one_way")
        lanes_of = tuple(dict.fromkeys(impact_org[i] for i in links.get(c.id, ()) if i in impact_org))
        marks.append(Mark(c.id, c.date.start, c.date.end,
                          f"{c.date.text} — {c.id} ({c.kind.value}) from {name_of(case, c.sender)}: {c.summary}",
                          style, lanes_of))
        rows.append({"sort": (c.date.start, c.date.end, 1, c.id), "date": c.date.text, "kind": c.kind.value,
                     "id": c.id, "from": name_of(case, c.sender),
                     "to": ", ".join(name_of(case, r) for r in c.recipients),
                     "what": c.summary, "topics": ", ".join(c.topics), "decisions": ", ".join(c.decisions)})
    rows.sort(key=lambda r: r.pop("sort"))
    title = f"Timeline of {len(case.decisions)} decision(s) and {len(used)} communication(s), by affected stakeholder"
    labels = [{"label": f"D{n}", "id": m.id, "date": case.decision_index[m.id].date.text,
               "title": case.decision_index[m.id].title} for n, m in enumerate(decision_order(marks), start=1)]
    return {"svg": timeline_svg(lanes, marks, title), "rows": rows, "title": title, "labels": labels}


def _recommendations(x: _Ctx) -> list[dict]:
    out = []
    for r in _rules(x):
        out.append({"number": r["number"], "label": r["label"], "code": r["code"], "text": r["recommendation"],
                    "locator": r["locator"],
                    "findings": r["findings"], "suppressed": r["suppressed"]})
    return out


def _methodology(x: _Ctx) -> dict:
    case, m = x.case, x.a.matrix
    labels = sorted({c.dispute for c in case.communications if c.dispute} |
                    {d.dispute for d in case.decisions if d.dispute})
    disputes = []
    for label in labels:
        records = [{"id": d.id, "kind": "decision", "date": d.date.text, "summary": d.summary}
                   for d in case.decisions if d.dispute == label]
        records += [{"id": c.id, "kind": c.kind.value, "date": c.date.text, "summary": c.summary}
                    for c in case.communications if c.dispute == label]
        ids = {r["id"] for r in records}
        cells = []
        for r in m.itertuples(index=False):
            if r.disputed and (ids & set(r.contacts) or r.decision in ids or ids & _dispute_related(case, r)):
                cells.append({"impact": r.impact, "stakeholder": x.org(r.stakeholder),
                              "status_words": status_words(r.status),
                              "undisputed_words": status_words(r.undisputed_status)})
        disputes.append({"label": label, "records": records, "cells": cells})
    imprecise = []
    for d in sorted(case.decisions, key=lambda d: d.id):
        if not d.date.is_day:
            imprecise.append(_imprecise("decision", d.id, d.date))
    used = {r.id for r in x.acc.of("communications") if r.category == USED}
    for c in sorted(case.communications, key=lambda c: (c.date.start, c.id)):
        if c.id in used and not c.date.is_day:
            imprecise.append(_imprecise(c.kind.value, c.id, c.date))
    uncertain = [{"impact": r.impact, "stakeholder": x.org(r.stakeholder), "first_contact": r.first_contact,
                  "date": r.first_contact_date}
                 for r in m.itertuples(index=False) if r.timing_uncertain]
    return {
        "ladder": [{"status": s.value, "words": status_words(s.value), "meaning": STATUS_MEANINGS[s.value]}
                   for s in Status],
        "disputes": disputes,
        "imprecise": imprecise,
        "uncertain": uncertain,
        "rejected": len(case.rejected),
    }


def _dispute_related(case: Case, row) -> set[str]:
    """Communications of the cell's decision that reached its stakeholder and carry a dispute label."""
    return {c.id for c in case.communications
            if c.dispute and row.decision in c.decisions
            and any(case.is_within(case.org_of(p), row.stakeholder) for p in c.recipients)}


def _imprecise(kind: str, rec_id: str, d) -> dict:
    return {"kind": kind, "id": rec_id, "date": d.text, "precision": PRECISION_WORDS[d.precision.value],
            "interval": f"{d.start.isoformat()} to {d.end.isoformat()}"}


def _suppressions(x: _Ctx) -> list[dict]:
    by_key = {f.key: f for f in x.a.findings}
    out = []
    for use in x.a.suppressions:
        s = use.suppression
        out.append({
            "rule": s.rule, "decision": s.decision, "stakeholder": s.stakeholder, "impact": s.impact,
            "justification": s.justification,
            "findings": [x.finding(by_key[k]) for k in use.findings],
        })
    return out


_RECORD_COLUMNS = {
    "stakeholders": ("name", "parent", "kind", "branch"),
    "actors": ("name", "title", "organisation"),
    "evidence": ("source", "section", "footnote", "quote"),
    "communications": ("date", "kind", "sender", "recipients", "topics", "decisions", "summary"),
    "decisions": ("date", "title", "decided_by", "acting_for", "urged_by"),
    "flows": ("source", "target", "handover"),
    "interfaces": ("title", "parties", "starts", "created_by"),
    "procedures": ("organisation", "title", "status", "in_effect", "interfaces"),
    "agreements": ("title", "kind", "parties", "status", "signed", "interfaces"),
}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value.value if hasattr(value, "value") and not isinstance(value, str) else value)


def _records(x: _Ctx) -> list[dict]:
    case = x.case
    out = []
    for t in x.acc.tables:
        cols = _RECORD_COLUMNS.get(t.table, ())
        recs = {r.id: r for r in getattr(case, t.table, ())} if t.table in _RECORD_COLUMNS else {}
        rows = []
        for acc in x.acc.of(t.table):
            rec = recs.get(acc.id) if acc.category != REJECTED else None
            cells = [_cell(getattr(rec, c)) for c in cols] if rec is not None else [""] * len(cols)
            rows.append({"id": acc.id or "(no id)", "category": CATEGORY_WORDS[acc.category],
                         "why": acc.why, "cells": cells})
        out.append({"table": t.table, "columns": [c.replace("_", " ") for c in cols], "rows": rows})
    return out


def _sources(case: Case, book) -> dict:
    """Documents quoted as evidence (and the rulebook's source) up front; documents the
    case lists but quotes nothing from go to an appendix, so the front page stays short."""
    quotes = Counter(e.source for e in case.evidence)

    def row(s, role):
        return {"id": s.id, "title": s.title, "number": s.number, "publisher": s.publisher,
                "date": s.date.text if getattr(s.date, "text", None) else s.date, "role": role}

    quoted = [row(s, f"quoted as evidence ({quotes[s.id]} quotes)") for s in case.meta.sources if quotes[s.id]]
    same = [r for r in quoted if (r["title"], r["number"]) == (book.source.title, book.source.number)]
    if same:  # the rulebook rests on a document the case already quotes: one row, both roles
        same[0]["role"] += f"; source of the rulebook {book.name}"
    else:
        quoted.append(row(book.source, f"source of the rulebook {book.name}"))
    cited = [row(s, "listed by the case; not quoted") for s in case.meta.sources if not quotes[s.id]]
    return {"sources": quoted, "cited_documents": cited}


def build_context(case: Case, assessment: Assessment) -> dict:
    """The whole report as plain data; see the module docstring."""
    accounting = account(case, assessment.matrix, assessment.findings)
    x = _Ctx(case, assessment, accounting)
    dates = [d.date for d in case.decisions]
    book = assessment.rulebook
    return {
        "title": case.meta.title,
        "case_id": case.meta.id,
        "case_summary": case.meta.summary,
        "version": __version__,
        "rulebook": {"name": book.name, "title": book.title},
        **_sources(case, book),
        "window": {"start": case.meta.window.start.isoformat(), "end": case.meta.window.end.isoformat()},
        "decision_dates": {"first": min(dates).text, "last": max(dates).text} if dates else None,
        "summary": _summary(x),
        "decisions": _decisions(x),
        "rules": _rules(x),
        "timeline": _timeline(x),
        "recommendations": _recommendations(x),
        "methodology": _methodology(x),
        "suppressions": _suppressions(x),
        "accounting": {"tables": [vars(t) | {"balanced": t.balanced} for t in accounting.tables],
                       "total": vars(accounting.total) | {"balanced": accounting.total.balanced},
                       "balanced": accounting.balanced},
        "records": _records(x),
    }
