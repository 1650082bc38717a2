"""The rulebook `gao-23-105520`: GAO's eight leading practices for interagency collaboration
(GAO-23-105520, May 2023, which updates GAO-12-1022), one rule per practice, GAO-LP1..GAO-LP8.

Each rule carries the practice's name and whatever of GAO's text about it could be read, quoted
with its location (docs/sources/gao-23-105520.md); where a key consideration's wording could not
be found, the rule says so (`Practice.not_found`) rather than inventing it.
"""

from __future__ import annotations

from . import (
    gao_lp1_outcomes,
    gao_lp2_accountability,
    gao_lp3_cultures,
    gao_lp4_leadership,
    gao_lp5_roles,
    gao_lp6_participants,
    gao_lp7_information,
    gao_lp8_agreements,
)
from .base import Rulebook
from .gao_common import SOURCE, Practice

MODULES = (gao_lp1_outcomes, gao_lp2_accountability, gao_lp3_cultures, gao_lp4_leadership, gao_lp5_roles,
           gao_lp6_participants, gao_lp7_information, gao_lp8_agreements)

PRACTICES: dict[str, Practice] = {m.CODE: m.PRACTICE for m in MODULES}

RULEBOOK = Rulebook(
    name="gao-23-105520",
    title="GAO-23-105520: leading practices to enhance interagency collaboration",
    source=SOURCE,
    rules=tuple(m.RULE for m in MODULES),
)
