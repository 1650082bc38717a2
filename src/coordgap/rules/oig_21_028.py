"""The rulebook `oig-21-028`: the three recommendations of DOJ OIG report 21-028."""

from __future__ import annotations

from . import r1_coordinate, r2_procedures, r3_agreement
from .base import Rulebook, SourceDocument

SOURCE = SourceDocument(
    id="doj-oig-21-028",
    title=(
        "Review of the Department of Justice's Planning and Implementation of Its Zero Tolerance Policy "
        "and Its Coordination with the Departments of Homeland Security and Health and Human Services"
    ),
    number="21-028",
    publisher="U.S. Department of Justice, Office of the Inspector General",
    date="2021-01",
)

RULEBOOK = Rulebook(
    name="oig-21-028",
    title="DOJ OIG report 21-028: recommendations on coordinating a policy's rollout",
    source=SOURCE,
    rules=(r1_coordinate.RULE, r2_procedures.RULE, r3_agreement.RULE),
    version="1",
    addresses="the Department of Justice (its components, in OIG-R2 the Marshals Service)",
)
