"""OIG-R2: every government party to an interface a decision creates has a written procedure
for it, in effect when the interface starts.

A procedure covers a party when it names the interface and is held by the
party itself or by an organisation above it in the tree (a department's
procedure binds its components).
"""

from __future__ import annotations

from ..model.findings import Severity
from .base import Quote, Rule, ScopeNote, StatusDef, possessive
from .questions import EXISTED_BUT, InterfaceQ, Questions, RecordQ
from .scope import is_government

CODE = "OIG-R2"

SOURCE_QUOTE = Quote(
    text=(
        "Establish guidance and procedures for U.S. Marshals Service staff to follow in working with the "
        "Department of Health and Human Services' Office of Refugee Resettlement case workers to facilitate "
        "communication between family unit adults separated from associated family unit minors, especially "
        "parents in U.S. Marshals Service custody and their children in Office of Refugee Resettlement custody."
    ),
    source="doj-oig-21-028",
    section="Conclusion and Recommendations > Recommendations > To the USMS",
    locator="recommendation 2",
)
RECOMMENDATION = SOURCE_QUOTE

RATIONALE = (
    "When a decision splits what used to be one matter between two organisations, the staff of each need "
    "written instructions for the new hand-off before it happens. The OIG found that the U.S. Marshals "
    "Service had no policies or procedures for communication between parents in its custody and their "
    "children in ORR custody, so its district staff improvised when ORR case managers began to call."
)

STATUSES = (
    StatusDef("none", Severity.high, "Nothing shows a written procedure by which the party handles the interface."),
    StatusDef("absent", Severity.high, "The record states the party had no such procedure."),
    StatusDef("bypassed", Severity.high, "The record states the party's procedure existed but was bypassed."),
    StatusDef("unused", Severity.high, "The record states the party's procedure existed but was not used."),
    StatusDef("outdated", Severity.medium, "The record states the party's procedure existed but was out of date."),
    StatusDef("late", Severity.medium, "The party's procedure took effect only after the interface started."),
    StatusDef("undetermined", Severity.low,
              "Whether the procedure was in effect when the interface started cannot be told at the "
              "precision recorded."),
)
SEVERITY = {s.name: s.severity for s in STATUSES}

WHAT = """\
For every interface a decision creates (`created_by`; on a proposal, every
interface the change creates), that each of its government parties has a
written procedure covering the interface, in effect when the interface
starts (on a proposal: by the planned issue date)."""

HOW = """\
1. **Scope.** Interfaces with at least one creating decision, and standing
   interfaces (no creating decision, a `starts` date: checked from it; their
   findings name no decision); of their parties (one or more), the government
   bodies (executive or judicial branch) that hold custody or a role in it.
   An interface with neither a creating decision nor a start date, and a
   legislative or non-governmental party, are listed as outside the rule,
   with the reason.
2. **Coverage.** A procedure covers a party when it names the interface and
   its organisation is the party itself or an organisation above it in the
   tree (a department's procedure binds its components; a unit's procedure
   does not bind its parent).
3. **Timing.** A procedure in place passes when it took effect before or on
   the interface's start, compared at the precision recorded. With no start
   date only its existence is checked. A procedure with no date is
   `undetermined` in a case and in effect already in a proposal.
4. **A finding per party** not covered in time. One in effect in time clears
   the party. Otherwise a record that says there was none (`absent`) decides
   it, and procedures not shown to be in effect by the start are cited with
   it. Then a record that says the procedure existed but was `bypassed`,
   `unused` or `outdated` (in that order). Then undetermined, then late (a
   procedure in place dated after the start, or one the record calls `late`:
   the date it came is its `in_effect`).
5. **The finding** names the decision that creates the interface (the
   earliest, when several do), the party and the interface, who owed the
   procedure (`responsible`), and quotes the records it rests on."""


EXAMPLE = """\
In the example case, the curfew makes the Customs Service hand ill passengers
to the Health Clinics at night:

```yaml
# interfaces.yaml
- id: i-night-transfer
  created_by: [d-curfew]
  parties: [ports-customs, health-clinics]
  starts: 2024-03-15
```

```csv
# procedures.csv
id,organisation,title,interfaces,status,in_effect,evidence
pr-clinics-transfer,health-clinics,Written transfer procedure,i-night-transfer,in_place,2019,e-proc-clinics
pr-customs-night,ports-customs,Procedure for night transfers,i-night-transfer,absent,,e-proc-customs
```

The clinics' procedure dates from 2019, before the interface starts: no
finding. The Customs Service had none:


Had the clinics' procedure taken effect in `2024-04` the finding would be
`late`; in `2024-03` (a month that contains the start day), `undetermined`."""


