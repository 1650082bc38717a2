"""Everything a report shows, computed once, in the order the report shows it.

The Markdown and HTML templates both render this one context, so the two
formats carry the same content; they only loop over it and print. Nothing
here decides a finding: findings come from coordgap.assess.case, statuses from
the consultation matrix, verdicts on conclusions from
coordgap.assess.conclusions, the record accounting from
coordgap.assess.accounting, the order of the worst gaps from harm.py.

Cost: every section is built from indexes made once per case (`_Index`:
matrix rows by decision, findings by decision, impact and rule, answers,
scope notes, disputed contacts by decision), so a report costs time in
proportion to what it shows, not to the product of the tables. Every number
the summary states is computed once, in `_figures`, and used everywhere.
Every list is in a fixed order, so a report is the same bytes on every run.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

import pandas as pd
from markupsafe import Markup

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
from ...assess.conclusions import Verdict, check_conclusions
from ...assess.overlap import distinct_gaps, same_gaps
from ...io.case_warnings import case_warnings
from ...model.case import TWO_WAY_KINDS, Case, Decision, Grade, Status
from ...model.findings import Finding, Severity
from ...rules.base import name_of
from . import harm, palette
from .heatmap import HeatCell, HeatRow, heatmap_svg
from .heatmap import legend as heat_legend
from .text import STATUS_MEANINGS, days, grade_note, plural, status_words
from .timeline import WINDOW_AFTER, WINDOW_BEFORE, Lane, Mark, style_of, timeline_svg
from .timeline import legend as timeline_legend

WORST_GAPS = 5
SENTENCE_GAPS = 3  # gaps named in a decision's sentence; the rest are counted
CATEGORY_WORDS = {USED: "used as evidence", NOT_RELEVANT: "not relevant", REJECTED: "rejected"}
PRECISION_WORDS = {
    "day": "day",
    "approx_day": "on or about a day (±3 days)",
    "part_of_month": "part of a month",
    "month": "month",
    "year": "year",
    "span": "span",
    "hour": "day, to the hour",
    "minute": "day, to the minute",
    "before": "some day before (how long before unknown)",
    "after": "some day after (how long after unknown)",
}
# The files beside report.md / report.html (the extension is the report's own).
APPENDIX_FILES = {"records": "records", "accounting": "accounting"}
FINDINGS_JSON = "findings.json"


def _na(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def anchor(short_id: str) -> str:
    """An HTML id for a finding's short id (OIG-R1-12 -> finding-OIG-R1-12)."""
    return "finding-" + short_id


def short_ids(findings) -> dict[str, str]:
    """Finding key -> rule code and its number within the rule (OIG-R1-12), in the findings' sorted
    order, so the same case gives the same ids on every run. The long key stays in findings.json."""
    count: Counter = Counter()
    out = {}
    for f in findings:
        count[f.rule] += 1
        out[f.key] = f"{f.rule}-{count[f.rule]}"
    return out


def topic_words(topic: str) -> str:
    """A topic id as words; an interface (a gap's topic for OIG-R2/R3) by its id."""
    if topic.startswith("i-") or topic.startswith("OIG-"):
        return f"interface {topic}" if topic.startswith("i-") else topic
    return topic.replace("-", " ")


