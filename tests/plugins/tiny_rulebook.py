"""A tiny third-party rulebook, installed by tests/test_plugins.py through an entry point.

TINY-1 is written against the neutral questions only, so it runs on a case
(`coordgap findings`, `report`) and on a proposal (`coordgap check`) alike.
"""

from coordgap.model.case import Status
from coordgap.model.findings import Severity
from coordgap.rules import Quote, Rule, Rulebook, ScopeNote, SourceDocument, StatusDef

LATE = {Status.same_day, Status.after, Status.none}


def scope(q):
    return [ScopeNote("decision", d.id, True, "every decision") for d in sorted(q.decisions.values(), key=lambda d: d.id)]


def check(q):
    for c in q.cells:
        if c.status in LATE:
            yield RULE.finding(q, "unwarned", decision=c.decision, stakeholder=c.stakeholder, impact=c.impact,
                               cited=c.cited, message=f"{q.name(c.stakeholder)} had no warning about {c.topic}.")


RULE = Rule(
    code="TINY-1",
    title="Every affected stakeholder hears before the decision",
    source_quote=Quote(text="Warn everyone first.", source="tiny-guide", section="Rules", locator="rule 1"),
    rationale="A made-up rule for the plugin test.",
    statuses=(StatusDef("unwarned", Severity.low, "No advance word reached the stakeholder."),),
    check=check,
    scope=scope,
)

RULEBOOK = Rulebook(
    name="tiny",
    title="A tiny test rulebook",
    source=SourceDocument(id="tiny-guide", title="The Tiny Guide", number="T-1", publisher="Tests", date="2025"),
    rules=(RULE,),
    version="0.1",
)
