"""GAO-LP3, Bridge Organizational Cultures: each collaborative mechanism records what bridges its
participants' cultures (compatible policies, common terminology, trust). Judged from
collaborations.yaml; docs/rules/GAO-LP3.md."""

from __future__ import annotations

from .base import Quote, Rule
from .gao_common import Practice, collaboration_scope, collaboration_statuses, judge_collaborations, practice
from .questions import Questions

CODE = "GAO-LP3"
PRACTICE = Practice(
    name=practice("Bridge Organizational Cultures", 3),
    gao_text=(Quote(
        text=("We have identified 8 leading practices that could help agencies collaborate more effectively, "
              "such as bridging organizational cultures—e.g., putting compatible policies in place or agreeing "
              "on common terminology."),
        source="gao-23-105520", section="GAO-23-105520 product page > Fast Facts", locator="paragraph 2"),),
)
RATIONALE = (
    "Organisations bring their own rules, vocabulary and habits to a shared task. Where a term means one "
    "thing to one agency and another to its partner, they report different things under one name and act "
    "on different assumptions."
)
STATUSES = collaboration_statuses("The record states nothing bridges the participants' cultures.")

CHECKS = """For every collaborative mechanism in `collaborations.yaml`, that it records
what bridges its participants' organisational cultures (`bridging`):
compatible policies and procedures, agreed terminology and definitions, ways
of building trust."""

HOW = """1. **Scope.** Every record of `collaborations.yaml`; a case without that file
   is listed as a whole (not assessable).
2. **The record.** `bridging` left out: not assessable for that
   collaboration; `bridging: []`: the source says nothing was done; one or
   more entries: no finding.
3. **Findings:**

   | status | meaning | severity |
   |---|---|---|
   | `none` | the record says nothing bridges the participants' cultures | medium |
   | `not_assessable` | no record of it, or no collaboration record at all | low |"""


def check(q: Questions):
    return judge_collaborations(RULE, q, "bridging", "what bridges the participants' organisational cultures",
                                "put nothing in place to bridge their cultures (no compatible policies or "
                                "common terminology)")


RULE = Rule(code=CODE, title="Each collaborative mechanism records what bridges its participants' cultures", source_quote=PRACTICE.name, rationale=RATIONALE,
            statuses=STATUSES, check=check, scope=collaboration_scope, what=CHECKS, how=HOW)
