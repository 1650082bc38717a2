"""An oversight body's conclusions, each stated as claims the case's own record can bear out.

A conclusion ("the Marshals Service was not consulted before the April 6, 2018
memorandum") carries the quote it rests on and what it asserts in the case's
terms: matrix cells and the statuses that would bear it out, rule outcomes
(a finding exists or does not), and figures the source states. The checker
(coordgap.assess.conclusions) says whether the computed record reproduces
each. Field meanings: docs/data-model.md, "conclusions.yaml".
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from .base import Id, Record, Status, Text


class Account(StrEnum):
    """Which status of a cell an assertion reads."""

    undisputed = "undisputed"  # without the disputed records (the cautious reading)
    best = "best"  # the best account, disputed records included


class CellAssertion(Record):
    """The cells of (decision, stakeholder[, topic]) all have one of the allowed statuses."""

    decision: Id
    stakeholder: Id = Field(description="This organisation itself, not the units below it.")
    topic: Id | None = Field(None, description="Omit for every impact of the stakeholder under the decision.")
    status: tuple[Status, ...] = Field(min_length=1, description="The statuses that would bear the claim out.")
    record: Account = Account.undisputed


class FindingAssertion(Record):
    """A finding of a rule exists (present: true) or none does; every key given must match."""

    rule: Text
    decision: Id | None = None
    stakeholder: Id | None = None
    interface: Id | None = None
    present: bool = True


class FigureAssertion(Record):
    """A figure the source states: it holds when one of its quotes contains the number as written."""

    label: Text
    value: int | float | Text = Field(description="3000 matches '3000' or '3,000'; text must occur as written.")
    evidence: tuple[Id, ...] = Field(min_length=1)


class Assertions(Record):
    cells: tuple[CellAssertion, ...] = ()
    findings: tuple[FindingAssertion, ...] = ()
    figures: tuple[FigureAssertion, ...] = ()

    @model_validator(mode="after")
    def _not_empty(self) -> "Assertions":
        if not (self.cells or self.findings or self.figures):
            raise ValueError("a conclusion must assert at least one cell, finding or figure")
        return self

    def all(self) -> tuple[CellAssertion | FindingAssertion | FigureAssertion, ...]:
        return (*self.cells, *self.findings, *self.figures)


class Conclusion(Record):
    """One conclusion of the oversight body, in our words, with its quotes and its claims."""

    id: Id
    statement: Text = Field(description="The conclusion in short, in our words; the quote is in the evidence.")
    evidence: tuple[Id, ...] = Field(min_length=1, description="The verbatim quote(s) it rests on.")
    asserts: Assertions
