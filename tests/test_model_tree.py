"""The organisation tree's helpers on Case (ancestors, is_within, root_of), which the rules,
the accounting and the reference engine all lean on, against a plain walk up the parents."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from coordgap.model.case import Case, CaseMeta, Source, Stakeholder, Window

META = CaseMeta(id="tree", title="tree", window=Window(start=date(2020, 1, 1), end=date(2020, 12, 31)),
                sources=(Source(id="s", title="S"),))


@st.composite
def forests(draw) -> dict[str, str | None]:
    """org -> parent: each org's parent is an earlier org, none, or an id the case does not have."""
    n = draw(st.integers(1, 25))
    parents: dict[str, str | None] = {}
    for i in range(n):
        choice = draw(st.integers(-2, i - 1))
        parents[f"o{i}"] = None if choice == -1 else "ghost" if choice == -2 else f"o{choice}"
    return parents


def walk_up(parents: dict[str, str | None], org: str) -> list[str]:
    out, node = [], parents.get(org)
    while node is not None:
        out.append(node)
        node = parents.get(node)
    return out


def case_of(parents: dict[str, str | None]) -> Case:
    orgs = tuple(Stakeholder(id=o, name=o, parent=p, kind="office", branch="executive") for o, p in parents.items())
    return Case(meta=META, stakeholders=orgs)


@settings(max_examples=200, deadline=None)
@given(forests())
def test_tree_helpers_agree_with_a_walk_up_the_parents(parents):
    case = case_of(parents)
    ids = [*parents, "ghost", "stranger"]
    for org in ids:
        chain = walk_up(parents, org)
        assert case.ancestors(org) == chain
        assert case.root_of(org) == (chain[-1] if chain else org)
        for other in ids:
            assert case.is_within(org, other) == (org == other or other in chain)


def test_the_answer_is_a_copy_the_caller_cannot_spoil():
    case = case_of({"a": None, "b": "a"})
    case.ancestors("b").append("x")
    assert case.ancestors("b") == ["a"]
