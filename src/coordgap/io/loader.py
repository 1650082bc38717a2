"""Read a case folder into a validated Case, or say exactly what is wrong.

Every record read ends up in the case or in the list of problems with its
file, line and field: nothing is dropped silently. Reading is lenient
(`read_case` returns the good records and the problems); `load_case` is the
strict front door that raises when anything is wrong.
"""

from __future__ import annotations

import os
import typing
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import pandas as pd
import pandera.errors as pa_errors
from pydantic import BaseModel, ValidationError

from ..errors import InvalidInputError, Problem, UnusablePathError, plain_message
from ..model.case import (
    Actor,
    Agreement,
    Case,
    CaseMeta,
    Collaboration,
    Communication,
    Decision,
    Evidence,
    Flow,
    Interface,
    Procedure,
    Rejected,
    Stakeholder,
)
from ..model.conclusions import Conclusion
from ..model.dates import why_not as why_not_a_date
from . import files, tables

CASE_FILE = "case.yaml"

CSV_MODELS: dict[str, type[BaseModel]] = {
    "stakeholders": Stakeholder,
    "actors": Actor,
    "evidence": Evidence,
    "communications": Communication,
    "procedures": Procedure,
    "agreements": Agreement,
}
# file stem -> (top-level key, model)
YAML_MODELS: dict[str, tuple[str, type[BaseModel]]] = {
    "decisions": ("decisions", Decision),
    "flows": ("flows", Flow),
    "interfaces": ("interfaces", Interface),
    "collaborations": ("collaborations", Collaboration),
    "conclusions": ("conclusions", Conclusion),  # optional; checked by io/conclusions.py
}


# ---------------------------------------------------------------- YAML ----
# The safe, bounded, line-keeping YAML loader is files.BoundedLoader (io/files.py).


def strip_lines(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: strip_lines(v) for k, v in obj.items() if k not in ("__line__", "__lines__")}
    if isinstance(obj, list):
        return [strip_lines(v) for v in obj]
    return obj


def _line_at(raw: Any, loc: tuple) -> int | None:
    """The line of the deepest mapping on the path loc (pydantic's error location)."""
    line = raw.get("__line__") if isinstance(raw, dict) else None
    node = raw
    for part in loc:
        if isinstance(node, dict) and part in node.get("__lines__", {}):
            line = node["__lines__"][part]  # the line of the key itself
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and "__line__" in node:
            line = node["__line__"]
    return line


def read_yaml(path: Path, label: str, root: Path | None = None) -> tuple[Any, list[Problem]]:
    """Read one YAML file inside root (default: its own folder) with the limits of io/files.py."""
    return files.read_yaml(path, label, path.parent if root is None else root)


# ----------------------------------------------------------------- CSV ----
@dataclass
class _Rows:
    """The rows of one table that passed its schema, with where each came from, and those that did not."""

    frame: pd.DataFrame
    where: list[tuple[str, int]] = field(default_factory=list)  # (file label, line)
    rejected: list[tuple[str, str, int | None]] = field(default_factory=list)  # (id, file label, line)


