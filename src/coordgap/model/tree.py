"""The organisation tree: one helper for every question asked of `parent` links.

A case (`Case.tree`), a proposal's process map (`ProcessMap.tree`) and the
rules all ask the same questions: who is above whom, what an
organisation's root or department is. They are answered here, once, from
a precomputed lineage, so a large case asks millions of them cheaply and
no module walks the parents by itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property

from .case import Branch, OrgKind, Stakeholder


class OrgTree:
    """An organisation tree built from stakeholders with `parent` links.

    Unknown ids are tolerated everywhere (an unknown organisation has no
    ancestors and is its own root), and a cycle in `parent` links stops
    the walk rather than looping: the loader reports both as problems.
    """

    def __init__(self, orgs: Mapping[str, Stakeholder]):
        self.orgs = orgs

    @cached_property
    def lineage(self) -> dict[str, tuple[str, ...]]:
        """Each organisation's parent, grandparent, ... (nearest first)."""
        out: dict[str, tuple[str, ...]] = {}
        for org in self.orgs:
            chain, seen = [], {org}
            parent = self.orgs[org].parent
            while parent and parent not in seen:
                chain.append(parent)
                seen.add(parent)
                parent = self.orgs[parent].parent if parent in self.orgs else None
            out[org] = tuple(chain)
        return out

    @cached_property
    def lineage_sets(self) -> dict[str, frozenset[str]]:
        return {org: frozenset(chain) for org, chain in self.lineage.items()}

    def __contains__(self, org: object) -> bool:
        return org in self.orgs

    def ancestors(self, org: str) -> list[str]:
        """Parent, grandparent, ... of an organisation (nearest first); [] for an unknown id."""
        return list(self.lineage.get(org, ()))

    def is_within(self, org: str, ancestor: str) -> bool:
        """True when org is ancestor itself or lies below it in the tree."""
        return org == ancestor or ancestor in self.lineage_sets.get(org, ())

    def root_of(self, org: str) -> str:
        chain = self.lineage.get(org, ())
        return chain[-1] if chain else org

    def component_of(self, org: str) -> str:
        """The top-level component (child of the root) an organisation belongs to; a root is its own."""
        chain = (org, *self.lineage.get(org, ()))
        return chain[-2] if len(chain) >= 2 else chain[-1]

    def department_of(self, org: str) -> str | None:
        """The nearest organisation of kind `department` at or above org, or None."""
        for o in (org, *self.lineage.get(org, ())):
            s = self.orgs.get(o)
            if s is not None and s.kind is OrgKind.department:
                return o
        return None

    def branch(self, org: str) -> Branch | None:
        s = self.orgs.get(org)
        return s.branch if s is not None else None

    def kind(self, org: str) -> OrgKind | None:
        s = self.orgs.get(org)
        return s.kind if s is not None else None

    def name(self, org: str) -> str:
        s = self.orgs.get(org)
        return s.name if s is not None else org

    def minimal(self, orgs) -> list[str]:
        """The organisations not below another of them, in the order given."""
        orgs = list(orgs)
        return [p for p in orgs if not any(q != p and self.is_within(p, q) for q in orgs)]
