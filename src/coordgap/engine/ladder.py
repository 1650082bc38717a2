"""The status ladder for one stakeholder and topic, in plain Python.

The DuckDB engine (coordgap.engine.matrix) answers the ladder for a whole
case at once. The pre-rollout check asks it of a handful of planned
contacts, where a join is not worth it; this function is that question,
written once. tests/test_ladder.py cross-checks it against the engine on
every cell of the bundled cases.

A contact earns, for a decision dated `when` (docs/methodology.md):
consulted (0) or informed (1) when it is before the decision, from the
decision's side, to the stakeholder itself (or a unit below it), two-way or
one-way; leadership_only (2) when from the side to an organisation above
it; indirect (3) when to the stakeholder but not from the side; same_day (4)
or after (5) when it reaches the stakeholder only on the day or later.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model.case import STATUS_ORDER, Status
from ..model.dates import FuzzyDate, Timing


@dataclass(frozen=True)
class Contact:
    """One contact about the decision that covers the topic, seen from the stakeholder."""

    id: str
    date: FuzzyDate
    from_side: bool  # sent by the decision's side
    direct: bool  # a recipient is the stakeholder or a unit below it
    two_way: bool  # the sender sought the recipient's input
    above: tuple[str, ...] = ()  # recipients above the stakeholder in the tree
    disputed: bool = False  # another source contradicts it


@dataclass(frozen=True)
class Rung:
    """The best rung the contacts reach, and what earned it."""

    status: Status
    undisputed_status: Status
    contacts: tuple[Contact, ...] = ()  # at the best rung, earliest first
    lead_time_days: int | None = None
    timing_uncertain: bool = False  # the first contact cannot be placed before the decision

    @property
    def first(self) -> Contact | None:
        return self.contacts[0] if self.contacts else None


def rung(c: Contact, when: FuzzyDate) -> int | None:
    """The ladder rung (0 consulted ... 5 after) one contact earns, or None."""
    timing = c.date.timing(when)
    if timing is Timing.before:
        if c.direct and c.from_side:
            return 0 if c.two_way else 1
        if c.above and c.from_side:
            return 2
        return 3 if c.direct else None
    if not c.direct:
        return None
    return 4 if timing in (Timing.same_day, Timing.overlap) else 5


def lead_days(contact: FuzzyDate, when: FuzzyDate) -> int | None:
    """Days between a contact and the decision, counted at the least (latest contact, earliest
    decision) before it; 0 on the day; days after (from the earliest contact) after it."""
    timing = contact.timing(when)
    if timing is Timing.before:
        return (when.start - contact.end).days
    if timing is Timing.same_day:
        return 0
    if timing is Timing.after:
        return (when.end - contact.start).days
    return None


def ladder(contacts: Iterable[Contact], when: FuzzyDate) -> Rung:
    """The status one stakeholder reaches on one topic for a decision dated `when`."""
    earned = [(r, c) for c in contacts if (r := rung(c, when)) is not None]
    best = min((r for r, _ in earned), default=6)
    undisputed = min((r for r, c in earned if not c.disputed), default=6)
    at_best = tuple(sorted((c for r, c in earned if r == best), key=lambda c: (c.date.end, c.date.start, c.id)))
    first = at_best[0] if at_best else None
    return Rung(
        status=STATUS_ORDER[best], undisputed_status=STATUS_ORDER[undisputed], contacts=at_best,
        lead_time_days=lead_days(first.date, when) if first else None,
        timing_uncertain=bool(first and first.date.timing(when) is Timing.overlap),
    )