def _join(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


TOOLTIP_CHARS = 60  # a contact's summary in a chart's tooltip; the chronology has it whole


def brief(text: str, limit: int = TOOLTIP_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def decision_order(case: Case) -> list[Decision]:
    return sorted(case.decisions, key=lambda d: (d.date.start, d.date.end, d.id))


class _Index:
    """Look-ups over the case, its matrix and its findings, built once per report."""

    def __init__(self, case: Case, a: Assessment):
        self.rows: dict[str, list] = defaultdict(list)
        for r in a.matrix.sort_values(["decision", "stakeholder", "topic", "impact"]).itertuples(index=False):
            self.rows[r.decision].append(r)
        self.findings_by_decision: dict[str, list[Finding]] = defaultdict(list)
        self.findings_by_impact: dict[str, list[Finding]] = defaultdict(list)
        self.findings_by_rule: dict[str, list[Finding]] = defaultdict(list)
        for f in a.findings:
            self.findings_by_rule[f.rule].append(f)
            if f.decision:
                self.findings_by_decision[f.decision].append(f)
            if f.impact:
                self.findings_by_impact[f.impact].append(f)
        self.answers: dict[str, list[str]] = defaultdict(list)
        for c in case.communications:
            for r in c.responds_to:
                self.answers[r].append(c.id)
        self.scope: dict[tuple[str, str], list[tuple[str, Any]]] = defaultdict(list)
        for code, notes in a.scope.items():
            for n in notes:
                self.scope[(n.subject, n.id)].append((code, n))
        self.interfaces_of: dict[str, list] = defaultdict(list)
        for i in sorted(case.interfaces, key=lambda i: i.id):
            for d in i.created_by:
                self.interfaces_of[d].append(i)
        self.disputed_comms: dict[str, list] = defaultdict(list)
        self.comms_of: dict[str, list] = defaultdict(list)  # decision -> the communications about it
        for c in case.communications:
            for d in dict.fromkeys(c.decisions):
                self.comms_of[d].append(c)
                if c.dispute:
                    self.disputed_comms[d].append(c)
        self.topic_of = {i.id: i.topic for d in case.decisions for i in d.impacts}
        self.impact_of = {i.id: i for d in case.decisions for i in d.impacts}
        self.number = {d.id: n for n, d in enumerate(decision_order(case), start=1)}


class _Ctx:
    def __init__(self, case: Case, assessment: Assessment, accounting: Accounting, links: dict[str, list[str]]):
        self.case = case
        self.a = assessment
        self.acc = accounting
        self.links = links  # communication id -> the impacts it was weighed for
        self.root = {o: case.root_of(o) for o in case.orgs}
        self.ix = _Index(case, assessment)
        self.ids = short_ids(assessment.findings)
        self.used_comms = {r.id for r in accounting.of("communications") if r.category == USED}
        # several rulebooks: the same gap under several rules is listed in full once (assess/overlap.py)
        self.gaps = same_gaps(assessment.active, assessment.rulebook.rules)

    # -- small pieces
    def org(self, org_id: str | None) -> dict | None:
        if org_id is None:
            return None
        return {"id": org_id, "name": name_of(self.case, org_id)}

    def locator(self, source: str, section: str, footnote: int | None, grade=None) -> str:
        """Where a quote is: the source's id (listed with its title under Source documents), section,
        footnote; and what it is when it is not the oversight body's own words ("; a paraphrase")."""
        where = f"{source}, section “{section}”"
        where += f", footnote {footnote}" if footnote is not None else ""
        return where + (f"; {Grade(grade).phrase}" if grade is not None and grade != Grade.primary else "")

    def evidence(self, ids) -> list[dict]:
        out = []
        for ev_id in ids:
            e = self.case.evidence_index.get(ev_id)
            if e is not None:
                out.append({"id": e.id, "quote": e.quote, "locator": self.locator(e.source, e.section, e.footnote, e.grade),
                            "supports": ""})
        return out

    def dlabel(self, d_id: str) -> str:
        return f"D{self.ix.number[d_id]}"

    def subject(self, f: Finding) -> str:
        """What the finding is about: the impact's topic, or the interface."""
        if f.impact:
            return topic_words(self.ix.topic_of.get(f.impact, f.impact))
        if f.interface:
            return f"interface {f.interface}"
        if f.collaboration:
            return f"collaboration {f.collaboration}"
        return ""

    def heading(self, f: Finding) -> str:
        """A reader's title for a finding: who, through what, under which decision."""
        d = self.case.decision_index.get(f.decision) if f.decision else None
        when = f" ({self.dlabel(d.id)}, {d.date.text})" if d else ""
        iface = f.interface
        if iface and not f.stakeholder:
            return f"no agreement on interface {iface}{when}"
        who = name_of(self.case, f.stakeholder) if f.stakeholder else "no stakeholder"
        if iface:
            return f"{who}: no procedure for interface {iface}{when}"
        return f"{who}: {self.subject(f)}{when}"

    def finding(self, f: Finding) -> dict:
        own = f"decision {f.decision}"
        sid = self.ids[f.key]
        return {
            "id": sid,
            "heading": self.heading(f),
            "key": f.key,
            "anchor": anchor(sid),
            "rule": f.rule,
            "severity": f.severity.value,
            "status": f.status,
            "status_words": status_words(f.status),
            "decision": f.decision,
            "decision_label": self.dlabel(f.decision) if f.decision in self.ix.number else "",
            "stakeholder": self.org(f.stakeholder),
            "subject": self.subject(f),
            "impact": f.impact,
            "interface": f.interface,
            "parties": [self.org(p) for p in f.parties],
            "message": f.message,
            "responsible": responsible_text(self, [f]),
            "disputed": f.disputed,
            # The decision's own evidence is quoted once, under the decision; a finding quotes the rest.
            "decision_evidence": [r.id for r in f.evidence if set(r.supports) == {own}],
            "evidence": [
                {"id": r.id, "quote": r.quote, "locator": self.locator(r.source, r.section, r.footnote, r.grade),
                 "supports": ", ".join(r.supports)}
                for r in f.evidence if set(r.supports) != {own}
            ],
            "suppressed": f.suppressed,
            "justification": f.suppression.justification if f.suppression else None,
            **self.overlap(f),
        }

    def overlap(self, f: Finding) -> dict:
        """Other rules that find the same gap, and where it is listed in full (None: here)."""
        gap = self.gaps.get(f.key, (f,))
        first = gap[0]
        return {"also": [g.rule for g in gap if g.rule != f.rule],
                "same_as": self.ids[first.key] if first.key != f.key else None, "same_as_rule": first.rule}

    def comm_brief(self, comm_id: str) -> dict:
        c = self.case.communication_index[comm_id]
        return {
            "id": c.id,
            "date": c.date.text,
            "kind": c.kind.value,
            "sender": name_of(self.case, c.sender),
            "topics": ", ".join(c.topics) or "none recorded",
        }

    def group_label(self, g: harm.Gap) -> str:
        """Who a gap is about, in words: the component, with the offices below it that it reached."""
        if g.component.endswith(harm.FIELD_OFFICES):
            top = name_of(self.case, g.component.removesuffix(harm.FIELD_OFFICES))
            names = [name_of(self.case, o) for o in g.offices]
            if len(names) == 1:
                return names[0]
            return f"{len(names)} field offices of the {top} ({names[0]} and {plural(len(names) - 1, 'other')})"
        name = name_of(self.case, g.component)
        below = [o for o in g.offices if o != g.component]
        if not below:
            return name
        if g.component not in g.offices:
            if len(below) == 1:
                return name_of(self.case, below[0])
            return f"{len(below)} offices of the {name}"
        return f"{name} and {plural(len(below), 'office')} below it"

    def gap(self, g: harm.Gap) -> dict:
        topics = [topic_words(t) for t in g.topics]
        worst = min(g.findings, key=lambda f: f.severity.rank).severity.value
        ids = [self.ids[f.key] for f in g.findings]
        d = self.case.decision_index[g.decision]
        return {
            "who": self.group_label(g),
            "decision": g.decision,
            "decision_label": self.dlabel(g.decision),
            "decision_title": d.title,
            "date": d.date.text,
            "topics": topics,
            "topics_text": _join(topics[:4]) + (f" and {len(topics) - 4} more" if len(topics) > 4 else ""),
            "harm": f"{g.harm:.1f}",
            "severity": worst,
            "findings": [{"id": i, "anchor": anchor(i)} for i in ids[:6]],
            "more_findings": max(len(ids) - 6, 0),
        }


# ---------------------------------------------------------------- figures (every number, once)
def _figures(x: _Ctx) -> dict:
    case, a = x.case, x.a
    m = a.matrix
    best = Counter(m["status"])
    undisputed = Counter(m["undisputed_status"])
    consulted_everywhere = 0
    stakeholders = 0
    if len(m):
        everywhere = (m["undisputed_status"] == Status.consulted.value).groupby(m["stakeholder"]).all()
        stakeholders, consulted_everywhere = len(everywhere), int(everywhere.sum())
    active = a.active
    sev = Counter(f.severity.value for f in active)
    return {
        "decisions": len(case.decisions),
        "significant": sum(d.significant for d in case.decisions),
        "stakeholders": stakeholders,
        "consulted_everywhere": consulted_everywhere,
        "cells": len(m),
        "consulted_best": best.get(Status.consulted.value, 0),
        "consulted_undisputed": undisputed.get(Status.consulted.value, 0),
        "disputed_cells": int(m["disputed"].sum()) if len(m) else 0,
        "by_status": [{"status": s.value, "words": status_words(s.value), "best": best.get(s.value, 0),
                       "undisputed": undisputed.get(s.value, 0)} for s in Status],
        "findings": len(active),
        "suppressed": len(a.findings) - len(active),
        "by_severity": [{"severity": s.value, "count": sev.get(s.value, 0)} for s in Severity],
        "communications_used": len(x.used_comms),
        "communications": len(case.communications),
    }


def _figure_sentences(f: dict) -> dict:
    """The summary's opening sentences, from the figures, with the plurals right."""
    sev = ", ".join(f"{s['count']} {s['severity']}" for s in f["by_severity"])
    consulted = (f"{f['consulted_best']} of the {plural(f['cells'], 'impact')} were consulted on"
                 if f["consulted_best"] == f["consulted_undisputed"] else
                 f"{f['consulted_best']} of the {plural(f['cells'], 'impact')} were consulted on by the best "
                 f"account, {f['consulted_undisputed']} when the disputed records are set aside "
                 f"({f['disputed_cells']} of the impacts rest on disputed records)")
    return {
        "scope": f"{plural(f['decisions'], 'decision')} analysed ({f['significant']} significant), affecting "
                 f"{plural(f['stakeholders'], 'stakeholder')} through {plural(f['cells'], 'impact')}.",
        "consulted": f"{consulted}; {f['consulted_everywhere']} of the {plural(f['stakeholders'], 'stakeholder')} "
                     f"{'was' if f['consulted_everywhere'] == 1 else 'were'} consulted on every impact that "
                     f"reached {'it' if f['consulted_everywhere'] == 1 else 'them'}.",
        "findings": f"The rules found {plural(f['findings'], 'gap')} ({sev}); "
                    f"{f['suppressed']} more {'was' if f['suppressed'] == 1 else 'were'} accepted by the case owner "
                    f"with a written justification (Appendix A).",
    }


# ---------------------------------------------------------------- the executive summary
def _conclusions(x: _Ctx) -> dict:
    results = check_conclusions(x.case, x.a)
    items, figures = [], []
    for r in results:
        c = r.conclusion
        items.append({
            "id": c.id,
            "statement": c.statement,
            "verdict": r.verdict.value,
            "verdict_words": r.verdict.words,
            "held": sum(a.holds for a in r.results),
            "claims": len(r.results),
            "quotes": [{"id": e.id, "quote": e.quote, "locator": x.locator(e.source, e.section, e.footnote, e.grade)}
                       for e in r.evidence],
            "results": [{"holds": a.holds, "kind": a.kind, "claim": a.claim, "found": a.found,
                         "record": [x.ids.get(k, k) for k in a.record]} for a in r.results],
        })
        for fig, res in zip(c.asserts.figures, r.results[len(c.asserts.cells) + len(c.asserts.findings):]):
            quotes = [x.case.evidence_index[e] for e in fig.evidence if e in x.case.evidence_index]
            shown = [q for q in quotes if q.id in res.record] or quotes
            figures.append({"label": fig.label, "value": f"{fig.value:,}" if isinstance(fig.value, int) else fig.value,
                            "holds": res.holds, "conclusion": c.id,
                            "quotes": [{"id": q.id, "quote": q.quote,
                                        "locator": x.locator(q.source, q.section, q.footnote, q.grade)}
                                       for q in shown]})
    counts = Counter(r.verdict for r in results)
    return {"list": items, "figures": figures,
            "counts": [{"verdict": v.value, "words": v.words, "count": counts.get(v, 0)} for v in Verdict],
            "total": len(results)}


def _drivers(x: _Ctx, d: Decision) -> str:
    """'Decided by X, urged by Y; Z acted for it.'"""
    text = f"Decided by {_join([name_of(x.case, m) for m in d.decided_by])}"
    urged = [name_of(x.case, o) for o in d.urged_by]
    acting = [name_of(x.case, o) for o in d.acting_for if o not in d.urged_by]
    both = [name_of(x.case, o) for o in d.acting_for if o in d.urged_by]
    if urged:
        text += f", urged by {_join(urged)}"
    if both:
        text += f" ({_join(both)} also acting for it)"
    if acting:
        text += f"; {_join(acting)} acted for it"
    return text + "."


ROLE_WORDS = {"decided": "which decided it", "acting_for": "which acted for the maker", "urged": "which urged it"}


def responsible_text(x: "_Ctx", fs: list[Finding]) -> str:
    """Who owed the coordination, as the findings name it (Finding.responsible): 'the Office of the
    Attorney General, which urged it; ...'; '' when the findings name no one."""
    named: dict[str, str] = {}
    for f in fs:
        for r in f.responsible:
            named.setdefault(r.organisation, r.role.value)
    return "; ".join(f"{name_of(x.case, o)}, {ROLE_WORDS.get(role, role)}" for o, role in named.items())


def _decision_sentences(x: _Ctx, gaps_by_decision: dict[str, list[harm.Gap]]) -> list[dict]:
    out = []
    for d in decision_order(x.case):
        if not d.significant:
            continue
        rows = x.ix.rows.get(d.id, [])
        fs = [f for f in x.ix.findings_by_decision.get(d.id, []) if not f.suppressed]
        affected = len({r.stakeholder for r in rows})
        with_gap = len({f.stakeholder for f in fs if f.impact})
        sentences = [_drivers(x, d)]
        gs = gaps_by_decision.get(d.id, [])
        if gs:
            # gaps on the same topics are named together: "A, B and C on interface i-x"
            groups: dict[tuple[str, ...], list[str]] = {}
            for g in gs[:SENTENCE_GAPS]:
                groups.setdefault(g.topics, []).append(x.group_label(g))
            named = [f"{_join(who)} on {_join([topic_words(t) for t in topics[:3]])}"
                     + (f" and {len(topics) - 3} more" if len(topics) > 3 else "") for topics, who in groups.items()]
            rest = len(gs) - min(len(gs), SENTENCE_GAPS)
            more = f"; and {plural(rest, 'other')}" if rest else ""
            verb = "was" if with_gap == 1 else "were"
            owed = responsible_text(x, fs)
            count = (f"{with_gap} of its {plural(affected, 'affected stakeholder')} {verb} not coordinated with "
                     f"before it on at least one impact; the worst gaps: " if with_gap else
                     "No finding on its impacts; the gaps are in the interfaces it creates, without procedure or agreement: ")
            sentences.append(f"{count}{'; '.join(named)}{more}." + (f" Responsible: {owed}." if owed else ""))
        elif rows:
            sentences.append(f"The rules found no gap for its {plural(affected, 'affected stakeholder')}.")
        else:
            sentences.append("It lists no impact on any stakeholder.")
        out.append({"id": d.id, "label": x.dlabel(d.id), "title": d.title, "date": d.date.text,
                    "sentences": sentences, "findings": len(fs)})
    return out


def _rule_results(x: _Ctx) -> list[dict]:
    a = x.a
    out = []
    for rule in a.rulebook.rules:
        notes = a.scope.get(rule.code, ())
        mine = x.ix.findings_by_rule.get(rule.code, [])
        act = [f for f in mine if not f.suppressed]
        worst_sev = min((f.severity for f in act), key=lambda s: s.rank, default=None)
        out.append({
            "code": rule.code,
            "title": rule.title,
            "in_scope": sum(n.applies for n in notes),
            "out_of_scope": sum(not n.applies for n in notes),
            "findings": len(act),
            "suppressed": len(mine) - len(act),
            "worst": worst_sev.value if worst_sev else "—",
            "result": "no gap found" if not act else plural(len(act), "finding"),
        })
    return out


def _rulebook_results(x: _Ctx) -> list[dict]:
    """Several rulebooks: the findings of each, and how many no other rulebook's rules found."""
    a = x.a
    if len(a.rulebooks) <= 1:
        return []
    active = a.active
    out = []
    for b in a.rulebooks:
        mine = [f for f in active if f.rule in b.codes]
        alone = [f for f in mine if all(g.rule in b.codes for g in x.gaps[f.key])]
        out.append({"name": b.name, "title": b.title, "rules": len(b.rules), "findings": len(mine),
                    "alone": len(alone)})
    return out


def _decision_rows(x: _Ctx) -> list[dict]:
    out = []
    for d in decision_order(x.case):
        rows = x.ix.rows.get(d.id, [])
        counts = Counter(r.status for r in rows)
        out.append({"id": d.id, "label": x.dlabel(d.id), "title": d.title, "date": d.date.text,
                    "significant": d.significant, "impacts": len(rows),
                    "stakeholders": len({r.stakeholder for r in rows}),
                    "counts": [counts.get(s.value, 0) for s in Status],
                    "findings": sum(1 for f in x.ix.findings_by_decision.get(d.id, []) if not f.suppressed)})
    return out


# ---------------------------------------------------------------- at a glance
def _glance(x: _Ctx) -> dict:
    case = x.case
    order = decision_order(case)
    cells: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for d in order:
        for r in x.ix.rows.get(d.id, []):
            cells[r.stakeholder][d.id].append(r)
    rank = {s.value: s.rank for s in Status}
    rows = []
    for org in sorted(cells, key=lambda o: (name_of(case, case.root_of(o)), [name_of(case, p) for p in
                                            reversed([o, *case.ancestors(o)])])):
        heat = {}
        for d_id, rs in cells[org].items():
            worst = max(rs, key=lambda r: rank[r.status])
            tip = "; ".join(f"{r.topic}: {status_words(r.status)}{' (disputed)' if r.disputed else ''}" for r in rs)
            heat[d_id] = HeatCell(worst.status, f"{name_of(case, org)}, {x.dlabel(d_id)}: {tip}",
                                  f"#decision-{d_id}")
        rows.append(HeatRow(org, name_of(case, org), name_of(case, case.root_of(org)), heat))
    columns = [(d.id, x.dlabel(d.id), f"{x.dlabel(d.id)}: {d.title} ({d.date.text})") for d in order]
    title = (f"Status of each affected stakeholder ({len(rows)}) under each decision ({len(order)}): "
             f"the worst status of its impacts")
    return {"svg": heatmap_svg(rows, columns, title), "legend": heat_legend(), "title": title,
            "key": [{"label": x.dlabel(d.id), "id": d.id, "title": d.title, "date": d.date.text} for d in order]}


# ---------------------------------------------------------------- results by decision
def _window(d: Decision) -> tuple[date, date]:
    first, last = d.date.known  # an open side ("before ...") closed at its known bound
    return first - timedelta(days=WINDOW_BEFORE), last + timedelta(days=WINDOW_AFTER)


def _lead_words(lead: int | None, at_least: bool = False) -> str:
    """A lead time in words; "at least" when it is a lower bound (an open date: "before ...")."""
    if lead is None:
        return "—"
    if lead == 0:
        return "same day"
    bound = "at least " if at_least else ""
    return f"{bound}{days(lead)} before" if lead > 0 else f"{bound}{days(-lead)} after"


def _decision_timeline(x: _Ctx, d: Decision, links: dict[str, list[str]]) -> tuple[Any, int]:
    """The decision's timeline over its window, and how many of its contacts fall outside it."""
    case = x.case
    start, end = _window(d)
    rows = x.ix.rows.get(d.id, [])
    orgs = list(dict.fromkeys(r.stakeholder for r in rows))
    orgs.sort(key=lambda o: (name_of(case, case.root_of(o)), name_of(case, o)))
    lanes = [Lane(o, name_of(case, o), name_of(case, case.root_of(o))) for o in orgs]
    impact_org = {i.id: i.stakeholder for i in d.impacts}
    marks = [Mark(d.id, *d.date.known, f"{d.date.text}: {d.title}", "decision",
                  number=x.ix.number[d.id])]
    outside = 0
    for c in x.ix.comms_of.get(d.id, ()):
        if c.id not in x.used_comms:
            continue
        lanes_of = tuple(dict.fromkeys(impact_org[i] for i in links.get(c.id, ()) if i in impact_org))
        if not lanes_of:
            continue
        if c.date.end < start or c.date.start > end:
            outside += 1
            continue
        marks.append(Mark(c.id, max(c.date.known[0], start), min(c.date.known[1], end),
                          f"{c.date.text}: {c.id} ({c.kind.value}) from {name_of(case, c.sender)}",  # the table below has the rest
                          style_of(c.kind.value, c.kind in TWO_WAY_KINDS), lanes_of))
    title = (f"{x.dlabel(d.id)} {d.title}: contacts from {start.isoformat()} to {end.isoformat()} "
             f"({WINDOW_BEFORE} days before to {WINDOW_AFTER} after), by affected stakeholder")
    return timeline_svg(lanes, marks, title, f"timeline-{d.id}", (start, end)), outside


def _decisions(x: _Ctx) -> list[dict]:
    case = x.case
    links = x.links
    out = []
    for d in decision_order(case):
        start, end = _window(d)
        rows, missed, concerns = [], [], []
        missed_later = concerns_outside = 0
        impacts = {i.id: i for i in d.impacts}
        for r in x.ix.rows.get(d.id, []):
            lead = None if _na(r.lead_time_days) else int(r.lead_time_days)
            need = None if _na(r.required_lead_days) else int(r.required_lead_days)
            short = need is not None and not _na(r.lead_time_met) and not bool(r.lead_time_met)
            undisputed = r.undisputed_status
            findings = []
            for f in x.ix.findings_by_impact.get(r.impact, []):
                sid = x.ids[f.key]
                # a finding on a row whose best account is better says which account it rests on
                on = " on the undisputed record" if f.status != r.status and f.status == undisputed else ""
                findings.append({"id": sid, "rule": f.rule, "anchor": anchor(sid), "suppressed": f.suppressed,
                                 "note": on})
            rows.append({
                "stakeholder": x.org(r.stakeholder),
                "impact": r.impact,
                "topic": r.topic,
                "description": impacts[r.impact].description if r.impact in impacts else "",
                "status": r.status,
                "status_words": status_words(r.status),
                "disputed": bool(r.disputed),
                "undisputed": undisputed,
                "undisputed_words": status_words(undisputed) if undisputed != r.status else None,
                "grade_note": grade_note(r.status, None if _na(r.grade) else r.grade, r.status_all_grades,
                                         None if _na(r.grade_all_grades) else r.grade_all_grades,
                                         case.meta.minimum_grade),
                "uncertain": bool(r.timing_uncertain),
                "first_contact": r.first_contact,
                "first_contact_date": r.first_contact_date,
                "lead": lead,
                "lead_words": _lead_words(lead, not _na(r.lead_time_at_least) and bool(r.lead_time_at_least)),
                "need": need,
                "need_words": days(need) if need is not None else None,
                "short": short,
                "findings": findings,
            })
            for c in r.other_topic_contacts:
                comm = case.communication_index[c]
                if comm.date.start > d.date.end:
                    missed_later += 1
                    continue
                if comm.date.end < start:
                    continue
                missed.append({**x.comm_brief(c), "stakeholder": x.org(r.stakeholder), "impact": r.impact,
                               "topic": r.topic})
            for c in r.raised:
                comm = case.communication_index[c]
                if comm.date.end < start or comm.date.start > end:
                    concerns_outside += 1
                    continue
                concerns.append({**x.comm_brief(c), "stakeholder": x.org(r.stakeholder), "impact": r.impact,
                                 "topic": r.topic, "answered_by": ", ".join(x.ix.answers.get(c, [])) or None})
        scope = [{"code": code, "applies": n.applies, "reason": n.reason}
                 for code, n in x.ix.scope.get(("decision", d.id), [])]
        interfaces = []
        for i in x.ix.interfaces_of.get(d.id, []):
            notes = [{"code": code, "applies": n.applies, "reason": n.reason}
                     for code, n in x.ix.scope.get(("interface", i.id), [])]
            interfaces.append({"id": i.id, "title": i.title, "starts": i.starts.text if i.starts else None,
                               "parties": [x.org(p) for p in i.parties], "scope": notes})
        svg, outside = _decision_timeline(x, d, links)
        counts = Counter(r["status"] for r in rows)
        fs = [f for f in x.ix.findings_by_decision.get(d.id, []) if not f.suppressed]
        owed = responsible_text(x, fs)
        out.append({
            "id": d.id,
            "label": x.dlabel(d.id),
            "title": d.title,
            "date": d.date.text,
            "precision": PRECISION_WORDS[d.date.precision.value],
            "decided_by": {"id": ", ".join(d.decided_by), "name": _join([name_of(case, m) for m in d.decided_by])},
            "acting_for": [x.org(o) for o in d.acting_for],
            "urged_by": [x.org(o) for o in d.urged_by],
            "significant": d.significant,
            "dispute": d.dispute,
            "summary": d.summary,
            "evidence": x.evidence(d.evidence),
            "scope": scope,
            "interfaces": interfaces,
            "rows": rows,
            "status_line": ", ".join(f"{counts[s.value]} {status_words(s.value)}" for s in Status if counts[s.value]),
            "findings": len(fs),
            "responsible": owed,
            "missing": sorted({name_of(case, f.stakeholder) for f in fs if f.impact and f.stakeholder}),
            "missed": missed,
            "missed_later": missed_later,
            "concerns": concerns,
            "concerns_outside": concerns_outside,
            "window": {"start": start.isoformat(), "end": end.isoformat(), "before": WINDOW_BEFORE,
                       "after": WINDOW_AFTER},
            "timeline": svg,
            "outside": outside,
        })
    return out


# ---------------------------------------------------------------- findings, timeline, recommendations
def _rules(x: _Ctx) -> list[dict]:
    a = x.a
    out = []
    # several rulebooks run together: each rule is quoted from its own rulebook's source
    book_of = {r.code: b for b in (a.rulebooks or (a.rulebook,)) for r in b.rules}
    for n, rule in enumerate(a.rulebook.rules, start=1):
        mine = x.ix.findings_by_rule.get(rule.code, [])
        notes = a.scope.get(rule.code, ())
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
            "scope": [{"subject": s.subject, "id": s.id if not getattr(s, "within", None) else f"{s.within}/{s.id}",
                       "applies": s.applies, "reason": s.reason} for s in notes],
            "findings": [x.finding(f) for f in mine if not f.suppressed],
            "suppressed": sum(f.suppressed for f in mine),
        })
    return out


