"""GAO-LP6, Include Relevant Participants: every organisation a decision affects, outside the
decision's own side, was consulted before it on the impact that affects it, whoever issued it.

The question is OIG-R1's, asked of every decision: GAO counts coordination within the
components of one entity as collaboration, so a component's decision that reaches only a
sibling component is in scope here although it is outside OIG-R1's. The cell test, the
severities and the messages are OIG-R1's (r1_coordinate.check). docs/rules/GAO-LP6.md.
"""

from __future__ import annotations

from ..model.case import Branch
from . import r1_coordinate
from .base import Rule, ScopeNote
from .gao_common import KEY_CONSIDERATIONS_EXIST, SCOPE_OF_COLLABORATION, Practice, practice
from .questions import Questions
from .scope import on_side, relation

CODE = "GAO-LP6"
PRACTICE = Practice(
    name=practice("Include Relevant Participants", 6),
    gao_text=(SCOPE_OF_COLLABORATION, KEY_CONSIDERATIONS_EXIST),
)
RATIONALE = (
    "The organisations that carry a decision's consequences are the ones that can say what it will cost and "
    "what they need. Leaving one out, whether it is another agency or a sibling office of the same "
    "department, moves the discovery of those needs to after the decision, when they can no longer shape it."
)
STATUSES = r1_coordinate.STATUSES  # the same cell test, so the same statuses and severities

CHECKS = """That every organisation a decision affects, outside the decision's own side,
was consulted before the decision on the impact that affects it, whoever
issued the decision: a department, a component, an agency, a state office."""

HOW = """\
1. **Scope, per decision.** Every decision of an executive-branch
   organisation (a department, a component, an agency, a state office, the
   President's office) that affects at least one organisation outside its own
   side. Unlike OIG-R1 there is no condition on the `significant` flag or on
   how many components, agencies or courts are affected: a component whose
   decision reaches only a sibling component is in scope. A court's order, a
   legislature's act or a private body's decision is listed as outside, with
   the reason. The scope note names each affected organisation's relation to
   the decision-maker (own component, other component, other agency, courts,
   outside government).
2. **Scope, per stakeholder.** The decision's own offices are outside: its
   maker, those acting for it or urging it, and the units below them, except
   a department's components, which are stakeholders in their own right (as
   in OIG-R1). Unlike OIG-R1, organisations outside government (a union, the
   public, a legislature) stay in: the practice speaks of relevant
   participants, not only of agencies.
3. **The cells.** Exactly OIG-R1's test on the consultation matrix
   (`r1_coordinate.check`, run on what this rule's scope leaves in): a
   finding when consultation on the impact is not established by undisputed
   records, or when the notice was shorter than the impact needs; the same
   statuses, severities and messages as OIG-R1 (docs/rules/OIG-R1.md).
4. **Overlap.** On a decision inside OIG-R1's scope the two rules find the
   same cells for the stakeholders OIG-R1 speaks of. When both rulebooks run,
   the report lists such a gap once with both rules."""


def scope(q: Questions) -> list[ScopeNote]:
    out = []
    for d in sorted(q.decisions.values(), key=lambda d: d.id):
        branch = q.tree.branch(d.decided_by)
        if branch is not None and branch is not Branch.executive:
            out.append(ScopeNote("decision", d.id, False,
                                 f"issued by {q.name(d.decided_by)}, of the {branch.value.replace('_', '-')} "
                                 "branch: the practice speaks to collaborating executive entities, and a court, "
                                 "a legislature or a private body does not decide by consulting them"))
            continue
        affected = sorted(set(d.affected))
        outside = [s for s in affected if not on_side(q.tree, d.side, s)]
        if not outside:
            out.append(ScopeNote("decision", d.id, False, "it affects no organisation outside the decision's own side"))
            continue
        home = q.tree.root_of(d.decided_by)
        kinds = sorted({relation(q.tree, home, o, d.decided_by).value.replace("_", " ") for o in outside})
        out.append(ScopeNote("decision", d.id, True, f"issued by {q.name(d.decided_by)}; it affects "
                                                    f"{q.names(outside)} ({', '.join(kinds)})"))
        out += [ScopeNote("stakeholder", s, False, "one of the decision's own offices", within=d.id)
                for s in affected if s not in outside]
    return out


def check(q: Questions):
    for f in r1_coordinate.check(q):
        yield f.model_copy(update={"rule": CODE})


RULE = Rule(code=CODE, title="Every affected organisation was consulted before the decision, whoever issued it",
            source_quote=PRACTICE.name, rationale=RATIONALE, statuses=STATUSES, check=check, scope=scope,
            what=CHECKS, how=HOW, same_as=("OIG-R1",))
