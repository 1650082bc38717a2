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

A contact may carry the grade of its evidence (the strongest of its records;
docs/data-model.md, "Evidence grades"); the rung then carries the grade the
status rests on, and with a minimum grade only contacts graded at it or
better earn a rung. A planned contact (a proposal's) has no evidence and no
grade: leave the minimum unset for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model.case import STATUS_ORDER, Grade, Status
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
    grade: Grade | None = None  # the strongest grade of its evidence; None: it cites none


@dataclass(frozen=True)
class Rung:
    """The best rung the contacts reach, and what earned it."""

    status: Status
    undisputed_status: Status
    contacts: tuple[Contact, ...] = ()  # at the best rung, earliest first
    lead_time_days: int | None = None
    lead_time_at_least: bool | None = None  # the lead time is a lower bound (an open date); None without one
    timing_uncertain: bool = False  # the first contact cannot be placed before the decision
    grade: Grade | None = None  # the grade the status rests on: the strongest among `contacts`
    status_all_grades: Status | None = None  # the status every grade would give (None: `status`)
    grade_all_grades: Grade | None = None  # and the grade that rests on

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
    """Days between a contact and the decision (or when it took effect), counted at the least
    (latest contact, earliest decision) before it; 0 on the day; days after (from the earliest
    contact) after it. By days: times of day do not change a count of days."""
    if contact.end < when.start:
        return (when.start - contact.end).days
    if contact.start > when.end:
        return (when.end - contact.start).days
    if contact.is_day and when.is_day:
        return 0
    return None


def lead_is_bound(contact: FuzzyDate, when: FuzzyDate) -> bool | None:
    """Whether lead_days is only a lower bound: a side it is counted across is open (a contact
    "before ..." ahead of the decision, "after ..." behind it, or the decision's own open side).
    None when there is no lead time."""
    if contact.end < when.start:
        return contact.open_start or when.open_end
    if contact.start > when.end:
        return contact.open_end or when.open_start
    return False if contact.is_day and when.is_day else None


def _strongest(contacts: Iterable[Contact]) -> Grade | None:
    return min((c.grade for c in contacts if c.grade is not None), key=lambda g: g.rank, default=None)


def counts(c: Contact, minimum: Grade | None) -> bool:
    """Whether a contact's grade may earn a rung under a minimum grade (None: every contact)."""
    return minimum is None or (c.grade is not None and c.grade.rank <= minimum.rank)


def ladder(contacts: Iterable[Contact], when: FuzzyDate, effect: FuzzyDate | None = None,
           minimum: Grade | None = None) -> Rung:
    """The status one stakeholder reaches on one topic for a decision dated `when`, with the
    lead time counted to `effect` (when the change took effect; `when` if not given). With
    `minimum`, contacts graded below it (or with no grade) earn nothing."""
    effect = effect or when
    every = [(r, c) for c in contacts if (r := rung(c, when)) is not None]
    earned = [(r, c) for r, c in every if counts(c, minimum)]
    best_all = min((r for r, _ in every), default=6)
    best = min((r for r, _ in earned), default=6)
    undisputed = min((r for r, c in earned if not c.disputed), default=6)
    at_best = tuple(sorted((c for r, c in earned if r == best), key=lambda c: (c.date.end, c.date.start, c.id)))
    first = at_best[0] if at_best else None
    return Rung(
        status=STATUS_ORDER[best], undisputed_status=STATUS_ORDER[undisputed], contacts=at_best,
        lead_time_days=lead_days(first.date, effect) if first else None,
        lead_time_at_least=lead_is_bound(first.date, effect) if first else None,
        timing_uncertain=bool(first and first.date.timing(when) is Timing.overlap),
        grade=_strongest(at_best), status_all_grades=STATUS_ORDER[best_all],
        grade_all_grades=_strongest(c for r, c in every if r == best_all),
    )
