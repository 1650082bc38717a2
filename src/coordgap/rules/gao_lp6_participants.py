"""GAO-LP6, Include Relevant Participants: every organisation a decision affects, outside the
decision's own side, was consulted before it on the impact that affects it, whoever issued it.

The question is OIG-R1's, asked of every decision: GAO counts coordination within the
components of one entity as collaboration, so a component's decision that reaches only a
sibling component is in scope here although it is outside OIG-R1's. The cell test, the
severities and the messages are OIG-R1's (r1_coordinate.cell_findings). docs/rules/GAO-LP6.md.
"""

from __future__ import annotations

import pandas as pd

from ..model.case import Case, Decision
from ..model.findings import Finding
from .base import Rule, ScopeNote, name_of, names
from .gao_common import KEY_CONSIDERATIONS_EXIST, SCOPE_OF_COLLABORATION, Practice, practice
from .r1_coordinate import cell_findings
from .scope import relation

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


def _outside_side(case: Case, d: Decision) -> list[str]:
    affected = dict.fromkeys(i.stakeholder for i in d.impacts)
    return [o for o in affected if not any(case.is_within(o, s) for s in d.side)]


def scope(case: Case) -> list[ScopeNote]:
    out = []
    for d in sorted(case.decisions, key=lambda d: d.id):
        outside = _outside_side(case, d)
        if not outside:
            out.append(ScopeNote("decision", d.id, False, "it affects no organisation outside the decision's own side"))
            continue
        kinds = sorted({relation(case.orgs, d.decided_by, o).value.replace("_", " ") for o in outside})
        out.append(ScopeNote("decision", d.id, True,
                             f"issued by {name_of(case, d.decided_by)}; it affects {names(case, outside)} "
                             f"({', '.join(kinds)})"))
    return out


def check(case: Case, matrix: pd.DataFrame) -> list[Finding]:
    return cell_findings(case, matrix, {n.id for n in scope(case) if n.applies}, CODE)


CHECKS = """That every organisation a decision affects, outside the decision's own side,
was consulted before the decision on the impact that affects it, whoever
issued the decision: a department, a component, an agency, a state office."""

HOW = """1. **Scope.** Every decision that affects at least one organisation outside
   its own side (the decision-maker, those acting for it and those that urged
   it, with everything below them in the tree). Unlike OIG-R1 there is no
   condition on the `significant` flag or on how many components, agencies or
   courts are affected: a component whose decision reaches only a sibling
   component is in scope. The scope note names each affected organisation's
   relation to the decision-maker (own component, other component, other
   agency, courts, outside government).
2. **The cells.** Exactly OIG-R1's test on the consultation matrix
   (`r1_coordinate.cell_findings`): a finding when consultation on the impact
   is not established by undisputed records, or when the notice was shorter
   than the impact needs; the same statuses, severities and messages as
   OIG-R1 (docs/rules/OIG-R1.md).
3. **Overlap.** On a decision inside OIG-R1's scope the two rules find the
   same cells. When both rulebooks run, the report lists such a gap once with
   both rules."""


RULE = Rule(code=CODE, title="Every affected organisation was consulted before the decision, whoever issued it",
            recommendation=PRACTICE.name, rationale=RATIONALE, check=check, scope=scope,
            doc="docs/rules/GAO-LP6.md")
