"""Where every input record went: used as evidence, not relevant to any decision, or rejected.

For each table of a case folder, the records read are split three ways, so
a reader can check that nothing was lost:

    records in = used as evidence + not relevant to any decision + rejected

* **rejected**: the loader left the record out because it is wrong, or could
  not read it at all (`Case.rejected`, with the problems found). Records in
  counts what the files hold, whatever became of it: a row with the wrong
  number of cells, under a wrong header, not valid CSV, not UTF-8 or over the
  field limit is one rejected row with its line; the entries of a YAML file
  of the wrong shape are each rejected; a file that cannot be read at all
  (too big, a refused link, not parseable) counts as one rejected entry, since
  what it holds is unknown.
* **used as evidence**: the analysis weighed the record. What that means per
  table is stated in `why` for each record and in docs/reports.md; e.g. a
  communication is used when it concerns a decision of the case and involves
  one of that decision's affected stakeholders (as a recipient: the
  stakeholder itself, a unit below it or an organisation above it; as a
  sender: the stakeholder or a unit below it).
* **not relevant**: the rest, each with the reason.

Computed from the case, its consultation matrix and its findings; the report
templates only print it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from ..model.case import Case, Communication
from ..model.findings import Finding
from ..words import plural

USED = "used"
NOT_RELEVANT = "not_relevant"
REJECTED = "rejected"

# Tables in the order of docs/data-model.md.
TABLES = (
    "stakeholders",
    "actors",
    "evidence",
    "communications",
    "decisions",
    "flows",
    "interfaces",
    "procedures",
    "agreements",
    "collaborations",
    "conclusions",
)


@dataclass(frozen=True)
class RecordAccount:
    table: str
    id: str | None  # None for a rejected entry whose id could not be read
    category: str  # USED, NOT_RELEVANT or REJECTED
    why: str


@dataclass(frozen=True)
class TableAccount:
    table: str
    records_in: int
    used: int
    not_relevant: int
    rejected: int

    @property
    def balanced(self) -> bool:
        return self.records_in == self.used + self.not_relevant + self.rejected


@dataclass(frozen=True)
class Accounting:
    tables: tuple[TableAccount, ...]
    records: tuple[RecordAccount, ...]

    @property
    def total(self) -> TableAccount:
        return TableAccount(
            "all tables",
            sum(t.records_in for t in self.tables),
            sum(t.used for t in self.tables),
            sum(t.not_relevant for t in self.tables),
            sum(t.rejected for t in self.tables),
        )

    @property
    def balanced(self) -> bool:
        return all(t.balanced for t in self.tables) and self.total.balanced

    def of(self, table: str) -> list[RecordAccount]:
        return [r for r in self.records if r.table == table]


def _short(ids: Sequence[str], limit: int = 4) -> str:
    ids = list(dict.fromkeys(ids))
    head = ", ".join(ids[:limit])
    return head + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def communication_links(case: Case) -> dict[str, list[str]]:
    """Communication id -> the impacts it was weighed for (see module docstring)."""
    # A stakeholder is reached when it is the sender or above it, a recipient or above
    # one (`within`), or below a recipient (a recipient among its own ancestors).
    # Indexed once per decision (its impacts by stakeholder, and by each organisation above
    # a stakeholder), so a communication costs a few look-ups per decision, not a walk of
    # every impact with its ancestors.
    lineage = case.lineage
    actors = case.actor_index
    by_decision: dict[str, tuple[dict[str, list[int]], dict[str, list[int]], list[str]] | None] = {}

    def index(d_id: str):
        d = case.decision_index.get(d_id)
        if d is None:
            return None
        at: dict[str, list[int]] = defaultdict(list)
        below: dict[str, list[int]] = defaultdict(list)
        for n, impact in enumerate(d.impacts):
            at[impact.stakeholder].append(n)
            for above in set(lineage.get(impact.stakeholder, ())):
                below[above].append(n)
        return dict(at), dict(below), [i.id for i in d.impacts]

    def org_of(party: str) -> str:
        a = actors.get(party)
        return a.organisation if a else party

    out: dict[str, list[str]] = {}
    for c in case.communications:
        if not c.decisions:
            out[c.id] = []
            continue
        recipients = {org_of(r) for r in c.recipients}
        sender = org_of(c.sender)
        within = {sender, *lineage.get(sender, ())}
        for r in recipients:
            within.add(r)
            within.update(lineage.get(r, ()))
        links = []
        for d_id in c.decisions:
            ix = by_decision[d_id] if d_id in by_decision else by_decision.setdefault(d_id, index(d_id))
            if ix is None:
                continue
            at, below, ids = ix
            hit: set[int] = set()
            for o in within:
                if o in at:
                    hit.update(at[o])
            for r in recipients:
                if r in below:
                    hit.update(below[r])
            links += [ids[n] for n in sorted(hit)]
        out[c.id] = links
    return out


def _communication_roles(matrix: pd.DataFrame) -> dict[str, dict[str, list[str]]]:
    roles: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    from .case import matrix_rows

    for row in matrix_rows(matrix, ("impact", "contacts", "other_topic_contacts", "raised")):
        for col, role in (("contacts", "set the status of"), ("other_topic_contacts", "covered another topic for"),
                          ("raised", "raised with the decision's side for")):
            for c in getattr(row, col):
                roles[c][role].append(row.impact)
    return roles


def _communications(case: Case, matrix: pd.DataFrame, cited_by_findings: set[str],
                    links: dict[str, list[str]] | None = None) -> list[RecordAccount]:
    links = communication_links(case) if links is None else links
    roles = _communication_roles(matrix)
    out = []
    for c in case.communications:
        linked = links[c.id]
        if linked or c.id in cited_by_findings:
            parts = [f"{role} {_short(ids)}" for role, ids in roles.get(c.id, {}).items()]
            seen = {i for ids in roles.get(c.id, {}).values() for i in ids}
            rest = [i for i in linked if i not in seen]
            if rest:
                parts.append(f"weighed for {_short(rest)}")
            if not parts:
                parts.append("evidence for a finding")
            out.append(RecordAccount("communications", c.id, USED, "; ".join(parts)))
        else:
            out.append(RecordAccount("communications", c.id, NOT_RELEVANT, _why_not(case, c)))
    return out


def _why_not(case: Case, c: Communication) -> str:
    if not c.decisions:
        return "concerns no decision in the case"
    return f"concerns {_short(c.decisions)} but involves none of its affected stakeholders"


def _stakeholders(case: Case, used_comms: Iterable[Communication]) -> list[RecordAccount]:
    reasons: dict[str, str] = {}

    def mark(org: str, why: str) -> None:
        reasons.setdefault(org, why)

    for d in sorted(case.decisions, key=lambda d: d.id):
        for i in d.impacts:
            mark(i.stakeholder, f"affected by {d.id}")
        for org in d.side:
            mark(org, f"on the side of {d.id}")
    for i in case.interfaces:
        if i.created_by or i.starts is not None:  # standing interfaces are checked from their start
            for p in i.parties:
                mark(p, f"party to interface {i.id}")
    for c in used_comms:  # the reason's text is made only for an organisation not yet marked
        for party in (c.sender, *c.recipients):
            org = case.org_of(party)
            if org not in reasons:
                reasons[org] = f"sender or recipient of {c.id}"
    lineage = case.lineage
    for org in list(reasons):
        for above in lineage.get(org, ()):
            if above not in reasons:
                reasons[above] = f"above {org} in the organisation tree"
    return [
        RecordAccount("stakeholders", s.id, USED, reasons[s.id]) if s.id in reasons else
        RecordAccount("stakeholders", s.id, NOT_RELEVANT, "no decision, interface or weighed contact involves it")
        for s in case.stakeholders
    ]


def account(case: Case, matrix: pd.DataFrame, findings: Sequence[Finding],
            links: dict[str, list[str]] | None = None) -> Accounting:
    """Split every record of every table into used, not relevant and rejected."""
    cited_by_findings = {label.partition(" ")[2] for f in findings for ref in f.evidence
                         for label in ref.supports if label.startswith("communication ")}
    records: list[RecordAccount] = []

    comms = _communications(case, matrix, cited_by_findings, links)  # links: communication_links, if known
    used_comm_ids = {r.id for r in comms if r.category == USED}
    used_comms = [c for c in case.communications if c.id in used_comm_ids]
    records += _stakeholders(case, used_comms)

    parties = {p for c in used_comms for p in (c.sender, *c.recipients)}
    first_comm = {}
    for c in used_comms:
        for p in (c.sender, *c.recipients):
            first_comm.setdefault(p, c.id)
    actors = [
        RecordAccount("actors", a.id, USED, f"sender or recipient of {first_comm[a.id]}") if a.id in parties else
        RecordAccount("actors", a.id, NOT_RELEVANT, "sent or received no weighed communication")
        for a in case.actors
    ]
    decisions = [RecordAccount("decisions", d.id, USED, f"analysed: {plural(len(d.impacts), 'impact')}")
                 for d in case.decisions]
    flows = [RecordAccount("flows", f.id, NOT_RELEVANT, "a handoff of the process map; no rule of this report rests on it")
             for f in case.flows]
    used_ifaces = {i.id for i in case.interfaces if i.created_by or i.starts is not None}
    interfaces = [
        RecordAccount("interfaces", i.id, USED, f"created by {_short(i.created_by)}" if i.created_by else
                      f"a standing interface from {i.starts}") if i.id in used_ifaces else
        RecordAccount("interfaces", i.id, NOT_RELEVANT, "created by no decision in the case")
        for i in case.interfaces
    ]

    def covering(table, items):
        out = []
        for x in items:
            hit = [i for i in x.interfaces if i in used_ifaces]
            out.append(RecordAccount(table, x.id, USED, f"covers interface {_short(hit)}") if hit else
                       RecordAccount(table, x.id, NOT_RELEVANT, "covers no interface a decision creates"))
        return out

    procedures = covering("procedures", case.procedures)
    agreements = covering("agreements", case.agreements)
    collaborations = [RecordAccount("collaborations", m.id, USED, "a collaborative mechanism the GAO practices judge")
                      for m in case.collaborations]
    conclusions = [RecordAccount("conclusions", k.id, USED, "checked against the record: "
                                 f"{plural(len(k.asserts.all()), 'assertion')}") for k in case.conclusions]
    records += (actors + comms + decisions + flows + interfaces + procedures + agreements + collaborations
                + conclusions)

    # evidence: used when a used record (or a finding) cites it
    by_table_used = {(r.table, r.id) for r in records if r.category == USED}
    citing: dict[str, list[str]] = defaultdict(list)
    citing_unused: dict[str, list[str]] = defaultdict(list)
    for table, label, rec_id, ev_ids in _citations(case):
        target = citing if (table, rec_id) in by_table_used else citing_unused
        for ev in ev_ids:
            target[ev].append(label)
    in_findings: dict[str, int] = defaultdict(int)
    for f in findings:
        for ref in f.evidence:
            in_findings[ref.id] += 1
    evidence = []
    for e in case.evidence:
        n = in_findings.get(e.id, 0)
        quoted = f"quoted in {plural(n, 'finding')}" if n else ""
        if citing.get(e.id):
            why = f"cited by {_short(citing[e.id], 3)}" + (f"; {quoted}" if quoted else "")
            evidence.append(RecordAccount("evidence", e.id, USED, why))
        elif n:
            evidence.append(RecordAccount("evidence", e.id, USED, quoted))
        elif citing_unused.get(e.id):
            evidence.append(RecordAccount("evidence", e.id, NOT_RELEVANT,
                                          f"cited only by records not used: {_short(citing_unused[e.id], 3)}"))
        else:
            evidence.append(RecordAccount("evidence", e.id, NOT_RELEVANT, "cited by no record"))
    records += evidence

    for r in case.rejected:
        records.append(RecordAccount(r.table, r.record, REJECTED,
                                     f"{r.file}{f':{r.line}' if r.line else ''}: " + "; ".join(r.problems)))

    order = {t: n for n, t in enumerate(TABLES)}
    records.sort(key=lambda r: (order.get(r.table, len(order)), r.table))  # stable: file order within a table
    counted: dict[str, Counter] = defaultdict(Counter)  # one pass, not one per table
    for r in records:
        counted[r.table][r.category] += 1
    rejected_in = Counter(r.table for r in case.rejected)
    tables = []
    for table in TABLES + tuple(sorted(set(counted) - set(TABLES))):
        counts = counted.get(table, Counter())
        kept = len(getattr(case, table)) if table in TABLES else 0
        tables.append(TableAccount(table, kept + rejected_in[table], counts[USED], counts[NOT_RELEVANT],
                                   counts[REJECTED]))
    return Accounting(tables=tuple(tables), records=tuple(records))


def _records_in(case: Case, table: str) -> int:
    """Records read for a table: those in the case plus those rejected (counted independently of the split)."""
    kept = len(getattr(case, table)) if table in TABLES else 0
    return kept + sum(1 for r in case.rejected if r.table == table)


# The tables whose records cite evidence, in the order of docs/data-model.md, with the
# word a reader sees before one record's id.
_CITING = (("stakeholders", "stakeholder"), ("actors", "actor"), ("communications", "communication"),
           ("decisions", "decision"), ("flows", "flow"), ("interfaces", "interface"),
           ("procedures", "procedure"), ("agreements", "agreement"), ("collaborations", "collaboration"),
           ("conclusions", "conclusion"))


def _citations(case: Case):
    """(table, label, record id, evidence ids) for every record that cites evidence; an
    impact is counted under its decision's record."""
    for table, word in _CITING:
        records = getattr(case, table)
        if not records:
            continue
        # which tables have impacts or asserted figures: asked of the model once, not of each record
        fields = type(records[0]).model_fields
        impacts, asserts = "impacts" in fields, "asserts" in fields
        for record in records:
            yield table, f"{word} {record.id}", record.id, record.evidence
            for impact in record.impacts if impacts else ():
                yield table, f"impact {impact.id}", record.id, impact.evidence
            for figure in getattr(record.asserts, "figures", ()) if asserts else ():
                yield table, f"conclusion {record.id}", record.id, figure.evidence
