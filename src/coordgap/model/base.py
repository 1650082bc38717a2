"""The building blocks every record shares: ids, non-empty text, the frozen record base and
the status ladder. Kept apart so that the case and its conclusions can both build on them."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Status(StrEnum):
    """The status ladder, best first (docs/methodology.md)."""

    consulted = "consulted"
    informed = "informed"
    leadership_only = "leadership_only"
    indirect = "indirect"
    same_day = "same_day"
    after = "after"
    none = "none"

    @property
    def rank(self) -> int:
        return STATUS_ORDER.index(self)

    @property
    def words(self) -> str:
        """The status as words for a reader ("leadership only")."""
        return self.value.replace("_", " ")


STATUS_ORDER: tuple[Status, ...] = tuple(Status)