def scope(q: Questions) -> list[ScopeNote]:
    out = []
    for i in sorted(q.interfaces, key=lambda i: i.id):
        if not i.created_by and i.starts is None:
            out.append(ScopeNote("interface", i.id, False, "created by no decision and no start date given"))
            continue
        origin = f"created by {', '.join(i.created_by)}" if i.created_by else f"a standing interface from {i.starts}"
        out.append(ScopeNote("interface", i.id, True, f"{origin}; parties: {q.names(i.parties)}"))
        for p in i.parties:
            if not is_government(q.tree, p):
                out.append(ScopeNote("stakeholder", p, False,
                                     f"{q.name(p)} is not a government body", within=i.id))
    return out




def _party_status(q: Questions, iface: InterfaceQ, party: str) -> tuple[str | None, list[RecordQ]]:
    """(status, the procedures it rests on); status None when a procedure covers the party in time."""
    mine = [p for p in q.procedures_for(iface.id) if any(q.tree.is_within(party, h) for h in p.holders)]
    timings = {p.id: q.in_effect_by(p.when, iface.starts) for p in mine if p.present}
    timings |= {p.id: "late" for p in mine if p.state == "late"}  # the record says it came late
    if "ok" in timings.values():
        return None, []
    # The source saying there was none outweighs procedures not shown to be in effect in time:
    # they are cited with the finding, so the reader sees both.
    absent = [p for p in mine if p.state == "absent"]
    if absent:
        return "absent", absent + [p for p in mine if p.id in timings]
    for status in (*EXISTED_BUT, "undetermined", "late"):
        used = [p for p in mine if p.state == status or (p.id in timings and timings[p.id] == status)]
        if used:
            return status, used
    return "none", []


def _message(q: Questions, iface: InterfaceQ, party: str, status: str, used: list[RecordQ]) -> str:
    who = q.name(party)
    what = f"the interface “{iface.title}”"
    starts = f", which starts on {iface.starts}" if iface.starts else ""
    if status == "none":
        return f"Nothing in the record shows a written procedure by which {who} handles {what}{starts}."
    if status == "absent":
        later = [p for p in used if p.state != "absent"]
        note = ""
        if later:
            note = " Procedures not shown to be in effect by then: " + "; ".join(
                f"{p.id} (in effect {p.when or 'at an unrecorded date'})" for p in later) + "."
        return f"{who} had no written procedure for {what}{starts}, as the record states.{note}"
    if status in EXISTED_BUT:
        return (f"{who} had a written procedure for {what}{starts}, but it {EXISTED_BUT[status]}, "
                f"as the record states ({', '.join(p.id for p in used)}).")
    dates = "; ".join(f"{p.id} in effect {p.when or 'at an unrecorded date'}" for p in used)
    on = f" on {iface.starts}" if iface.starts else ""
    if status == "late":
        return f"{possessive(who)} procedure for {what} took effect only after the interface started{on} ({dates})."
    return (f"Whether {possessive(who)} procedure for {what} was in effect when the interface started on "
            f"{iface.starts} cannot be told at the precision recorded ({dates}).")


def check(q: Questions):
    for iface in sorted(q.interfaces, key=lambda i: i.id):
        for party in iface.parties:
            status, used = _party_status(q, iface, party)
            if status is None:
                continue
            cited = [(f"interface {iface.id}", iface.evidence)] + [(f"procedure {p.id}", p.evidence) for p in used]
            yield RULE.finding(
                q, status, cited=cited, decision=q.creating_decision(iface.created_by), stakeholder=party,
                interface=iface.id, message=_message(q, iface, party, status, used),
            )


RULE = Rule(
    code=CODE,
    title="Every party to an interface a decision creates has a written procedure for it",
    source_quote=SOURCE_QUOTE,
    rationale=RATIONALE,
    statuses=STATUSES,
    check=check,
    scope=scope,
    what=WHAT,
    how=HOW,
    example=EXAMPLE,
    examples=("OIG-R2/d-curfew/i-night-transfer/ports-customs",),
)
