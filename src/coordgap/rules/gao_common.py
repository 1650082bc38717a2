"""What the eight rules of the `gao-23-105520` rulebook share: the source document, how a
practice and its key considerations are quoted, where the interface rules apply, and the
"not assessable" finding.

GAO's text could be read only in part (docs/sources/gao-23-105520.md says what was found and
where). Every quote a GAO rule carries is in that file, and tests/test_gao_sources.py checks it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.findings import Severity
from .base import Quote, Rule, ScopeNote, SourceDocument, StatusDef
from .questions import CollaborationQ, InterfaceQ, Questions

SOURCE = SourceDocument(
    id="gao-23-105520",
    title=("Government Performance Management: Leading Practices to Enhance Interagency Collaboration "
           "and Address Crosscutting Challenges"),
    number="GAO-23-105520",
    publisher="U.S. Government Accountability Office",
    date="2023-05",
    url="https://www.gao.gov/products/gao-23-105520",
)
SOURCE_FILE = "docs/sources/gao-23-105520.md"  # the passages quoted, with where each came from

NOT_ASSESSABLE = "not_assessable"  # a finding's status when the case holds no record to judge

# What the source says of a procedure or agreement (its `status`), read GAO's way. The practices
# ask whether written procedures and agreements exist, bind their parties and are kept up to
# date, not when they took effect (OIG-R2 and OIG-R3 ask that), so one the source calls `late`
# is in force here. One it calls `bypassed` or `unused` existed on paper but did not govern the
# work; one it calls `outdated` is in force but out of date. Only `absent` says there was none.
IN_FORCE = ("in_place", "late")
NOT_FOLLOWED = ("bypassed", "unused")

# Where the practices' names were read: GAO's own table could not be (docs/sources, section 1.4).
_NAMES_SECTION = ("the list under “GAO’s leading interagency collaboration practices include:” (GAO's own "
                  "table could not be read; docs/sources/gao-23-105520.md, section 3)")


def practice(name: str, number: int) -> Quote:
    """A practice's name, quoted with where it was read."""
    return Quote(text=name, source="simons-center-summary", section=_NAMES_SECTION, locator=f"practice {number} of 8")


# Passages of GAO's own text that bear on several practices (docs/sources/gao-23-105520.md).
WHAT_GAO_FOUND = "GAO-23-105520 product page > Highlights > What GAO Found"
SCOPE_OF_COLLABORATION = Quote(
    text=("Interagency collaboration involves collaboration or coordination between two or more federal "
          "entities, or within components of the same entity."),
    source="gao-23-105520", section=WHAT_GAO_FOUND, locator="paragraph 1",
)
KEY_CONSIDERATIONS_EXIST = Quote(
    text=("GAO's eight leading practices for interagency collaboration (below) include key considerations "
          "for collaborating entities to use when implementing them."),
    source="gao-23-105520", section=WHAT_GAO_FOUND, locator="paragraph 2",
)
_GAO_14_220 = ("GAO-14-220 product page > What GAO Found > table \"Key Considerations for Implementing "
               "Interagency Collaborative Mechanisms\"")


def considered_2012(text: str, row: str) -> Quote:
    """A key consideration of GAO-12-1022 (2012), as GAO restated it in GAO-14-220: a cross-check only."""
    return Quote(text=text, source="gao-14-220", section=_GAO_14_220, locator=f"row {row}")


NOT_FOUND = ("GAO-23-105520's key considerations for this practice could not be read: the stored copy of "
             "GAO's product page ends in the heading of the table that lists them, and the report's own "
             "text was not available (docs/sources/gao-23-105520.md). None is quoted or paraphrased here.")


@dataclass(frozen=True)
class Practice:
    """A GAO practice as a rule quotes it: its name, what of GAO's text could be read about it, and
    what could not."""

    name: Quote
    gao_text: tuple[Quote, ...] = ()  # GAO-23-105520's own words bearing on the practice
    cross_check: tuple[Quote, ...] = ()  # GAO-12-1022's key considerations (2012), labelled as such
    not_found: str = NOT_FOUND

    def quotes(self) -> tuple[Quote, ...]:
        return (self.name, *self.gao_text, *self.cross_check)


# ---------------------------------------------------------------- statuses
NOT_ASSESSABLE_STATUS = StatusDef(NOT_ASSESSABLE, Severity.low,
                                  "The case holds no record to judge the practice by: listed, not passed.")


# ---------------------------------------------------------------- scope
def interface_scope(q: Questions) -> list[ScopeNote]:
    """The interface practices apply to every interface a decision creates, whatever its parties'
    place in the tree: GAO counts coordination within components of one entity as collaboration."""
    out = []
    for i in sorted(q.interfaces, key=lambda i: i.id):
        if i.created_by:
            out.append(ScopeNote("interface", i.id, True,
                                 f"created by {', '.join(i.created_by)}; parties: {q.names(i.parties)}"))
        else:
            out.append(ScopeNote("interface", i.id, False, "created by no decision"))
    return out


def collaboration_scope(q: Questions) -> list[ScopeNote]:
    """The collaboration practices judge every collaboration record; with none, the case (or
    proposal) as a whole is listed, because the practice then cannot be assessed."""
    if not q.collaborations:
        return [ScopeNote(q.kind, q.subject or q.kind, True,
                          "no collaboration is recorded (collaborations.yaml), so the practice is not assessable")]
    return [ScopeNote("collaboration", m.id, True, f"a collaborative mechanism of {q.names(m.participants)}")
            for m in sorted(q.collaborations, key=lambda m: m.id)]


def collaborations_for(q: Questions, iface: InterfaceQ) -> list[CollaborationQ]:
    """The collaborations that say they coordinate an interface, in id order."""
    return sorted((m for m in q.collaborations if iface.id in m.interfaces), key=lambda m: m.id)


def covers(q: Questions, holders, party: str) -> bool:
    """A record held by `holders` covers a party that is one of them or below one."""
    return any(q.tree.is_within(party, h) for h in holders)


# ---------------------------------------------------------------- the collaboration practices
def judge_collaborations(rule: Rule, q: Questions, field: str, absent_words: str, none_words: str):
    """The check of GAO-LP1, LP2 and LP3: each collaboration's `field` (outcomes, tracking, bridging).

    Left out of the record -> not assessable; recorded as an empty list -> a finding (the source
    says there was none); anything recorded -> no finding. With no collaboration record at all,
    one not-assessable finding for the case or proposal."""
    if not q.collaborations:
        yield rule.finding(q, NOT_ASSESSABLE, message=(
            f"Not assessable: no record of a collaborative mechanism (collaborations.yaml), so nothing shows "
            f"{absent_words}."))
        return
    for m in sorted(q.collaborations, key=lambda m: m.id):
        value = getattr(m, field)
        cited = [(f"collaboration {m.id}", m.evidence)]
        if value is None:
            yield rule.finding(q, NOT_ASSESSABLE, cited=cited, collaboration=m.id, message=(
                f"Not assessable: no record of {absent_words} in “{m.title}” ({m.id}: `{field}` not recorded)."))
        elif not value:
            yield rule.finding(q, "none", cited=cited, collaboration=m.id, parties=tuple(m.participants), message=(
                f"In “{m.title}”, {q.names(m.participants)} {none_words}, as the record states."))


def collaboration_statuses(none_sentence: str) -> tuple[StatusDef, ...]:
    return (StatusDef("none", Severity.medium, none_sentence), NOT_ASSESSABLE_STATUS)