def _evidence_cited(rules: list[dict]) -> list[dict]:
    """Each quote the findings rest on, once, with the findings that cite it (the Markdown report
    quotes them here instead of under every finding, which would repeat most quotes many times)."""
    by_id: dict[str, dict] = {}
    for r in rules:
        for f in r["findings"]:
            for e in f["evidence"]:
                item = by_id.setdefault(e["id"], {**e, "findings": []})
                item["findings"].append(f["id"])
    return [by_id[k] for k in sorted(by_id)]


def _overview(x: _Ctx) -> dict:
    case = x.case
    links = x.links
    impact_org = {i.id: i.stakeholder for d in case.decisions for i in d.impacts}
    roots = list(dict.fromkeys(case.root_of(i.stakeholder) for d in decision_order(case) for i in d.impacts))
    roots.sort(key=lambda o: name_of(case, o))
    lanes = [Lane(o, name_of(case, o)) for o in roots]
    marks = [Mark(d.id, *d.date.known, f"{d.date.text}: {d.title}", "decision",
                  number=x.ix.number[d.id]) for d in case.decisions]
    for c in case.communications:
        if c.id not in x.used_comms:
            continue
        lanes_of = tuple(dict.fromkeys(x.root[impact_org[i]] for i in links.get(c.id, ()) if i in impact_org))
        marks.append(Mark(c.id, *c.date.known,
                          f"{c.date.text}: {c.id} ({c.kind.value}) from {name_of(case, c.sender)}: {brief(c.summary)}",
                          style_of(c.kind.value, c.kind in TWO_WAY_KINDS), lanes_of))
    title = (f"Overview: {plural(len(case.decisions), 'decision')} and {plural(len(x.used_comms), 'contact')} "
             f"weighed, by department; each month is as wide as its contacts need")
    return {"svg": timeline_svg(lanes, marks, title, "timeline-overview"), "title": title,
            "legend": timeline_legend()}


