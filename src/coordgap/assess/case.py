"""Findings: the gaps rulebooks find in a case, each with the evidence it rests on.

`evaluate(case)` runs one or more rulebooks (by default `oig-21-028`, the
three recommendations of DOJ OIG report 21-028) over a case and returns
every finding, sorted. `assess(case)` returns the same findings with what
the reports also need: where each rule applied, what it left outside (with
the reason), and which suppression matched which finding. A finding the
case owner has accepted (a `suppressions` entry in case.yaml, with its
justification) is still returned, with `suppression` set.

The rules read neutral questions (coordgap.rules.questions); `case_questions`
is the adapter that builds them from a case and its consultation matrix,
the observed record. The pre-rollout check builds the same questions from a
proposal (coordgap.assess.proposal).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ..engine.matrix import consultation_matrix
from ..model.case import Case, Grade, Status, Suppression
from ..model.findings import Finding, evidence_refs
from ..rules.questions import CellQ, CollaborationQ, DecisionQ, InterfaceQ, Questions, RecordQ

if TYPE_CHECKING:
    from ..rules.base import Rulebook, ScopeNote

DEFAULT_RULEBOOK = "oig-21-028"


# ---------------------------------------------------------------- suppressions
def suppression_matches(s: Suppression, f: Finding) -> bool:
    """A suppression matches a finding of its rule when every field it names is equal."""
    if s.rule != f.rule:
        return False
    return all(want is None or want == got for want, got in (
        (s.decision, f.decision), (s.stakeholder, f.stakeholder), (s.impact, f.impact),
        (s.status, f.status), (s.interface, f.interface)))


def apply_suppressions(findings: Sequence[Finding], suppressions: Sequence[Suppression]) -> list[Finding]:
    """The findings with `suppression` set on those the first matching suppression covers."""
    out = []
    for f in findings:
        s = next((s for s in suppressions if suppression_matches(s, f)), None)
        out.append(f.model_copy(update={"suppression": s}) if s is not None else f)
    return out


def suppression_uses(findings: Sequence[Finding], suppressions: Sequence[Suppression]) -> tuple["SuppressionUse", ...]:
    first = {f.key: next((i for i, s in enumerate(suppressions) if suppression_matches(s, f)), None)
             for f in findings}
    return tuple(SuppressionUse(s, tuple(k for k, i in first.items() if i == n)) for n, s in enumerate(suppressions))


# ---------------------------------------------------------------- the case adapter
def _na(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _int(value) -> int | None:
    return None if _na(value) else int(value)


def _grade(value) -> Grade | None:
    return None if _na(value) else Grade(value)


def _all_grades(status: Status, grade: Grade | None, all_status: Status, all_grade: Grade | None) -> dict:
    """CellQ's status_all_grades and grade_all_grades, given only where they differ from the cell's own."""
    if (all_status, all_grade) == (status, grade):
        return {}
    return {"status_all_grades": all_status, "grade_all_grades": all_grade}


def case_questions(case: Case, matrix: pd.DataFrame | None = None) -> Questions:
    """The neutral questions of a case: its decisions, its matrix cells, its interfaces,
    procedures and agreements. One pass over the matrix; the disputes are indexed once."""
    if matrix is None:
        matrix = consultation_matrix(case)
    tree = case.tree
    decisions = {d.id: DecisionQ(
        id=d.id, title=d.title, date=d.date, decided_by=tuple(dict.fromkeys(case.org_of(m) for m in d.decided_by)), acting_for=d.acting_for,
        urged_by=d.urged_by, significant=d.significant, affected=tuple(dict.fromkeys(i.stakeholder for i in d.impacts)),
        evidence=d.evidence) for d in case.decisions}
    impacts = {(d.id, i.id): i for d in case.decisions for i in d.impacts}
    comms = case.communication_index
    # dispute label -> decision -> communications: the other accounts of a disputed contact
    disputes: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for c in case.communications:
        if c.dispute is not None:
            for d in c.decisions:
                disputes[c.dispute][d].append(c.id)

    cells = []
    for row in matrix.itertuples(index=False):
        status = Status(row.status)
        contacts = tuple(row.contacts)
        labels = sorted({comms[c].dispute for c in contacts if c in comms} - {None})
        counterparts = sorted({x for lab in labels for x in disputes[lab].get(row.decision, ())} - set(contacts))
        via: tuple[str, ...] = ()
        if status is Status.leadership_only:
            above = set(tree.ancestors(row.stakeholder))
            via = tuple(sorted({case.org_of(r) for c in contacts if c in comms for r in comms[c].recipients} & above))
        elif status is Status.indirect:
            via = tuple(sorted({case.org_of(comms[c].sender) for c in contacts if c in comms}))
        d = case.decision_index[row.decision]
        impact = impacts[(row.decision, row.impact)]
        cited_comms = list(contacts) + counterparts + list(row.unanswered)
        if status is Status.none:
            cited_comms += list(row.other_topic_contacts)
        cited = [(f"decision {d.id}", tuple(d.evidence)), (f"impact {impact.id}", tuple(impact.evidence))]
        cited += [(f"communication {c}", tuple(comms[c].evidence)) for c in dict.fromkeys(cited_comms) if c in comms]
        cells.append(CellQ(
            decision=row.decision, stakeholder=row.stakeholder, impact=row.impact, topic=row.topic,
            status=status, undisputed_status=Status(row.undisputed_status), disputed=bool(row.disputed),
            first_contact_date=None if _na(row.first_contact_date) else str(row.first_contact_date),
            timing_uncertain=bool(row.timing_uncertain), lead_time_days=_int(row.lead_time_days),
            lead_time_at_least=not _na(row.lead_time_at_least) and bool(row.lead_time_at_least),
            required_lead_days=_int(row.required_lead_days), contacts=contacts,
            other_topic_contacts=tuple(row.other_topic_contacts), unanswered=tuple(row.unanswered),
            via=via, cited=tuple(cited), grade=_grade(row.grade),
            **_all_grades(status, _grade(row.grade), Status(row.status_all_grades), _grade(row.grade_all_grades))))
    interfaces = tuple(InterfaceQ(id=i.id, title=i.title, parties=i.parties, created_by=i.created_by,
                                  starts=i.starts, evidence=i.evidence, lead=i.lead) for i in case.interfaces)
    procedures = tuple(RecordQ(id=p.id, title=p.title, holders=(p.organisation,), interfaces=p.interfaces,
                               state=p.status.value, when=p.in_effect, evidence=p.evidence,
                               role=p.role)
                       for p in case.procedures)
    agreements = tuple(RecordQ(id=a.id, title=a.title, holders=a.parties, interfaces=a.interfaces,
                               state=a.status.value, when=a.signed, evidence=a.evidence,
                               reviewed=a.reviewed, review_due=a.review_due, superseded=a.is_superseded,
                               superseded_on=a.superseded, superseded_by=a.superseded_by)
                       for a in case.agreements)
    collaborations = tuple(CollaborationQ(
        id=m.id, title=m.title, participants=m.participants, lead=m.lead, interfaces=m.interfaces,
        outcomes=m.outcomes, tracking=m.tracking, bridging=m.bridging, agreements=m.agreements,
        evidence=m.evidence) for m in case.collaborations)
    return Questions(kind="case", subject=case.meta.id, tree=tree, decisions=decisions, cells=tuple(cells),
                     interfaces=interfaces, procedures=procedures, agreements=agreements,
                     collaborations=collaborations, addresses=dict(case.meta.addresses), undated="undetermined",
                     evidence_of=lambda cited: evidence_refs(case, cited), source=case,
                     minimum_grade=case.meta.minimum_grade)


# ---------------------------------------------------------------- evaluation
@dataclass(frozen=True)
class SuppressionUse:
    suppression: Suppression
    findings: tuple[str, ...]  # keys of the findings it suppressed; empty means it matched none


@dataclass(frozen=True)
class Assessment:
    """Rulebooks run over a case: the findings and what the reports need around them."""

    rulebook: "Rulebook"  # the rulebook run (several: one combined view of their rules)
    matrix: pd.DataFrame
    findings: tuple[Finding, ...]
    scope: dict[str, tuple["ScopeNote", ...]]  # rule code -> where the rule applied, and why
    suppressions: tuple[SuppressionUse, ...]
    rulebooks: tuple["Rulebook", ...] = ()

    @property
    def active(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.suppressed)

    @property
    def suppressed(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.suppressed)

    @property
    def outside(self) -> tuple[tuple[str, "ScopeNote"], ...]:
        """(rule code, note) for every decision, interface or stakeholder a rule leaves out."""
        return tuple((code, n) for code, notes in self.scope.items() for n in notes if not n.applies)


def sort_key(rule_order: dict[str, int]):
    def key(f: Finding):
        return (rule_order.get(f.rule, len(rule_order)), f.rule, f.decision or "", f.impact or "",
                f.interface or "", f.stakeholder or "")
    return key


def combined(books: Sequence["Rulebook"]) -> "Rulebook":
    """One rulebook, or a view of several as one (their rules in order)."""
    from ..rules.base import Rulebook

    if len(books) == 1:
        return books[0]
    return Rulebook(name="+".join(b.name for b in books), title="; ".join(b.title for b in books),
                    source=books[0].source, rules=tuple(r for b in books for r in b.rules),
                    version="+".join(b.version for b in books))


def case_rulebooks(case: Case, rulebook=None) -> tuple["Rulebook", ...]:
    """The rulebooks to run: those given, else those the case names in case.yaml (`rulebooks`),
    else the default. An unknown name raises KeyError naming the known ones."""
    from ..rules import get_rulebooks

    if rulebook is None or (isinstance(rulebook, (list, tuple)) and not rulebook):
        rulebook = list(case.meta.rulebooks) or None
    return get_rulebooks(rulebook)


def assess(case: Case, rulebook: "str | Rulebook | Sequence[str | Rulebook] | None" = None,
           matrix: pd.DataFrame | None = None) -> Assessment:
    """Run every rule of one or more rulebooks over a case; see evaluate()."""
    from ..rules import run_rulebooks

    books = case_rulebooks(case, rulebook)
    if matrix is None:
        matrix = consultation_matrix(case)
    run = run_rulebooks(books, case_questions(case, matrix))
    book = combined(books)
    order = {r.code: i for i, r in enumerate(book.rules)}
    findings = sorted(apply_suppressions(run.findings, case.meta.suppressions), key=sort_key(order))
    return Assessment(rulebook=book, matrix=matrix, findings=tuple(findings), scope=run.scope,
                      suppressions=suppression_uses(findings, case.meta.suppressions), rulebooks=books)


def evaluate(case: Case, rulebook: "str | Rulebook | Sequence[str | Rulebook] | None" = None,
             matrix: pd.DataFrame | None = None) -> list[Finding]:
    """Every finding of one or more rulebooks for a case, suppressed ones included.

    `rulebook` names one or more rulebooks; None runs those the case names in case.yaml
    (`rulebooks`), or the default `oig-21-028` when it names none.

    `matrix` is the case's consultation matrix, computed when not given.
    Findings are sorted by the rule's place in the rulebook(s), then decision,
    impact or interface, and stakeholder.
    """
    return list(assess(case, rulebook, matrix).findings)
