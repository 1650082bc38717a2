"""Running a rulebook over neutral questions: scope first, then the check on what is in scope.

The same function serves `coordgap findings` (questions from a case) and
`coordgap check` (questions from a proposal), so a rule is judged alike on
both. Everything a rule's scope leaves out comes back as `outside`, with
the reason: nothing is silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..model.findings import Finding
from .base import Rule, Rulebook, ScopeNote
from .questions import Questions


@dataclass(frozen=True)
class RuleRun:
    """One rulebook over one set of questions."""

    findings: tuple[Finding, ...]
    scope: dict[str, tuple[ScopeNote, ...]]  # rule code -> every note its scope returned

    @property
    def outside(self) -> tuple[tuple[str, ScopeNote], ...]:
        """(rule code, note) for everything a rule's scope leaves out."""
        return tuple((code, n) for code, notes in self.scope.items() for n in notes if not n.applies)


def in_scope(rule: Rule, q: Questions, notes: list[ScopeNote]) -> Questions:
    """The questions a rule's check sees: cells and interfaces (and interface parties) its
    scope puts outside are removed."""
    out_decisions = {n.id for n in notes if n.subject == "decision" and not n.applies}
    out_interfaces = {n.id for n in notes if n.subject == "interface" and not n.applies}
    out_stake = {(n.within, n.id) for n in notes if n.subject == "stakeholder" and not n.applies}
    cells = [c for c in q.cells if c.decision not in out_decisions and (c.decision, c.stakeholder) not in out_stake]
    interfaces = []
    for i in q.interfaces:
        if i.id in out_interfaces:
            continue
        parties = tuple(p for p in i.parties if (i.id, p) not in out_stake)
        interfaces.append(i if parties == i.parties else replace(i, parties=parties))
    return q.restrict(cells=cells, interfaces=interfaces)


def run_rule(rule: Rule, q: Questions) -> tuple[list[Finding], list[ScopeNote]]:
    notes = list(rule.scope(q))
    findings = list(rule.check(in_scope(rule, q, notes)))
    for f in findings:
        if f.rule != rule.code:
            raise ValueError(f"rule {rule.code} returned a finding of rule {f.rule}")
        rule.status(f.status)  # every status a rule reports is one it declares
    return findings, notes


def run_rulebooks(books: list[Rulebook] | tuple[Rulebook, ...], q: Questions) -> RuleRun:
    """Run every rule of every rulebook (in order) over the questions."""
    findings: list[Finding] = []
    scope: dict[str, tuple[ScopeNote, ...]] = {}
    for book in books:
        qb = replace(q, rulebook=book.name)
        for rule in book.rules:
            fs, notes = run_rule(rule, qb)
            findings += fs
            scope[rule.code] = tuple(notes)
    return RuleRun(findings=tuple(findings), scope=scope)