def _chronology(x: _Ctx) -> list[dict]:
    case = x.case
    rows = []
    for d in case.decisions:
        rows.append({"sort": (d.date.start, d.date.end, 0, d.id), "date": d.date.text, "kind": "decision",
                     "id": d.id, "from": _join([name_of(case, m) for m in d.decided_by]), "to": "",
                     "what": d.title, "topics": "", "decisions": x.dlabel(d.id)})
    for c in case.communications:
        if c.id not in x.used_comms:
            continue
        rows.append({"sort": (c.date.start, c.date.end, 1, c.id), "date": c.date.text, "kind": c.kind.value,
                     "id": c.id, "from": name_of(case, c.sender),
                     "to": ", ".join(name_of(case, r) for r in c.recipients),
                     "what": c.summary, "topics": ", ".join(c.topics),
                     "decisions": ", ".join(x.dlabel(d) for d in c.decisions if d in x.ix.number)})
    rows.sort(key=lambda r: r.pop("sort"))
    return rows


def _recommendations(rules: list[dict]) -> list[dict]:
    return [{"number": r["number"], "label": r["label"], "code": r["code"], "text": r["recommendation"], "locator": r["locator"],
             "findings": [{"id": f["id"], "anchor": f["anchor"], "severity": f["severity"]} for f in r["findings"]],
             "by_severity": [{"severity": s.value, "count": sum(f["severity"] == s.value for f in r["findings"])}
                             for s in Severity],
             "suppressed": r["suppressed"]} for r in rules]


