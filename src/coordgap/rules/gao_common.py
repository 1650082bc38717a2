"""What the eight rules of the `gao-23-105520` rulebook share: the source document, how a
practice and its key considerations are quoted, where the interface rules apply, and the
"not assessable" finding.

GAO's text could be read only in part (docs/sources/gao-23-105520.md says what was found and
where). Every quote a GAO rule carries is in that file, and tests/test_gao_sources.py checks it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.case import Case, Collaboration, Interface
from ..model.findings import EvidenceRef, Finding, Severity, evidence_refs
from .base import Quote, ScopeNote, SourceDocument, names

SOURCE = SourceDocument(
    id="gao-23-105520",
    title=("Government Performance Management: Leading Practices to Enhance Interagency Collaboration "
           "and Address Crosscutting Challenges"),
    number="GAO-23-105520",
    publisher="U.S. Government Accountability Office",
    date="2023-05",
)
SOURCE_FILE = "docs/sources/gao-23-105520.md"  # the passages quoted, with where each came from

NOT_ASSESSABLE = "not_assessable"  # a finding's status when the case holds no record to judge

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


# ---------------------------------------------------------------- scope
def interface_scope(case: Case) -> list[ScopeNote]:
    """The interface practices apply to every interface a decision creates, whatever its parties'
    place in the tree: GAO counts coordination within components of one entity as collaboration."""
    out = []
    for i in sorted(case.interfaces, key=lambda i: i.id):
        if i.created_by:
            out.append(ScopeNote("interface", i.id, True,
                                 f"created by {', '.join(i.created_by)}; parties: {names(case, i.parties)}"))
        else:
            out.append(ScopeNote("interface", i.id, False, "created by no decision in the case"))
    return out


def collaboration_scope(case: Case) -> list[ScopeNote]:
    """The collaboration practices judge every collaboration record; with none, the case as a whole
    is listed, because the practice then cannot be assessed."""
    if not case.collaborations:
        return [ScopeNote("case", case.meta.id, True,
                          "the case holds no collaborations.yaml record, so the practice is not assessable")]
    return [ScopeNote("collaboration", m.id, True, f"a collaborative mechanism of {names(case, m.participants)}")
            for m in sorted(case.collaborations, key=lambda m: m.id)]


def collaborations_for(case: Case, iface: Interface) -> list[Collaboration]:
    """The collaborations that say they coordinate an interface, in id order."""
    return sorted((m for m in case.collaborations if iface.id in m.interfaces), key=lambda m: m.id)


# ---------------------------------------------------------------- findings
def not_assessable(code: str, what: str, *, collaboration: str | None = None, interface: str | None = None,
                   decision: str | None = None, stakeholder: str | None = None,
                   evidence: tuple[EvidenceRef, ...] = ()) -> Finding:
    """A practice the case holds no record to judge: listed as a finding, never silently passed."""
    return Finding(rule=code, decision=decision, stakeholder=stakeholder, interface=interface,
                   collaboration=collaboration, status=NOT_ASSESSABLE, severity=Severity.low,
                   message=f"Not assessable: no record of {what}.", evidence=evidence)


def collaboration_evidence(case: Case, m: Collaboration) -> tuple[EvidenceRef, ...]:
    return evidence_refs(case, [(f"collaboration {m.id}", m.evidence)])


def judge_collaborations(case: Case, code: str, field: str, absent_words: str, none_words: str) -> list[Finding]:
    """The check of GAO-LP1, LP2 and LP3: each collaboration's `field` (outcomes, tracking, bridging).

    Left out of the record -> not assessable; recorded as an empty list -> a finding (the source
    says there was none); anything recorded -> no finding. With no collaboration record at all,
    one not-assessable finding for the case."""
    if not case.collaborations:
        return [not_assessable(code, f"a collaborative mechanism (collaborations.yaml), so nothing shows {absent_words}")]
    out = []
    for m in sorted(case.collaborations, key=lambda m: m.id):
        value = getattr(m, field)
        if value is None:
            out.append(not_assessable(code, f"{absent_words} in “{m.title}” ({m.id}: `{field}` not recorded)",
                                      collaboration=m.id, evidence=collaboration_evidence(case, m)))
        elif not value:
            out.append(Finding(rule=code, collaboration=m.id, status="none", severity=Severity.medium,
                               message=f"In “{m.title}”, {names(case, m.participants)} {none_words}, as the record states.",
                               parties=tuple(m.participants), evidence=collaboration_evidence(case, m)))
    return out
