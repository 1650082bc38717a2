"""Machine-assigned facts about a message: its kind, channel and the decisions it concerns.

Every one of these is a heuristic, and is marked as such (the `kind_reason`
column of ingest/kinds.csv and the communication's summary) so a reviewer can
confirm or change it. In order, the first that applies wins:

1. a meeting (an .ics event, or a mail carrying a text/calendar invitation):
   channel `meeting`, kind `consultation` (a meeting is two-way);
2. the text raises a concern (`concern`, `worried`, `cannot accommodate`, ...):
   kind `concern` (it never raises the sender's status);
3. the text asks for the recipient's view (`your views`, `any comments`,
   `please advise`, `feedback`, ...): kind `consultation`;
4. a reply (`In-Reply-To`, or a subject starting `Re:`): kind `response`;
5. anything else (a forward, a notice): kind `notification`.

A message concerns a decision when it covers a topic of one of the
decision's impacts and is dated within the window around the decision: from
`days_before` days before the decision's earliest day to `days_after` days
after its latest (defaults 180 and 60; `--days-before`, `--days-after`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..model.case import Decision

CONCERN = re.compile(
    r"(?<!\w)(?:concern(?:s|ed)?|worr(?:y|ied)|cannot accommodate|can ?not absorb|object(?:ion)? to|"
    r"alarm(?:ed)?|serious problem)(?!\w)", re.I)
ASKS = re.compile(
    r"(?<!\w)(?:your (?:views|view|input|thoughts|comments|feedback)|any (?:comments|concerns|objections)|"
    r"please (?:advise|comment|review|let (?:me|us) know)|would (?:like|welcome) your|feedback on|"
    r"what do you think|can you (?:advise|confirm))(?!\w)", re.I)
REPLY_SUBJECT = re.compile(r"^\s*(?:re|aw|sv)\s*:", re.I)


def infer_kind(meeting: bool, is_reply: bool, subject: str, body: str) -> tuple[str, str, str]:
    """(channel, kind, reason): the reason says which heuristic assigned the kind."""
    if meeting:
        return "meeting", "consultation", "meeting invitation"
    head = body[:4000]
    if CONCERN.search(subject) or CONCERN.search(head):
        return "email", "concern", "concern raised"
    if ASKS.search(head) or ASKS.search(subject):
        return "email", "consultation", "asks for views"
    if is_reply or REPLY_SUBJECT.match(subject):
        return "email", "response", "reply"
    return "email", "notification", "one-way message"


@dataclass(frozen=True)
class DecisionWindow:
    """The decisions of a case by impact topic, with the window of dates around each."""

    by_topic: dict[str, list[tuple[str, date, date]]]

    @classmethod
    def build(cls, decisions, days_before: int = 180, days_after: int = 60) -> "DecisionWindow":
        by_topic: dict[str, list[tuple[str, date, date]]] = {}
        for d in decisions:
            d: Decision
            lo = d.date.start - timedelta(days=days_before)
            hi = d.date.end + timedelta(days=days_after)
            for topic in dict.fromkeys(i.topic for i in d.impacts):
                by_topic.setdefault(topic, []).append((d.id, lo, hi))
        return cls(by_topic)

    def concerned(self, topics, day: date) -> list[str]:
        out = []
        for t in topics:
            for did, lo, hi in self.by_topic.get(t, ()):
                if lo <= day <= hi and did not in out:
                    out.append(did)
        return sorted(out)