def _grades(case: Case, m: pd.DataFrame) -> dict | None:
    """The evidence grades of a case that grades any record below primary or sets a minimum
    grade (docs/data-model.md): how many records of each grade, the minimum, and how many cells
    it lowered. None for a case of the oversight body's own words only, which says nothing."""
    counts = Counter(e.grade for e in case.evidence)
    if case.meta.minimum_grade is None and set(counts) <= {Grade.primary}:
        return None
    lowered = int((m["status_all_grades"] != m["status"]).sum())
    return {"counts": [{"grade": g.words, "n": counts[g]} for g in Grade if counts[g]],
            "minimum": case.meta.minimum_grade.words if case.meta.minimum_grade else None, "lowered": lowered}


def _methodology(x: _Ctx) -> dict:
    case, m = x.case, x.a.matrix
    labels: dict[str, list[dict]] = {}
    for d in case.decisions:
        if d.dispute:
            labels.setdefault(d.dispute, []).append({"id": d.id, "kind": "decision", "date": d.date.text,
                                                     "summary": d.summary})
    for c in case.communications:
        if c.dispute:
            labels.setdefault(c.dispute, []).append({"id": c.id, "kind": c.kind.value, "date": c.date.text,
                                                     "summary": c.summary})
    cells: dict[str, list[dict]] = defaultdict(list)
    comm_label = {c.id: c.dispute for c in case.communications if c.dispute}
    for d_id, rows in x.ix.rows.items():
        d_label = case.decision_index[d_id].dispute
        for r in rows:
            if not r.disputed:
                continue
            found = {comm_label[c] for c in r.contacts if c in comm_label}
            if d_label:
                found.add(d_label)
            for c in x.ix.disputed_comms.get(d_id, ()):  # disputed contacts of the decision that reached it
                if any(case.is_within(case.org_of(p), r.stakeholder) for p in c.recipients):
                    found.add(c.dispute)
            for label in sorted(found):
                cells[label].append({"impact": r.impact, "stakeholder": x.org(r.stakeholder),
                                     "status_words": status_words(r.status),
                                     "undisputed_words": status_words(r.undisputed_status)})
    disputes = [{"label": label, "records": labels[label], "cells": cells.get(label, [])} for label in sorted(labels)]
    imprecise = []
    for d in sorted(case.decisions, key=lambda d: d.id):
        if not d.date.is_day:
            imprecise.append(_imprecise("decision", d.id, d.date))
    for c in sorted(case.communications, key=lambda c: (c.date.start, c.id)):
        if c.id in x.used_comms and not c.date.is_day:
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
        "grades": _grades(case, m),
        "rejected": len(case.rejected),
        "warnings": case_warnings(case),  # what `coordgap validate` warns of (io/case_warnings.py)
        "window_before": WINDOW_BEFORE,
        "window_after": WINDOW_AFTER,
        "harm": {"severity": harm.SEVERITY_WEIGHT, "shortfall": harm.SHORTFALL, "scale": harm.LEAD_DAYS_SCALE,
                 "max": harm.LEAD_FACTOR_MAX, "across": harm.ACROSS_BOUNDARY},
    }


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
    "conclusions": ("statement", "evidence"),
}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value.value if hasattr(value, "value") and not isinstance(value, str) else value)


