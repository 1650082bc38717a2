"""The same gap found by several rules: when a case runs more than one rulebook, an unconsulted
stakeholder can break OIG-R1 and GAO-LP6 at once, and a missing agreement OIG-R3 and GAO-LP8.

Rules say which other rules ask their question (`Rule.same_as`). Two findings are the same gap
when their rules ask the same question and the findings are about the same subject (decision,
impact, interface, collaboration, stakeholder) with the same status. Reports show such a gap
once, under the first rule that finds it, listing every rule it breaks; the others point to it.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model.findings import Finding


def question_classes(rules) -> dict[str, str]:
    """Rule code -> a representative code of the rules asking the same question (Rule.same_as,
    taken both ways and transitively)."""
    parent: dict[str, str] = {}

    def find(c: str) -> str:
        while parent.setdefault(c, c) != c:
            c = parent[c]
        return c

    for r in rules:
        for other in r.same_as:
            a, b = sorted((find(r.code), find(other)))
            parent[b] = a
    return {c: find(c) for c in list(parent)}


def gap_of(f: Finding, classes: dict[str, str]) -> tuple:
    """What a finding is about and what it found, with its rule's question instead of the rule."""
    return (classes.get(f.rule, f.rule), f.decision, f.impact, f.interface, f.collaboration, f.stakeholder, f.status)


def same_gaps(findings: Iterable[Finding], rules) -> dict[str, tuple[Finding, ...]]:
    """Finding key -> every finding of the same gap, in the order given (the first shows it)."""
    classes = question_classes(rules)
    groups: dict[tuple, list[Finding]] = {}
    for f in findings:
        groups.setdefault(gap_of(f, classes), []).append(f)
    return {f.key: tuple(group) for group in groups.values() for f in group}


def distinct_gaps(findings: Iterable[Finding], rules) -> int:
    classes = question_classes(rules)
    return len({gap_of(f, classes) for f in findings})
