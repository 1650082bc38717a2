"""Findings: the gaps a rulebook finds in a case, each with the evidence it rests on.

`evaluate(case)` runs a rulebook (by default `oig-21-028`, the three
recommendations of DOJ OIG report 21-028) over a case and its consultation
matrix and returns every finding, sorted. A finding the case owner has
accepted (a `suppressions` entry in case.yaml, with its justification) is
still returned, with `suppression` set: it is never silently gone.
`assess(case)` returns the same findings with what the reports also need:
which decisions and interfaces each rule applied to, and which suppression
matched which finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ..engine.matrix import consultation_matrix
from ..model.case import Case, Suppression
from ..model.findings import Finding

if TYPE_CHECKING:
    from ..rules.base import Rulebook, ScopeNote

DEFAULT_RULEBOOK = "oig-21-028"

# ---------------------------------------------------------------- suppressions
def suppression_matches(s: Suppression, f: Finding) -> bool:
    """A suppression matches a finding of its rule when every field it names is equal."""
    if s.rule != f.rule:
        return False
    return all(want is None or want == got for want, got in (
        (s.decision, f.decision), (s.stakeholder, f.stakeholder), (s.impact, f.impact)))


def apply_suppressions(findings: Sequence[Finding], suppressions: Sequence[Suppression]) -> list[Finding]:
    """The findings with `suppression` set on those the first matching suppression covers."""
    out = []
    for f in findings:
        s = next((s for s in suppressions if suppression_matches(s, f)), None)
        out.append(f.model_copy(update={"suppression": s}) if s is not None else f)
    return out


# ---------------------------------------------------------------- evaluation
@dataclass(frozen=True)
class SuppressionUse:
    suppression: Suppression
    findings: tuple[str, ...]  # keys of the findings it suppressed; empty means it matched none


@dataclass(frozen=True)
class Assessment:
    """A rulebook run over a case: the findings and what the reports need around them."""

    rulebook: "Rulebook"
    matrix: pd.DataFrame
    findings: tuple[Finding, ...]
    scope: dict[str, tuple["ScopeNote", ...]]  # rule code -> where the rule applied, and why
    suppressions: tuple[SuppressionUse, ...]

    @property
    def active(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.suppressed)

    @property
    def suppressed(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.suppressed)


def _sort_key(rule_order: dict[str, int]):
    def key(f: Finding):
        return (rule_order.get(f.rule, len(rule_order)), f.rule, f.decision or "", f.impact or "",
                f.interface or "", f.stakeholder or "")
    return key


def assess(case: Case, rulebook: "str | Rulebook" = DEFAULT_RULEBOOK, matrix: pd.DataFrame | None = None) -> Assessment:
    """Run every rule of a rulebook over a case; see evaluate()."""
    from ..rules import get_rulebook

    book = get_rulebook(rulebook) if isinstance(rulebook, str) else rulebook
    if matrix is None:
        matrix = consultation_matrix(case)
    raw: list[Finding] = []
    for rule in book.rules:
        raw.extend(rule.check(case, matrix))
    order = {r.code: i for i, r in enumerate(book.rules)}
    findings = sorted(apply_suppressions(raw, case.meta.suppressions), key=_sort_key(order))
    sups = case.meta.suppressions
    first = {f.key: next((i for i, s in enumerate(sups) if suppression_matches(s, f)), None) for f in findings}
    uses = tuple(SuppressionUse(s, tuple(k for k, i in first.items() if i == n)) for n, s in enumerate(sups))
    scope = {rule.code: tuple(rule.scope(case)) for rule in book.rules}
    return Assessment(rulebook=book, matrix=matrix, findings=tuple(findings), scope=scope, suppressions=uses)


def evaluate(case: Case, rulebook: "str | Rulebook" = DEFAULT_RULEBOOK, matrix: pd.DataFrame | None = None) -> list[Finding]:
    """Every finding of a rulebook for a case, suppressed ones included (with `suppression` set).

    `matrix` is the case's consultation matrix, computed when not given.
    Findings are sorted by the rule's place in the rulebook, then decision,
    impact or interface, and stakeholder.
    """
    return list(assess(case, rulebook, matrix).findings)