def _records(x: _Ctx) -> list[dict]:
    case = x.case
    by_table: dict[str, list] = defaultdict(list)
    for acc in x.acc.records:
        by_table[acc.table].append(acc)
    out = []
    for t in x.acc.tables:
        cols = _RECORD_COLUMNS.get(t.table, ())
        recs = {r.id: r for r in getattr(case, t.table, ())} if t.table in _RECORD_COLUMNS else {}
        rows = []
        for acc in by_table.get(t.table, []):
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

    quoted = [row(s, f"quoted as evidence ({plural(quotes[s.id], 'quote')})") for s in case.meta.sources
              if quotes[s.id]]
    same = [r for r in quoted if (r["title"], r["number"]) == (book.source.title, book.source.number)]
    if same:  # the rulebook rests on a document the case already quotes: one row, both roles
        same[0]["role"] += f"; source of the rulebook {book.name}"
    else:
        quoted.append(row(book.source, f"source of the rulebook {book.name}"))
    cited = [row(s, "listed by the case; not quoted") for s in case.meta.sources if not quotes[s.id]]
    return {"sources": quoted, "cited_documents": cited}


def finding_records(case: Case, assessment: Assessment) -> list[dict]:
    """findings.json: every finding with its short id and its long, stable key."""
    ids = short_ids(assessment.findings)
    return [{"id": ids[f.key], **f.as_dict()} for f in assessment.findings]


