"""GAO-LP1, Define Common Outcomes: each collaborative mechanism records the outcomes its
participants agreed. Judged from collaborations.yaml; docs/rules/GAO-LP1.md."""

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

CODE = "GAO-LP1"
PRACTICE = Practice(
    name=practice("Define Common Outcomes", 1),
    gao_text=(KEY_CONSIDERATIONS_EXIST,),
    cross_check=(considered_2012("Have short-term and long-term outcomes been clearly defined?", "Outcomes"),),
)
RATIONALE = (
    "Organisations that work on a shared matter without agreeing what they are trying to achieve measure "
    "themselves against their own goals and can pull against each other. A recorded, agreed outcome is "
    "what the other practices (accountability above all) are measured against."
)
STATUSES = collaboration_statuses('The record states the participants agreed no common outcomes.')

CHECKS = """For every collaborative mechanism in `collaborations.yaml`, that it records
the outcomes its participants agreed (`outcomes`)."""

HOW = """1. **Scope.** Every record of `collaborations.yaml`. A case without that file
   is listed as a whole, because the practice cannot be judged there.
2. **The record.** `outcomes` left out: the case does not say, so the
   practice is *not assessable* for that collaboration; `outcomes: []`: the
   source says none were agreed; one or more outcomes: no finding.
3. **Findings:**

   | status | meaning | severity |
   |---|---|---|
   | `none` | the record says the participants agreed no outcomes | medium |
   | `not_assessable` | no record of the outcomes, or no collaboration record at all | low |

The rule reads what is recorded; it does not judge whether the outcomes are
well chosen. GAO-LP2 asks how progress towards them is tracked."""


def check(q: Questions):
    return judge_collaborations(RULE, q, "outcomes", "the outcomes the participants agreed",
                                "agreed no common outcomes")


RULE = Rule(code=CODE, title='Each collaborative mechanism records the outcomes its participants agreed', source_quote=PRACTICE.name, rationale=RATIONALE,
            statuses=STATUSES, check=check, scope=collaboration_scope, what=CHECKS, how=HOW)
