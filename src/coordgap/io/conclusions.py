"""Reading `conclusions.yaml`: the oversight body's conclusions, checked against the case's ids.

The file is read like every other YAML file of a case folder (the loader's
safe reader, one problem per file, line and field; a bad entry is rejected,
never dropped). `check_conclusion_references` then rejects a conclusion that
names an evidence record, decision or organisation the case does not hold.
`read_conclusions_file` reads a draft file kept outside the case folder, for
an evaluator testing a conclusion before writing it down.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem
from ..model.case import Case, CaseMeta
from ..model.conclusions import Conclusion

if TYPE_CHECKING:
    from .loader import CaseReader

CONCLUSIONS_FILE = "conclusions.yaml"
TABLE = "conclusions"


def _checks(c: Conclusion, kept: dict[str, tuple]) -> list[tuple[str, list[str], set[str], str]]:
    ev = {e.id for e in kept["evidence"]}
    decisions = {d.id for d in kept["decisions"]}
    orgs = {s.id for s in kept["stakeholders"]}
    interfaces = {i.id for i in kept["interfaces"]}
    checks = [("evidence", list(c.evidence), ev, "evidence")]
    for n, cell in enumerate(c.asserts.cells):
        checks += [(f"asserts.cells.{n}.decision", [cell.decision], decisions, "decision"),
                   (f"asserts.cells.{n}.stakeholder", [cell.stakeholder], orgs, "organisation")]
    for n, f in enumerate(c.asserts.findings):
        checks += [(f"asserts.findings.{n}.decision", [f.decision] if f.decision else [], decisions, "decision"),
                   (f"asserts.findings.{n}.stakeholder", [f.stakeholder] if f.stakeholder else [], orgs,
                    "organisation"),
                   (f"asserts.findings.{n}.interface", [f.interface] if f.interface else [], interfaces,
                    "interface")]
    for n, fig in enumerate(c.asserts.figures):
        checks.append((f"asserts.figures.{n}.evidence", list(fig.evidence), ev, "evidence"))
    return checks


def check_conclusion_references(meta: CaseMeta, conclusions: list[Conclusion], kept: dict[str, tuple],
                                reader: "CaseReader") -> tuple[Conclusion, ...]:
    """The conclusions whose every id exists among the records kept; the others rejected with why."""
    from .crossref import _Checker

    return tuple(_Checker(meta, reader).keep(TABLE, conclusions, lambda c: (_checks(c, kept), [])))


def read_conclusions_file(path: str | Path, case: Case) -> tuple[tuple[Conclusion, ...], list[Problem]]:
    """Read a conclusions file from anywhere (e.g. a draft) against a loaded case.

    Returns the good conclusions and every problem (file, line, field); a
    missing file is one problem, not an exception.
    """
    from .loader import CaseReader

    path = Path(path)
    reader = CaseReader(path.parent)
    if not path.is_file():
        return (), [Problem(path.name, None, None, "no such file")]
    records = reader.read_yaml_records(TABLE, path)
    kept = {t: getattr(case, t) for t in ("evidence", "decisions", "stakeholders", "interfaces")}
    good = check_conclusion_references(case.meta, records, kept, reader)
    return good, reader.problems
