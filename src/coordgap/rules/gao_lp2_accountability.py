"""GAO-LP2, Ensure Accountability: each collaborative mechanism records how progress towards its
outcomes is tracked and reported. Judged from collaborations.yaml; docs/rules/GAO-LP2.md."""

from __future__ import annotations

from .base import Rule
from .gao_common import (
    KEY_CONSIDERATIONS_EXIST,
    Practice,
    collaboration_scope,
    collaboration_statuses,
    considered_2012,
    judge_collaborations,
    practice,
)
from .questions import Questions

CODE = "GAO-LP2"
PRACTICE = Practice(
    name=practice("Ensure Accountability", 2),
    gao_text=(KEY_CONSIDERATIONS_EXIST,),
    cross_check=(considered_2012("Is there a way to track and monitor progress?", "Accountability"),),
)
RATIONALE = (
    "An outcome nobody tracks is an outcome nobody answers for. A way of monitoring and reporting progress "
    "lets the participants, and those they answer to, see whether the collaboration is delivering and who "
    "must act when it is not."
)
STATUSES = collaboration_statuses('The record states progress is not tracked or reported.')

CHECKS = """For every collaborative mechanism in `collaborations.yaml`, that it records
how progress towards its outcomes is tracked and reported (`tracking`)."""

HOW = """1. **Scope.** Every record of `collaborations.yaml`; a case without that file
   is listed as a whole (not assessable).
2. **The record.** `tracking` left out: not assessable for that
   collaboration; `tracking: []`: the source says there is no way of tracking
   progress; one or more entries (a report, a review, a measure): no finding.
3. **Findings:**

   | status | meaning | severity |
   |---|---|---|
   | `none` | the record says progress is not tracked | medium |
   | `not_assessable` | no record of how progress is tracked, or no collaboration record at all | low |"""


def check(q: Questions):
    return judge_collaborations(RULE, q, "tracking", "how progress is tracked and reported",
                                "have no way of tracking or reporting progress")


RULE = Rule(code=CODE, title='Each collaborative mechanism records how its progress is tracked and reported', source_quote=PRACTICE.name, rationale=RATIONALE,
            statuses=STATUSES, check=check, scope=collaboration_scope, what=CHECKS, how=HOW)
