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


RULE = Rule(code=CODE, title="Every affected organisation was consulted before the decision, whoever issued it",
            recommendation=PRACTICE.name, rationale=RATIONALE, check=check, scope=scope,
            doc="docs/rules/GAO-LP6.md")
