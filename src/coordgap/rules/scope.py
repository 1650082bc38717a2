"""Where an affected organisation stands relative to a decision-maker, read
from the organisation tree rather than from names.

Recommendation 1 of OIG report 21-028 speaks of "multiple components of the
department, other executive agencies, or the courts"; these categories are
derived here so that a rule or a proposal check never hard-codes an agency.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from ..model.case import Branch, Stakeholder


class Relation(StrEnum):
    own_component = "own_component"  # inside the decision-maker's own component
    other_component = "other_component"  # another component of the same department
    other_agency = "other_agency"  # another executive-branch organisation
    courts = "courts"  # the judicial branch
    outside_government = "outside_government"  # legislative or non-governmental


def _chain(orgs: Mapping[str, Stakeholder], org: str) -> list[str]:
    """org, its parent, ..., its root."""
    out, seen = [], set()
    while org is not None and org in orgs and org not in seen:
        out.append(org)
        seen.add(org)
        org = orgs[org].parent
    return out


def component_of(orgs: Mapping[str, Stakeholder], org: str) -> str:
    """The top-level component (child of the root) an org belongs to; a root is its own."""
    chain = _chain(orgs, org)
    return chain[-2] if len(chain) >= 2 else chain[-1]


def relation(orgs: Mapping[str, Stakeholder], decided_by: str, affected: str) -> Relation:
    a_chain, d_chain = _chain(orgs, affected), _chain(orgs, decided_by)
    branch = orgs[affected].branch
    if branch is Branch.judicial:
        return Relation.courts
    if branch in (Branch.legislative, Branch.non_governmental):
        return Relation.outside_government
    if a_chain[-1] != d_chain[-1]:
        return Relation.other_agency
    if component_of(orgs, affected) == component_of(orgs, decided_by):
        return Relation.own_component
    return Relation.other_component


def r1_categories(orgs: Mapping[str, Stakeholder], decided_by: str, affected: Iterable[str]) -> dict[str, list[str]]:
    """Affected organisations grouped by their relation to the decision-maker."""
    groups: dict[str, list[str]] = {r.value: [] for r in Relation}
    for org in sorted(set(affected)):
        groups[relation(orgs, decided_by, org).value].append(org)
    return groups


def r1_applies(orgs: Mapping[str, Stakeholder], decided_by: str, affected: Iterable[str]) -> tuple[bool, str]:
    """Whether Recommendation 1's scope is met, and why, in a sentence."""
    g = r1_categories(orgs, decided_by, affected)
    components = {component_of(orgs, o) for o in g["own_component"] + g["other_component"]}
    reasons = []
    if len(components) >= 2:
        reasons.append(f"it affects {len(components)} components of the issuing department")
    if g["other_agency"]:
        reasons.append(f"it affects other executive agencies ({', '.join(g['other_agency'])})")
    if g["courts"]:
        reasons.append(f"it affects the courts ({', '.join(g['courts'])})")
    if reasons:
        return True, "; ".join(reasons)
    return False, "it affects only one component of the issuing department and no other agency or court"
