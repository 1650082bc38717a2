"""Predicates over the organisation tree that rules build their scope from.

A recommendation speaks to someone about someone: "the Department",
"components of the department, other executive agencies, or the courts".
These categories are derived here from `parent`, `kind` and `branch`, so a
rule never names an agency and works on any department, court or state
office.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from ..model.case import Branch, OrgKind
from ..model.tree import OrgTree

GOVERNMENT = (Branch.executive, Branch.judicial)


class Relation(StrEnum):
    """Where an affected organisation stands relative to the organisation a rule addresses."""

    own_component = "own_component"  # inside the addressed organisation's component the maker is in
    other_component = "other_component"  # another component of the addressed organisation
    other_agency = "other_agency"  # another executive-branch agency
    courts = "courts"  # the judicial branch
    outside_government = "outside_government"  # legislative, non-governmental, or not an agency


def part_of(tree: OrgTree, org: str, ancestor: str) -> str:
    """The child of `ancestor` on org's line (org itself when it is that child; ancestor for itself)."""
    chain = (org, *tree.ancestors(org))
    if ancestor not in chain or org == ancestor:
        return ancestor
    return chain[chain.index(ancestor) - 1]


def is_government(tree: OrgTree, org: str) -> bool:
    return tree.branch(org) in GOVERNMENT


def is_agency(tree: OrgTree, org: str) -> bool:
    """An executive-branch organisation that is an agency, department or part of one (not `other`:
    a foreign government, a state body of kind other)."""
    return tree.branch(org) is Branch.executive and tree.kind(org) is not OrgKind.other


def relation(tree: OrgTree, addressed: str, affected: str, maker: str | None = None) -> Relation:
    """How `affected` stands to the organisation a rule addresses (and the maker's component in it)."""
    branch = tree.branch(affected)
    if branch is Branch.judicial:
        return Relation.courts
    if tree.is_within(affected, addressed):
        if maker is not None and tree.is_within(maker, addressed) and \
                part_of(tree, affected, addressed) == part_of(tree, maker, addressed):
            return Relation.own_component
        return Relation.other_component
    if is_agency(tree, affected):
        return Relation.other_agency
    return Relation.outside_government


def outside_words(tree: OrgTree, org: str) -> str:
    """An organisation outside government as a sentence's subject: "the public", "X, a private
    party,", or its name."""
    kind = tree.kind(org)
    if kind is OrgKind.public:
        return "the public"
    if kind is OrgKind.private:
        return f"{tree.name(org)}, a private party,"
    return tree.name(org)


def on_side(tree: OrgTree, side: Iterable[str], org: str) -> bool:
    """Whether org is one of the decision's own offices: a side office, or a unit below one that is
    not a department (a department's components are stakeholders in their own right)."""
    for s in side:
        if org == s or (tree.kind(s) is not OrgKind.department and tree.is_within(org, s)):
            return True
    return False


def categories(tree: OrgTree, addressed: str, affected: Iterable[str], maker: str | None = None) -> dict[str, list[str]]:
    """Affected organisations grouped by their relation to the addressed organisation."""
    groups: dict[str, list[str]] = {r.value: [] for r in Relation}
    for org in sorted(set(affected)):
        groups[relation(tree, addressed, org, maker).value].append(org)
    return groups


def breadth(tree: OrgTree, addressed: str, affected: Iterable[str], maker: str | None = None) -> tuple[bool, str]:
    """Whether a decision affects several components of the addressed organisation, another
    executive agency or a court (recommendation 1's "multiple ... components, other Executive
    Branch agencies, or the courts"), and why, in a sentence."""
    affected = list(affected)
    if not affected:
        return False, "it records no impact on another organisation"
    g = categories(tree, addressed, affected, maker)
    inside = g["own_component"] + g["other_component"]
    components = {part_of(tree, o, addressed) for o in inside}
    reasons = []
    if len(components) >= 2:
        reasons.append(f"it affects {len(components)} components of {tree.name(addressed)}")
    if g["other_agency"]:
        reasons.append(f"it affects other executive agencies ({', '.join(g['other_agency'])})")
    if g["courts"]:
        reasons.append(f"it affects the courts ({', '.join(g['courts'])})")
    if reasons:
        return True, "; ".join(reasons)
    return False, (f"it affects only one component of {tree.name(addressed)} and no other agency or court")