def build_context(case: Case, assessment: Assessment) -> dict:
    """The whole report as plain data; see the module docstring."""
    links = communication_links(case)  # once per report: the accounting, the decisions and the overview use it
    accounting = account(case, assessment.matrix, assessment.findings, links)
    x = _Ctx(case, assessment, accounting, links)
    dates = [d.date for d in case.decisions]
    book = assessment.rulebook
    figures = _figures(x)
    all_gaps = harm.gaps(case, assessment.active, x.ix.topic_of)
    by_decision: dict[str, list[harm.Gap]] = defaultdict(list)
    for g in all_gaps:
        by_decision[g.decision].append(g)
    rules = _rules(x)
    return {
        "title": case.meta.title,
        "case_id": case.meta.id,
        "case_summary": case.meta.summary,
        "version": __version__,
        "rulebook": {"name": book.name, "title": book.title},
        **_sources(case, book),
        "window": {"start": case.meta.window.start.isoformat(), "end": case.meta.window.end.isoformat()},
        "decision_dates": {"first": min(dates).text, "last": max(dates).text} if dates else None,
        "files": APPENDIX_FILES,
        "palette_css": Markup(palette.css()),
        "findings_json": FINDINGS_JSON,
        "figures": figures,
        "sentences": _figure_sentences(figures),
        "conclusions": _conclusions(x),
        "decision_sentences": _decision_sentences(x, by_decision),
        "rule_results": _rule_results(x),
        "rulebook_results": _rulebook_results(x),
        "distinct_gaps": distinct_gaps(assessment.active, assessment.rulebook.rules),
        "decision_rows": _decision_rows(x),
        "status_columns": [{"status": s.value, "words": status_words(s.value)} for s in Status],
        "worst": [x.gap(g) for g in harm.worst(all_gaps, WORST_GAPS)],
        "glance": _glance(x),
        "decisions": _decisions(x),
        "rules": rules,
        "evidence_cited": _evidence_cited(rules),
        "overview": _overview(x),
        "recommendations": _recommendations(rules),
        "methodology": _methodology(x),
        "suppressions": _suppressions(x),
        "accounting": {"tables": [vars(t) | {"balanced": t.balanced} for t in accounting.tables],
                       "total": vars(accounting.total) | {"balanced": accounting.total.balanced},
                       "balanced": accounting.balanced},
        "records": _records(x),
        "chronology": _chronology(x),
    }