def read_csv_file(path: Path, label: str, problems: list[Problem], unreadable: list | None = None,
                  root: Path | None = None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and rows of one CSV file (io/files.py: boundary, limits); rows that cannot be read
    are problems, and (line, why) in `unreadable` when given."""
    got = files.read_csv(path, label, path.parent if root is None else root)
    problems.extend(got.problems)
    for line, why in got.unreadable:
        problems.append(Problem(label, line, None, why))
        if unreadable is not None:
            unreadable.append((label, line))
    if got.unread and unreadable is not None:
        unreadable.append((label, got.problems[0].line))  # the file (or its rest) was not read: one entry
    return got.header, got.rows


_CHECK_WORDS = {
    "field_uniqueness": "duplicate id",
    "column_in_schema": "unknown column",
    "column_in_dataframe": "missing required column",
}


def _describe(check: str, value: Any) -> str:
    if check in _CHECK_WORDS:
        return _CHECK_WORDS[check]
    if check.startswith("str_length"):
        return "required: must not be empty"
    if check.startswith("isin("):
        return f"{value!r} is not one of {check[5:-1]}"
    if check.startswith("str_matches"):
        return f"{value!r} is not an id or ';'-separated list of ids (lowercase letters, digits, '.', '_', '-')"
    if "date" in check:
        return why_not_a_date(value)
    return f"{value!r} fails check {check}"


def read_table(folder: Path, stem: str, problems: list[Problem], root: Path) -> _Rows | None:
    """Read one flat table (a CSV file or a folder of them) and check it against its schema."""
    paths, file_problems = files.table_files(folder, stem, root)
    problems.extend(file_problems)
    lost: list[tuple[str, int | None]] = [(p.file, None) for p in file_problems]  # rows never read
    if not paths and not lost:
        return None
    schema = tables.TABLES[stem]
    expected = list(schema.to_schema().columns)
    optional = tables.OPTIONAL_COLUMNS.get(stem, set())
    frames, where = [], []
    for path in paths:
        label = str(path.relative_to(root))
        header, rows = read_csv_file(path, label, problems, lost, root)
        if not header:
            continue
        missing = [c for c in expected if c not in header and c not in optional]
        for col in missing:
            problems.append(Problem(label, 1, col, "missing required column"))
        for col in sorted(Counter(header) - Counter(set(header))):
            problems.append(Problem(label, 1, col, "column appears twice"))
        if missing or len(set(header)) != len(header):
            for line, row in rows:
                problems.append(Problem(label, line, None, "row not read: the header is wrong"))
                lost.append((label, line))
            continue
        frame = pd.DataFrame([r for _, r in rows], columns=header, dtype=str)
        for col in expected:
            if col not in frame.columns:
                frame[col] = ""
        frames.append(frame)
        where.extend((label, line) for line, _ in rows)
    if not frames:
        return _Rows(pd.DataFrame(columns=expected, dtype=str), [], [("", *w) for w in lost])
    frame = pd.concat(frames, ignore_index=True)
    frame = frame.apply(lambda s: s.str.strip())
    for col, default in tables.DEFAULTS.get(stem, {}).items():
        frame[col] = frame[col].mask(frame[col] == "", default)
    bad_rows: set[int] = set()
    try:
        schema.validate(frame, lazy=True)
    except pa_errors.SchemaErrors as exc:
        for fc in exc.failure_cases.itertuples(index=False):
            idx = None if pd.isna(fc.index) else int(fc.index)
            column = fc.column if fc.column != schema.__name__ else str(fc.failure_case)
            message = _describe(str(fc.check), fc.failure_case)
            if idx is None:
                # a whole-column problem (e.g. unknown column): name every file that has it
                for label in dict.fromkeys(lbl for lbl, _ in where):
                    problems.append(Problem(label, 1, column, message))
                bad_rows.update(range(len(frame)))
                continue
            label, line = where[idx]
            problems.append(Problem(label, line, column, message, frame.at[idx, "id"] or None))
            bad_rows.add(idx)
    keep = [i for i in range(len(frame)) if i not in bad_rows]
    return _Rows(
        frame.iloc[keep].reset_index(drop=True),
        [where[i] for i in keep],
        [(frame.at[i, "id"], *where[i]) for i in sorted(bad_rows)] + [("", *w) for w in lost],
    )


def _list_fields(model: type[BaseModel]) -> set[str]:
    out = set()
    for name, info in model.model_fields.items():
        ann = info.annotation
        if typing.get_origin(ann) is tuple:
            out.add(name)
    return out


def row_to_record(row: dict[str, str], model: type[BaseModel]) -> dict[str, Any]:
    lists = _list_fields(model)
    data: dict[str, Any] = {}
    for key, value in row.items():
        if value == "":
            continue
        data[key] = tuple(v for v in value.split(";")) if key in lists else value
    return data


# --------------------------------------------------------------- reader ----
class CaseReader:
    def __init__(self, folder: Path):
        self.folder = folder
        self.root = folder
        self.problems: list[Problem] = []
        self.where: dict[tuple[str, str], tuple[str, int | None]] = {}
        self.rejected: list[Rejected] = []

    # -- helpers
    def _reject(self, table: str, rec_id: str | None, label: str, line: int | None, problems: Iterable[Problem]):
        problems = list(problems)
        self.problems.extend(problems)
        self.rejected.append(
            Rejected(table=table, file=label, line=line, record=rec_id, problems=tuple(str(p) for p in problems))
        )

    def _reject_entries(self, table: str, label: str, raw: Any, problem: Problem) -> None:
        """A YAML file not shaped as expected: each entry it holds (the items of any list in it)
        is rejected with the problem, or the file as one entry when it holds no list."""
        lists = [raw] if isinstance(raw, list) else [v for v in raw.values() if isinstance(v, list)] \
            if isinstance(raw, dict) else []
        entries = [item for items in lists for item in items] or [None]
        for item in entries:
            line = item.get("__line__") if isinstance(item, dict) else problem.line
            rec_id = item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else None
            self.rejected.append(Rejected(table=table, file=label, line=line, record=rec_id, problems=(str(problem),)))

    def validate(self, model: type[BaseModel], data: dict, label: str, line: int | None, raw: Any = None):
        try:
            return model.model_validate(data), []
        except ValidationError as exc:
            out = []
            for err in exc.errors():
                loc = tuple(err["loc"])
                fld = ".".join(str(p) for p in loc) or None
                err_line = _line_at(raw, loc) if raw is not None else line
                out.append(Problem(label, err_line or line, fld, plain_message(err), data.get("id")))
            return None, out

    # -- case.yaml
    def read_meta(self) -> CaseMeta | None:
        raw, probs = read_yaml(self.folder / CASE_FILE, CASE_FILE, self.root)
        self.problems.extend(probs)
        if probs:
            return None
        if not isinstance(raw, dict):
            self.problems.append(Problem(CASE_FILE, 1, None, "must be a mapping (id, title, window, sources, ...)"))
            return None
        meta, probs = self.validate(CaseMeta, strip_lines(raw), CASE_FILE, raw.get("__line__"), raw)
        self.problems.extend(probs)
        if meta is not None:
            for kind, items in (("sources", meta.sources), ("topics", meta.topics)):
                for key, n in Counter(i.id for i in items).items():
                    if n > 1:
                        self.problems.append(Problem(CASE_FILE, None, kind, f"duplicate id {key!r}"))
        return meta

    # -- CSV tables
    def read_csv_records(self, stem: str) -> list:
        rows = read_table(self.folder, stem, self.problems, self.root)
        if rows is None:
            return []
        for rec_id, label, line in rows.rejected:
            self.rejected.append(
                Rejected(
                    table=stem, file=label, line=line, record=rec_id or None,
                    problems=tuple(str(p) for p in self.problems if p.file == label and p.line == line),
                )
            )
        model = CSV_MODELS[stem]
        out = []
        for row, (label, line) in zip(rows.frame.to_dict("records"), rows.where):
            rec, probs = self.validate(model, row_to_record(row, model), label, line)
            if rec is None:
                self._reject(stem, row.get("id"), label, line, probs)
                continue
            self.where[(stem, rec.id)] = (label, line)
            out.append(rec)
        return out

    # -- YAML lists
    def read_yaml_records(self, stem: str, path: Path | None = None) -> list:
        path = path or self.folder / f"{stem}.yaml"
        if not os.path.lexists(path):  # a broken link or a folder there is a problem, not an empty list
            return []
        label = path.name
        key, model = YAML_MODELS[stem]
        raw, probs = read_yaml(path, label, self.root)
        if probs:
            self.problems.extend(probs)
            self.rejected.append(Rejected(table=stem, file=label, problems=tuple(map(str, probs))))
            return []
        if raw is None:
            return []
        if not isinstance(raw, dict) or set(raw) - {key, "__line__", "__lines__"}:
            problem = Problem(label, 1, None, f"must be a mapping with one key, {key!r}, holding a list")
            self.problems.append(problem)
            self._reject_entries(stem, label, raw, problem)
            return []
        items = raw.get(key) or []
        if not isinstance(items, list):
            problem = Problem(label, raw.get("__line__"), key, "must be a list")
            self.problems.append(problem)
            self._reject_entries(stem, label, raw, problem)
            return []
        out, seen = [], {}
        for item in items:
            line = item.get("__line__") if isinstance(item, dict) else None
            if not isinstance(item, dict):
                self._reject(stem, None, label, line, [Problem(label, line, None, "each entry must be a mapping")])
                continue
            rec, probs = self.validate(model, strip_lines(item), label, line, item)
            if rec is None:
                self._reject(stem, item.get("id"), label, line, probs)
                continue
            if rec.id in seen:
                self._reject(stem, rec.id, label, line, [
                    Problem(label, line, "id", f"duplicate id (first at line {seen[rec.id]})", rec.id)
                ])
                continue
            seen[rec.id] = line
            self.where[(stem, rec.id)] = (label, line)
            if stem == "decisions":
                for imp in rec.impacts:
                    self.where[("impacts", imp.id)] = (label, _impact_line(item, imp.id) or line)
            out.append(rec)
        return out


def _impact_line(item: dict, impact_id: str) -> int | None:
    for imp in item.get("impacts") or []:
        if isinstance(imp, dict) and imp.get("id") == impact_id:
            return imp.get("__line__")
    return None


def _check_folder(path: Path) -> Path:
    if not path.exists():
        raise UnusablePathError(f"{path}: no such file or folder")
    if not path.is_dir():
        raise UnusablePathError(f"{path}: not a folder (a case is a folder holding {CASE_FILE})")
    if not (path / CASE_FILE).is_file():
        raise UnusablePathError(f"{path}: no {CASE_FILE} here, so this is not a case folder")
    return path


def resolve_case_path(path: str | Path) -> Path:
    """A folder, or the name of a bundled case (e.g. 'zero_tolerance')."""
    p = Path(path)
    if not p.exists():
        from .bundled import bundled_case_path, bundled_cases, did_you_mean

        bundled = bundled_case_path(str(path))
        if bundled is not None:
            return bundled
        if p.parent == Path("."):  # a bare name: perhaps a mistyped bundled case
            names = bundled_cases()
            raise UnusablePathError(f"{path}: no such folder, nor a bundled case{did_you_mean(str(path), names)}"
                                    f" (bundled cases: {', '.join(names) or 'none installed'})")
    return _check_folder(p)


def read_case(path: str | Path) -> tuple[Case | None, list[Problem]]:
    """Read leniently: the case of every good record, and every problem found.

    Returns (None, problems) only when case.yaml or the organisation tree
    cannot be read at all.
    """
    from .conclusions import check_conclusion_references
    from .crossref import check_references

    folder = resolve_case_path(path)
    reader = CaseReader(folder)
    meta = reader.read_meta()
    records = {stem: reader.read_csv_records(stem) for stem in CSV_MODELS}
    records.update({stem: reader.read_yaml_records(stem) for stem in YAML_MODELS})
    if meta is None:
        return None, reader.problems
    misnamed, _ = files.survey_case_folder(folder, case_file_names(), source_paths(meta))
    reader.problems.extend(misnamed)
    if not files.table_files(folder, "stakeholders", folder)[0]:
        reader.problems.append(Problem("stakeholders.csv", None, None, "missing: a case needs its organisation tree"))
        return None, reader.problems
    kept = check_references(meta, records, reader)
    kept["conclusions"] = check_conclusion_references(meta, records.pop("conclusions"), kept, reader)
    case = Case(meta=meta, **kept, rejected=tuple(reader.rejected))
    if not case.stakeholders and not any(r.table == "stakeholders" for r in case.rejected):  # never an empty tree
        reader.problems.append(Problem("stakeholders.csv", None, None,
                                       "holds no organisation: a case needs its organisation tree"))
    return case, reader.problems


def case_file_names() -> list[str]:
    """Every name a case folder's files may have (io/files.py warns about the others)."""
    return [CASE_FILE, *(f"{s}.csv" for s in CSV_MODELS), *CSV_MODELS, *(f"{s}.yaml" for s in YAML_MODELS)]


def source_paths(meta: CaseMeta | None) -> set[str]:
    """Files in the case folder its case.yaml points to (source texts), which are not warned about."""
    return {Path(s.path).parts[0] for s in (meta.sources if meta else ()) if s.path and Path(s.path).parts}


def load_case(path: str | Path) -> Case:
    """Load a case folder (or bundled case name); raise InvalidInputError listing every problem."""
    case, problems = read_case(path)
    if problems or case is None:
        raise InvalidInputError(problems, what=str(path))
    return case
